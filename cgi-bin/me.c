/*
 * me.c -- the signed-in user's own account, as JSON and pages
 *
 *	GET    /api/me                 who you are, your keys, your csrfToken
 *	GET    /api/me/stats           your profile JSON (as /api/users/{name}),
 *	                               privacy mode ignored, in your time zone
 *	PATCH  /api/me/settings        {"privacyMode": bool, "timeZone": "Area/City"}
 *	POST   /api/me/keys            a new API key, shown once
 *	DELETE /api/me/keys/{prefix}   revokes one of your keys
 *	GET    /api/me/export          everything stored about you, as JSON
 *	DELETE /api/me                 {"confirm": "<username>"}: deletes the account
 *	/dashboard, /device            the same as pages (dashboard.c)
 *
 * Everything needs the browser session (lib/websession.h); every write
 * also its CSRF token (X-CSRF-Token, or the form field csrf) and our own
 * Origin.  Answers are private and never stored by any cache.
 */
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "auth.h"
#include "audit.h"
#include "conf.h"
#include "json.h"
#include "profile.h"
#include "ratelimit.h"
#include "serve.h"
#include "websession.h"
#include "me.h"

const struct db_stmt me_stmts[] = {
	RATELIMIT_STMT,
	AUDIT_STMT,
	WEBSESSION_STMTS,
	ACCOUNT_KEY_STMT,
	PROFILE_STMTS,
	{ "me_user",
	  "SELECT u.id, u.username, u.display_name, u.github_username, u.avatar_url, u.privacy_mode,"
	  " u.time_zone, to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
	  " (SELECT coalesce(json_agg(json_build_object('prefix', k.key_prefix,"
	  "   'createdAt', to_char(k.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
	  "   'lastUsedAt', to_char(k.last_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))"
	  "   ORDER BY k.created_at), '[]') FROM api_keys k"
	  "   WHERE k.user_id = u.id AND k.revoked_at IS NULL)"
	  " FROM users u WHERE u.id = $1", 1 },
	{ "me_stats",
	  "SELECT json_build_object('username', u.username, 'privacyMode', u.privacy_mode,"
	  " 'totals', (SELECT json_build_object('inputTokens', coalesce(sum(t.input_tokens), 0),"
	  "   'outputTokens', coalesce(sum(t.output_tokens), 0),"
	  "   'cacheTokens', coalesce(sum(t.cache_creation_tokens + t.cache_read_tokens), 0),"
	  "   'totalTokens', coalesce(sum(t.input_tokens + t.output_tokens), 0),"
	  "   'sessions', coalesce(sum(t.session_count), 0))"
	  "   FROM user_totals t WHERE t.user_id = u.id AND NOT t.flagged),"
	  " 'rankings', (SELECT coalesce(json_object_agg(r.period_type, json_build_object("
	  "   'position', r.rank_position, 'compositeScore', r.composite_score,"
	  "   'periodStart', r.period_start)), '{}') FROM (SELECT DISTINCT ON (period_type) *"
	  "   FROM rankings WHERE user_id = u.id ORDER BY period_type, period_start DESC) r),"
	  " 'last30Days', (SELECT coalesce(json_agg(json_build_object('date', d.day,"
	  "   'inputTokens', d.i, 'outputTokens', d.o, 'sessions', d.s) ORDER BY d.day), '[]')"
	  "   FROM (SELECT day, sum(input_tokens) i, sum(output_tokens) o, sum(session_count) s"
	  "   FROM daily_aggregates WHERE user_id = u.id AND NOT flagged"
	  "   AND day > (now() AT TIME ZONE 'UTC')::date - 30 GROUP BY day) d))"
	  " FROM users u WHERE u.id = $1", 1 },
	{ "me_settings",
	  "UPDATE users SET privacy_mode = coalesce($2::boolean, privacy_mode),"
	  " time_zone = coalesce($3::text, time_zone), updated_at = now()"
	  " WHERE id = $1 AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $3::text))"
	  " RETURNING privacy_mode, time_zone,"
	  " to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')", 3 },
	{ "me_key_revoke",
	  "UPDATE api_keys SET revoked_at = now()"
	  " WHERE user_id = $1 AND key_prefix = $2 AND revoked_at IS NULL RETURNING 1", 2 },
	{ "me_export", "SELECT arena_export_user($1)", 1 },
	{ "me_delete", "SELECT arena_delete_user($1, $2, $3, 'self')", 3 },
	{ "device_decide", "SELECT arena_device_decide($1, $2, $3::boolean, $4::int)", 4 },
	DB_STMT_END
};

