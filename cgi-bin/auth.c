/*
 * auth.c -- signing in and out, and the client's device authorization
 *
 *	GET  /auth/github[?next=/path]   302 to GitHub (state + PKCE cookie)
 *	GET  /auth/github/callback       code exchange, user, new session, 302
 *	POST /auth/logout                ends the session (everywhere=1: all)
 *	POST /api/auth/device            RFC 8628 device authorization request
 *	POST /api/auth/device/token      the client's poll; the key, once
 *
 * This is the only program that talks to GitHub (lib/oauth.h), so it can
 * be the only pool allowed outbound connections.  The flows are
 * described in the README, section "Accounts".
 */
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "auth.h"
#include "audit.h"
#include "conf.h"
#include "json.h"
#include "oauth.h"
#include "page.h"
#include "ratelimit.h"
#include "serve.h"
#include "websession.h"

/* RFC 8628 6.1: no vowels, no look-alikes; 20^8 codes. */
static const char user_code_alphabet[] = "BCDFGHJKLMNPQRSTVWXZ";

static const struct db_stmt stmts[] = {
	RATELIMIT_STMT,
	AUDIT_STMT,
	WEBSESSION_STMTS,
	ACCOUNT_KEY_STMT,
	{ "github_signin", "SELECT user_id, username, created FROM arena_github_signin($1, $2, $3, $4)", 4 },
	{ "device_insert",
	  "INSERT INTO device_codes (code_hash, user_code, device_name, ip_address, expires_at, interval_s)"
	  " VALUES (decode($1, 'hex'), $2, NULLIF($3, ''), NULLIF($4, ''),"
	  " now() + make_interval(secs => $5::int), $6::int)"
	  " ON CONFLICT DO NOTHING RETURNING 1", 6 },
	{ "device_poll", "SELECT result, user_id, username FROM arena_device_poll(decode($1, 'hex'))", 1 },
	{ "device_delivered",
	  "UPDATE device_codes SET state = 'delivered', key_prefix = $2"
	  " WHERE code_hash = decode($1, 'hex') AND state = 'approved'", 2 },
	{ "device_denied",
	  "UPDATE device_codes SET state = 'denied' WHERE code_hash = decode($1, 'hex')", 1 },
	DB_STMT_END
};

static int64_t device_expires(void)
{
	return conf_int("ARENA_DEVICE_CODE_SECONDS", 600, 60, 3600);
}

static int64_t device_interval(void)
{
	return conf_int("ARENA_DEVICE_POLL_SECONDS", 5, 1, 60);
}

static const char *redirect_uri(struct req *rq)
{
	return arena_printf(rq->a, "%s/auth/github/callback", page_base_url(rq));
}

static void not_configured(struct req *rq)
{
	account_error(rq, 404, "auth.notconfigured");
}

static void handle_start(struct req *rq, struct db *db)
{
	static const char *const known[] = { "next", NULL };
	struct oauth_start s;
	const char *next = "/dashboard", *bad;

	if (!ratelimit_check(db, rq, RL_AUTH, rq->remote_addr))
		return;
	if (!oauth_configured())
		return not_configured(rq);
	if (req_query_only(rq, known, &bad))
		return account_error(rq, 400, "auth.badquery");
	/* anything but a path of ours is ignored: never a redirect elsewhere */
	if (req_query(rq, "next", &next) != 0 || !oauth_next_ok(next))
		next = "/dashboard";
	if (oauth_begin(&s))
		return account_error(rq, 503, "error.unavailable");
	req_add_header(rq, "Set-Cookie",
		       arena_printf(rq->a, "%s=%s; Path=/; Max-Age=%d; Secure; HttpOnly; SameSite=Lax",
				    OAUTH_COOKIE, oauth_cookie_value(rq, &s, next),
				    OAUTH_COOKIE_MAX_AGE));
	account_private(rq);
	rq->status = 302;
	rq->content_type = "text/plain; charset=utf-8";
	req_add_header(rq, "Location", oauth_authorize_url(rq, &s, redirect_uri(rq)));
}

