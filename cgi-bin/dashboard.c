/*
 * dashboard.c -- the signed-in user's pages, in four languages
 *
 *	GET  /dashboard              own statistics (privacy mode ignored),
 *	                             settings, keys, data, sign-out, deletion
 *	POST /dashboard/settings     privacy (checkbox "privacy"), time zone ("tz")
 *	POST /dashboard/keys         a new key, shown on the answer once
 *	POST /dashboard/revoke       revokes the key named by "prefix"
 *	POST /dashboard/delete       deletes the account when "confirm" is the username
 *	GET, POST /device            confirms a client's code ("user_code")
 * each also under /ko, /ja and /zh.  Every form carries the hidden field
 * csrf; sign-out forms post to /auth/logout.  A POST answers with the
 * page itself (never a redirect carrying data), private and uncached.
 */
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "conf.h"
#include "json.h"
#include "me.h"
#include "page.h"
#include "ratelimit.h"
#include "timeutil.h"

struct view {
	struct req *rq;
	struct db *db;
	struct websession *ws;
	enum lang lang;
	const char *notice;		/* message key, or NULL */
	struct i18n_arg notice_arg;	/* its {prefix} or {name}, when it has one */
	const struct apikey_new *new_key;
};

static void begin(struct view *v, int status, const char *title_key, const char *path)
{
	struct buf t = BUF_INIT, d = BUF_INIT;
	struct page p;

	i18n_text(&t, v->lang, title_key, NULL, 0);
	i18n_text(&d, v->lang, "dash.description", NULL, 0);
	memset(&p, 0, sizeof(p));
	p.rq = v->rq;
	p.lang = v->lang;
	p.title = arena_strdup(v->rq->a, buf_str(&t));
	p.description = arena_strdup(v->rq->a, buf_str(&d));
	p.path = path;
	p.query = "";
	p.private_cache = 1;
	p.noindex = 1;
	p.status = status;
	page_begin(&p);
	buf_release(&t);
	buf_release(&d);
}

static void end(struct view *v)
{
	struct page p = { .rq = v->rq, .lang = v->lang };

	page_end(&p);
}

static void msg(struct view *v, const char *key)
{
	i18n_html(&v->rq->out, v->lang, key, NULL, 0);
}

/* <form method="post" action="{lang}/path"> with the csrf field */
static void form_open(struct view *v, const char *path, const char *cls)
{
	struct buf *b = &v->rq->out;

	htmlf(b, "<form method=\"post\" class=\"%s\" action=\"", cls);
	if (strncmp(path, "/auth/", 6) == 0)
		html_attr(b, path);
	else
		page_href(b, v->lang, path);
	html(b, "\"><input type=\"hidden\" name=\"csrf\" value=\"");
	html_attr(b, v->ws->csrf);
	html(b, "\">");
}

static int64_t int_at(const struct json *o, const char *key)
{
	int64_t n = 0;
	const struct json *m = o ? json_get(o, key) : NULL;

	if (m)
		json_int(m, INT64_MIN, INT64_MAX, &n);
	return n;
}

static void date_of(struct view *v, const char *iso)
{
	int64_t ms;

	if (iso && time_parse_rfc3339(iso, strlen(iso), &ms) == 0)
		fmt_date(&v->rq->out, v->lang, ms / 1000);
	else
		msg(v, "dash.keys.never");
}

static void stat_item(struct view *v, const char *key, int64_t n)
{
	html(&v->rq->out, "<div><dt>");
	msg(v, key);
	html(&v->rq->out, "</dt><dd>");
	fmt_num(&v->rq->out, v->lang, n);
	html(&v->rq->out, "</dd></div>");
}

