/* websession.c -- browser sessions, their cookie and CSRF defences */
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "page.h"
#include "websession.h"

/* A week of inactivity or thirty days in all, unless configured. */
static int64_t idle_seconds(void)
{
	return conf_int("ARENA_SESSION_IDLE_SECONDS", 7 * 86400, 60, 365 * 86400);
}

static int64_t max_seconds(void)
{
	return conf_int("ARENA_SESSION_MAX_SECONDS", 30 * 86400, 60, 365 * 86400);
}

int websession_available(void)
{
	return arena_conf.have_secret_key;
}

static int cookie_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

const char *req_cookie(struct req *rq, const char *name)
{
	const char *s = req_param(rq, "HTTP_COOKIE"), *found = NULL;
	size_t nlen = strlen(name), found_len = 0;

	if (!s || req_param_count(rq, "HTTP_COOKIE") > 1)
		return NULL;
	while (*s) {
		size_t len = strcspn(s, ";");
		const char *p = s, *end = s + len;

		while (p < end && *p == ' ')
			p++;
		if ((size_t)(end - p) > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
			if (found)
				return NULL;
			found = p + nlen + 1;
			found_len = (size_t)(end - found);
		}
		s = *end ? end + 1 : end;
	}
	if (!found || found_len == 0 || found_len > 512)
		return NULL;
	for (size_t i = 0; i < found_len; i++)
		if (!cookie_char((unsigned char)found[i]))
			return NULL;
	return arena_strndup(rq->a, found, found_len);
}

/* hex SHA-256 of a session id as the cookie carries it */
static void id_hash(const char *id, char out[2 * SHA256_LEN + 1])
{
	unsigned char h[SHA256_LEN];

	crypto_sha256(id, strlen(id), h);
	hex_encode(h, sizeof(h), out);
}

static void make_csrf(struct websession *ws)
{
	unsigned char mac[SHA256_LEN];
	char msg[8 + 2 * SHA256_LEN + 1];

	snprintf(msg, sizeof(msg), "csrf-v1:%s", ws->id_hash);
	if (crypto_hmac_sha256(arena_conf.secret_key, sizeof(arena_conf.secret_key),
			       msg, strlen(msg), mac))
		memset(mac, 0, sizeof(mac));
	base64url_encode(mac, sizeof(mac), ws->csrf);
}

enum ws_result websession_get(struct req *rq, struct db *db, struct websession *ws)
{
	const char *id = req_cookie(rq, WEBSESSION_COOKIE);
	char idle[24];
	const char *vals[2] = { ws->id_hash, idle };
	PGresult *res;

	memset(ws, 0, sizeof(*ws));
	if (!id || strlen(id) != WEBSESSION_ID_LEN || !websession_available())
		return WS_NONE;
	id_hash(id, ws->id_hash);
	snprintf(idle, sizeof(idle), "%lld", (long long)idle_seconds());
	res = db_run(db, "ws_lookup", 2, vals);
	if (!res)
		return WS_UNAVAILABLE;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return WS_NONE;
	}
	ws->user_id = arena_strdup(rq->a, PQgetvalue(res, 0, 0));
	ws->username = arena_strdup(rq->a, PQgetvalue(res, 0, 1));
	ws->privacy_mode = PQgetvalue(res, 0, 2)[0] == 't';
	PQclear(res);
	make_csrf(ws);
	rq->user_id = ws->user_id;	/* for the log lines (log.h) */
	return WS_OK;
}

static void set_cookie(struct req *rq, const char *id, int64_t max_age)
{
	req_add_header(rq, "Set-Cookie",
		       arena_printf(rq->a, "%s=%s; Path=/; Max-Age=%lld; Secure; HttpOnly; SameSite=Lax",
				    WEBSESSION_COOKIE, id, (long long)max_age));
}

void cookie_clear(struct req *rq, const char *name)
{
	req_add_header(rq, "Set-Cookie",
		       arena_printf(rq->a, "%s=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax",
				    name));
}

int websession_start(struct req *rq, struct db *db, const char *user_id,
		     struct websession *ws)
{
	unsigned char raw[WEBSESSION_ID_BYTES];
	char id[WEBSESSION_ID_LEN + 1], max[24], idle[24];
	const char *vals[6] = { ws->id_hash, user_id, rq->user_agent, rq->remote_addr, max, idle };
	const char *old = req_cookie(rq, WEBSESSION_COOKIE);
	PGresult *res;

	memset(ws, 0, sizeof(*ws));
	if (!websession_available() || crypto_random(raw, sizeof(raw)))
		return -1;
	/* whatever session the browser came with is over: never reuse an id */
	if (old) {
		const char *ov[1] = { ws->id_hash };

		id_hash(old, ws->id_hash);
		res = db_run(db, "ws_end", 1, ov);
		if (!res)
			return -1;
		PQclear(res);
	}
	base64url_encode(raw, sizeof(raw), id);
	memset(raw, 0, sizeof(raw));
	id_hash(id, ws->id_hash);
	snprintf(max, sizeof(max), "%lld", (long long)max_seconds());
	snprintf(idle, sizeof(idle), "%lld", (long long)idle_seconds());
	res = db_run(db, "ws_create", 6, vals);
	if (!res)
		return -1;
	PQclear(res);
	ws->user_id = user_id;
	make_csrf(ws);
	set_cookie(rq, id, max_seconds());
	return 0;
}

int websession_end(struct req *rq, struct db *db, const struct websession *ws,
		   int everywhere)
{
	const char *vals[1] = { everywhere ? ws->user_id : ws->id_hash };
	PGresult *res = db_run(db, everywhere ? "ws_end_all" : "ws_end", 1, vals);

	if (!res)
		return -1;
	PQclear(res);
	cookie_clear(rq, WEBSESSION_COOKIE);
	return 0;
}

int websession_check_write(struct req *rq, const struct websession *ws,
			   const char *token, const char **why)
{
	const char *origin = req_param(rq, "HTTP_ORIGIN");
	const char *fetch_site = req_param(rq, "HTTP_SEC_FETCH_SITE");

	*why = "origin";
	if (!origin || req_param_count(rq, "HTTP_ORIGIN") > 1 ||
	    strcmp(origin, page_base_url(rq)) != 0)
		return -1;
	if (fetch_site && strcmp(fetch_site, "same-origin") != 0 && strcmp(fetch_site, "none") != 0)
		return -1;
	*why = "csrf";
	if (!token || strlen(token) != CSRF_TOKEN_LEN ||
	    !crypto_equal(token, ws->csrf, CSRF_TOKEN_LEN))
		return -1;
	*why = NULL;
	return 0;
}
