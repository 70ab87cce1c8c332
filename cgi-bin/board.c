/*
 * board.c -- the leaderboard page, and GET /api/stats/global
 *
 *	/  /ko/  /ja/  /zh/	?period=daily|weekly|monthly|all_time (weekly), ?page=N
 *	/lang?to=ko&next=/	the language switcher (lib/page.h)
 *	/api/stats/global	the global figures the page's header shows (JSON)
 *
 * The page reads the board through lib/board.h, the same statement and
 * the same row reader as GET /api/leaderboard, 50 rows a page, so the
 * two always show the same numbers and mask the same users.  Only `/`
 * negotiates the language: a `lang` cookie, else Accept-Language; Korean,
 * Japanese and Chinese are sent to their prefix with a 302, anything
 * else gets English, and every answer there says Vary: Accept-Language,
 * Cookie.  The prefixed pages are one language each and vary on nothing.
 *
 * Workers keep the pages and the figures they built (lib/pagecache.h)
 * until a ranking run or a change of a user's name or privacy commits,
 * like the JSON leaderboard.  Bad input is a 4xx page in the visitor's
 * language naming the problem; the JSON route answers JSON errors.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "board.h"
#include "conf.h"
#include "crypto.h"
#include "num.h"
#include "page.h"
#include "pagecache.h"
#include "ratelimit.h"
#include "replica.h"
#include "serve.h"
#include "stats.h"
#include "timeutil.h"

#define ROWS 50
#define PAGE_MAX (BOARD_OFFSET_MAX / ROWS)
#define GITHUB_AVATARS "https://avatars.githubusercontent.com/"

static const struct db_stmt stmts[] = {
	BOARD_STMT,
	STATS_STMT,
	RATELIMIT_STMT,
	REPLICA_STMT,
	AUDIT_STMT,
	DB_STMT_END
};

/* What a board request asks for. */
struct view {
	enum lang lang;
	int root;		/* at `/`, which negotiates */
	const char *period;
	int period_given;
	int64_t page;
};

static const char *const params[] = { "period", "page", NULL };

/* 1 when the worker may keep pages: FastCGI and the setting allows it. */
static int caching(const struct req *rq)
{
	/* behind a pooler (ARENA_DB_PREPARE=off) no LISTEN tells of changes */
	return rq->fcgi != NULL && arena_conf.leaderboard_pagecache && arena_conf.db_prepare;
}

/* Reads period and page; 0, or -1 with a 400 page naming the problem. */
static int read_params(struct req *rq, struct view *v)
{
	const char *bad, *val;

	if (req_query_only(rq, params, &bad)) {
		struct i18n_arg a = I18N_ARG_STR("name", bad ? arena_strndup(rq->a, bad,
								       strnlen(bad, 64)) : "");

		if (!bad || ((strcmp(bad, "period") == 0 || strcmp(bad, "page") == 0) &&
			     req_query_count(rq, bad) < 2))
			page_error(rq, v->lang, 400, "error.query", NULL, 0);
		else if (strcmp(bad, "period") == 0 || strcmp(bad, "page") == 0)
			page_error(rq, v->lang, 400, "error.param.repeated", &a, 1);
		else
			page_error(rq, v->lang, 400, "error.param.unknown", &a, 1);
		return -1;
	}
	v->period = "weekly";
	if (req_query(rq, "period", &val) == 0) {
		if (!(v->period = board_period(val))) {
			page_error(rq, v->lang, 400, "error.period", NULL, 0);
			return -1;
		}
		v->period_given = 1;
	}
	v->page = 1;
	if (req_query(rq, "page", &val) == 0 &&
	    num_parse_i64z(val, 1, PAGE_MAX, &v->page) != NUM_OK) {
		struct i18n_arg a = I18N_ARG_NUM("max", PAGE_MAX);

		page_error(rq, v->lang, 400, "error.page", &a, 1);
		return -1;
	}
	return 0;
}

