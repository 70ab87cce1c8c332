/*
 * arena-sign-v2.c -- a v2 client for the tests: prints the Authorization
 * header value for a request, computed with the library's signer.
 *
 *	arena-sign-v2 KEY METHOD PATH QUERY TIMESTAMP NONCE [BODY-FILE]
 *
 * TIMESTAMP "now" means the current time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apikey.h"
#include "buf.h"
#include "sign.h"
#include "timeutil.h"

int main(int argc, char **argv)
{
	struct sign_v2_request r;
	unsigned char key[SIGN_KEY_LEN];
	char prefix[APIKEY_PREFIX_LEN + 1], ts[24], hex[65];
	struct buf body = BUF_INIT;

	if (argc < 7 || argc > 8 || strlen(argv[1]) < APIKEY_PREFIX_LEN) {
		fputs("usage: arena-sign-v2 KEY METHOD PATH QUERY TIMESTAMP NONCE [BODY-FILE]\n", stderr);
		return 2;
	}
	if (argc == 8) {
		FILE *f = fopen(argv[7], "rb");
		char tmp[4096];
		size_t n;

		if (!f) {
			perror(argv[7]);
			return 1;
		}
		while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
			buf_add(&body, tmp, n);
		fclose(f);
	}
	if (strcmp(argv[5], "now") == 0)
		snprintf(ts, sizeof(ts), "%lld", (long long)(time_now_ms() / 1000));
	else
		snprintf(ts, sizeof(ts), "%s", argv[5]);
	apikey_prefix(argv[1], prefix);
	r.method = argv[2];
	r.path = argv[3];
	r.query = argv[4];
	r.body = body.len ? body.s : "";
	r.body_len = body.len;
	if (sign_v2_derive_key(argv[1], key) || sign_v2(key, &r, prefix, ts, argv[6], hex)) {
		fputs("arena-sign-v2: cannot sign\n", stderr);
		return 1;
	}
	printf("%s KeyId=%s, Timestamp=%s, Nonce=%s, Signature=%s\n", SIGN_V2_ALGORITHM, prefix,
	       ts, argv[6], hex);
	buf_release(&body);
	return 0;
}
