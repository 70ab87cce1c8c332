/* sign.c -- verifying signed requests */
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "num.h"
#include "sign.h"

int sign_v1(const char *key, const char *ts, const char *body, size_t body_len,
	    char hex[65])
{
	size_t tlen = strlen(ts), n = tlen + 1 + body_len;
	unsigned char mac[SHA256_LEN];
	char *msg = malloc(n ? n : 1);
	int rc;

	if (!msg)
		return -1;
	memcpy(msg, ts, tlen);
	msg[tlen] = ':';
	if (body_len)
		memcpy(msg + tlen + 1, body, body_len);
	rc = crypto_hmac_sha256(key, strlen(key), msg, n, mac);
	free(msg);
	if (rc)
		return -1;
	hex_encode(mac, sizeof(mac), hex);
	return 0;
}

enum sign_result sign_verify_v1(const char *key, const char *ts, const char *sig,
				const char *body, size_t body_len, int64_t now,
				int64_t window)
{
	unsigned char want[SHA256_LEN], got[SHA256_LEN];
	char hex[65];
	int64_t t;

	if (!ts || !*ts)
		return SIGN_TIMESTAMP_MISSING;
	/* 10 digits for the next few centuries; anything longer is a mistake */
	if (strlen(ts) > 12 || num_parse_i64z(ts, 0, INT64_MAX / 2, &t) != NUM_OK)
		return SIGN_TIMESTAMP_INVALID;
	if (t < now - window || t > now + window)
		return SIGN_TIMESTAMP_EXPIRED;
	if (!sig || !*sig)
		return SIGN_SIGNATURE_MISSING;
	if (hex_decode(sig, strlen(sig), got, sizeof(got)))
		return SIGN_SIGNATURE_MALFORMED;
	if (sign_v1(key, ts, body, body_len, hex) || hex_decode(hex, 64, want, sizeof(want)))
		return SIGN_SIGNATURE_MISMATCH;
	return crypto_equal(want, got, sizeof(got)) ? SIGN_OK : SIGN_SIGNATURE_MISMATCH;
}

const char *sign_error_code(enum sign_result r)
{
	switch (r) {
	case SIGN_OK: return "ok";
	case SIGN_TIMESTAMP_MISSING:
	case SIGN_TIMESTAMP_INVALID: return "hmac_timestamp_invalid";
	case SIGN_TIMESTAMP_EXPIRED: return "hmac_timestamp_expired";
	case SIGN_SIGNATURE_MISSING:
	case SIGN_SIGNATURE_MALFORMED:
	case SIGN_SIGNATURE_MISMATCH: return "hmac_signature_invalid";
	}
	return "hmac_signature_invalid";
}

const char *sign_audit_event(enum sign_result r)
{
	return r == SIGN_TIMESTAMP_EXPIRED || r == SIGN_TIMESTAMP_INVALID ||
	       r == SIGN_TIMESTAMP_MISSING ? "hmac_timestamp_expired" : "hmac_signature_invalid";
}