/* The session, or NULL with 401/503 set. */
static struct websession *signed_in(struct req *rq, struct db *db, struct websession *ws)
{
	switch (websession_get(rq, db, ws)) {
	case WS_OK:
		return ws;
	case WS_UNAVAILABLE:
		reply_unavailable(rq);
		return NULL;
	default:
		req_error(rq, 401, "not_signed_in", NULL, "sign in first");
		return NULL;
	}
}

/* A cookie-authenticated write: Origin and CSRF token; 0, or -1 with 403 set. */
static int may_write(struct req *rq, struct db *db, const struct websession *ws)
{
	const char *why, *token = req_header(rq, "X-CSRF-Token", NULL);

	if (websession_check_write(rq, ws, token, &why) == 0)
		return 0;
	audit(db, rq, ws->user_id, "csrf_rejected",
	      arena_printf(rq->a, "{\"reason\":\"%s\"}", why));
	if (strcmp(why, "origin") == 0)
		req_error(rq, 403, "origin_rejected", "Origin",
			  "the request did not come from this site");
	else
		req_error(rq, 403, "csrf_invalid", "X-CSRF-Token",
			  "the CSRF token is missing or wrong; GET /api/me gives it");
	return -1;
}

static void string_or_null(struct jsonw *w, const char *key, const PGresult *res, int col)
{
	jsonw_key(w, key);
	jsonw_string(w, PQgetisnull(res, 0, col) ? NULL : PQgetvalue(res, 0, col));
}

static void handle_me(struct req *rq, struct db *db, struct websession *ws)
{
	const char *vals[1] = { ws->user_id };
	PGresult *res = db_run(db, "me_user", 1, vals);
	struct jsonw *w;

	if (!res)
		return reply_unavailable(rq);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return (void)req_error(rq, 401, "not_signed_in", NULL, "sign in first");
	}
	w = req_json(rq, 200);
	jsonw_object(w);
	string_or_null(w, "id", res, 0);
	string_or_null(w, "username", res, 1);
	string_or_null(w, "displayName", res, 2);
	string_or_null(w, "githubUsername", res, 3);
	string_or_null(w, "avatarUrl", res, 4);
	jsonw_key(w, "privacyMode");
	jsonw_bool(w, PQgetvalue(res, 0, 5)[0] == 't');
	string_or_null(w, "timeZone", res, 6);
	string_or_null(w, "createdAt", res, 7);
	jsonw_key(w, "apiKeys");
	jsonw_raw(w, PQgetvalue(res, 0, 8));
	jsonw_key(w, "csrfToken");
	jsonw_string(w, ws->csrf);
	jsonw_end(w);
	PQclear(res);
}

/* The profile JSON of GET /api/users/{name}, shown to its owner even in
 * privacy mode, with hours in the owner's time zone. */
static void handle_stats(struct req *rq, struct db *db, struct websession *ws)
{
	const char *vals[1] = { ws->user_id };
	PGresult *res = db_run(db, "me_user", 1, vals);
	struct profile p;
	const char *tz;

	if (!res)
		return reply_unavailable(rq);
	tz = PQntuples(res) == 1 ? arena_strdup(rq->a, PQgetvalue(res, 0, 6)) : "UTC";
	PQclear(res);
	switch (profile_load_own(db, rq->a, ws->username, tz, &p)) {
	case PROFILE_OK:
		profile_json(req_json(rq, 200), &p);
		break;
	case PROFILE_NOT_FOUND:
		req_error(rq, 401, "not_signed_in", NULL, "sign in first");
		break;
	default:
		reply_unavailable(rq);
	}
}