static void login_failed(struct req *rq, struct db *db, const char *reason)
{
	audit(db, rq, NULL, "login_failed",
	      arena_printf(rq->a, "{\"provider\":\"github\",\"reason\":\"%s\"}", reason));
}

/* The query's state and code after checking the state against the cookie;
 * 0, or -1 with the page set. */
static int check_callback(struct req *rq, struct db *db, struct oauth_start *s,
			  const char **code, const char **next)
{
	static const char *const known[] = { "code", "state", "error", "error_description",
					     "error_uri", NULL };
	const char *state = NULL, *err = NULL, *bad;
	const char *cookie = req_cookie(rq, OAUTH_COOKIE);

	if (req_query_only(rq, known, &bad) || req_query(rq, "state", &state) < 0) {
		login_failed(rq, db, "bad_query");
		account_error(rq, 400, "auth.badquery");
		return -1;
	}
	if (!cookie || oauth_cookie_parse(rq, cookie, s, next)) {
		login_failed(rq, db, "state_cookie_missing");
		account_error(rq, 400, "auth.expired");
		return -1;
	}
	if (!state || strlen(state) != OAUTH_RANDOM_LEN ||
	    !crypto_equal(state, s->state, OAUTH_RANDOM_LEN)) {
		login_failed(rq, db, "state_mismatch");
		account_error(rq, 400, "auth.mismatch");
		return -1;
	}
	if (req_query(rq, "error", &err) == 0) {
		login_failed(rq, db, strcmp(err, "access_denied") == 0 ? "access_denied" : "provider_error");
		account_error(rq, 400, "auth.cancelled");
		return -1;
	}
	if (req_query(rq, "code", code) != 0 || !**code || strlen(*code) > 256) {
		login_failed(rq, db, "code_missing");
		account_error(rq, 400, "auth.nocode");
		return -1;
	}
	return 0;
}

/* Creates or updates the account; returns its id or NULL (503 set). */
static const char *store_user(struct req *rq, struct db *db, const struct oauth_user *u,
			      const char **username)
{
	const char *vals[4] = { u->id, u->login, u->name, u->avatar_url };
	PGresult *res = db_run(db, "github_signin", 4, vals);
	const char *id;

	if (!res || PQntuples(res) != 1) {
		if (res)
			PQclear(res);
		account_error(rq, 503, "error.unavailable");
		return NULL;
	}
	id = arena_strdup(rq->a, PQgetvalue(res, 0, 0));
	*username = arena_strdup(rq->a, PQgetvalue(res, 0, 1));
	if (PQgetvalue(res, 0, 2)[0] == 't')
		audit(db, rq, id, "account_created", "{\"provider\":\"github\"}");
	PQclear(res);
	return id;
}

static void callback(struct req *rq, struct db *db)
{
	struct oauth_start s;
	struct oauth_user gh;
	struct websession ws;
	const char *code, *next, *why, *id, *username;
	enum oauth_result r;

	if (!ratelimit_check(db, rq, RL_AUTH, rq->remote_addr))
		return;
	if (!oauth_configured())
		return not_configured(rq);
	account_private(rq);
	if (check_callback(rq, db, &s, &code, &next))
		return;
	r = oauth_exchange(rq, code, s.verifier, redirect_uri(rq), &gh, &why);
	if (r != OAUTH_OK) {
		login_failed(rq, db, why);
		if (r == OAUTH_REFUSED)
			return account_error(rq, 400, "auth.refused");
		return account_error(rq, 502, "auth.down");
	}
	if (!(id = store_user(rq, db, &gh, &username)))
		return;
	if (websession_start(rq, db, id, &ws))
		return account_error(rq, 503, "error.unavailable");
	audit(db, rq, id, "login_success", "{\"provider\":\"github\"}");
	rq->status = 302;
	rq->content_type = "text/plain; charset=utf-8";
	req_add_header(rq, "Location", next);
}

