/*
 * 0030-sign.c -- the published v2 test vectors (README, Appendix A), every
 * way to break a signature, header parsing, v1, and sealed secrets
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "seal.h"
#include "sign.h"
#include "tap.h"

#define KEY "modu_arena_0123abcd_0123456789abcdef0123456789abcdef"
#define KEY_ID "modu_arena_0123abcd"
#define TS "1767225600"
#define NOW 1767225600
#define NONCE1 "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
#define BODY1 "{\"sessionHash\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"," \
	"\"inputTokens\":3000000000}"
#define SIG1 "98506ecefafc8ec86a9b5eb1a4fad26109887aea3c720675e275e10de5bb39cb"
#define NONCE2 "nonce-for-vector-2"
#define QUERY2 "x=%7e+y&b=2&a=1&a=0&flag"
#define SIG2 "a156fa3142a8627586bf2f8684c74227e75fa476a16d35d3d59a77363a4a6284"

static unsigned char skey[SIGN_KEY_LEN];

static const struct sign_v2_request req1 = {
	"POST", "/api/v1/sessions", "", BODY1, sizeof(BODY1) - 1
};
static const struct sign_v2_request req2 = {
	"GET", "/api/v1/verify", QUERY2, "", 0
};

static char *header(const char *key_id, const char *ts, const char *nonce, const char *sig)
{
	static char h[600];

	snprintf(h, sizeof(h), "MODU-HMAC-SHA256 KeyId=%s, Timestamp=%s, Nonce=%s, Signature=%s",
		 key_id, ts, nonce, sig);
	return h;
}

/* Verifies header text against a request at NOW. */
static enum sign_result check(const char *hdr, const struct sign_v2_request *r)
{
	struct sign_v2_header h;
	enum sign_result rc = sign_v2_parse(hdr, &h);

	if (rc != SIGN_OK)
		return rc;
	return sign_verify_v2(skey, &h, r, NOW, 300);
}

static void test_vectors(void)
{
	struct buf b = BUF_INIT;
	char hex[65];

	ok(sign_v2_derive_key(KEY, skey) == 0, "signing key derives");
	hex_encode(skey, sizeof(skey), hex);
	is_str(hex, "b74ea7de26dfa2800f5c323136e591e436be4cec549e365953e313c1f838dec8",
	       "vector: signing key = HMAC-SHA256(key, \"modu-arena-v2\")");

	ok(sign_v2_canonical_request(&req1, TS, NONCE1, &b) == 0, "vector 1 canonical request builds");
	is_str(buf_str(&b), "POST\n/api/v1/sessions\n\n" TS "\n" NONCE1 "\n"
	       "0a79294a7630b12ddf884ba6bb0a5031e9b398ad5985bd95f06429c7bf699677",
	       "vector 1: canonical request");
	{
		struct buf s = BUF_INIT;

		sign_v2_string_to_sign(TS, KEY_ID, buf_str(&b), b.len, &s);
		is_str(buf_str(&s), "MODU-HMAC-SHA256\n" TS "\n" KEY_ID "\n"
		       "b33b31372ce795a492e5f2e8e9fa0b2fa03eb80cc6b6d53e68c5ef31d28b3821",
		       "vector 1: string to sign");
		buf_release(&s);
	}
	ok(sign_v2(skey, &req1, KEY_ID, TS, NONCE1, hex) == 0, "vector 1 signs");
	is_str(hex, SIG1, "vector 1: signature");

	buf_reset(&b);
	ok(sign_v2_canonical_request(&req2, TS, NONCE2, &b) == 0, "vector 2 canonical request builds");
	is_str(buf_str(&b), "GET\n/api/v1/verify\na=0&a=1&b=2&flag=&x=~%20y\n" TS "\n" NONCE2 "\n"
	       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	       "vector 2: canonical request (query sorted, re-encoded, empty body)");
	ok(sign_v2(skey, &req2, KEY_ID, TS, NONCE2, hex) == 0, "vector 2 signs");
	is_str(hex, SIG2, "vector 2: signature");
	buf_release(&b);

	is_int(check(header(KEY_ID, TS, NONCE1, SIG1), &req1), SIGN_OK, "vector 1 verifies");
	is_int(check(header(KEY_ID, TS, NONCE2, SIG2), &req2), SIGN_OK, "vector 2 verifies");
}

