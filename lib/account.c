/* account.c -- what the sign-in, dashboard and device endpoints share */
#include <string.h>

#include "account.h"

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
	req_add_header(rq, "Cache-Control", "private, no-store");
}

void account_page(struct req *rq, int status, const char *title, const char *text)
{
	rq->status = status;
	rq->content_type = "text/html; charset=utf-8";
	buf_reset(&rq->out);
	buf_printf(&rq->out, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		   "<title>%s - Modu-Arena</title></head><body><main><h1>%s</h1><p>%s</p>"
		   "<p><a href=\"/\">Modu-Arena</a></p></main></body></html>\n",
		   title, title, text);
}

void account_redirect(struct req *rq, const char *location)
{
	rq->status = 303;
	rq->content_type = "text/plain; charset=utf-8";
	buf_reset(&rq->out);
	req_add_header(rq, "Location", location);
}