static void handle_callback(struct req *rq, struct db *db)
{
	callback(rq, db);
	/* the state is single-use: whatever happened, it is gone */
	if (rq->status != 429)
		cookie_clear(rq, OAUTH_COOKIE);
}

static void handle_logout(struct req *rq, struct db *db)
{
	struct websession ws;
	const char *token = NULL, *everywhere = NULL, *why;
	enum ws_result r;
	int all;

	account_private(rq);
	if (req_read_body(rq, 4096))
		return;
	r = websession_get(rq, db, &ws);
	if (r == WS_UNAVAILABLE)
		return account_error(rq, 503, "error.unavailable");
	if (r == WS_NONE) {
		/* nothing to end; the cookie, if any, is stale */
		cookie_clear(rq, WEBSESSION_COOKIE);
		return account_redirect(rq, "/");
	}
	if (req_form(rq, "csrf", &token) != 0)
		token = req_header(rq, "X-CSRF-Token", NULL);
	if (websession_check_write(rq, &ws, token, &why)) {
		audit(db, rq, ws.user_id, "csrf_rejected",
		      arena_printf(rq->a, "{\"reason\":\"%s\",\"path\":\"/auth/logout\"}", why));
		return account_error(rq, 403, "auth.csrf");
	}
	all = req_form(rq, "everywhere", &everywhere) == 0 && strcmp(everywhere, "1") == 0;
	if (websession_end(rq, db, &ws, all))
		return account_error(rq, 503, "error.unavailable");
	audit(db, rq, ws.user_id, "logout", all ? "{\"everywhere\":true}" : "{\"everywhere\":false}");
	account_redirect(rq, "/");
}

/* --- device authorization (RFC 8628) --- */

/* An RFC 6749 5.2 error answer, which this grant's clients expect. */
static void oauth_error(struct req *rq, int status, const char *error, const char *description)
{
	struct jsonw *w = req_json(rq, status);

	jsonw_object(w);
	jsonw_key(w, "error");
	jsonw_string(w, error);
	jsonw_key(w, "error_description");
	jsonw_string(w, description);
	jsonw_end(w);
}

static int make_user_code(char out[9])
{
	unsigned char r[32];
	size_t i, n = 0;

	while (n < 8) {
		if (crypto_random(r, sizeof(r)))
			return -1;
		/* 240 = 12 x 20: rejecting the rest keeps every letter equally likely */
		for (i = 0; i < sizeof(r) && n < 8; i++)
			if (r[i] < 240)
				out[n++] = user_code_alphabet[r[i] % 20];
	}
	out[8] = '\0';
	return 0;
}

/* The optional deviceName of a JSON body; "" when none, NULL when bad. */
static const char *device_name(struct req *rq)
{
	struct json_status st;
	struct json *root, *m;
	size_t i;

	if (rq->body_len == 0)
		return "";
	root = json_parse(rq->a, rq->body, rq->body_len, &st);
	if (!root || root->type != JSON_OBJECT)
		return NULL;
	for (m = root->child; m; m = m->next)
		if (strcmp(m->key, "deviceName") != 0 && strcmp(m->key, "client") != 0)
			return NULL;
	m = json_get(root, "deviceName");
	if (!m)
		return "";
	if (m->type != JSON_STRING || m->len > 64)
		return NULL;
	for (i = 0; i < m->len; i++)
		if ((unsigned char)m->str[i] < ' ' || m->str[i] == 0x7f)
			return NULL;
	return m->str;
}

static void device_answer(struct req *rq, const char *device_code, const char *user_code)
{
	const char *uri = arena_printf(rq->a, "%s/device", page_base_url(rq));
	const char *shown = arena_printf(rq->a, "%.4s-%.4s", user_code, user_code + 4);
	struct jsonw *w = req_json(rq, 200);

	jsonw_object(w);
	jsonw_key(w, "device_code");
	jsonw_string(w, device_code);
	jsonw_key(w, "user_code");
	jsonw_string(w, shown);
	jsonw_key(w, "verification_uri");
	jsonw_string(w, uri);
	jsonw_key(w, "verification_uri_complete");
	jsonw_string(w, arena_printf(rq->a, "%s?user_code=%s", uri, shown));
	jsonw_key(w, "expires_in");
	jsonw_int(w, device_expires());
	jsonw_key(w, "interval");
	jsonw_int(w, device_interval());
	jsonw_end(w);
}

