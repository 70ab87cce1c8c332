/*
 * sign.h -- verifying signed requests
 *
 * Scheme v1 (the seed's): X-Timestamp is unix seconds in plain decimal,
 * X-Signature is lowercase hex HMAC-SHA256 keyed with the API key over
 * timestamp ":" raw-body.  The raw bytes as received are what is signed;
 * nothing is re-serialised before checking.  The timestamp must lie
 * within the configured window (default ±300 s) of the server's clock.
 * The MAC is compared in constant time.
 */
#ifndef ARENA_SIGN_H
#define ARENA_SIGN_H

#include <stddef.h>
#include <stdint.h>

enum sign_result {
	SIGN_OK = 0,
	SIGN_TIMESTAMP_MISSING,		/* hmac_timestamp_invalid */
	SIGN_TIMESTAMP_INVALID,		/* hmac_timestamp_invalid */
	SIGN_TIMESTAMP_EXPIRED,		/* hmac_timestamp_expired */
	SIGN_SIGNATURE_MISSING,		/* hmac_signature_invalid */
	SIGN_SIGNATURE_MALFORMED,	/* hmac_signature_invalid */
	SIGN_SIGNATURE_MISMATCH,	/* hmac_signature_invalid */
};

/*
 * Checks a v1 signature.  ts and sig are the header values (NULL when
 * absent); now is the server's unix time; window the allowed skew.
 */
enum sign_result sign_verify_v1(const char *key, const char *ts, const char *sig,
				const char *body, size_t body_len, int64_t now,
				int64_t window);

/* Computes a v1 signature into hex (65 bytes); returns 0 or -1. */
int sign_v1(const char *key, const char *ts, const char *body, size_t body_len,
	    char hex[65]);

/* The stable API error code and the audit event for a result. */
const char *sign_error_code(enum sign_result r);
const char *sign_audit_event(enum sign_result r);

#endif