static void ranks(struct view *v, const struct json *r)
{
	static const char *const periods[] = { "daily", "weekly", "monthly", "all_time" };
	struct buf *b = &v->rq->out;
	size_t i;

	html(b, "<table class=\"ranks\"><caption>");
	msg(v, "dash.ranks");
	html(b, "</caption><thead><tr><th scope=\"col\">");
	msg(v, "dash.rank.period");
	html(b, "</th><th scope=\"col\">");
	msg(v, "dash.rank.place");
	html(b, "</th><th scope=\"col\">");
	msg(v, "dash.rank.score");
	html(b, "</th></tr></thead><tbody>");
	for (i = 0; i < 4; i++) {
		const struct json *e = r ? json_get(r, periods[i]) : NULL;
		const struct json *s = e ? json_get(e, "compositeScore") : NULL;

		html(b, "<tr><th scope=\"row\">");
		msg(v, arena_printf(v->rq->a, "period.%s", periods[i]));
		html(b, "</th><td class=\"num\">");
		if (e) {
			fmt_num(b, v->lang, int_at(e, "position"));
			html(b, "</td><td class=\"num\">");
			html_txt(b, s && s->type == JSON_NUMBER ? s->str : "");
		} else {
			msg(v, "dash.rank.none");
			html(b, "</td><td>");
		}
		html(b, "</td></tr>");
	}
	html(b, "</tbody></table>\n");
}

static void days(struct view *v, const struct json *d)
{
	struct buf *b = &v->rq->out;
	const struct json *e;

	if (!d || d->count == 0)
		return;
	html(b, "<table class=\"days\"><caption>");
	msg(v, "dash.days");
	html(b, "</caption><thead><tr><th scope=\"col\">");
	msg(v, "dash.days.date");
	html(b, "</th><th scope=\"col\">");
	msg(v, "dash.days.input");
	html(b, "</th><th scope=\"col\">");
	msg(v, "dash.days.output");
	html(b, "</th><th scope=\"col\">");
	msg(v, "dash.stats.sessions");
	html(b, "</th></tr></thead><tbody>");
	for (e = d->child; e; e = e->next) {
		const struct json *day = json_get(e, "date");
		int64_t ms;

		html(b, "<tr><th scope=\"row\">");
		if (day && day->type == JSON_STRING &&
		    time_parse_rfc3339(arena_printf(v->rq->a, "%sT00:00:00Z", day->str),
				       day->len + 10, &ms) == 0)
			fmt_date(b, v->lang, ms / 1000);
		html(b, "</th><td class=\"num\">");
		fmt_num(b, v->lang, int_at(e, "inputTokens"));
		html(b, "</td><td class=\"num\">");
		fmt_num(b, v->lang, int_at(e, "outputTokens"));
		html(b, "</td><td class=\"num\">");
		fmt_num(b, v->lang, int_at(e, "sessions"));
		html(b, "</td></tr>");
	}
	html(b, "</tbody></table>\n");
}

/* The user's own statistics, from the same query as GET /api/me/stats. */
static int stats_section(struct view *v)
{
	const char *vals[1] = { v->ws->user_id };
	PGresult *res = db_run(v->db, "me_stats", 1, vals);
	struct buf *b = &v->rq->out;
	struct json_status st;
	struct json *root, *t;

	if (!res)
		return -1;
	root = PQntuples(res) == 1 ? json_parse(v->rq->a, PQgetvalue(res, 0, 0),
					       strlen(PQgetvalue(res, 0, 0)), &st) : NULL;
	PQclear(res);
	t = root ? json_get(root, "totals") : NULL;
	html(b, "<section class=\"stats\" aria-labelledby=\"h-stats\"><h2 id=\"h-stats\">");
	msg(v, "dash.stats");
	html(b, "</h2>\n");
	if (int_at(t, "sessions") == 0) {
		html(b, "<p>");
		msg(v, "dash.stats.none");
		html(b, "</p>");
	} else {
		html(b, "<dl class=\"totals\">");
		stat_item(v, "dash.stats.tokens", int_at(t, "totalTokens"));
		stat_item(v, "dash.stats.cache", int_at(t, "cacheTokens"));
		stat_item(v, "dash.stats.sessions", int_at(t, "sessions"));
		html(b, "</dl>\n");
		ranks(v, root ? json_get(root, "rankings") : NULL);
		days(v, root ? json_get(root, "last30Days") : NULL);
	}
	html(b, "</section>\n");
	return 0;
}

