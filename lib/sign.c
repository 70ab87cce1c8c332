/* sign.c -- signed requests, v1 and v2 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "num.h"
#include "sign.h"

/* Checks a timestamp header value against the window around now. */
static enum sign_result check_timestamp(const char *ts, int64_t now, int64_t window)
{
	int64_t t;

	if (!ts || !*ts)
		return SIGN_TIMESTAMP_MISSING;
	/* 10 digits for the next few centuries; anything longer is a mistake */
	if (strlen(ts) > 12 || num_parse_i64z(ts, 0, INT64_MAX / 2, &t) != NUM_OK)
		return SIGN_TIMESTAMP_INVALID;
	if (t < now - window || t > now + window)
		return SIGN_TIMESTAMP_EXPIRED;
	return SIGN_OK;
}

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
	enum sign_result r = check_timestamp(ts, now, window);

	if (r != SIGN_OK)
		return r;
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
	case SIGN_SIGNATURE_MISMATCH:
	case SIGN_HEADER_MALFORMED:
	case SIGN_QUERY_MALFORMED: return "hmac_signature_invalid";
	}
	return "hmac_signature_invalid";
}

const char *sign_audit_event(enum sign_result r)
{
	return r == SIGN_TIMESTAMP_EXPIRED || r == SIGN_TIMESTAMP_INVALID ||
	       r == SIGN_TIMESTAMP_MISSING ? "hmac_timestamp_expired" : "hmac_signature_invalid";
}

/* ---- v2 ---- */

static int is_token_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static int key_id_valid(const char *s, size_t n)
{
	size_t i;

	if (n != SIGN_V2_KEY_ID_LEN || memcmp(s, "modu_arena_", 11) != 0)
		return 0;
	for (i = 11; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* Stores one parameter; 0, or the problem with it. */
static enum sign_result v2_param(struct sign_v2_header *h, unsigned *seen,
				 const char *name, size_t nlen, const char *v, size_t vlen)
{
	static const char *const names[] = { "KeyId", "Timestamp", "Nonce", "Signature" };
	unsigned i;

	for (i = 0; i < 4; i++)
		if (strlen(names[i]) == nlen && memcmp(names[i], name, nlen) == 0)
			break;
	if (i == 4 || (*seen & (1u << i)))
		return SIGN_HEADER_MALFORMED;	/* unknown or repeated */
	*seen |= 1u << i;
	switch (i) {
	case 0:
		if (!key_id_valid(v, vlen))
			return SIGN_HEADER_MALFORMED;
		memcpy(h->key_id, v, vlen);
		h->key_id[vlen] = '\0';
		break;
	case 1:
		if (vlen == 0)
			return SIGN_TIMESTAMP_MISSING;
		if (vlen >= sizeof(h->timestamp))
			return SIGN_TIMESTAMP_INVALID;
		memcpy(h->timestamp, v, vlen);
		h->timestamp[vlen] = '\0';
		break;
	case 2:
		if (vlen < SIGN_V2_NONCE_MIN || vlen > SIGN_V2_NONCE_MAX)
			return SIGN_HEADER_MALFORMED;
		memcpy(h->nonce, v, vlen);
		h->nonce[vlen] = '\0';
		break;
	default:
		if (vlen == 0)
			return SIGN_SIGNATURE_MISSING;
		if (hex_decode(v, vlen, h->signature, sizeof(h->signature)))
			return SIGN_SIGNATURE_MALFORMED;
		break;
	}
	return SIGN_OK;
}

enum sign_result sign_v2_parse(const char *header, struct sign_v2_header *h)
{
	size_t alg = strlen(SIGN_V2_ALGORITHM);
	const char *p;
	unsigned seen = 0;
	enum sign_result r;

	memset(h, 0, sizeof(*h));
	if (!header || !*header)
		return SIGN_SIGNATURE_MISSING;
	if (strlen(header) > SIGN_V2_HEADER_MAX ||
	    strncasecmp(header, SIGN_V2_ALGORITHM, alg) != 0 || header[alg] != ' ')
		return SIGN_HEADER_MALFORMED;
	p = header + alg;
	while (*p == ' ')
		p++;
	for (;;) {
		const char *name = p, *v;

		while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
			p++;
		if (p == name || *p != '=')
			return SIGN_HEADER_MALFORMED;
		v = ++p;
		while (is_token_char(*p))
			p++;
		r = v2_param(h, &seen, name, (size_t)(v - 1 - name), v, (size_t)(p - v));
		if (r != SIGN_OK)
			return r;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if (*p != ',')
			return SIGN_HEADER_MALFORMED;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
	}
	if (!(seen & 8))
		return SIGN_SIGNATURE_MISSING;
	if (!(seen & 2))
		return SIGN_TIMESTAMP_MISSING;
	if (seen != 15)
		return SIGN_HEADER_MALFORMED;
	return SIGN_OK;
}

int sign_v2_derive_key(const char *api_key, unsigned char out[SIGN_KEY_LEN])
{
	static const char label[] = "modu-arena-v2";

	return crypto_hmac_sha256(api_key, strlen(api_key), label, sizeof(label) - 1, out);
}


/* Decodes s[0..n) and appends it re-encoded to b; 0, or -1 if malformed. */
static int reencode(const char *s, size_t n, struct buf *b)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			int hi, lo;

			if (n - i < 3 || (hi = hex_digit(s[i + 1])) < 0 || (lo = hex_digit(s[i + 2])) < 0)
				return -1;
			c = (unsigned char)(hi << 4 | lo);
			if (c == 0)
				return -1;
			i += 2;
		} else if (c == '+') {
			c = ' ';
		}
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
			buf_addc(b, (char)c);
		} else {
			buf_addc(b, '%');
			buf_addc(b, digits[c >> 4]);
			buf_addc(b, digits[c & 15]);
		}
	}
	return 0;
}