/* The view's own query, for links to it in other languages. */
static const char *view_query(struct req *rq, const struct view *v, int64_t page)
{
	if (page > 1)
		return arena_printf(rq->a, "period=%s&page=%lld", v->period, (long long)page);
	return v->period_given ? arena_printf(rq->a, "period=%s", v->period) : "";
}

/* href of this board in the view's language with this period and page */
static void board_href(struct buf *b, const struct view *v, const char *period, int64_t page)
{
	page_href(b, v->lang, "/");
	html(b, "?period=");
	html_url_arg(b, period);
	if (page > 1)
		htmlf(b, "&amp;page=%lld", (long long)page);
}

/* "period.weekly" */
static const char *period_key(const char *period)
{
	if (strcmp(period, "daily") == 0)
		return "period.daily";
	if (strcmp(period, "monthly") == 0)
		return "period.monthly";
	if (strcmp(period, "all_time") == 0)
		return "period.all_time";
	return "period.weekly";
}

static void figure(struct buf *b, enum lang l, const char *id, const char *key,
		   int64_t v, int compact)
{
	htmlf(b, "<div><dt>");
	i18n_html(b, l, key, NULL, 0);
	htmlf(b, "</dt><dd><data id=\"%s\" value=\"%lld\">", id, (long long)v);
	if (compact)
		fmt_compact(b, l, v);
	else
		fmt_num(b, l, v);
	html(b, "</data></dd></div>\n");
}

static void write_figures(struct buf *b, enum lang l, const struct global_stats *s)
{
	html(b, "<section aria-labelledby=\"figures-h\"><h2 id=\"figures-h\" class=\"sr-only\">");
	i18n_html(b, l, "stats.heading", NULL, 0);
	html(b, "</h2>\n<dl class=\"figures\">\n");
	figure(b, l, "stat-users", "stats.users", s->users, 0);
	figure(b, l, "stat-sessions", "stats.sessions", s->sessions, 1);
	figure(b, l, "stat-tokens", "stats.tokens", s->total, 1);
	figure(b, l, "stat-active1", "stats.active1", s->active1, 0);
	figure(b, l, "stat-active7", "stats.active7", s->active7, 0);
	figure(b, l, "stat-active30", "stats.active30", s->active30, 0);
	html(b, "</dl></section>\n");
}

static void write_tabs(struct buf *b, const struct view *v)
{
	const char *const *p;

	html(b, "<nav class=\"tabs\" aria-label=\"");
	i18n_html(b, v->lang, "board.periods", NULL, 0);
	html(b, "\"><ul>");
	for (p = board_periods; *p; p++) {
		html(b, "<li><a href=\"");
		board_href(b, v, *p, 1);
		htmlf(b, "\"%s>", strcmp(*p, v->period) == 0 ? " aria-current=\"page\"" : "");
		i18n_html(b, v->lang, period_key(*p), NULL, 0);
		html(b, "</a></li>");
	}
	html(b, "</ul></nav>\n");
}

/* Seconds since the epoch of an ISO date-time from the board, or 0. */
static int64_t iso_s(const char *iso)
{
	int64_t ms;

	return iso && time_parse_rfc3339(iso, strlen(iso), &ms) == 0 ? ms / 1000 : 0;
}

/* The period's days and when it was ranked. */
static void write_range(struct buf *b, enum lang l, const struct board_head *h)
{
	struct buf d1 = BUF_INIT, d2 = BUF_INIT, when = BUF_INIT;
	char iso[TIME_ISO_LEN + 1];

	html(b, "<p class=\"period\"><span id=\"range\">");
	fmt_date(&d1, l, iso_s(h->start));
	if (h->end) {
		/* the end is exclusive: show the last day */
		fmt_date(&d2, l, iso_s(h->end) - 86400);
		{
			struct i18n_arg a[2] = { I18N_ARG_STR("start", buf_str(&d1)),
						 I18N_ARG_STR("end", buf_str(&d2)) };

			i18n_html(b, l, "board.range", a, 2);
		}
	} else {
		struct i18n_arg a = I18N_ARG_STR("end", NULL);

		fmt_date(&d2, l, h->computed_ms / 1000);
		a.str = buf_str(&d2);
		i18n_html(b, l, "board.range.all", &a, 1);
	}
	time_format_iso(h->computed_ms, iso);
	fmt_datetime(&when, l, h->computed_ms / 1000);
	htmlf(b, "</span> &middot; <span id=\"updated\"><time datetime=\"%s\">", iso);
	{
		struct i18n_arg a = I18N_ARG_STR("when", buf_str(&when));

		i18n_html(b, l, "board.updated", &a, 1);
	}
	html(b, "</time></span></p>\n");
	buf_release(&d1);
	buf_release(&d2);
	buf_release(&when);
}

