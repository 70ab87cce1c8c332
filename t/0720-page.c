/* 0720-page.c -- language negotiation, paths, assets and the page chrome */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "tap.h"

static void test_paths(void)
{
	enum lang l;
	const char *rest;

	ok(page_lang_from_path("/ko/users/a", &l, &rest) == 1 && l == LANG_KO &&
	   strcmp(rest, "/users/a") == 0, "/ko/users/a is Korean /users/a");
	ok(page_lang_from_path("/ja/", &l, &rest) == 1 && l == LANG_JA && strcmp(rest, "/") == 0,
	   "/ja/ is Japanese /");
	ok(page_lang_from_path("/zh", &l, &rest) == 1 && l == LANG_ZH && strcmp(rest, "/") == 0,
	   "/zh is Chinese /");
	ok(page_lang_from_path("/", &l, &rest) == 0 && l == LANG_EN && strcmp(rest, "/") == 0,
	   "/ is English");
	ok(page_lang_from_path("/kool/x", &l, &rest) == 0 && l == LANG_EN &&
	   strcmp(rest, "/kool/x") == 0, "/kool/x has no prefix");
	is_str(lang_prefix(LANG_EN), "", "English has no prefix");
	is_str(lang_code(LANG_ZH), "zh", "zh's code");
}

static void test_negotiation(void)
{
	is_int(lang_from_accept("ja;q=0.1, ko;q=0.9"), LANG_KO, "q-values: ko;q=0.9 beats ja;q=0.1");
	is_int(lang_from_accept("zh-Hant-TW"), LANG_ZH, "zh-Hant-TW is zh");
	is_int(lang_from_accept("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7"), LANG_EN,
	       "French first, English is the best we have");
	is_int(lang_from_accept("fr, de"), -1, "nothing we speak: no answer");
	is_int(lang_from_accept("ko;q=0, ja"), LANG_JA, "q=0 means not acceptable");
	is_int(lang_from_accept("KO-kr"), LANG_KO, "tags are case-insensitive");
	is_int(lang_from_accept("ja;q=0.5,zh;q=0.5"), LANG_JA, "a tie goes to the first");
	is_int(lang_from_accept("ja;q=2, ko;q=0.3"), LANG_KO, "an invalid q is ignored");
	is_int(lang_from_accept("en-US,en;q=0.9,ko;q=0.8"), LANG_EN, "English first");
	is_int(lang_from_accept(""), -1, "empty header");
	is_int(lang_from_accept(NULL), -1, "no header");
	is_int(lang_from_cookie("a=1; lang=zh; b=2"), LANG_ZH, "cookie lang=zh");
	is_int(lang_from_cookie("lang=xx"), -1, "unknown cookie value ignored");
	is_int(lang_from_cookie("xlang=ko"), -1, "another cookie's name does not count");
	is_int(lang_from_cookie("lang=en"), LANG_EN, "cookie lang=en");
}

