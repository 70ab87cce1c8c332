/* account.c -- what the sign-in, dashboard and device endpoints share */
#include <string.h>

#include "account.h"
#include "page.h"
#include "serve.h"

enum account_key_result account_key_create(struct db *db, const char *user_id,
					   struct apikey_new *k)
{
	int tries;

	/* a 32-bit prefix collides with a live one now and then: draw again */
	for (tries = 0; tries < 8; tries++) {
		const char *vals[4];
		PGresult *res;
		const char *r;

		if (apikey_mint(k))
			return ACCOUNT_KEY_FAILED;
		vals[0] = user_id;
		vals[1] = k->hash_hex;
		vals[2] = k->prefix;
		vals[3] = k->sealed_hex;
		res = db_run(db, "key_insert", 4, vals);
		if (!res) {
			apikey_mint_wipe(k);
			return ACCOUNT_KEY_FAILED;
		}
		r = PQgetvalue(res, 0, 0);
		if (strcmp(r, "ok") == 0) {
			PQclear(res);
			return ACCOUNT_KEY_OK;
		}
		apikey_mint_wipe(k);
		if (strcmp(r, "full") == 0) {
			PQclear(res);
			return ACCOUNT_KEY_FULL;
		}
		PQclear(res);
	}
	return ACCOUNT_KEY_FAILED;
}

void account_private(struct req *rq)
{
	/* once: a page of the account routes may have set it already */
	if (!strstr(buf_str(&rq->headers), "Cache-Control: private, no-store"))
		req_add_header(rq, "Cache-Control", "private, no-store");
}

void account_error(struct req *rq, int status, const char *msg_key)
{
	enum lang l;
	const char *rest;

	if (!path_is_canonical(rq->path) || !page_lang_from_path(rq->path, &l, &rest))
		l = page_negotiate(rq);
	page_error(rq, l, status, msg_key, NULL, 0);
	account_private(rq);
}

void account_redirect(struct req *rq, const char *location)
{
	rq->status = 303;
	rq->content_type = "text/plain; charset=utf-8";
	buf_reset(&rq->out);
	req_add_header(rq, "Location", location);
}