/* The avatar cell: the picture when the CSP allows its host, else the initial. */
static void write_avatar(struct buf *b, const struct board_row *r)
{
	unsigned hash = 0;
	const char *s;

	if (r->hidden) {
		html(b, "<td><span class=\"avatar anon\" aria-hidden=\"true\">?</span></td>");
		return;
	}
	if (r->avatar && strncmp(r->avatar, GITHUB_AVATARS, strlen(GITHUB_AVATARS)) == 0) {
		html(b, "<td><span class=\"avatar\"><img src=\"");
		html_attr(b, r->avatar);
		html(b, "\" alt=\"\" width=\"32\" height=\"32\" loading=\"lazy\"></span></td>");
		return;
	}
	for (s = r->name; *s; s++)
		hash = hash * 31 + (unsigned char)*s;
	htmlf(b, "<td><span class=\"avatar av%u\" aria-hidden=\"true\">", hash % 8);
	if (isalnum((unsigned char)r->name[0]))
		htmlf(b, "%c", toupper((unsigned char)r->name[0]));
	html(b, "</span></td>");
}

static void num_cell(struct buf *b, const char *cls, const char *value)
{
	htmlf(b, "<td class=\"num %s\" data-value=\"", cls);
	html_attr(b, value);
	html(b, "\">");
}

static void write_row(struct buf *b, struct req *rq, const struct view *v,
		      const struct board_row *r)
{
	enum lang l = v->lang;
	char tier[16];
	size_t i;

	htmlf(b, "<tr data-rank=\"%lld\" data-private=\"%s\">", (long long)r->rank,
	      r->hidden ? "true" : "false");
	htmlf(b, "<td class=\"num rank\">%lld</td>", (long long)r->rank);
	write_avatar(b, r);
	html(b, "<th scope=\"row\" class=\"name\">");
	if (r->hidden) {
		html(b, "<span class=\"anon\">");
		html_txt(b, r->name);
		html(b, "</span>");
	} else {
		html(b, "<a href=\"");
		page_href(b, l, "/users/");
		html_url_path(b, r->name);
		html(b, "\">");
		html_txt(b, r->name);
		html(b, "</a>");
	}
	for (i = 0; r->tier[i] && i < sizeof(tier) - 1; i++)
		tier[i] = (char)tolower((unsigned char)r->tier[i]);
	tier[i] = '\0';
	htmlf(b, "</th><td><span class=\"tier tier-%s\" data-value=\"%s\">", tier, r->tier);
	i18n_html(b, l, arena_printf(rq->a, "tier.%s", tier), NULL, 0);
	html(b, "</span></td>");
	num_cell(b, "streak", arena_printf(rq->a, "%lld", (long long)r->streak));
	{
		struct i18n_arg a = I18N_ARG_NUM("n", r->streak);

		i18n_html(b, l, "board.streak", &a, 1);
	}
	html(b, "</td>");
	num_cell(b, "score", arena_printf(rq->a, "%.2f", r->score));
	fmt_fixed(b, l, r->score_cents, 2);
	html(b, "</td>");
	num_cell(b, "tokens", arena_printf(rq->a, "%lld", (long long)r->tokens));
	fmt_compact(b, l, r->tokens);
	html(b, "</td>");
	num_cell(b, "sessions", arena_printf(rq->a, "%lld", (long long)r->sessions));
	fmt_num(b, l, r->sessions);
	html(b, "</td>");
	num_cell(b, "efficiency", arena_printf(rq->a, "%.4f", r->efficiency));
	fmt_fixed(b, l, r->efficiency_e4, 2);
	html(b, "%</td></tr>\n");
}