struct qpair {
	char *name, *value;
};

static int cmp_pairs(const void *a, const void *b)
{
	const struct qpair *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->value, y->value);
}

int sign_v2_canonical_query(const char *raw, struct buf *out)
{
	struct qpair *pairs;
	size_t cap = 1, n = 0, i;
	const char *s;
	int rc = 0;

	for (s = raw; *s; s++)
		cap += *s == '&';
	pairs = calloc(cap, sizeof(*pairs));
	if (!pairs)
		return -1;
	for (s = raw; *s && rc == 0;) {
		const char *amp = strchr(s, '&'), *eq;
		size_t len = amp ? (size_t)(amp - s) : strlen(s), klen;
		struct buf k = BUF_INIT, v = BUF_INIT;

		if (len > 0) {
			eq = memchr(s, '=', len);
			klen = eq ? (size_t)(eq - s) : len;
			if (reencode(s, klen, &k) ||
			    (eq && reencode(eq + 1, len - klen - 1, &v))) {
				rc = -1;
			} else {
				pairs[n].name = strdup(buf_str(&k));
				pairs[n].value = strdup(buf_str(&v));
				if (!pairs[n].name || !pairs[n].value)
					rc = -1;
				n++;
			}
			buf_release(&k);
			buf_release(&v);
		}
		s += len;
		if (*s == '&')
			s++;
	}
	if (rc == 0) {
		qsort(pairs, n, sizeof(*pairs), cmp_pairs);
		for (i = 0; i < n; i++) {
			if (i)
				buf_addc(out, '&');
			buf_adds(out, pairs[i].name);
			buf_addc(out, '=');
			buf_adds(out, pairs[i].value);
		}
	}
	for (i = 0; i < n; i++) {
		free(pairs[i].name);
		free(pairs[i].value);
	}
	free(pairs);
	return rc;
}

int sign_v2_canonical_request(const struct sign_v2_request *r, const char *ts,
			      const char *nonce, struct buf *out)
{
	unsigned char h[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1];

	buf_adds(out, r->method);
	buf_addc(out, '\n');
	buf_adds(out, r->path);
	buf_addc(out, '\n');
	if (sign_v2_canonical_query(r->query ? r->query : "", out))
		return -1;
	buf_addc(out, '\n');
	buf_adds(out, ts);
	buf_addc(out, '\n');
	buf_adds(out, nonce);
	buf_addc(out, '\n');
	crypto_sha256(r->body_len ? r->body : "", r->body_len, h);
	hex_encode(h, sizeof(h), hex);
	buf_adds(out, hex);
	return 0;
}

void sign_v2_string_to_sign(const char *ts, const char *key_id,
			    const char *canonical, size_t len, struct buf *out)
{
	unsigned char h[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1];

	crypto_sha256(canonical, len, h);
	hex_encode(h, sizeof(h), hex);
	buf_printf(out, "%s\n%s\n%s\n%s", SIGN_V2_ALGORITHM, ts, key_id, hex);
}

/* The raw v2 MAC; 0, or the reason it cannot be computed. */
static enum sign_result v2_mac(const unsigned char key[SIGN_KEY_LEN],
			       const struct sign_v2_request *r, const char *key_id,
			       const char *ts, const char *nonce,
			       unsigned char mac[SHA256_LEN])
{
	struct buf creq = BUF_INIT, sts = BUF_INIT;
	enum sign_result rc = SIGN_OK;

	if (sign_v2_canonical_request(r, ts, nonce, &creq)) {
		rc = SIGN_QUERY_MALFORMED;
	} else {
		sign_v2_string_to_sign(ts, key_id, buf_str(&creq), creq.len, &sts);
		if (crypto_hmac_sha256(key, SIGN_KEY_LEN, sts.s, sts.len, mac))
			rc = SIGN_SIGNATURE_MISMATCH;
	}
	buf_release(&creq);
	buf_release(&sts);
	return rc;
}

int sign_v2(const unsigned char key[SIGN_KEY_LEN], const struct sign_v2_request *r,
	    const char *key_id, const char *ts, const char *nonce, char hex[65])
{
	unsigned char mac[SHA256_LEN];

	if (v2_mac(key, r, key_id, ts, nonce, mac) != SIGN_OK)
		return -1;
	hex_encode(mac, sizeof(mac), hex);
	return 0;
}

enum sign_result sign_verify_v2(const unsigned char key[SIGN_KEY_LEN],
				const struct sign_v2_header *h,
				const struct sign_v2_request *r, int64_t now,
				int64_t window)
{
	unsigned char want[SHA256_LEN];
	enum sign_result rc = check_timestamp(h->timestamp, now, window);

	if (rc != SIGN_OK)
		return rc;
	rc = v2_mac(key, r, h->key_id, h->timestamp, h->nonce, want);
	if (rc != SIGN_OK)
		return rc;
	return crypto_equal(want, h->signature, sizeof(want)) ? SIGN_OK : SIGN_SIGNATURE_MISMATCH;
}
