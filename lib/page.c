/* page.c -- the chrome every HTML page shares */
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "page.h"
#include "serve.h"

static const char *const og_locales[LANG_N] = { "en_US", "ko_KR", "ja_JP", "zh_CN" };

const char *asset_url(const char *name)
{
	const struct asset *a;

	for (a = assets; a->name; a++)
		if (strcmp(a->name, name) == 0)
			return a->url;
	return NULL;
}

int page_lang_from_path(const char *path, enum lang *l, const char **rest)
{
	int i;

	for (i = LANG_EN + 1; i < LANG_N; i++) {
		const char *pre = lang_prefix((enum lang)i);
		size_t n = strlen(pre);

		if (strncmp(path, pre, n) == 0 && (path[n] == '/' || path[n] == '\0')) {
			*l = (enum lang)i;
			*rest = path[n] ? path + n : "/";
			return 1;
		}
	}
	*l = LANG_EN;
	*rest = path;
	return 0;
}

int lang_from_cookie(const char *h)
{
	while (h && *h) {
		size_t n;

		h += strspn(h, " \t;");
		n = strcspn(h, ";");
		if (n >= 5 && strncmp(h, "lang=", 5) == 0) {
			const char *v = h + 5;
			size_t vn = n - 5;
			int l;

			while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
				vn--;
			if ((l = lang_from_code(v, vn)) >= 0)
				return l;
		}
		h += n;
	}
	return -1;
}