static void write_head_row(struct buf *b, enum lang l)
{
	static const char *const cols[] = {
		"board.col.rank", "board.col.avatar", "board.col.name", "board.col.tier",
		"board.col.streak", "board.col.score", "board.col.tokens", "board.col.sessions",
		"board.col.efficiency", NULL
	};
	int i;

	html(b, "<thead><tr>");
	for (i = 0; cols[i]; i++) {
		htmlf(b, "<th scope=\"col\"%s>", i == 0 || i >= 4 ? " class=\"num\"" : "");
		if (i == 1)
			html(b, "<span class=\"sr-only\">");
		i18n_html(b, l, cols[i], NULL, 0);
		if (i == 1)
			html(b, "</span>");
		html(b, "</th>");
	}
	html(b, "</tr></thead>\n");
}

static void write_pager(struct buf *b, const struct view *v, int64_t pages)
{
	struct i18n_arg a[2] = { I18N_ARG_NUM("page", v->page), I18N_ARG_NUM("pages", pages) };

	if (pages <= 1)
		return;
	html(b, "<nav class=\"pager\" aria-label=\"");
	i18n_html(b, v->lang, "board.pages", NULL, 0);
	html(b, "\"><ul>");
	if (v->page > 1) {
		html(b, "<li><a rel=\"prev\" href=\"");
		board_href(b, v, v->period, v->page - 1);
		html(b, "\">");
		i18n_html(b, v->lang, "board.prev", NULL, 0);
		html(b, "</a></li>");
	}
	html(b, "<li><span aria-current=\"page\">");
	i18n_html(b, v->lang, "board.pageof", a, 2);
	html(b, "</span></li>");
	if (v->page < pages) {
		html(b, "<li><a rel=\"next\" href=\"");
		board_href(b, v, v->period, v->page + 1);
		html(b, "\">");
		i18n_html(b, v->lang, "board.next", NULL, 0);
		html(b, "</a></li>");
	}
	html(b, "</ul></nav>\n");
}

static void write_table(struct buf *b, struct req *rq, const struct view *v,
			const PGresult *res, const struct board_head *h, int64_t pages)
{
	struct board_row r;
	int i, n = PQntuples(res), shown = 0;
	struct i18n_arg a[4] = {
		I18N_ARG_STR("period", NULL), I18N_ARG_NUM("page", v->page),
		I18N_ARG_NUM("pages", pages), I18N_ARG_NUM("n", h->participants)
	};
	struct buf period = BUF_INIT;

	i18n_text(&period, v->lang, period_key(v->period), NULL, 0);
	a[0].str = buf_str(&period);
	html(b, "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"board-caption\" tabindex=\"0\">\n");
	html(b, "<table class=\"board\" id=\"board\">\n<caption id=\"board-caption\">");
	i18n_html(b, v->lang, "board.caption", a, 4);
	html(b, "</caption>\n");
	write_head_row(b, v->lang);
	html(b, "<tbody>\n");
	for (i = 0; i < n; i++) {
		if (board_row(rq->a, res, i, &r) != 0)
			continue;
		write_row(b, rq, v, &r);
		shown++;
	}
	html(b, "</tbody></table></div>\n");
	if (!shown) {
		html(b, "<p class=\"empty\">");
		i18n_html(b, v->lang, h->ranked ? "board.empty" : "board.notyet", NULL, 0);
		html(b, "</p>\n");
	}
	buf_release(&period);
}