static void test_breaks(void)
{
	struct sign_v2_request r;
	char body[sizeof(BODY1)];
	unsigned char other[SIGN_KEY_LEN];
	struct sign_v2_header h;
	char sig[65];
	size_t i;
	int all = 1;

	r = req1;
	r.method = "PUT";
	is_int(check(header(KEY_ID, TS, NONCE1, SIG1), &r), SIGN_SIGNATURE_MISMATCH, "wrong method");
	r = req1;
	r.path = "/api/v1/sessions/batch";
	is_int(check(header(KEY_ID, TS, NONCE1, SIG1), &r), SIGN_SIGNATURE_MISMATCH, "wrong path");
	r = req1;
	r.query = "x=1";
	is_int(check(header(KEY_ID, TS, NONCE1, SIG1), &r), SIGN_SIGNATURE_MISMATCH, "query added");
	r = req2;
	r.query = "x=%7e+y&b=3&a=1&a=0&flag";
	is_int(check(header(KEY_ID, TS, NONCE2, SIG2), &r), SIGN_SIGNATURE_MISMATCH, "query value changed");
	r.query = "flag&a=0&a=1&b=2&x=~%20y";
	is_int(check(header(KEY_ID, TS, NONCE2, SIG2), &r), SIGN_OK,
	       "query reordered and re-encoded: same canonical form, still valid");
	/* every single body byte is covered */
	for (i = 0; i < sizeof(BODY1) - 1; i++) {
		memcpy(body, BODY1, sizeof(BODY1));
		body[i] ^= 1;
		r = req1;
		r.body = body;
		if (check(header(KEY_ID, TS, NONCE1, SIG1), &r) != SIGN_SIGNATURE_MISMATCH)
			all = 0;
	}
	ok(all, "flipping any one body bit breaks the signature");
	r = req1;
	r.body_len--;
	is_int(check(header(KEY_ID, TS, NONCE1, SIG1), &r), SIGN_SIGNATURE_MISMATCH, "truncated body");
	is_int(check(header(KEY_ID, TS, "0f1e2d3c4b5a69788796a5b4c3d2e1f1", SIG1), &req1),
	       SIGN_SIGNATURE_MISMATCH, "another nonce");
	is_int(check(header(KEY_ID, "1767225601", NONCE1, SIG1), &req1), SIGN_SIGNATURE_MISMATCH,
	       "another timestamp in the window");
	is_int(check(header("modu_arena_0123abce", TS, NONCE1, SIG1), &req1), SIGN_SIGNATURE_MISMATCH,
	       "wrong key id (bound into the string to sign)");
	sign_v2_derive_key("modu_arena_0123abcd_0123456789abcdef0123456789abcdee", other);
	sign_v2_parse(header(KEY_ID, TS, NONCE1, SIG1), &h);
	is_int(sign_verify_v2(other, &h, &req1, NOW, 300), SIGN_SIGNATURE_MISMATCH,
	       "verified with another key's secret");
	memcpy(sig, SIG1, 65);
	sig[63] = sig[63] == '0' ? '1' : '0';
	is_int(check(header(KEY_ID, TS, NONCE1, sig), &req1), SIGN_SIGNATURE_MISMATCH,
	       "one signature digit changed");

	/* time */
	is_int(sign_verify_v2(skey, &h, &req1, NOW + 300, 300), SIGN_OK, "300 s late: accepted");
	is_int(sign_verify_v2(skey, &h, &req1, NOW + 301, 300), SIGN_TIMESTAMP_EXPIRED, "301 s late: expired");
	is_int(sign_verify_v2(skey, &h, &req1, NOW - 300, 300), SIGN_OK, "300 s early: accepted");
	is_int(sign_verify_v2(skey, &h, &req1, NOW - 301, 300), SIGN_TIMESTAMP_EXPIRED,
	       "301 s in the future: expired");
	is_int(check(header(KEY_ID, "1767225600000", NONCE1, SIG1), &req1), SIGN_TIMESTAMP_INVALID,
	       "milliseconds timestamp invalid");
	is_int(check(header(KEY_ID, "01767225600", NONCE1, SIG1), &req1), SIGN_TIMESTAMP_INVALID,
	       "leading zero timestamp invalid");
	is_int(check(header(KEY_ID, "17e8", NONCE1, SIG1), &req1), SIGN_TIMESTAMP_INVALID,
	       "exponent timestamp invalid");
}

