/*
 * verify.c -- GET /api/v1/verify
 *
 * Tells a client whether its key is valid, and whose it is: sent as
 * X-API-Key, or proven by a v2 signature (Authorization header) without
 * sending it.  Unknown, malformed and revoked keys all get the same 401.
 */
#include "audit.h"
#include "auth.h"
#include "ratelimit.h"
#include "replay.h"
#include "serve.h"
#include "timeutil.h"

static const struct db_stmt stmts[] = {
	AUTH_STMTS,
	DB_STMT_END
};

static void handle_verify(struct req *rq, struct db *db)
{
	struct user u;
	struct jsonw *w;
	char created[TIME_ISO_LEN + 1];

	if (auth_request(rq, db, &u, AUTH_KEY_OR_V2) != AUTH_OK)
		return;
	audit(db, rq, u.id, "api_key_validated",
	      arena_printf(rq->a, "{\"keyPrefix\":\"%s\"}", u.key_prefix));
	time_format_iso(u.key_created_ms, created);
	w = req_json(rq, 200);
	jsonw_object(w);
	jsonw_key(w, "valid");
	jsonw_bool(w, 1);
	jsonw_key(w, "username");
	jsonw_string(w, u.username);
	jsonw_key(w, "apiKeyPrefix");
	jsonw_string(w, u.key_prefix);
	jsonw_key(w, "privacyMode");
	jsonw_bool(w, u.privacy_mode);
	jsonw_key(w, "createdAt");
	jsonw_string(w, created);
	jsonw_end(w);
}

static const struct endpoint verify_endpoint = {
	.name = "verify",
	.allow = "GET, HEAD",
	.stmts = stmts,
	.handle = handle_verify,
};

SERVE_MAIN(verify_endpoint)
