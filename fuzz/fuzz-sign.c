/*
 * fuzz-sign.c -- signature headers: v1 (X-Timestamp, X-Signature) and
 * v2 (Authorization), and the v2 canonical query
 *
 * Input: header text, then optionally "\n" and a query or body.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "sign.h"

#define NOW 1767225600

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char key[SIGN_KEY_LEN] = { 1, 2, 3 };
	struct sign_v2_header h;
	struct sign_v2_request r;
	struct buf q = BUF_INIT;
	char *s = malloc(size + 1), *rest;
	enum sign_result res;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	rest = strchr(s, '\n');
	if (rest)
		*rest++ = '\0';
	else
		rest = s + strlen(s);

	res = sign_v2_parse(s, &h);
	if (res == SIGN_OK) {
		if (strlen(h.key_id) != SIGN_V2_KEY_ID_LEN || strlen(h.nonce) < SIGN_V2_NONCE_MIN)
			abort();
		r.method = "POST";
		r.path = "/api/v1/sessions";
		r.query = rest;
		r.body = rest;
		r.body_len = strlen(rest);
		if (sign_verify_v2(key, &h, &r, NOW, 300) == SIGN_OK)
			abort();	/* nobody forges a MAC by chance */
	}
	if (sign_v2_canonical_query(rest, &q) == 0 && (strchr(buf_str(&q), ' ') || strchr(buf_str(&q), '+')))
		abort();	/* the canonical form has no raw space or plus */
	buf_release(&q);

	res = sign_verify_v1("modu_arena_0123abcd_0123456789abcdef0123456789abcdef", s, rest,
			     rest, strlen(rest), NOW, 300);
	if (res == SIGN_OK)
		abort();
	free(s);
	return 0;
}
