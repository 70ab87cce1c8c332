/* auth.c -- who is calling: the X-API-Key header */
#include <string.h>

#include "apikey.h"
#include "audit.h"
#include "auth.h"
#include "conf.h"
#include "crypto.h"
#include "num.h"
#include "ratelimit.h"
#include "replay.h"
#include "sign.h"
#include "timeutil.h"

void reply_unavailable(struct req *rq)
{
	req_add_header(rq, "Retry-After", "5");
	req_error(rq, 503, "service_unavailable", NULL,
		  "the database is unavailable; retry shortly");
}

static enum auth_result refuse(struct req *rq, struct db *db, const char *reason,
			       const char *prefix)
{
	char *details = arena_printf(rq->a, "{\"reason\":\"%s\"%s%s%s}", reason,
				     prefix ? ",\"keyPrefix\":\"" : "",
				     prefix ? prefix : "", prefix ? "\"" : "");

	audit(db, rq, NULL, "api_key_invalid", details);
	if (strcmp(reason, "missing") == 0)
		req_error(rq, 401, "api_key_missing", "X-API-Key",
			  "the X-API-Key header is required");
	else
		req_error(rq, 401, "api_key_invalid", "X-API-Key",
			  "the API key is invalid or revoked");
	return AUTH_REFUSED;
}

void auth_user_from_row(struct req *rq, const PGresult *res, struct user *u)
{
	u->id = arena_strdup(rq->a, PQgetvalue(res, 0, 0));
	u->username = arena_strdup(rq->a, PQgetvalue(res, 0, 1));
	u->avatar_url = PQgetisnull(res, 0, 2) ? NULL : arena_strdup(rq->a, PQgetvalue(res, 0, 2));
	u->key_prefix = arena_strdup(rq->a, PQgetvalue(res, 0, 3));
	u->privacy_mode = strcmp(PQgetvalue(res, 0, 4), "t") == 0;
	num_parse_i64z(PQgetvalue(res, 0, 5), INT64_MIN, INT64_MAX, &u->key_created_ms);
}

enum auth_result auth_api_key(struct req *rq, struct db *db, struct user *u)
{
	int dup = 0;
	const char *key = req_header(rq, "X-API-Key", &dup);
	unsigned char hash[SHA256_LEN], stored[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1], prefix[APIKEY_PREFIX_LEN + 1];
	const char *vals[1] = { hex };
	PGresult *res;
	const char *h;

	memset(u, 0, sizeof(*u));
	if (dup) {
		audit(db, rq, NULL, "suspicious_activity", "{\"reason\":\"duplicate X-API-Key header\"}");
		req_error(rq, 400, "duplicate_header", "X-API-Key",
			  "the X-API-Key header was sent more than once");
		return AUTH_REFUSED;
	}
	if (!key || !*key)
		return refuse(rq, db, "missing", NULL);
	if (!apikey_well_formed(key))
		return refuse(rq, db, "malformed", NULL);
	apikey_prefix(key, prefix);
	apikey_hash(key, hash);
	hex_encode(hash, sizeof(hash), hex);
	res = db_run(db, "auth_lookup", 1, vals);
	if (!res) {
		reply_unavailable(rq);
		return AUTH_UNAVAILABLE;
	}
	/* the index found it; compare again in constant time all the same */
	h = PQntuples(res) == 1 ? PQgetvalue(res, 0, 6) : NULL;
	if (!h || strncmp(h, "\\x", 2) != 0 ||
	    hex_decode(h + 2, strlen(h + 2), stored, sizeof(stored)) ||
	    !crypto_equal(stored, hash, sizeof(hash))) {
		PQclear(res);
		return refuse(rq, db, "unknown_or_revoked", prefix);
	}
	auth_user_from_row(rq, res, u);
	u->key = key;
	PQclear(res);
	return AUTH_OK;
}