static void settings_section(struct view *v, int privacy, const char *tz)
{
	struct buf *b = &v->rq->out;

	html(b, "<section aria-labelledby=\"h-settings\"><h2 id=\"h-settings\">");
	msg(v, "dash.settings");
	html(b, "</h2>\n");
	form_open(v, "/dashboard/settings", "settings");
	htmlf(b, "<p><input type=\"checkbox\" id=\"privacy\" name=\"privacy\" value=\"1\"%s> "
	      "<label for=\"privacy\">", privacy ? " checked" : "");
	msg(v, "dash.privacy");
	html(b, "</label></p>\n<p><label for=\"tz\">");
	msg(v, "dash.timezone");
	html(b, "</label> <input id=\"tz\" name=\"tz\" maxlength=\"64\" value=\"");
	html_attr(b, tz);
	html(b, "\" aria-describedby=\"tz-hint\"> <span id=\"tz-hint\" class=\"hint\">");
	msg(v, "dash.timezone.hint");
	html(b, "</span></p>\n<p><button>");
	msg(v, "dash.save");
	html(b, "</button></p></form>\n</section>\n");
}

static void new_key(struct view *v)
{
	struct buf *b = &v->rq->out;

	html(b, "<div class=\"newkey\" role=\"status\"><p>");
	msg(v, "dash.keys.new");
	html(b, "</p><p><code>");
	html_txt(b, v->new_key->key);
	html(b, "</code></p><p>");
	msg(v, "dash.keys.install");
	html(b, "</p><pre><code>modu-arena install --api-key ");
	html_txt(b, v->new_key->key);
	html(b, "</code></pre></div>\n");
}

static void key_row(struct view *v, const struct json *k)
{
	struct buf *b = &v->rq->out;
	const struct json *p = json_get(k, "prefix"), *c = json_get(k, "createdAt");
	const struct json *u = json_get(k, "lastUsedAt");
	const char *prefix = p && p->type == JSON_STRING ? p->str : "";

	html(b, "<tr><th scope=\"row\"><code>");
	html_txt(b, prefix);
	html(b, "</code></th><td>");
	date_of(v, c && c->type == JSON_STRING ? c->str : NULL);
	html(b, "</td><td>");
	date_of(v, u && u->type == JSON_STRING ? u->str : NULL);
	html(b, "</td><td>");
	form_open(v, "/dashboard/revoke", "inline");
	html(b, "<input type=\"hidden\" name=\"prefix\" value=\"");
	html_attr(b, prefix);
	html(b, "\"><button>");
	msg(v, "dash.keys.revoke");
	html(b, "</button></form></td></tr>");
}

static void keys_section(struct view *v, const char *keys_json)
{
	struct buf *b = &v->rq->out;
	struct json_status st;
	struct json *keys = json_parse(v->rq->a, keys_json, strlen(keys_json), &st), *k;
	struct i18n_arg n = I18N_ARG_NUM("n", 10);

	html(b, "<section aria-labelledby=\"h-keys\"><h2 id=\"h-keys\">");
	msg(v, "dash.keys");
	html(b, "</h2>\n<p>");
	i18n_html(b, v->lang, "dash.keys.text", &n, 1);
	html(b, "</p>\n");
	if (v->new_key)
		new_key(v);
	if (!keys || keys->count == 0) {
		html(b, "<p>");
		msg(v, "dash.keys.none");
		html(b, "</p>\n");
	} else {
		html(b, "<table class=\"keys\"><thead><tr><th scope=\"col\">");
		msg(v, "dash.keys.prefix");
		html(b, "</th><th scope=\"col\">");
		msg(v, "dash.keys.created");
		html(b, "</th><th scope=\"col\">");
		msg(v, "dash.keys.used");
		html(b, "</th><td></td></tr></thead><tbody>");
		for (k = keys->child; k; k = k->next)
			key_row(v, k);
		html(b, "</tbody></table>\n");
	}
	form_open(v, "/dashboard/keys", "create");
	html(b, "<button>");
	msg(v, "dash.keys.create");
	html(b, "</button></form>\n</section>\n");
}