/* A JSON object body with only the members in known; NULL with an error set. */
static struct json *object_body(struct req *rq, const char *const *known)
{
	const char *ct = req_param(rq, "CONTENT_TYPE");
	struct json_status st;
	struct json *root, *m;
	const char *const *k;

	if (req_read_body(rq, ME_BODY_MAX))
		return NULL;
	if (!ct || strncmp(ct, "application/json", 16) != 0) {
		req_error(rq, 415, "unsupported_media_type", NULL, "send application/json");
		return NULL;
	}
	if (!(root = json_parse(rq->a, rq->body, rq->body_len, &st))) {
		req_error(rq, 400, json_error_code(st.error), NULL, "the body is not valid JSON");
		return NULL;
	}
	if (root->type != JSON_OBJECT) {
		req_error(rq, 422, "not_an_object", NULL, "the body must be a JSON object");
		return NULL;
	}
	for (m = root->child; m; m = m->next) {
		for (k = known; *k && strcmp(*k, m->key) != 0; k++)
			;
		if (!*k) {
			req_error(rq, 422, "unknown_field", m->key, "this field is not accepted here");
			return NULL;
		}
	}
	return root;
}

int me_tz_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 64 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					 "0123456789/_+-") == n;
}

/* Reads the settings body into *privacy ("t", "f" or NULL) and *tz. */
static int read_settings(struct req *rq, const char **privacy, const char **tz)
{
	static const char *const known[] = { "privacyMode", "timeZone", NULL };
	struct json *root = object_body(rq, known), *p, *t;

	if (!root)
		return -1;
	p = json_get(root, "privacyMode");
	t = json_get(root, "timeZone");
	*privacy = *tz = NULL;
	if (p && p->type != JSON_TRUE && p->type != JSON_FALSE) {
		req_error(rq, 422, "wrong_type", "privacyMode", "privacyMode must be true or false");
		return -1;
	}
	if (p)
		*privacy = p->type == JSON_TRUE ? "t" : "f";
	if (t && (t->type != JSON_STRING || !me_tz_ok(t->str))) {
		req_error(rq, 422, "invalid_value", "timeZone",
			  "timeZone must be an IANA zone name such as Asia/Seoul");
		return -1;
	}
	if (t)
		*tz = t->str;
	return 0;
}

int me_settings_apply(struct req *rq, struct db *db, const struct websession *ws,
		      const char *privacy, const char *tz, PGresult **out)
{
	const char *vals[3] = { ws->user_id, privacy, tz };
	PGresult *res;

	*out = NULL;
	if (!(res = db_run(db, "me_settings", 3, vals)))
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 1;
	}
	if (privacy && (privacy[0] == 't') != ws->privacy_mode)
		audit(db, rq, ws->user_id, "privacy_mode_changed",
		      privacy[0] == 't' ? "{\"privacyMode\":true}" : "{\"privacyMode\":false}");
	if (tz)
		audit(db, rq, ws->user_id, "settings_changed",
		      arena_printf(rq->a, "{\"timeZone\":\"%s\"}", tz));
	*out = res;
	return 0;
}

static void handle_settings(struct req *rq, struct db *db, struct websession *ws)
{
	const char *privacy, *tz;
	PGresult *res;
	struct jsonw *w;

	if (may_write(rq, db, ws) || read_settings(rq, &privacy, &tz))
		return;
	switch (me_settings_apply(rq, db, ws, privacy, tz, &res)) {
	case 0:
		break;
	case 1:
		return (void)req_error(rq, 422, "invalid_value", "timeZone",
				       "timeZone is not a time zone this server knows");
	default:
		return reply_unavailable(rq);
	}
	w = req_json(rq, 200);
	jsonw_object(w);
	jsonw_key(w, "privacyMode");
	jsonw_bool(w, PQgetvalue(res, 0, 0)[0] == 't');
	string_or_null(w, "timeZone", res, 1);
	string_or_null(w, "updatedAt", res, 2);
	jsonw_end(w);
	PQclear(res);
}