static void test_assets(void)
{
	const char *css = asset_url("arena.css");
	const char *top = getenv("top_builddir");
	unsigned char sig[24];
	char path[4096];
	FILE *f;

	ok(css && strncmp(css, "/static/arena.", 14) == 0 && strlen(css) == 14 + 10 + 4,
	   "arena.css has a hashed URL: %s", css ? css : "(none)");
	ok(asset_url("arena.js") && asset_url("icon.svg") && asset_url("og.png"),
	   "the script, the icon and the Open Graph image have URLs");
	ok(asset_url("nope.css") == NULL, "an unknown asset has none");
	snprintf(path, sizeof(path), "%s/static/hashed/%s", top ? top : ".",
		 asset_url("og.png") ? asset_url("og.png") + 8 : "x");
	f = fopen(path, "rb");
	ok(f && fread(sig, 1, 24, f) == 24 && memcmp(sig, "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16) == 0 &&
	   memcmp(sig + 16, "\0\0\x04\xb0\0\0\x02\x76", 8) == 0,
	   "og.png is a PNG of 1200x630 (%s)", path);
	if (f)
		fclose(f);
}

/* A request with these CGI variables, outside any server. */
static void fake(struct req *rq, struct arena *a, char **env)
{
	memset(rq, 0, sizeof(*rq));
	rq->a = a;
	rq->envp = env;
	rq->path = "/ko/";
	rq->query = "";
	rq->request_id = "0123456789abcdef0123456789abcdef";
}

static void test_chrome(void)
{
	static char *env[] = { "HTTP_HOST=arena.test:8080", "REQUEST_METHOD=GET", NULL };
	struct arena a = ARENA_INIT;
	struct req rq;
	struct page p;
	const char *o;

	fake(&rq, &a, env);
	memset(&p, 0, sizeof(p));
	p.rq = &rq;
	p.lang = LANG_KO;
	p.title = "Board <&> \"x\"";
	p.description = "desc";
	p.path = "/";
	p.query = "period=daily";
	page_begin(&p);
	html(&rq.out, "<p>body</p>");
	page_end(&p);
	o = buf_str(&rq.out);
	is_int(rq.status, 200, "status 200");
	is_str(rq.content_type, "text/html; charset=utf-8", "HTML type");
	ok(strstr(buf_str(&rq.headers), "Content-Security-Policy: " PAGE_CSP "\r\n") != NULL,
	   "the strict CSP header");
	ok(!strstr(PAGE_CSP, "unsafe-inline"), "no unsafe-inline in it");
	ok(strstr(o, "<html lang=\"ko\">") != NULL, "<html lang=ko>");
	ok(strstr(o, "<title>Board &lt;&amp;&gt; \"x\"</title>") != NULL, "title escaped");
	ok(strstr(o, "content=\"Board &lt;&amp;&gt; &quot;x&quot;\"") != NULL, "og:title escaped");
	ok(strstr(o, "hreflang=\"en\" href=\"http://arena.test:8080/?period=daily\"") != NULL,
	   "hreflang en");
	ok(strstr(o, "hreflang=\"ja\" href=\"http://arena.test:8080/ja/?period=daily\"") != NULL,
	   "hreflang ja");
	ok(strstr(o, "hreflang=\"x-default\" href=\"http://arena.test:8080/?period=daily\"") != NULL,
	   "x-default is English");
	ok(strstr(o, "href=\"/lang?to=zh&amp;next=%2F%3Fperiod%3Ddaily\"") != NULL,
	   "the switcher links to /lang with the page to return to");
	ok(strstr(o, "property=\"og:image\" content=\"http://arena.test:8080/static/og.") != NULL,
	   "og:image is absolute");
	ok(strstr(o, "name=\"twitter:card\"") != NULL, "twitter card");
	ok(!strstr(o, "style=") && !strstr(o, "<script>") && !strstr(o, "onclick"),
	   "no style=, inline script or handlers");
	ok(strstr(o, "</main>") && strstr(o, "</html>"), "page_end closes the page");
	buf_release(&rq.out);
	buf_release(&rq.headers);

	fake(&rq, &a, env);
	rq.path = "/ja/";
	{
		struct i18n_arg arg = I18N_ARG_STR("name", "<x>");

		page_error(&rq, LANG_JA, 400, "error.param.unknown", &arg, 1);
	}
	o = buf_str(&rq.out);
	is_int(rq.status, 400, "page_error: status");
	ok(strstr(o, "<html lang=\"ja\">") && strstr(o, "&lt;x&gt;") && !strstr(o, "<x>"),
	   "page_error: Japanese, the argument escaped");
	ok(strstr(o, "noindex") != NULL, "page_error: not indexed");
	buf_release(&rq.out);
	buf_release(&rq.headers);
	arena_release(&a);
}

int main(void)
{
	const char *top = getenv("top_srcdir");
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/lib/i18n", top ? top : "..");
	setenv("ARENA_I18N_DIR", dir, 1);
	ok(i18n_init() == 0, "catalogs load");
	test_paths();
	test_negotiation();
	test_assets();
	test_chrome();
	return done_testing();
}