static void account_section(struct view *v, const char *username)
{
	struct buf *b = &v->rq->out;
	struct i18n_arg name = I18N_ARG_STR("name", username);

	html(b, "<section aria-labelledby=\"h-data\"><h2 id=\"h-data\">");
	msg(v, "dash.data");
	html(b, "</h2>\n<p><a href=\"/api/me/export\" download>");
	msg(v, "dash.export");
	html(b, "</a></p>\n");
	form_open(v, "/auth/logout", "inline");
	html(b, "<button>");
	msg(v, "dash.signout");
	html(b, "</button></form>\n");
	form_open(v, "/auth/logout", "inline");
	html(b, "<input type=\"hidden\" name=\"everywhere\" value=\"1\"><button>");
	msg(v, "dash.signout.all");
	html(b, "</button></form>\n</section>\n");
	html(b, "<section class=\"danger\" aria-labelledby=\"h-delete\"><h2 id=\"h-delete\">");
	msg(v, "dash.delete");
	html(b, "</h2>\n<p>");
	i18n_html(b, v->lang, "dash.delete.text", &name, 1);
	html(b, "</p>\n");
	form_open(v, "/dashboard/delete", "delete");
	html(b, "<p><label for=\"confirm\">");
	msg(v, "dash.delete.label");
	html(b, "</label> <input id=\"confirm\" name=\"confirm\" autocomplete=\"off\" required>"
	     " <button>");
	msg(v, "dash.delete.button");
	html(b, "</button></p></form>\n</section>\n");
}

/* The whole dashboard with status and the notice of v. */
static void dashboard(struct view *v, int status)
{
	const char *vals[1] = { v->ws->user_id };
	PGresult *res = db_run(v->db, "me_user", 1, vals);
	struct buf *b = &v->rq->out;
	struct i18n_arg name;

	if (!res || PQntuples(res) != 1) {
		if (res)
			PQclear(res);
		return account_error(v->rq, 503, "error.unavailable");
	}
	begin(v, status, "dash.title", "/dashboard");
	html(b, "<h1>");
	msg(v, "dash.heading");
	html(b, "</h1>\n<p class=\"who\">");
	if (!PQgetisnull(res, 0, 4)) {
		html(b, "<img class=\"avatar\" width=\"40\" height=\"40\" alt=\"\" src=\"");
		html_attr(b, PQgetvalue(res, 0, 4));
		html(b, "\"> ");
	}
	name = (struct i18n_arg)I18N_ARG_STR("name", PQgetvalue(res, 0, 1));
	i18n_html(b, v->lang, "dash.signedin", &name, 1);
	html(b, "</p>\n");
	if (v->notice) {
		html(b, "<p class=\"notice\" role=\"status\">");
		i18n_html(b, v->lang, v->notice, &v->notice_arg, v->notice_arg.name ? 1 : 0);
		html(b, "</p>\n");
	}
	if (PQgetvalue(res, 0, 5)[0] == 't') {
		html(b, "<p class=\"private\">");
		msg(v, "dash.private");
		html(b, "</p>\n");
	}
	if (stats_section(v)) {
		PQclear(res);
		return account_error(v->rq, 503, "error.unavailable");
	}
	settings_section(v, PQgetvalue(res, 0, 5)[0] == 't', PQgetvalue(res, 0, 6));
	keys_section(v, PQgetvalue(res, 0, 8));
	account_section(v, PQgetvalue(res, 0, 1));
	end(v);
	PQclear(res);
}

static int form_value(struct req *rq, const char *name, const char **out)
{
	return req_form(rq, name, out) == 0 ? 0 : (*out = NULL, -1);
}

static void post_settings(struct view *v)
{
	const char *privacy = NULL, *tz = NULL;
	PGresult *res;

	form_value(v->rq, "privacy", &privacy);
	form_value(v->rq, "tz", &tz);
	if (tz && !*tz)
		tz = NULL;
	if (tz && !me_tz_ok(tz)) {
		v->notice = "dash.tz.invalid";
		return dashboard(v, 422);
	}
	switch (me_settings_apply(v->rq, v->db, v->ws, privacy && strcmp(privacy, "1") == 0 ? "t" : "f",
				  tz, &res)) {
	case 0:
		PQclear(res);
		v->notice = "dash.saved";
		return dashboard(v, 200);
	case 1:
		v->notice = "dash.tz.invalid";
		return dashboard(v, 422);
	default:
		return account_error(v->rq, 503, "error.unavailable");
	}
}

static void post_key(struct view *v)
{
	struct apikey_new k;

	if (!ratelimit_check(v->db, v->rq, RL_SENSITIVE, v->ws->user_id))
		return account_error(v->rq, 429, "error.ratelimit");
	switch (me_key_create(v->rq, v->db, v->ws, &k)) {
	case ACCOUNT_KEY_OK:
		v->new_key = &k;
		dashboard(v, 201);
		apikey_mint_wipe(&k);
		return;
	case ACCOUNT_KEY_FULL:
		v->notice = "dash.keys.full";
		return dashboard(v, 409);
	default:
		return account_error(v->rq, 503, "error.unavailable");
	}
}