static void test_parse(void)
{
	struct sign_v2_header h;
	char longnonce[80];

	is_int(sign_v2_parse(NULL, &h), SIGN_SIGNATURE_MISSING, "no header");
	is_int(sign_v2_parse("", &h), SIGN_SIGNATURE_MISSING, "empty header");
	ok(sign_v2_parse("modu-hmac-sha256 Signature=" SIG1 ",Nonce=" NONCE1 ",Timestamp=" TS
			 ",KeyId=" KEY_ID, &h) == SIGN_OK && strcmp(h.key_id, KEY_ID) == 0 &&
	   strcmp(h.timestamp, TS) == 0 && strcmp(h.nonce, NONCE1) == 0,
	   "scheme case-insensitive, parameters in any order, no spaces");
	is_int(sign_v2_parse("Bearer " KEY, &h), SIGN_HEADER_MALFORMED, "another scheme");
	is_int(sign_v2_parse("MODU-HMAC-SHA1 KeyId=" KEY_ID, &h), SIGN_HEADER_MALFORMED,
	       "another algorithm");
	is_int(sign_v2_parse("MODU-HMAC-SHA256", &h), SIGN_HEADER_MALFORMED, "scheme alone");
	is_int(sign_v2_parse("MODU-HMAC-SHA256KeyId=" KEY_ID, &h), SIGN_HEADER_MALFORMED,
	       "no space after the scheme");
	is_int(sign_v2_parse("MODU-HMAC-SHA256 KeyId=" KEY_ID ", Timestamp=" TS ", Nonce=" NONCE1, &h),
	       SIGN_SIGNATURE_MISSING, "signature missing");
	is_int(sign_v2_parse("MODU-HMAC-SHA256 KeyId=" KEY_ID ", Nonce=" NONCE1 ", Signature=" SIG1, &h),
	       SIGN_TIMESTAMP_MISSING, "timestamp missing");
	is_int(sign_v2_parse("MODU-HMAC-SHA256 KeyId=" KEY_ID ", Timestamp=" TS ", Signature=" SIG1, &h),
	       SIGN_HEADER_MALFORMED, "nonce missing");
	is_int(sign_v2_parse("MODU-HMAC-SHA256 Timestamp=" TS ", Nonce=" NONCE1 ", Signature=" SIG1, &h),
	       SIGN_HEADER_MALFORMED, "key id missing");
	is_int(sign_v2_parse(header(KEY_ID, TS, NONCE1, SIG1 "00"), &h), SIGN_SIGNATURE_MALFORMED,
	       "signature 66 digits");
	is_int(sign_v2_parse(header(KEY_ID, TS, NONCE1, "98506ECEFAFC8EC86A9B5EB1A4FAD26109887AEA3C720675E275E10DE5BB39CB"), &h),
	       SIGN_SIGNATURE_MALFORMED, "upper-case signature refused");
	is_int(sign_v2_parse(header(KEY, TS, NONCE1, SIG1), &h), SIGN_HEADER_MALFORMED,
	       "the full key as key id refused");
	is_int(sign_v2_parse(header("modu_arena_0123ABCD", TS, NONCE1, SIG1), &h), SIGN_HEADER_MALFORMED,
	       "key id with upper-case hex refused");
	is_int(sign_v2_parse(header(KEY_ID, TS, "short", SIG1), &h), SIGN_HEADER_MALFORMED, "nonce too short");
	memset(longnonce, 'n', 65);
	longnonce[65] = '\0';
	is_int(sign_v2_parse(header(KEY_ID, TS, longnonce, SIG1), &h), SIGN_HEADER_MALFORMED, "nonce too long");
	is_int(sign_v2_parse("MODU-HMAC-SHA256 KeyId=" KEY_ID ", Timestamp=" TS ", Nonce=nonce/with/slash,"
			     " Signature=" SIG1, &h), SIGN_HEADER_MALFORMED, "nonce with a slash");
	is_int(sign_v2_parse("MODU-HMAC-SHA256 KeyId=" KEY_ID ", KeyId=" KEY_ID ", Timestamp=" TS ", Nonce="
			     NONCE1 ", Signature=" SIG1, &h), SIGN_HEADER_MALFORMED, "repeated parameter");
	is_int(sign_v2_parse("MODU-HMAC-SHA256 KeyId=" KEY_ID ", Timestamp=" TS ", Nonce=" NONCE1
			     ", Signature=" SIG1 ", Extra=1", &h), SIGN_HEADER_MALFORMED, "unknown parameter");
	is_int(sign_v2_parse("MODU-HMAC-SHA256 keyid=" KEY_ID ", Timestamp=" TS ", Nonce=" NONCE1
			     ", Signature=" SIG1, &h), SIGN_HEADER_MALFORMED, "parameter names are case-sensitive");
	is_int(sign_v2_parse("MODU-HMAC-SHA256 KeyId=\"" KEY_ID "\", Timestamp=" TS ", Nonce=" NONCE1
			     ", Signature=" SIG1, &h), SIGN_HEADER_MALFORMED, "quoted value refused");
	is_int(sign_v2_parse("MODU-HMAC-SHA256 KeyId=" KEY_ID " Timestamp=" TS, &h), SIGN_HEADER_MALFORMED,
	       "missing comma");
	is_int(sign_v2_parse(header(KEY_ID, TS, NONCE1, SIG1 ","), &h), SIGN_HEADER_MALFORMED,
	       "trailing comma");
	is_int(sign_v2_parse(header(KEY_ID, " " TS, NONCE1, SIG1), &h), SIGN_TIMESTAMP_MISSING,
	       "blank before the timestamp leaves it empty");
	is_int(sign_v2_parse(header(KEY_ID, "+1767225600", NONCE1, SIG1), &h), SIGN_TIMESTAMP_MISSING,
	       "timestamp with a sign is no token");
	is_int(sign_v2_parse(header(KEY_ID, "12345678901234567890", NONCE1, SIG1), &h), SIGN_TIMESTAMP_INVALID,
	       "20-digit timestamp");
	{
		char big[700];

		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		memcpy(big, "MODU-HMAC-SHA256 ", 17);
		is_int(sign_v2_parse(big, &h), SIGN_HEADER_MALFORMED, "oversized header refused unparsed");
	}
}

