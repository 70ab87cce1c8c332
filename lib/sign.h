/*
 * sign.h -- signed requests, v1 and v2
 *
 * Scheme v1 (the seed's): X-Timestamp is unix seconds in plain decimal,
 * X-Signature is lowercase hex HMAC-SHA256 keyed with the API key over
 * timestamp ":" raw-body.  The raw bytes as received are what is signed;
 * nothing is re-serialised before checking.  The timestamp must lie
 * within the configured window (default ±300 s) of the server's clock.
 * The MAC is compared in constant time.
 *
 * Scheme v2 (README, Appendix A; modelled on AWS SigV4) never sends the key:
 *
 *	Authorization: MODU-HMAC-SHA256 KeyId=<public prefix>,
 *	    Timestamp=<unix seconds>, Nonce=<16-64 of [A-Za-z0-9_-]>,
 *	    Signature=<64 lowercase hex>
 *
 * The signature is HMAC-SHA256(signing key, string to sign), where the
 * signing key is HMAC-SHA256(api key, "modu-arena-v2") and
 *
 *	canonical request = METHOD \n path \n canonical query \n
 *	                    timestamp \n nonce \n hex(SHA-256(body))
 *	string to sign    = "MODU-HMAC-SHA256" \n timestamp \n key id \n
 *	                    hex(SHA-256(canonical request))
 *
 * so method, path, query, time, nonce and every body byte are bound.
 */
#ifndef ARENA_SIGN_H
#define ARENA_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum sign_result {
	SIGN_OK = 0,
	SIGN_TIMESTAMP_MISSING,		/* hmac_timestamp_invalid */
	SIGN_TIMESTAMP_INVALID,		/* hmac_timestamp_invalid */
	SIGN_TIMESTAMP_EXPIRED,		/* hmac_timestamp_expired */
	SIGN_SIGNATURE_MISSING,		/* hmac_signature_invalid */
	SIGN_SIGNATURE_MALFORMED,	/* hmac_signature_invalid */
	SIGN_SIGNATURE_MISMATCH,	/* hmac_signature_invalid */
	SIGN_HEADER_MALFORMED,		/* hmac_signature_invalid (v2) */
	SIGN_QUERY_MALFORMED,		/* hmac_signature_invalid (v2) */
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

#define SIGN_V2_ALGORITHM "MODU-HMAC-SHA256"
#define SIGN_V2_KEY_ID_LEN 19		/* the key's public prefix */
#define SIGN_V2_NONCE_MIN 16
#define SIGN_V2_NONCE_MAX 64
#define SIGN_V2_HEADER_MAX 512		/* longer is malformed, not parsed */
#define SIGN_KEY_LEN 32

/* A parsed v2 Authorization header. */
struct sign_v2_header {
	char key_id[SIGN_V2_KEY_ID_LEN + 1];
	char timestamp[16];
	char nonce[SIGN_V2_NONCE_MAX + 1];
	unsigned char signature[32];
};

/* What a v2 signature covers besides the header's own fields. */
struct sign_v2_request {
	const char *method;	/* as sent: "GET", "HEAD", "POST" */
	const char *path;	/* canonical, without the query */
	const char *query;	/* raw query string, "" when none */
	const char *body;
	size_t body_len;
};

/*
 * Parses an Authorization header value (NULL when absent) into h.
 * SIGN_OK, or the first problem: SIGN_HEADER_MALFORMED for a wrong
 * scheme, syntax, unknown, repeated or missing parameter;
 * SIGN_TIMESTAMP_MISSING/INVALID, SIGN_SIGNATURE_MISSING/MALFORMED.
 */
enum sign_result sign_v2_parse(const char *header, struct sign_v2_header *h);

/* The v2 signing key of an API key: HMAC-SHA256(key, "modu-arena-v2"). */
int sign_v2_derive_key(const char *api_key, unsigned char out[SIGN_KEY_LEN]);

/*
 * Appends the canonical form of a raw query string to out: pairs split
 * on '&' (empty ones dropped), '=' optional, percent-decoded ('+' is a
 * space) and re-encoded with only A-Z a-z 0-9 - . _ ~ left bare and
 * upper-case %XX for every other byte, sorted by name then value, joined
 * by '&'.  Returns 0, or -1 for a bad escape or an escaped NUL.
 */
int sign_v2_canonical_query(const char *raw, struct buf *out);

/* Appends the canonical request and the string to sign; 0 or -1. */
int sign_v2_canonical_request(const struct sign_v2_request *r, const char *ts,
			      const char *nonce, struct buf *out);
void sign_v2_string_to_sign(const char *ts, const char *key_id,
			    const char *canonical, size_t len, struct buf *out);

/* Computes a v2 signature into hex (65 bytes); returns 0 or -1. */
int sign_v2(const unsigned char key[SIGN_KEY_LEN], const struct sign_v2_request *r,
	    const char *key_id, const char *ts, const char *nonce, char hex[65]);

/*
 * Checks a parsed header against the request with the signing key
 * (derived as above) of the key the header names.
 */
enum sign_result sign_verify_v2(const unsigned char key[SIGN_KEY_LEN],
				const struct sign_v2_header *h,
				const struct sign_v2_request *r, int64_t now,
				int64_t window);

/* The stable API error code and the audit event for a result. */
const char *sign_error_code(enum sign_result r);
const char *sign_audit_event(enum sign_result r);

#endif