/* The whole page, once the board and the figures are read. */
static void write_page(struct req *rq, const struct view *v, const PGresult *res,
		       const struct global_stats *s)
{
	struct buf title = BUF_INIT, desc = BUF_INIT, period = BUF_INIT;
	struct board_head h;
	int64_t pages;
	struct page p;

	board_head(res, &h);
	pages = h.participants ? (h.participants + ROWS - 1) / ROWS : 1;
	i18n_text(&period, v->lang, period_key(v->period), NULL, 0);
	{
		struct i18n_arg a[2] = { I18N_ARG_STR("period", buf_str(&period)),
					 I18N_ARG_NUM("users", s->users) };

		i18n_text(&title, v->lang, "board.title", a, 1);
		i18n_text(&desc, v->lang, "board.description", a, 2);
	}
	memset(&p, 0, sizeof(p));
	p.rq = rq;
	p.lang = v->lang;
	p.title = buf_str(&title);
	p.description = buf_str(&desc);
	p.path = "/";
	p.query = view_query(rq, v, v->page);
	page_begin(&p);
	html(&rq->out, "<h1>");
	i18n_html(&rq->out, v->lang, "board.heading", NULL, 0);
	html(&rq->out, "</h1>\n");
	write_figures(&rq->out, v->lang, s);
	write_tabs(&rq->out, v);
	if (h.ranked)
		write_range(&rq->out, v->lang, &h);
	write_table(&rq->out, rq, v, res, &h, pages);
	write_pager(&rq->out, v, pages);
	page_end(&p);
	buf_release(&title);
	buf_release(&desc);
	buf_release(&period);
}

/* The figures, from this worker's cache or the database; -1 when it failed. */
static int read_stats(struct req *rq, struct db *db, struct global_stats *s)
{
	const struct cached_page *pg;
	struct buf packed = BUF_INIT;

	if (caching(rq) && (pg = pagecache_get("stats:global")) && stats_unpack(pg->body.s, s) == 0)
		return 0;
	if (stats_read(db, s) != 0)
		return -1;
	if (caching(rq)) {
		stats_pack(&packed, s);
		/* not a response: no tag */
		pagecache_put("stats:global", packed.s, packed.len, "");
		buf_release(&packed);
	}
	return 0;
}

/*
 * Whether the database may be used: 1, or 0 with the answer set (503
 * when it cannot be reached, 429 when the address has used its quota).
 * Only a page that must be built counts against the quota.
 */
static int may_query(struct req *rq, struct db *db, int html_error, enum lang l)
{
	if (ratelimit_check(db, rq, RL_PUBLIC, rq->remote_addr))
		return 1;
	if (html_error)
		page_error(rq, l, rq->status == 429 ? 429 : 503,
			   rq->status == 429 ? "error.ratelimit" : "error.unavailable", NULL, 0);
	return 0;
}

static void unavailable_page(struct req *rq, enum lang l)
{
	page_error(rq, l, 503, "error.unavailable", NULL, 0);
}

static void cache_headers(struct req *rq)
{
	req_add_header(rq, "Cache-Control",
		       arena_printf(rq->a, "public, max-age=%lld",
				    (long long)arena_conf.leaderboard_max_age));
}

