/*
 * auth.h -- who is calling: the X-API-Key header
 *
 * auth_api_key() checks the header's format without touching the
 * database, then looks the key's SHA-256 up among active keys and
 * compares the stored hash again in constant time.  An unknown key and a
 * revoked key take the same query and get the same answer.  On failure it
 * sets the error response itself and audits `api_key_invalid` (with the
 * key's public prefix at most, never the key).
 *
 * Endpoints that authenticate list AUTH_STMT and AUDIT_STMT.
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
	  " WHERE k.key_hash = decode($1, 'hex') AND k.revoked_at IS NULL", 1 }

enum auth_result {
	AUTH_OK = 0,
	AUTH_REFUSED = -1,	/* 400/401 response set, audited */
	AUTH_UNAVAILABLE = -2,	/* 503 response set */
};

enum auth_result auth_api_key(struct req *rq, struct db *db, struct user *u);

/* Sets the 503 answer used whenever the database cannot be reached. */
void reply_unavailable(struct req *rq);

#endif