static void handle_device(struct req *rq, struct db *db)
{
	unsigned char raw[32], h[SHA256_LEN];
	char code[BASE64URL_LEN(32) + 1], hash[2 * SHA256_LEN + 1], user_code[9];
	char exp[24], iv[24];
	const char *vals[6] = { hash, user_code, NULL, rq->remote_addr, exp, iv };
	int tries;

	account_private(rq);
	if (!ratelimit_check(db, rq, RL_AUTH, rq->remote_addr))
		return;
	if (req_read_body(rq, 4096))
		return;
	if (!(vals[2] = device_name(rq)))
		return oauth_error(rq, 400, "invalid_request",
				   "the body must be empty or {\"deviceName\": \"<at most 64 characters>\"}");
	snprintf(exp, sizeof(exp), "%lld", (long long)device_expires());
	snprintf(iv, sizeof(iv), "%lld", (long long)device_interval());
	for (tries = 0; tries < 5; tries++) {
		PGresult *res;
		int stored;

		if (crypto_random(raw, sizeof(raw)) || make_user_code(user_code))
			return reply_unavailable(rq);
		base64url_encode(raw, sizeof(raw), code);
		crypto_sha256(code, strlen(code), h);
		hex_encode(h, sizeof(h), hash);
		if (!(res = db_run(db, "device_insert", 6, vals)))
			return reply_unavailable(rq);
		stored = PQntuples(res) == 1;
		PQclear(res);
		if (stored)
			return device_answer(rq, code, user_code);
		/* that user code is in use right now: draw another */
	}
	reply_unavailable(rq);
}

/* The device_code of a form (RFC 8628 3.4) or JSON body; NULL if none. */
static const char *poll_code(struct req *rq)
{
	const char *ct = req_param(rq, "CONTENT_TYPE"), *code = NULL, *grant = NULL;

	if (ct && strncmp(ct, "application/json", 16) == 0) {
		struct json_status st;
		struct json *root = json_parse(rq->a, rq->body, rq->body_len, &st), *m;

		m = root && root->type == JSON_OBJECT ? json_get(root, "device_code") : NULL;
		return m && m->type == JSON_STRING ? m->str : NULL;
	}
	if (req_form(rq, "grant_type", &grant) == 0 &&
	    strcmp(grant, "urn:ietf:params:oauth:grant-type:device_code") != 0)
		return NULL;
	return req_form(rq, "device_code", &code) == 0 ? code : NULL;
}

/* Mints the key of an approved code and answers with it; in a transaction. */
static void deliver(struct req *rq, struct db *db, const char *hash, const char *user_id,
		    const char *username)
{
	struct apikey_new k;
	const char *vals[2] = { hash, NULL };
	enum account_key_result r = account_key_create(db, user_id, &k);
	PGresult *res;
	struct jsonw *w;

	if (r == ACCOUNT_KEY_FULL) {
		if ((res = db_run(db, "device_denied", 1, vals)))
			PQclear(res);
		if (db_command(db, "COMMIT"))
			return reply_unavailable(rq);
		return oauth_error(rq, 400, "access_denied",
				   "the account has the most live keys it may have; revoke one on the dashboard");
	}
	vals[1] = k.prefix;
	if (r != ACCOUNT_KEY_OK || !(res = db_run(db, "device_delivered", 2, vals)))
		goto fail;
	PQclear(res);
	audit(db, rq, user_id, "api_key_created",
	      arena_printf(rq->a, "{\"keyPrefix\":\"%s\",\"via\":\"device\"}", k.prefix));
	if (db_command(db, "COMMIT"))
		goto fail;
	/* committed: this is the one and only time the key is sent */
	w = req_json(rq, 200);
	jsonw_object(w);
	jsonw_key(w, "apiKey");
	jsonw_string(w, k.key);
	jsonw_key(w, "keyPrefix");
	jsonw_string(w, k.prefix);
	jsonw_key(w, "username");
	jsonw_string(w, username);
	jsonw_end(w);
	apikey_mint_wipe(&k);
	return;
fail:
	apikey_mint_wipe(&k);
	db_command(db, "ROLLBACK");
	reply_unavailable(rq);
}