/* A q-value in thousandths, or -1 when it is not one (RFC 9110 qvalue). */
static int parse_q(const char *s, size_t n)
{
	int q = 0, digits = 0;
	size_t i;

	if (n == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	q = (s[0] - '0') * 1000;
	if (n == 1)
		return q;
	if (s[1] != '.' || n > 5)
		return -1;
	for (i = 2; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		q += (s[i] - '0') * (digits == 0 ? 100 : digits == 1 ? 10 : 1);
		digits++;
	}
	return q > 1000 ? -1 : q;
}

/* The q of one Accept-Language item's parameters (after its tag). */
static int item_q(const char *p, size_t n)
{
	while (n) {
		size_t k;

		while (n && (*p == ';' || *p == ' ' || *p == '\t'))
			p++, n--;
		k = 0;
		while (k < n && p[k] != ';')
			k++;
		if (k >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			size_t vn = k - 2;

			while (vn && (p[2 + vn - 1] == ' ' || p[2 + vn - 1] == '\t'))
				vn--;
			return parse_q(p + 2, vn);
		}
		p += k, n -= k;
	}
	return 1000;
}

int lang_from_accept(const char *h)
{
	int best = -1, bestq = 0;

	while (h && *h) {
		size_t n, tn;
		const char *tag;
		int l, q;

		h += strspn(h, " \t,");
		n = strcspn(h, ",");
		tag = h;
		tn = strcspn(tag, ";-_ \t,");
		q = item_q(tag + strcspn(tag, ";,"), n - strcspn(tag, ";,"));
		l = lang_from_code(tag, tn);
		if (l >= 0 && q > bestq) {
			best = l;
			bestq = q;
		}
		h += n;
	}
	return best;
}

enum lang page_negotiate(struct req *rq)
{
	int dup = 0, l;

	l = lang_from_cookie(req_param(rq, "HTTP_COOKIE"));
	if (l < 0)
		l = lang_from_accept(req_header(rq, "Accept-Language", &dup));
	return l < 0 ? LANG_EN : (enum lang)l;
}

/* 1 if h is host[:port] of [A-Za-z0-9.-] (or a bracketed IPv6 address). */
static int plain_host(const char *h)
{
	size_t n = strlen(h);

	if (n == 0 || n > 255)
		return 0;
	return strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") == n;
}

const char *page_base_url(struct req *rq)
{
	const char *env = getenv("ARENA_PUBLIC_URL"), *host, *https;
	size_t n;

	if (env && *env) {
		n = strlen(env);
		while (n && env[n - 1] == '/')
			n--;
		return arena_strndup(rq->a, env, n);
	}
	host = req_param(rq, "HTTP_HOST");
	https = req_param(rq, "HTTPS");
	if (!host || !plain_host(host))
		host = "localhost";
	return arena_printf(rq->a, "%s://%s", https && strcmp(https, "on") == 0 ?
			    "https" : "http", host);
}

void page_href(struct buf *b, enum lang l, const char *path)
{
	html_attr(b, lang_prefix(l));
	html_attr(b, path);
}

/* base + the page in language l, attribute-escaped */
static void abs_url(struct buf *b, const struct page *p, const char *base, enum lang l)
{
	html_attr(b, base);
	page_href(b, l, p->path);
	if (p->query && *p->query) {
		html(b, "?");
		html_attr(b, p->query);
	}
}

static void meta(struct buf *b, const char *attr, const char *name, const char *content)
{
	htmlf(b, "<meta %s=\"", attr);
	html_attr(b, name);
	html(b, "\" content=\"");
	html_attr(b, content);
	html(b, "\">\n");
}

/* an asset URL to write; "" for a name the build did not hash */
static const char *asset(const char *name)
{
	const char *u = asset_url(name);

	return u ? u : "";
}

static void head_links(struct buf *b, const struct page *p, const char *base)
{
	int i;

	htmlf(b, "<link rel=\"stylesheet\" href=\"%s\">\n", asset("arena.css"));
	htmlf(b, "<script src=\"%s\" defer></script>\n", asset("arena.js"));
	htmlf(b, "<link rel=\"icon\" href=\"%s\" type=\"image/svg+xml\">\n", asset("icon.svg"));
	html(b, "<link rel=\"canonical\" href=\"");
	abs_url(b, p, base, p->lang);
	html(b, "\">\n");
	for (i = 0; i < LANG_N; i++) {
		htmlf(b, "<link rel=\"alternate\" hreflang=\"%s\" href=\"", lang_code((enum lang)i));
		abs_url(b, p, base, (enum lang)i);
		html(b, "\">\n");
	}
	html(b, "<link rel=\"alternate\" hreflang=\"x-default\" href=\"");
	abs_url(b, p, base, LANG_EN);
	html(b, "\">\n");
}

static void head_social(struct buf *b, const struct page *p, const char *base)
{
	struct buf url = BUF_INIT, img = BUF_INIT;
	int i;

	abs_url(&url, p, base, p->lang);
	if (p->og_image)
		buf_adds(&img, p->og_image);
	else
		buf_printf(&img, "%s%s", base, asset("og.png"));
	meta(b, "property", "og:type", "website");
	meta(b, "property", "og:site_name", "Modu-Arena");
	meta(b, "property", "og:title", p->title);
	meta(b, "property", "og:description", p->description);
	/* url is already escaped for an attribute */
	html(b, "<meta property=\"og:url\" content=\"");
	html(b, buf_str(&url));
	html(b, "\">\n");
	meta(b, "property", "og:image", buf_str(&img));
	if (!p->og_image) {
		meta(b, "property", "og:image:width", "1200");
		meta(b, "property", "og:image:height", "630");
	}
	meta(b, "property", "og:locale", og_locales[p->lang]);
	for (i = 0; i < LANG_N; i++)
		if (i != (int)p->lang)
			meta(b, "property", "og:locale:alternate", og_locales[i]);
	meta(b, "name", "twitter:card", p->og_image ? "summary" : "summary_large_image");
	meta(b, "name", "twitter:title", p->title);
	meta(b, "name", "twitter:description", p->description);
	meta(b, "name", "twitter:image", buf_str(&img));
	buf_release(&url);
	buf_release(&img);
}

static void switcher(struct buf *b, const struct page *p)
{
	struct buf next = BUF_INIT;
	int i;

	buf_adds(&next, p->path);
	if (p->query && *p->query)
		buf_printf(&next, "?%s", p->query);
	html(b, "<nav class=\"langs\" aria-label=\"");
	i18n_html(b, p->lang, "nav.language", NULL, 0);
	html(b, "\"><ul>");
	for (i = 0; i < LANG_N; i++) {
		const char *code = lang_code((enum lang)i);

		htmlf(b, "<li><a href=\"/lang?to=%s&amp;next=", code);
		html_url_arg(b, buf_str(&next));
		htmlf(b, "\" hreflang=\"%s\" lang=\"%s\"%s>", code, code,
		      i == (int)p->lang ? " aria-current=\"true\"" : "");
		html_txt(b, lang_name((enum lang)i));
		html(b, "</a></li>");
	}
	html(b, "</ul></nav>\n");
	buf_release(&next);
}

void page_begin(struct page *p)
{
	struct req *rq = p->rq;
	struct buf *b = &rq->out;
	const char *base = page_base_url(rq);

	i18n_init();
	rq->status = p->status ? p->status : 200;
	rq->content_type = "text/html; charset=utf-8";
	buf_reset(b);
	req_add_header(rq, "Content-Security-Policy", PAGE_CSP);
	req_add_header(rq, "Referrer-Policy", PAGE_REFERRER_POLICY);
	req_add_header(rq, "Content-Language", lang_code(p->lang));
	if (p->private_cache && !strstr(buf_str(&rq->headers), "Cache-Control: private, no-store"))
		req_add_header(rq, "Cache-Control", "private, no-store");
	htmlf(b, "<!doctype html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
	      lang_code(p->lang));
	html(b, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
	meta(b, "name", "color-scheme", "light dark");
	if (p->noindex)
		meta(b, "name", "robots", "noindex");
	html(b, "<title>");
	html_txt(b, p->title);
	html(b, "</title>\n");
	meta(b, "name", "description", p->description);
	head_links(b, p, base);
	head_social(b, p, base);
	html(b, "</head>\n<body>\n<a class=\"skip\" href=\"#main\">");
	i18n_html(b, p->lang, "nav.skip", NULL, 0);
	html(b, "</a>\n<header class=\"site\">\n<a class=\"brand\" href=\"");
	page_href(b, p->lang, "/");
	htmlf(b, "\"><img src=\"%s\" alt=\"\" width=\"28\" height=\"28\"> ", asset("icon.svg"));
	i18n_html(b, p->lang, "site.name", NULL, 0);
	html(b, "</a>\n<nav class=\"main\" aria-label=\"");
	i18n_html(b, p->lang, "nav.main", NULL, 0);
	html(b, "\"><ul><li><a href=\"");
	page_href(b, p->lang, "/");
	html(b, "\">");
	i18n_html(b, p->lang, "nav.board", NULL, 0);
	html(b, "</a></li><li>");
	/* the same for every visitor (public pages are cached): no session here */
	if (getenv("ARENA_GITHUB_CLIENT_ID") && *getenv("ARENA_GITHUB_CLIENT_ID")) {
		html(b, "<a href=\"");
		page_href(b, p->lang, "/dashboard");
		html(b, "\">");
		i18n_html(b, p->lang, "nav.dashboard", NULL, 0);
		html(b, "</a>");
	} else {
		html(b, "<span class=\"off\">");
		i18n_html(b, p->lang, "nav.signin.off", NULL, 0);
		html(b, "</span>");
	}
	html(b, "</li></ul></nav>\n");
	switcher(b, p);
	html(b, "</header>\n<main id=\"main\">\n");
}

void page_end(struct page *p)
{
	struct buf *b = &p->rq->out;

	html(b, "</main>\n<footer class=\"site\"><p>");
	i18n_html(b, p->lang, "footer.text", NULL, 0);
	html(b, " <a href=\"/api/stats/global\">");
	i18n_html(b, p->lang, "footer.api", NULL, 0);
	html(b, "</a></p></footer>\n</body>\n</html>\n");
}

void page_error(struct req *rq, enum lang l, int status, const char *msg_key,
		const struct i18n_arg *args, int nargs)
{
	struct buf title = BUF_INIT, desc = BUF_INIT;
	enum lang ignored;
	const char *rest = "/", *tkey;
	struct page p;

	i18n_init();
	switch (status) {
	case 400: tkey = "error.400"; break;
	case 404: tkey = "error.404"; break;
	case 405: tkey = "error.405"; break;
	case 429: tkey = "error.429"; break;
	case 503: tkey = "error.503"; break;
	default: tkey = status >= 500 ? "error.500" : "error.400"; break;
	}
	if (path_is_canonical(rq->path))
		page_lang_from_path(rq->path, &ignored, &rest);
	i18n_text(&title, l, tkey, NULL, 0);
	i18n_text(&desc, l, msg_key, args, nargs);
	memset(&p, 0, sizeof(p));
	p.rq = rq;
	p.lang = l;
	p.title = arena_strdup(rq->a, buf_str(&title));
	p.description = arena_strdup(rq->a, buf_str(&desc));
	p.path = rest;
	p.query = "";
	p.status = status;
	p.noindex = 1;
	page_begin(&p);
	if (status == 503)
		req_add_header(rq, "Retry-After", "5");
	html(&rq->out, "<section class=\"error\"><h1>");
	html_txt(&rq->out, p.title);
	html(&rq->out, "</h1>\n<p class=\"problem\">");
	i18n_html(&rq->out, l, msg_key, args, nargs);
	html(&rq->out, "</p>\n<p><a href=\"");
	page_href(&rq->out, l, "/");
	html(&rq->out, "\">");
	i18n_html(&rq->out, l, "error.back", NULL, 0);
	html(&rq->out, "</a></p></section>\n");
	page_end(&p);
	buf_release(&title);
	buf_release(&desc);
}

void page_refused(struct req *rq)
{
	const char *uri = req_param(rq, "REQUEST_URI");
	enum lang l;
	int i;

	if (!uri)
		uri = "";
	if (strncmp(uri, "/api/", 5) == 0)
		return;
	l = page_negotiate(rq);
	for (i = LANG_EN + 1; i < LANG_N; i++) {
		const char *pre = lang_prefix((enum lang)i);
		size_t n = strlen(pre);

		if (strncmp(uri, pre, n) == 0 && strchr("/?", uri[n]))
			l = (enum lang)i;
	}
	if (rq->status == 405)
		page_error(rq, l, 405, "error.method", NULL, 0);
	else
		page_error(rq, l, rq->status, "error.path", NULL, 0);
}

/* 1 if q is a query we pass on: [A-Za-z0-9_=&%.~+-] only. */
static int plain_query(const char *q)
{
	return strspn(q, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789_=&%.~+-") == strlen(q);
}

void page_lang_switch(struct req *rq)
{
	static const char *const known[] = { "to", "next", NULL };
	const char *bad, *to, *next = "/", *qm, *path, *rest, *https;
	enum lang cur = page_negotiate(rq), ignored;
	int l;

	if (req_query_only(rq, known, &bad) != 0) {
		page_error(rq, cur, 400, bad ? "error.param.unknown" : "error.query", NULL, 0);
		return;
	}
	if (req_query(rq, "to", &to) != 0 || (l = lang_from_code(to, strlen(to))) < 0) {
		page_error(rq, cur, 400, "error.lang", NULL, 0);
		return;
	}
	req_query(rq, "next", &next);
	qm = strchr(next, '?');
	path = qm ? arena_strndup(rq->a, next, (size_t)(qm - next)) : next;
	if (!path_is_canonical(path) || (qm && !plain_query(qm + 1))) {
		page_error(rq, (enum lang)l, 400, "error.next", NULL, 0);
		return;
	}
	page_lang_from_path(path, &ignored, &rest);
	https = req_param(rq, "HTTPS");
	req_add_header(rq, "Set-Cookie",
		       arena_printf(rq->a, "lang=%s; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly%s",
				    lang_code((enum lang)l),
				    https && strcmp(https, "on") == 0 ? "; Secure" : ""));
	page_redirect(rq, 302, arena_printf(rq->a, "%s%s", lang_prefix((enum lang)l), rest),
		      qm ? qm + 1 : "");
}

void page_redirect(struct req *rq, int status, const char *path, const char *query)
{
	const char *to = arena_printf(rq->a, "%s%s%s", path, *query ? "?" : "", query);

	req_add_header(rq, "Location", to);
	req_add_header(rq, "Content-Security-Policy", PAGE_CSP);
	rq->status = status;
	rq->content_type = "text/html; charset=utf-8";
	buf_reset(&rq->out);
	html(&rq->out, "<!doctype html>\n<title>");
	html_int(&rq->out, status);
	html(&rq->out, "</title>\n<p><a href=\"");
	html_attr(&rq->out, to);
	html(&rq->out, "\">");
	html_txt(&rq->out, to);
	html(&rq->out, "</a></p>\n");
}
