/*
 * account.h -- what the sign-in, dashboard and device endpoints share
 *
 * account_key_create() issues a new API key for a user through the same
 * minting code as arena-admin (apikey_mint(): only the hash, the prefix
 * and the sealed v2 secret are stored) and the stored function that caps
 * live keys per user.  The caller shows k->key once and wipes it.
 *
 * Cookie-authenticated answers must never be cached by anyone:
 * account_private() sets Cache-Control: private, no-store (once).
 *
 * An endpoint that creates keys lists ACCOUNT_KEY_STMT.
 */
#ifndef ARENA_ACCOUNT_H
#define ARENA_ACCOUNT_H

#include "apikey.h"
#include "db.h"
#include "req.h"

#define ACCOUNT_KEY_STMT \
	{ "key_insert", \
	  "SELECT arena_key_insert($1, decode($2, 'hex'), $3, decode(NULLIF($4, ''), 'hex'))", 4 }

enum account_key_result {
	ACCOUNT_KEY_OK = 0,
	ACCOUNT_KEY_FULL = 1,		/* the user has the maximum of live keys */
	ACCOUNT_KEY_FAILED = -1,	/* database or randomness */
};

enum account_key_result account_key_create(struct db *db, const char *user_id,
					   struct apikey_new *k);

void account_private(struct req *rq);

/*
 * A whole error page in the visitor's language (page_error() with the
 * language of the path, else page_negotiate()), private to this browser.
 * It replaces the response headers: add cookies after it.
 */
void account_error(struct req *rq, int status, const char *msg_key);

/* A 303 to a path of ours. */
void account_redirect(struct req *rq, const char *location);

#endif