static void serve_board(struct req *rq, struct db *db, const struct view *v)
{
	const char *key = arena_printf(rq->a, "html:%s:%s:%lld:%s", lang_code(v->lang),
				       v->period, (long long)v->page, page_base_url(rq));
	char tag[PAGECACHE_ETAG_LEN + 1];
	const struct cached_page *pg;
	struct global_stats s;
	struct board_head h;
	PGresult *res;

	if (caching(rq)) {
		if (pagecache_sync(db) == 0) {
			if ((pg = pagecache_get(key))) {
				rq->status = 200;
				rq->content_type = "text/html; charset=utf-8";
				req_add_header(rq, "Content-Security-Policy", PAGE_CSP);
				req_add_header(rq, "Content-Language", lang_code(v->lang));
				buf_reset(&rq->out);
				buf_add(&rq->out, pg->body.s, pg->body.len);
				pagecache_finish(rq, pg->etag);
				return;
			}
		} else if (!db->conn) {
			unavailable_page(rq, v->lang);
			return;
		}
	}
	if (!may_query(rq, db, 1, v->lang))
		return;
	db = replica_db(db);
	if (read_stats(rq, db, &s) != 0 ||
	    !(res = board_query(db, v->period, ROWS, (v->page - 1) * ROWS))) {
		unavailable_page(rq, v->lang);
		return;
	}
	board_head(res, &h);
	if (v->page > 1 && (v->page - 1) * ROWS >= h.participants) {
		struct i18n_arg a = I18N_ARG_NUM("pages", h.participants ?
						 (h.participants + ROWS - 1) / ROWS : 1);

		PQclear(res);
		page_error(rq, v->lang, 404, "error.page.beyond", &a, 1);
		return;
	}
	write_page(rq, v, res, &s);
	PQclear(res);
	pagecache_etag(rq->out.s, rq->out.len, tag);
	if (caching(rq))
		pagecache_put(key, rq->out.s, rq->out.len, tag);
	pagecache_finish(rq, tag);
}

/* `/`: a language other than English is a redirect to its prefix. */
static void serve_root(struct req *rq, struct db *db, struct view *v)
{
	req_add_header(rq, "Vary", "Accept-Language, Cookie");
	v->lang = page_negotiate(rq);
	if (read_params(rq, v) != 0)
		return;
	if (v->lang == LANG_EN) {
		serve_board(rq, db, v);
		return;
	}
	cache_headers(rq);
	page_redirect(rq, 302, arena_printf(rq->a, "%s/", lang_prefix(v->lang)),
		      view_query(rq, v, v->page));
}

static void serve_stats(struct req *rq, struct db *db)
{
	static const char *const none[] = { NULL };
	struct global_stats s;
	const char *bad;

	if (req_query_only(rq, none, &bad)) {
		if (bad)
			req_error(rq, 400, "unknown_parameter",
				  arena_strndup(rq->a, bad, strnlen(bad, 64)),
				  "this endpoint takes no query parameters");
		else
			req_error(rq, 400, "invalid_query", NULL, "the query string is malformed");
		return;
	}
	if (caching(rq) && pagecache_sync(db) != 0 && !db->conn) {
		reply_unavailable(rq);
		return;
	}
	if (!(caching(rq) && pagecache_get("stats:global")) && !may_query(rq, db, 0, LANG_EN))
		return;
	if (read_stats(rq, replica_db(db), &s) != 0) {
		reply_unavailable(rq);
		return;
	}
	stats_json(req_json(rq, 200), &s);
	cache_headers(rq);
}

static void handle_board(struct req *rq, struct db *db)
{
	struct view v;
	const char *rest;

	i18n_init();
	memset(&v, 0, sizeof(v));
	if (strcmp(rq->path, "/api/stats/global") == 0) {
		serve_stats(rq, db);
		return;
	}
	if (strcmp(rq->path, "/lang") == 0) {
		page_lang_switch(rq);
		return;
	}
	if (strcmp(rq->path, "/") == 0) {
		v.root = 1;
		serve_root(rq, db, &v);
		return;
	}
	if (page_lang_from_path(rq->path, &v.lang, &rest) && strcmp(rest, "/") == 0) {
		if (rq->path[strlen(rq->path) - 1] != '/') {
			/* "/ko": the board is "/ko/" */
			if (read_params(rq, &v) != 0)
				return;
			page_redirect(rq, 301, arena_printf(rq->a, "%s/", rq->path),
				      view_query(rq, &v, v.page));
			return;
		}
		if (read_params(rq, &v) == 0)
			serve_board(rq, db, &v);
		return;
	}
	page_error(rq, v.lang, 404, "error.notfound", NULL, 0);
}

static const struct endpoint board_endpoint = {
	.name = "board",
	.allow = "GET, HEAD",
	.stmts = stmts,
	.handle = handle_board,
	.public_read = 1,
	.refused = page_refused,
};

SERVE_MAIN(board_endpoint)
