/*
 * websession.h -- who is signed in on this browser, and may they write
 *
 * A browser session is 32 random bytes in the cookie
 *	__Host-session=<base64url>; Path=/; Secure; HttpOnly; SameSite=Lax
 * and only their SHA-256 in web_sessions.  A session ends when it was not
 * used for ARENA_SESSION_IDLE_SECONDS, at ARENA_SESSION_MAX_SECONDS after
 * sign-in whatever happens, on sign-out, or when its user signs out
 * everywhere.  Sign-in always makes a new id (so an id planted in the
 * browser beforehand is worth nothing) and ends the one the browser had.
 *
 * Writes made with the cookie (POST, PATCH, DELETE) must prove they come
 * from our own pages, by three checks (websession_check_write()):
 *  - Origin must be present and equal the site's origin, and
 *    Sec-Fetch-Site, when sent, must be same-origin or none;
 *  - the CSRF token must match the session: HMAC-SHA256 under the server
 *    key (ARENA_SECRET_KEY) of the session's hash, so it needs no storage
 *    and changes with every sign-in; compared in constant time;
 *  - SameSite=Lax keeps the cookie off cross-site subrequests anyway.
 * Pages put the token in a hidden form field named "csrf"; scripts send
 * it as X-CSRF-Token (GET /api/me tells it).
 *
 * The site's origin is page_base_url(): ARENA_PUBLIC_URL
 * ("https://arena.example.org"), or without it the scheme and Host of the
 * request, which is only right behind a proxy that sets Host (development).
 *
 * An endpoint that uses sessions lists WEBSESSION_STMTS.
 */
#ifndef ARENA_WEBSESSION_H
#define ARENA_WEBSESSION_H

#include "crypto.h"
#include "db.h"
#include "req.h"

#define WEBSESSION_COOKIE "__Host-session"
#define WEBSESSION_ID_BYTES 32
#define WEBSESSION_ID_LEN BASE64URL_LEN(WEBSESSION_ID_BYTES)	/* 43 */
#define CSRF_TOKEN_LEN BASE64URL_LEN(SHA256_LEN)		/* 43 */

#define WEBSESSION_STMTS \
	{ "ws_create", \
	  "WITH gone AS (DELETE FROM web_sessions WHERE user_id = $2 AND (expires_at <= now()" \
	  " OR last_seen_at <= now() - make_interval(secs => $6::int)))" \
	  " INSERT INTO web_sessions (id_hash, user_id, user_agent, ip_address, expires_at)" \
	  " VALUES (decode($1, 'hex'), $2, NULLIF($3, ''), NULLIF($4, '')," \
	  " now() + make_interval(secs => $5::int))", 6 }, \
	{ "ws_lookup", \
	  "WITH hit AS (SELECT w.id_hash, w.user_id, w.last_seen_at FROM web_sessions w" \
	  " WHERE w.id_hash = decode($1, 'hex') AND w.expires_at > now()" \
	  " AND w.last_seen_at > now() - make_interval(secs => $2::int))," \
	  " touch AS (UPDATE web_sessions w SET last_seen_at = now() FROM hit" \
	  " WHERE w.id_hash = hit.id_hash AND hit.last_seen_at < now() - interval '1 minute')" \
	  " SELECT u.id, u.username, u.privacy_mode FROM hit JOIN users u ON u.id = hit.user_id", 2 }, \
	{ "ws_end", "DELETE FROM web_sessions WHERE id_hash = decode($1, 'hex')", 1 }, \
	{ "ws_end_all", "DELETE FROM web_sessions WHERE user_id = $1", 1 }

struct websession {
	const char *user_id;		/* uuid text */
	const char *username;
	int privacy_mode;
	char id_hash[2 * SHA256_LEN + 1];	/* hex of SHA-256 of the id */
	char csrf[CSRF_TOKEN_LEN + 1];
};

enum ws_result {
	WS_OK = 0,
	WS_NONE = -1,		/* no cookie, or an unknown, ended or expired session */
	WS_UNAVAILABLE = -2,	/* the database failed; nothing set */
};

/*
 * The value of cookie `name` in the request, or NULL when absent, sent
 * twice (either copy could be the attacker's) or not a plain token.
 */
const char *req_cookie(struct req *rq, const char *name);

/* The session this request's cookie names, if it is alive. */
enum ws_result websession_get(struct req *rq, struct db *db, struct websession *ws);

/*
 * Signs user_id in: ends the browser's current session if it has one,
 * stores a new one and adds its Set-Cookie.  0, or -1 when the database
 * or randomness failed (nothing set).
 */
int websession_start(struct req *rq, struct db *db, const char *user_id,
		     struct websession *ws);

/* Ends ws (or every session of its user) and clears the cookie; 0 or -1. */
int websession_end(struct req *rq, struct db *db, const struct websession *ws,
		   int everywhere);

/* Adds a Set-Cookie header that deletes cookie `name`. */
void cookie_clear(struct req *rq, const char *name);

/*
 * Whether a cookie-authenticated write may go ahead: 0, or -1 with *why
 * set to "origin" or "csrf".  token is the request's CSRF token (form
 * field or header), NULL when it sent none.
 */
int websession_check_write(struct req *rq, const struct websession *ws,
			   const char *token, const char **why);

/* 1 if sessions can work: ARENA_SECRET_KEY is set (CSRF tokens need it). */
int websession_available(void);

#endif
