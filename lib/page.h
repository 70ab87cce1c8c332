/*
 * page.h -- what every HTML page shares
 *
 * A page handler fills a struct page, writes its content between
 * page_begin() and page_end() with the html.h writers, and returns:
 *
 *	struct page p = { .rq = rq, .lang = lang, .title = t, .description = d,
 *			  .path = "/", .query = "period=daily" };
 *	page_begin(&p);
 *	html(&rq->out, "<h1>");
 *	i18n_html(&rq->out, lang, "board.heading", NULL, 0);
 *	html(&rq->out, "</h1>");
 *	page_end(&p);
 *
 * page_begin() sets the status (p->status, default 200), the type
 * text/html; charset=utf-8, the strict Content-Security-Policy (PAGE_CSP:
 * serve.c adds its JSON one only when a handler set none), the
 * Referrer-Policy (PAGE_REFERRER_POLICY, same-origin: under no-referrer a
 * browser sends `Origin: null` with the page's own form posts, which the
 * Origin check of every state change refuses; other sites still get no
 * referrer),
 * Content-Language, and writes the head: <html lang>, title, description,
 * the content-hashed stylesheet, script and icon, the canonical URL,
 * hreflang alternates for the four languages and x-default, Open Graph
 * and Twitter tags; then the site header with the navigation and the
 * language switcher, and opens <main id="main">.
 *
 * The switcher is plain links to /lang?to=ko&next=/users/alice, which
 * page_lang_switch() answers: it sets the `lang` cookie (what `/`
 * negotiates with first) and redirects to the page in that language.
 *
 * No page ever has inline script, style= attributes or event handlers.
 */
#ifndef ARENA_PAGE_H
#define ARENA_PAGE_H

#include "html.h"
#include "i18n.h"
#include "req.h"

#define PAGE_REFERRER_POLICY "same-origin"

#define PAGE_CSP "default-src 'none'; style-src 'self'; script-src 'self'; " \
	"img-src 'self' data: https://avatars.githubusercontent.com; " \
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

struct page {
	struct req *rq;
	enum lang lang;
	const char *title;		/* in the page's language, unescaped */
	const char *description;	/* meta and OG description, unescaped */
	const char *path;		/* language-neutral: "/" or "/users/alice" */
	const char *query;		/* "" or "period=daily", kept on language links */
	const char *og_image;		/* absolute URL, or NULL for the site image */
	int private_cache;		/* 1: Cache-Control private, no-store */
	int status;			/* 0 means 200 */
	int noindex;			/* 1: robots noindex (error pages) */
};

void page_begin(struct page *p);
void page_end(struct page *p);

/*
 * Replaces any response with a whole page in language l: the status's
 * title, message msg_key with its arguments, a way back to the board.
 */
void page_error(struct req *rq, enum lang l, int status, const char *msg_key,
		const struct i18n_arg *args, int nargs);

/*
 * For struct endpoint's `refused`: turns serve()'s JSON answer to a
 * non-canonical path (400) or a wrong method (405) into a page in the
 * language of the path's prefix, else the visitor's.  A path under /api/
 * keeps its JSON.
 */
void page_refused(struct req *rq);

/*
 * "/ko/users/a" -> LANG_KO and rest "/users/a"; "/ko/" and "/ko" -> "/";
 * a path without a language prefix is English and its own rest.
 * Returns 1 when the path had a prefix, else 0.
 */
int page_lang_from_path(const char *path, enum lang *l, const char **rest);

/*
 * The visitor's language for a page that is not in one by its path: a
 * valid `lang` cookie, else the best of Accept-Language (q-values
 * honoured, subtags dropped: zh-Hant-TW is zh), else English.
 */
enum lang page_negotiate(struct req *rq);
/* The parts of page_negotiate(), for tests; -1 when they say nothing. */
int lang_from_cookie(const char *cookie_header);
int lang_from_accept(const char *accept_language);

/* "arena.css" -> "/static/arena.3f9a1c2b7d.css"; NULL for an unknown name. */
const char *asset_url(const char *name);

/*
 * The site's absolute URL without a trailing slash: ARENA_PUBLIC_URL, or
 * the request's scheme and Host when that is a plain host[:port].
 */
const char *page_base_url(struct req *rq);

/* Writes prefix + path as an attribute-safe href: "/ko" "/users/alice". */
void page_href(struct buf *b, enum lang l, const char *path);

/*
 * A redirect to path (ours, canonical) with query (ours, or ""): status
 * 301, 302 or 303, Location relative to the site, a tiny HTML body.
 */
void page_redirect(struct req *rq, int status, const char *path, const char *query);

/* GET /lang?to=ko&next=/users/alice: sets the cookie, 302 to the page. */
void page_lang_switch(struct req *rq);

#endif