enum account_key_result me_key_create(struct req *rq, struct db *db,
				      const struct websession *ws, struct apikey_new *k)
{
	enum account_key_result r = account_key_create(db, ws->user_id, k);

	if (r == ACCOUNT_KEY_OK)
		audit(db, rq, ws->user_id, "api_key_created",
		      arena_printf(rq->a, "{\"keyPrefix\":\"%s\",\"via\":\"dashboard\"}", k->prefix));
	return r;
}

static void handle_key_create(struct req *rq, struct db *db, struct websession *ws)
{
	struct apikey_new k;
	struct jsonw *w;

	if (may_write(rq, db, ws) || !ratelimit_check(db, rq, RL_SENSITIVE, ws->user_id))
		return;
	switch (me_key_create(rq, db, ws, &k)) {
	case ACCOUNT_KEY_OK:
		break;
	case ACCOUNT_KEY_FULL:
		return (void)req_error(rq, 409, "key_limit_reached", NULL,
				       "you have the most live keys you may have; revoke one first");
	default:
		return reply_unavailable(rq);
	}
	w = req_json(rq, 201);
	jsonw_object(w);
	jsonw_key(w, "apiKey");
	jsonw_string(w, k.key);
	jsonw_key(w, "keyPrefix");
	jsonw_string(w, k.prefix);
	jsonw_key(w, "installCommand");
	jsonw_string(w, arena_printf(rq->a, "modu-arena install --api-key %s", k.key));
	jsonw_end(w);
	apikey_mint_wipe(&k);
}

static int prefix_ok(const char *p)
{
	return strlen(p) == APIKEY_PREFIX_LEN && strncmp(p, "modu_arena_", 11) == 0 &&
	       strspn(p + 11, "0123456789abcdef") == 8;
}

int me_key_revoke(struct req *rq, struct db *db, const struct websession *ws,
		  const char *prefix)
{
	const char *vals[2] = { ws->user_id, prefix };
	PGresult *res;
	int found;

	if (!prefix_ok(prefix))
		return 1;
	if (!(res = db_run(db, "me_key_revoke", 2, vals)))
		return -1;
	found = PQntuples(res) > 0;
	PQclear(res);
	if (!found)
		return 1;
	audit(db, rq, ws->user_id, "api_key_revoked",
	      arena_printf(rq->a, "{\"keyPrefix\":\"%s\",\"via\":\"dashboard\"}", prefix));
	return 0;
}

static void handle_key_revoke(struct req *rq, struct db *db, struct websession *ws,
			      const char *prefix)
{
	struct jsonw *w;

	if (may_write(rq, db, ws))
		return;
	switch (me_key_revoke(rq, db, ws, prefix)) {
	case 0:
		break;
	case 1:
		return (void)req_error(rq, 404, "not_found", NULL, "you have no live key with this prefix");
	default:
		return reply_unavailable(rq);
	}
	w = req_json(rq, 200);
	jsonw_object(w);
	jsonw_key(w, "revoked");
	jsonw_string(w, prefix);
	jsonw_end(w);
}

static void handle_export(struct req *rq, struct db *db, struct websession *ws)
{
	const char *vals[1] = { ws->user_id };
	PGresult *res;
	struct jsonw *w;

	if (!ratelimit_check(db, rq, RL_SENSITIVE, ws->user_id))
		return;
	if (!(res = db_run(db, "me_export", 1, vals)))
		return reply_unavailable(rq);
	audit(db, rq, ws->user_id, "data_exported", NULL);
	w = req_json(rq, 200);
	jsonw_raw(w, PQgetvalue(res, 0, 0));
	PQclear(res);
	req_add_header(rq, "Content-Disposition",
		       arena_printf(rq->a, "attachment; filename=\"modu-arena-%s.json\"", ws->username));
}

int me_delete(struct req *rq, struct db *db, const struct websession *ws)
{
	const char *vals[3] = { ws->user_id, rq->remote_addr, rq->user_agent };
	PGresult *res = db_run(db, "me_delete", 3, vals);

	if (!res)
		return -1;
	PQclear(res);
	cookie_clear(rq, WEBSESSION_COOKIE);
	return 0;
}

