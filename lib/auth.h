/*
 * auth.h -- who is calling: the X-API-Key header, or a v2 signature
 *
 * auth_api_key() checks the header's format without touching the
 * database, then looks the key's SHA-256 up among active keys and
 * compares the stored hash again in constant time.  An unknown key and a
 * revoked key take the same query and get the same answer.  On failure it
 * sets the error response itself and audits `api_key_invalid` (with the
 * key's public prefix at most, never the key).
 *
 * auth_signed_v2() authenticates a request signed with scheme v2
 * (sign.h): the Authorization header names the key by its public prefix,
 * the key's sealed signing secret is opened with the server key, the
 * signature is checked over the request and its body (read the body
 * first), and the signature is remembered so the same request cannot be
 * replayed.  Every refusal is 401 with the stable code and the audit
 * event of its cause; an unknown key id costs the same work as a known
 * one.
 *
 * auth_signed_v1() is the seed's scheme: X-API-Key, then X-Timestamp and
 * X-Signature over "timestamp:body" (read the body first), then the same
 * replay guard.
 *
 * auth_request() is the whole front door of an authenticated endpoint,
 * in this order: the client address's quota of failed attempts (an
 * address out of it is refused before its key is even looked up); the
 * request's authentication (v2 when it has an Authorization header, else
 * v1 -- signed, or the key alone where the endpoint allows that); a
 * failure counted against the address; the user's API quota.
 *
 * After a success auth_request() notes when the key was last used (to
 * the minute, so at most one write a minute per key).
 *
 * Endpoints that authenticate list AUTH_STMT and AUDIT_STMT; those that
 * take v2 or signatures also AUTH_V2_STMT and REPLAY_STMT; auth_request()
 * needs all of them and RATELIMIT_STMT.
 */
#ifndef ARENA_AUTH_H
#define ARENA_AUTH_H

#include <stdint.h>

#include "db.h"
#include "req.h"

struct user {
	const char *id;			/* uuid text */
	const char *username;
	const char *avatar_url;		/* NULL when none */
	const char *key_prefix;		/* "modu_arena_xxxxxxxx" */
	const char *key;		/* the key as sent; never log or store */
	int privacy_mode;
	int64_t key_created_ms;
};

#define AUTH_STMT \
	{ "auth_lookup", \
	  "SELECT u.id, u.username, u.avatar_url, k.key_prefix, u.privacy_mode," \
	  " (extract(epoch FROM k.created_at) * 1000)::bigint, k.key_hash" \
	  " FROM api_keys k JOIN users u ON u.id = k.user_id" \
	  " WHERE k.key_hash = decode($1, 'hex') AND k.revoked_at IS NULL", 1 }, \
	{ "auth_touch", \
	  "UPDATE api_keys SET last_used_at = now() WHERE key_prefix = $1 AND user_id = $2" \
	  " AND revoked_at IS NULL AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')", 2 }

#define AUTH_V2_STMT \
	{ "auth_lookup_v2", \
	  "SELECT u.id, u.username, u.avatar_url, k.key_prefix, u.privacy_mode," \
	  " (extract(epoch FROM k.created_at) * 1000)::bigint, k.signing_secret" \
	  " FROM api_keys k JOIN users u ON u.id = k.user_id" \
	  " WHERE k.key_prefix = $1 AND k.revoked_at IS NULL", 1 }

enum auth_result {
	AUTH_OK = 0,
	AUTH_REFUSED = -1,	/* 400/401 response set, audited */
	AUTH_UNAVAILABLE = -2,	/* 503 response set */
};

enum auth_result auth_api_key(struct req *rq, struct db *db, struct user *u);

/* X-API-Key plus a v1 signature, then the replay guard. */
enum auth_result auth_signed_v1(struct req *rq, struct db *db, struct user *u);

enum auth_mode {
	AUTH_KEY_OR_V2,		/* X-API-Key alone is enough (verify) */
	AUTH_SIGNED,		/* a v1 or v2 signature is required (writes) */
};

enum auth_result auth_request(struct req *rq, struct db *db, struct user *u,
			      enum auth_mode mode);

/* 1 if the request carries an Authorization header (then v2 applies). */
int auth_has_v2(const struct req *rq);

/* u->key is NULL afterwards: the key itself never travels in v2. */
enum auth_result auth_signed_v2(struct req *rq, struct db *db, struct user *u);

/* Fills u from the first row of an AUTH_STMT or AUTH_V2_STMT result
 * (columns 0-5; strings copied into rq's arena). */
void auth_user_from_row(struct req *rq, const PGresult *res, struct user *u);

/* Sets the 503 answer used whenever the database cannot be reached. */
void reply_unavailable(struct req *rq);

#endif