/* Refuses a request whose v1 signature did not check out. */
static enum auth_result refuse_v1(struct req *rq, struct db *db, const struct user *u,
				  enum sign_result sr)
{
	audit(db, rq, u->id, sign_audit_event(sr),
	      arena_printf(rq->a, "{\"reason\":\"%s\",\"keyPrefix\":\"%s\"}",
			   sign_error_code(sr), u->key_prefix));
	req_error(rq, 401, sign_error_code(sr),
		  sr <= SIGN_TIMESTAMP_EXPIRED ? "X-Timestamp" : "X-Signature",
		  sr == SIGN_TIMESTAMP_EXPIRED ?
		  "X-Timestamp is outside the allowed window; check the clock" :
		  sr <= SIGN_TIMESTAMP_EXPIRED ? "X-Timestamp must be unix seconds in decimal" :
		  "the request signature does not match");
	return AUTH_REFUSED;
}

enum auth_result auth_signed_v1(struct req *rq, struct db *db, struct user *u)
{
	const char *ts, *sig;
	unsigned char mac[SHA256_LEN];
	enum auth_result r = auth_api_key(rq, db, u);
	enum sign_result sr;
	int64_t t = 0;

	if (r != AUTH_OK)
		return r;
	/* repeated headers were refused before the handler ran (serve.c) */
	ts = req_header(rq, "X-Timestamp", NULL);
	sig = req_header(rq, "X-Signature", NULL);
	sr = sign_verify_v1(u->key, ts, sig, rq->body ? rq->body : "", rq->body ? rq->body_len : 0,
			    time_now_ms() / 1000, arena_conf.sign_window);
	if (sr != SIGN_OK)
		return refuse_v1(rq, db, u, sr);
	/* verified, so both are well-formed */
	hex_decode(sig, strlen(sig), mac, sizeof(mac));
	num_parse_i64z(ts, 0, INT64_MAX, &t);
	switch (replay_check(db, mac, t)) {
	case REPLAY_FRESH:
		return AUTH_OK;
	case REPLAY_SEEN:
		audit(db, rq, u->id, "replay_detected",
		      arena_printf(rq->a, "{\"scheme\":\"v1\",\"reason\":\"replay\",\"keyPrefix\":\"%s\"}",
				   u->key_prefix));
		req_error(rq, 401, "replay_detected", "X-Signature",
			  "this signed request was already received; sign each request afresh");
		return AUTH_REFUSED;
	case REPLAY_UNAVAILABLE:
		break;
	}
	reply_unavailable(rq);
	return AUTH_UNAVAILABLE;
}

/* Notes that the key was used; a failure only costs the note. */
static void touch_key(struct db *db, const struct user *u)
{
	const char *vals[2] = { u->key_prefix, u->id };
	PGresult *res = db_run(db, "auth_touch", 2, vals);

	if (res)
		PQclear(res);
}

enum auth_result auth_request(struct req *rq, struct db *db, struct user *u,
			      enum auth_mode mode)
{
	enum auth_result r;

	memset(u, 0, sizeof(*u));
	if (!ratelimit_peek(db, rq, RL_AUTH, rq->remote_addr))
		return AUTH_REFUSED;
	if (auth_has_v2(rq))
		r = auth_signed_v2(rq, db, u);
	else if (mode == AUTH_SIGNED)
		r = auth_signed_v1(rq, db, u);
	else
		r = auth_api_key(rq, db, u);
	if (r == AUTH_REFUSED && rq->status == 401) {
		/* counting failures only: a client's good requests never lock it out */
		ratelimit_check(db, rq, RL_AUTH, rq->remote_addr);
		return AUTH_REFUSED;
	}
	if (r != AUTH_OK)
		return r;
	rq->user_id = u->id;	/* for the log lines (log.h) */
	if (!ratelimit_check(db, rq, RL_API, u->id))
		return AUTH_REFUSED;
	touch_key(db, u);
	return AUTH_OK;
}