static const char *poll_description(const char *result)
{
	if (strcmp(result, "authorization_pending") == 0)
		return "the code has not been confirmed yet";
	if (strcmp(result, "slow_down") == 0)
		return "polling too fast: wait 5 seconds longer between requests";
	if (strcmp(result, "expired_token") == 0)
		return "the device code expired or was already used; start again";
	if (strcmp(result, "access_denied") == 0)
		return "the request was denied";
	return "unknown device code";
}

static void handle_token(struct req *rq, struct db *db)
{
	unsigned char h[SHA256_LEN];
	char hash[2 * SHA256_LEN + 1];
	const char *vals[1] = { hash }, *code, *result;
	PGresult *res;

	account_private(rq);
	/* an address that keeps sending unknown codes runs out of auth quota */
	if (!ratelimit_peek(db, rq, RL_AUTH, rq->remote_addr))
		return;
	if (req_read_body(rq, 4096))
		return;
	if (!(code = poll_code(rq)) || strlen(code) != BASE64URL_LEN(32)) {
		ratelimit_check(db, rq, RL_AUTH, rq->remote_addr);
		return oauth_error(rq, 400, "invalid_request",
				   "send grant_type=urn:ietf:params:oauth:grant-type:device_code"
				   " and the device_code");
	}
	crypto_sha256(code, strlen(code), h);
	hex_encode(h, sizeof(h), hash);
	if (db_command(db, "BEGIN") || !(res = db_run(db, "device_poll", 1, vals)))
		return reply_unavailable(rq);
	result = arena_strdup(rq->a, PQgetvalue(res, 0, 0));
	if (strcmp(result, "approved") == 0) {
		const char *uid = arena_strdup(rq->a, PQgetvalue(res, 0, 1));
		const char *name = arena_strdup(rq->a, PQgetvalue(res, 0, 2));

		PQclear(res);
		return deliver(rq, db, hash, uid, name);
	}
	PQclear(res);
	if (db_command(db, "COMMIT"))
		return reply_unavailable(rq);
	if (strcmp(result, "invalid_grant") == 0 &&
	    !ratelimit_check(db, rq, RL_AUTH, rq->remote_addr))
		return;
	oauth_error(rq, 400, result, poll_description(result));
}

static void handle_auth(struct req *rq, struct db *db)
{
	static const struct {
		const char *path, *method;
		void (*fn)(struct req *, struct db *);
	} routes[] = {
		{ "/auth/github", "GET", handle_start },
		{ "/auth/github/callback", "GET", handle_callback },
		{ "/auth/logout", "POST", handle_logout },
		{ "/api/auth/device", "POST", handle_device },
		{ "/api/auth/device/token", "POST", handle_token },
	};
	size_t i;

	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (strcmp(rq->path, routes[i].path) != 0)
			continue;
		if (strcmp(rq->method, routes[i].method) != 0) {
			req_add_header(rq, "Allow", strcmp(routes[i].method, "GET") == 0 ?
				       "GET, HEAD" : routes[i].method);
			req_error(rq, 405, "method_not_allowed", NULL,
				  "method not allowed here; allowed: %s", routes[i].method);
			return;
		}
		routes[i].fn(rq, db);
		return;
	}
	req_error(rq, 404, "not_found", NULL, "no such endpoint");
}

static const struct endpoint auth_endpoint = {
	.name = "auth",
	.allow = "GET, HEAD, POST",
	.stmts = stmts,
	.handle = handle_auth,
};

int main(int argc, char **argv)
{
	oauth_init();
	return serve(&auth_endpoint, argc, argv);
}
