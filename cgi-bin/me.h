/*
 * me.h -- what the JSON API (me.c) and the pages (dashboard.c) of the
 * signed-in user share: the statement table and the actions, so a form
 * and a JSON call change the same things the same way (and audit them).
 */
#ifndef ARENA_ME_H
#define ARENA_ME_H

#include "account.h"
#include "websession.h"

#define ME_BODY_MAX 4096

extern const struct db_stmt me_stmts[];

/* Changes privacy ("t"/"f"/NULL) and time zone (or NULL): 0 with the row
 * (privacy_mode, time_zone, updated_at) in *out, 1 unknown zone, -1 db. */
int me_settings_apply(struct req *rq, struct db *db, const struct websession *ws,
		      const char *privacy, const char *tz, PGresult **out);
int me_tz_ok(const char *s);

/* A new key for the user, audited; show k->key once, then wipe it. */
enum account_key_result me_key_create(struct req *rq, struct db *db,
				      const struct websession *ws, struct apikey_new *k);

/* 0 revoked, 1 no live key of the user with that prefix, -1 db. */
int me_key_revoke(struct req *rq, struct db *db, const struct websession *ws,
		  const char *prefix);

/* Deletes the account and everything about it; clears the cookie. 0 or -1. */
int me_delete(struct req *rq, struct db *db, const struct websession *ws);

/* The pages: /dashboard, /device and their language prefixes. */
void me_pages(struct req *rq, struct db *db);

#endif
