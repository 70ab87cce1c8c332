/* auth_v2.c -- who is calling: a request signed with scheme v2 */
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "conf.h"
#include "crypto.h"
#include "num.h"
#include "replay.h"
#include "seal.h"
#include "sign.h"
#include "timeutil.h"

int auth_has_v2(const struct req *rq)
{
	return req_header(rq, "Authorization", NULL) != NULL;
}

/* Audits and answers a refusal; details name the cause, never a secret. */
static enum auth_result refuse(struct req *rq, struct db *db, const char *user_id,
			       const char *event, const char *code, const char *reason,
			       const char *key_id)
{
	struct buf b = BUF_INIT;
	struct jsonw w;

	jsonw_init(&w, &b);
	jsonw_object(&w);
	jsonw_key(&w, "scheme");
	jsonw_string(&w, "v2");
	jsonw_key(&w, "reason");
	jsonw_string(&w, reason);
	if (key_id && *key_id) {
		jsonw_key(&w, "keyPrefix");
		jsonw_string(&w, key_id);
	}
	jsonw_end(&w);
	audit(db, rq, user_id, event, buf_str(&b));
	buf_release(&b);
	if (strcmp(code, "api_key_invalid") == 0)
		req_error(rq, 401, code, "Authorization", "the API key is invalid or revoked");
	else if (strcmp(code, "replay_detected") == 0)
		req_error(rq, 401, code, "Authorization",
			  "this signed request was already received; sign each request afresh");
	else if (strcmp(code, "hmac_timestamp_expired") == 0)
		req_error(rq, 401, code, "Authorization",
			  "the signature timestamp is outside the allowed window");
	else if (strcmp(code, "hmac_timestamp_invalid") == 0)
		req_error(rq, 401, code, "Authorization",
			  "the signature timestamp must be unix seconds in decimal");
	else
		req_error(rq, 401, code, "Authorization", "the request signature is invalid");
	return AUTH_REFUSED;
}

static const char *reason_of(enum sign_result r)
{
	switch (r) {
	case SIGN_OK: return "ok";
	case SIGN_TIMESTAMP_MISSING: return "timestamp_missing";
	case SIGN_TIMESTAMP_INVALID: return "timestamp_invalid";
	case SIGN_TIMESTAMP_EXPIRED: return "timestamp_expired";
	case SIGN_SIGNATURE_MISSING: return "signature_missing";
	case SIGN_SIGNATURE_MALFORMED: return "signature_malformed";
	case SIGN_SIGNATURE_MISMATCH: return "signature_mismatch";
	case SIGN_HEADER_MALFORMED: return "header_malformed";
	case SIGN_QUERY_MALFORMED: return "query_malformed";
	}
	return "invalid";
}

/* Opens the row's sealed signing secret; 0, or -1 if there is none usable. */
static int open_secret(PGresult *res, const char *key_id, unsigned char key[SIGN_KEY_LEN])
{
	const char *v;
	unsigned char blob[SIGN_KEY_LEN + SEAL_OVERHEAD];

	if (!arena_conf.have_secret_key || PQgetisnull(res, 0, 6))
		return -1;
	v = PQgetvalue(res, 0, 6);
	if (strncmp(v, "\\x", 2) != 0 || hex_decode(v + 2, strlen(v + 2), blob, sizeof(blob)))
		return -1;
	return seal_open(arena_conf.secret_key, blob, sizeof(blob), key_id, key);
}

enum auth_result auth_signed_v2(struct req *rq, struct db *db, struct user *u)
{
	struct sign_v2_header h;
	struct sign_v2_request r;
	unsigned char key[SIGN_KEY_LEN];
	const char *vals[1];
	enum sign_result sr;
	PGresult *res;
	int found, usable;
	int64_t ts;

	memset(u, 0, sizeof(*u));
	sr = sign_v2_parse(req_header(rq, "Authorization", NULL), &h);
	if (sr != SIGN_OK)
		return refuse(rq, db, NULL, sign_audit_event(sr), sign_error_code(sr),
			      reason_of(sr), NULL);
	vals[0] = h.key_id;
	res = db_run(db, "auth_lookup_v2", 1, vals);
	if (!res) {
		reply_unavailable(rq);
		return AUTH_UNAVAILABLE;
	}
	found = PQntuples(res) == 1;
	usable = found && open_secret(res, h.key_id, key) == 0;
	if (!usable) {
		/* the same work as for a real key, so timing does not tell a prefix exists */
		memset(key, 0, sizeof(key));
	}
	r.method = rq->is_head ? "HEAD" : rq->method;
	r.path = rq->path;
	r.query = rq->query;
	r.body = rq->body ? rq->body : "";
	r.body_len = rq->body ? rq->body_len : 0;
	sr = sign_verify_v2(key, &h, &r, time_now_ms() / 1000, arena_conf.sign_window);
	memset(key, 0, sizeof(key));
	if (!usable) {
		PQclear(res);
		return refuse(rq, db, NULL, "api_key_invalid", "api_key_invalid",
			      found ? "no_v2_secret" : "unknown_key_id", h.key_id);
	}
	auth_user_from_row(rq, res, u);
	u->key = NULL;
	PQclear(res);
	if (sr != SIGN_OK)
		return refuse(rq, db, u->id, sign_audit_event(sr), sign_error_code(sr),
			      reason_of(sr), h.key_id);
	num_parse_i64z(h.timestamp, 0, INT64_MAX, &ts);
	switch (replay_check(db, h.signature, ts)) {
	case REPLAY_FRESH:
		return AUTH_OK;
	case REPLAY_SEEN:
		return refuse(rq, db, u->id, "replay_detected", "replay_detected", "replay", h.key_id);
	case REPLAY_UNAVAILABLE:
		break;
	}
	reply_unavailable(rq);
	return AUTH_UNAVAILABLE;
}