static void post_revoke(struct view *v)
{
	const char *prefix = NULL;
	int r;

	form_value(v->rq, "prefix", &prefix);
	r = prefix ? me_key_revoke(v->rq, v->db, v->ws, prefix) : 1;
	if (r < 0)
		return account_error(v->rq, 503, "error.unavailable");
	if (r) {
		v->notice = "dash.keys.notfound";
		return dashboard(v, 404);
	}
	v->notice = "dash.keys.revoked";
	v->notice_arg = (struct i18n_arg)I18N_ARG_STR("prefix", prefix);
	dashboard(v, 200);
}

static void post_delete(struct view *v)
{
	const char *confirm = NULL;
	struct buf *b = &v->rq->out;

	if (!ratelimit_check(v->db, v->rq, RL_SENSITIVE, v->ws->user_id))
		return account_error(v->rq, 429, "error.ratelimit");
	form_value(v->rq, "confirm", &confirm);
	if (!confirm || strcmp(confirm, v->ws->username) != 0) {
		v->notice = "dash.delete.mismatch";
		return dashboard(v, 422);
	}
	if (me_delete(v->rq, v->db, v->ws))
		return account_error(v->rq, 503, "error.unavailable");
	begin(v, 200, "dash.delete", "/");
	html(b, "<h1>");
	msg(v, "dash.delete");
	html(b, "</h1>\n<p role=\"status\">");
	msg(v, "dash.deleted");
	html(b, "</p>\n");
	end(v);
	/* page_begin() kept the headers: the cookie is cleared */
}

/* --- /device: confirming a client's code (RFC 8628 3.3) --- */

/* "wdjb-mjht" -> "WDJBMJHT"; NULL unless 8 letters of the code alphabet. */
static const char *normalize_user_code(struct req *rq, const char *in)
{
	char *out = arena_alloc(rq->a, 9);
	size_t n = 0;

	for (; *in; in++) {
		char c = *in >= 'a' && *in <= 'z' ? (char)(*in - 32) : *in;

		if (c == '-' || c == ' ')
			continue;
		if (n == 8 || !strchr("BCDFGHJKLMNPQRSTVWXZ", c))
			return NULL;
		out[n++] = c;
	}
	out[n] = '\0';
	return n == 8 ? out : NULL;
}

static void device_form(struct view *v, int status, const char *notice, const char *code)
{
	struct buf *b = &v->rq->out;

	begin(v, status, "device.title", "/device");
	html(b, "<h1>");
	msg(v, "device.heading");
	html(b, "</h1>\n");
	if (notice) {
		html(b, "<p class=\"notice\" role=\"alert\">");
		msg(v, notice);
		html(b, "</p>\n");
	}
	html(b, "<p>");
	msg(v, "device.text");
	html(b, "</p>\n");
	form_open(v, "/device", "device");
	html(b, "<p><label for=\"user_code\">");
	msg(v, "device.code");
	html(b, "</label> <input id=\"user_code\" name=\"user_code\" autocomplete=\"off\""
	     " autocapitalize=\"characters\" maxlength=\"9\" required value=\"");
	html_attr(b, code ? code : "");
	html(b, "\"></p>\n<p><button name=\"action\" value=\"approve\">");
	msg(v, "device.approve");
	html(b, "</button> <button name=\"action\" value=\"deny\">");
	msg(v, "device.deny");
	html(b, "</button></p></form>\n");
	end(v);
}

static void device_done(struct view *v, int status, const char *key)
{
	begin(v, status, "device.title", "/device");
	html(&v->rq->out, "<h1>");
	msg(v, "device.heading");
	html(&v->rq->out, "</h1>\n<p role=\"status\">");
	msg(v, key);
	html(&v->rq->out, "</p>\n");
	end(v);
}