static void test_query(void)
{
	struct buf b = BUF_INIT;

	ok(sign_v2_canonical_query("", &b) == 0 && b.len == 0, "empty query canonical is empty");
	ok(sign_v2_canonical_query("&&", &b) == 0 && b.len == 0, "only separators: empty");
	buf_reset(&b);
	ok(sign_v2_canonical_query("a%2Fb=c%2fd&%41=%e2%82%AC", &b) == 0, "escapes decode");
	is_str(buf_str(&b), "A=%E2%82%AC&a%2Fb=c%2Fd", "re-encoded upper-case, bytes sorted");
	buf_reset(&b);
	ok(sign_v2_canonical_query("a=%zz", &b) != 0, "bad escape refused");
	ok(sign_v2_canonical_query("a=%0", &b) != 0, "short escape refused");
	ok(sign_v2_canonical_query("a=%00", &b) != 0, "escaped NUL refused");
	buf_release(&b);
}

static void test_v1(void)
{
	char hex[65];
	const char *body = "{\"a\":1}";

	ok(sign_v1(KEY, TS, body, strlen(body), hex) == 0, "v1 signs");
	is_int(sign_verify_v1(KEY, TS, hex, body, strlen(body), NOW, 300), SIGN_OK, "v1 verifies");
	is_int(sign_verify_v1(KEY, TS, hex, "{\"a\":2}", 7, NOW, 300), SIGN_SIGNATURE_MISMATCH,
	       "v1 body changed");
	is_int(sign_verify_v1(KEY, TS, hex, body, strlen(body), NOW + 301, 300), SIGN_TIMESTAMP_EXPIRED,
	       "v1 expired");
	is_int(sign_verify_v1(KEY, NULL, hex, body, strlen(body), NOW, 300), SIGN_TIMESTAMP_MISSING,
	       "v1 timestamp missing");
	is_int(sign_verify_v1(KEY, TS, "sha256=abc", body, strlen(body), NOW, 300), SIGN_SIGNATURE_MALFORMED,
	       "v1 signature malformed");
	is_str(sign_error_code(SIGN_HEADER_MALFORMED), "hmac_signature_invalid", "malformed v2 header code");
	is_str(sign_audit_event(SIGN_TIMESTAMP_EXPIRED), "hmac_timestamp_expired", "expired audit event");
}

static void test_seal(void)
{
	unsigned char k[SEAL_KEY_LEN], k2[SEAL_KEY_LEN], blob[SIGN_KEY_LEN + SEAL_OVERHEAD],
		      blob2[sizeof(blob)], out[SIGN_KEY_LEN];

	memset(k, 7, sizeof(k));
	memset(k2, 8, sizeof(k2));
	ok(seal(k, skey, sizeof(skey), KEY_ID, blob) == 0, "seal");
	ok(seal(k, skey, sizeof(skey), KEY_ID, blob2) == 0 && memcmp(blob, blob2, sizeof(blob)) != 0,
	   "a fresh nonce each time");
	ok(seal_open(k, blob, sizeof(blob), KEY_ID, out) == 0 && memcmp(out, skey, sizeof(out)) == 0,
	   "open gives the secret back");
	ok(seal_open(k2, blob, sizeof(blob), KEY_ID, out) != 0, "another server key does not open it");
	ok(seal_open(k, blob, sizeof(blob), "modu_arena_ffffffff", out) != 0,
	   "another row's associated data does not open it");
	blob[20] ^= 1;
	ok(seal_open(k, blob, sizeof(blob), KEY_ID, out) != 0, "tampered ciphertext refused");
	blob[20] ^= 1;
	blob[0] = 2;
	ok(seal_open(k, blob, sizeof(blob), KEY_ID, out) != 0, "unknown version refused");
	ok(seal_open(k, blob, SEAL_OVERHEAD - 1, KEY_ID, out) != 0, "short blob refused");
}

int main(void)
{
	test_vectors();
	test_breaks();
	test_parse();
	test_query();
	test_v1();
	test_seal();
	return done_testing();
}