static void handle_delete(struct req *rq, struct db *db, struct websession *ws)
{
	static const char *const known[] = { "confirm", NULL };
	struct json *root, *c;
	struct jsonw *w;

	if (may_write(rq, db, ws) || !ratelimit_check(db, rq, RL_SENSITIVE, ws->user_id))
		return;
	if (!(root = object_body(rq, known)))
		return;
	c = json_get(root, "confirm");
	if (!c || c->type != JSON_STRING || strcmp(c->str, ws->username) != 0)
		return (void)req_error(rq, 422, "confirmation_mismatch", "confirm",
				       "type your username exactly to confirm");
	if (me_delete(rq, db, ws))
		return reply_unavailable(rq);
	w = req_json(rq, 200);
	jsonw_object(w);
	jsonw_key(w, "deleted");
	jsonw_bool(w, 1);
	jsonw_end(w);
}

/* Routes an /api/me path to its handler; 0 when the path is not ours. */
static int route_api(struct req *rq, struct db *db, struct websession *ws)
{
	const char *p = rq->path, *m = rq->method;

	if (strcmp(p, "/api/me") == 0) {
		if (strcmp(m, "GET") == 0)
			handle_me(rq, db, ws);
		else if (strcmp(m, "DELETE") == 0)
			handle_delete(rq, db, ws);
		else
			return -1;
	} else if (strcmp(p, "/api/me/stats") == 0 && strcmp(m, "GET") == 0) {
		handle_stats(rq, db, ws);
	} else if (strcmp(p, "/api/me/settings") == 0 && strcmp(m, "PATCH") == 0) {
		handle_settings(rq, db, ws);
	} else if (strcmp(p, "/api/me/keys") == 0 && strcmp(m, "POST") == 0) {
		handle_key_create(rq, db, ws);
	} else if (strncmp(p, "/api/me/keys/", 13) == 0 && strcmp(m, "DELETE") == 0) {
		handle_key_revoke(rq, db, ws, p + 13);
	} else if (strcmp(p, "/api/me/export") == 0 && strcmp(m, "GET") == 0) {
		handle_export(rq, db, ws);
	} else {
		return -1;
	}
	return 0;
}

static const char *allowed(const char *p)
{
	if (strcmp(p, "/api/me") == 0)
		return "GET, HEAD, DELETE";
	if (strcmp(p, "/api/me/settings") == 0)
		return "PATCH";
	if (strcmp(p, "/api/me/keys") == 0)
		return "POST";
	if (strncmp(p, "/api/me/keys/", 13) == 0)
		return "DELETE";
	return "GET, HEAD";
}

static int known_path(const char *p)
{
	return strcmp(p, "/api/me") == 0 || strcmp(p, "/api/me/stats") == 0 ||
	       strcmp(p, "/api/me/settings") == 0 || strcmp(p, "/api/me/keys") == 0 ||
	       strncmp(p, "/api/me/keys/", 13) == 0 || strcmp(p, "/api/me/export") == 0;
}

static void handle(struct req *rq, struct db *db)
{
	struct websession ws;

	account_private(rq);
	if (strncmp(rq->path, "/api/", 5) != 0)
		return me_pages(rq, db);
	if (!known_path(rq->path))
		return (void)req_error(rq, 404, "not_found", NULL, "no such endpoint");
	if (strcmp(allowed(rq->path), rq->method) != 0 &&
	    !strstr(allowed(rq->path), rq->method)) {
		req_add_header(rq, "Allow", allowed(rq->path));
		return (void)req_error(rq, 405, "method_not_allowed", NULL,
				       "method not allowed here; allowed: %s", allowed(rq->path));
	}
	if (!signed_in(rq, db, &ws))
		return;
	if (route_api(rq, db, &ws)) {
		req_add_header(rq, "Allow", allowed(rq->path));
		req_error(rq, 405, "method_not_allowed", NULL,
			  "method not allowed here; allowed: %s", allowed(rq->path));
	}
}

static const struct endpoint me_endpoint = {
	.name = "me",
	.allow = "GET, HEAD, POST, PATCH, DELETE",
	.stmts = me_stmts,
	.handle = handle,
};

SERVE_MAIN(me_endpoint)