static void post_device(struct view *v)
{
	const char *code = NULL, *action = NULL, *r;
	const char *vals[4] = { v->ws->user_id, NULL, "t", NULL };
	PGresult *res;

	form_value(v->rq, "user_code", &code);
	if (!code || !(vals[1] = normalize_user_code(v->rq, code)))
		vals[1] = "--------";	/* names no code: counts as a wrong one */
	if (form_value(v->rq, "action", &action) == 0 && strcmp(action, "deny") == 0)
		vals[2] = "f";
	vals[3] = arena_printf(v->rq->a, "%lld",
			       (long long)conf_int("ARENA_DEVICE_LOCK_SECONDS", 900, 1, 86400));
	if (!(res = db_run(v->db, "device_decide", 4, vals)))
		return account_error(v->rq, 503, "error.unavailable");
	r = arena_strdup(v->rq->a, PQgetvalue(res, 0, 0));
	PQclear(res);
	if (strcmp(r, "approved") == 0) {
		audit(v->db, v->rq, v->ws->user_id, "device_code_approved", NULL);
		return device_done(v, 200, "device.approved");
	}
	if (strcmp(r, "denied") == 0) {
		audit(v->db, v->rq, v->ws->user_id, "device_code_denied", NULL);
		return device_done(v, 200, "device.denied");
	}
	if (strcmp(r, "locked") == 0) {
		audit(v->db, v->rq, v->ws->user_id, "device_code_locked", NULL);
		return device_done(v, 429, "device.locked");
	}
	device_form(v, 400, "device.wrong", NULL);
}

/* Not signed in: to GitHub and back, or say sign-in is not configured. */
static void sign_in_first(struct req *rq, enum lang l, const char *rest)
{
	if (!conf_str("ARENA_GITHUB_CLIENT_ID", NULL))
		return account_error(rq, 404, "auth.notconfigured");
	account_redirect(rq, arena_printf(rq->a, "/auth/github?next=%s%s", lang_prefix(l), rest));
}

static const struct {
	const char *rest, *method;
	void (*post)(struct view *);
} routes[] = {
	{ "/dashboard", "GET", NULL },
	{ "/dashboard/settings", "POST", post_settings },
	{ "/dashboard/keys", "POST", post_key },
	{ "/dashboard/revoke", "POST", post_revoke },
	{ "/dashboard/delete", "POST", post_delete },
	{ "/device", "GET", NULL },
	{ "/device", "POST", post_device },
};

/* Runs route i for a signed-in user. */
static void run(struct view *v, size_t i)
{
	const char *why, *token = NULL, *code = NULL;

	if (routes[i].post) {
		form_value(v->rq, "csrf", &token);
		if (websession_check_write(v->rq, v->ws, token, &why)) {
			audit(v->db, v->rq, v->ws->user_id, "csrf_rejected",
			      arena_printf(v->rq->a, "{\"reason\":\"%s\",\"path\":\"%s\"}", why,
					   routes[i].rest));
			return account_error(v->rq, 403, "auth.csrf");
		}
		return routes[i].post(v);
	}
	if (strcmp(routes[i].rest, "/device") == 0) {
		if (req_query(v->rq, "user_code", &code) != 0 ||
		    !(code = normalize_user_code(v->rq, code)))
			code = NULL;
		return device_form(v, 200, NULL, code);
	}
	dashboard(v, 200);
}

void me_pages(struct req *rq, struct db *db)
{
	struct websession ws;
	struct view v;
	const char *rest;
	size_t i, found = 0;

	memset(&v, 0, sizeof(v));
	page_lang_from_path(rq->path, &v.lang, &rest);
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (strcmp(routes[i].rest, rest) != 0)
			continue;
		found = 1;
		if (strcmp(routes[i].method, rq->method) == 0)
			break;
	}
	if (i == sizeof(routes) / sizeof(routes[0]))
		return account_error(rq, found ? 405 : 404, found ? "error.405" : "error.notfound");
	if (routes[i].post && req_read_body(rq, ME_BODY_MAX))
		return;
	switch (websession_get(rq, db, &ws)) {
	case WS_OK:
		break;
	case WS_UNAVAILABLE:
		return account_error(rq, 503, "error.unavailable");
	default:
		return sign_in_first(rq, v.lang, strcmp(routes[i].rest, "/device") == 0 ? "/device" :
				     "/dashboard");
	}
	v.rq = rq;
	v.db = db;
	v.ws = &ws;
	run(&v, i);
}
