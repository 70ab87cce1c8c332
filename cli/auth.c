/* auth.c -- how requests are authenticated */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "crypto.h"
#include "sign.h"
#include "timeutil.h"
#include "util.h"

static void add(struct auth_headers *h, char *line)
{
	if (h->n < AUTH_MAX_HEADERS)
		h->line[h->n++] = line;
	else
		free(line);
}

/* The seed's scheme: the key travels in X-API-Key on every request. */
static int headers_v1(struct auth_headers *h, const char *key, const char *body,
		      size_t body_len, const char *ts)
{
	char sig[65];

	add(h, xasprintf("X-API-Key: %s", key));
	if (!body)
		return 0;
	if (sign_v1(key, ts, body, body_len, sig))
		return error("cannot sign the request");
	add(h, xasprintf("X-Timestamp: %s", ts));
	add(h, xasprintf("X-Signature: %s", sig));
	return 0;
}

/*
 * Scheme v2: only the key's public prefix travels; a fresh nonce makes
 * every request unique, so a retry within the same second is never
 * mistaken for a replay.
 */
static int headers_v2(struct auth_headers *h, const char *key, const char *method,
		      const char *path, const char *body, size_t body_len, const char *ts)
{
	unsigned char skey[SIGN_KEY_LEN], raw[16];
	char nonce[33], sig[65], key_id[SIGN_V2_KEY_ID_LEN + 1];
	const char *q = strchr(path, '?');
	char *bare = q ? xstrndup(path, (size_t)(q - path)) : xstrdup(path);
	struct sign_v2_request r = { method, bare, q ? q + 1 : "", body ? body : "",
				     body ? body_len : 0 };
	int rc = -1;

	if (strlen(key) < SIGN_V2_KEY_ID_LEN || crypto_random(raw, sizeof(raw)) ||
	    sign_v2_derive_key(key, skey))
		goto out;
	memcpy(key_id, key, SIGN_V2_KEY_ID_LEN);
	key_id[SIGN_V2_KEY_ID_LEN] = '\0';
	hex_encode(raw, sizeof(raw), nonce);
	if (sign_v2(skey, &r, key_id, ts, nonce, sig))
		goto out;
	add(h, xasprintf("Authorization: MODU-HMAC-SHA256 KeyId=%s, Timestamp=%s, Nonce=%s, Signature=%s",
			 key_id, ts, nonce, sig));
	rc = 0;
out:
	memset(skey, 0, sizeof(skey));
	free(bare);
	return rc ? error("cannot sign the request") : 0;
}

int auth_headers(struct auth_headers *h, const char *key, const char *method,
		 const char *path, const char *body, size_t body_len)
{
	const char *scheme = getenv("MODU_ARENA_SIGNING");
	char ts[24];
	int rc;

	memset(h, 0, sizeof(*h));
	snprintf(ts, sizeof(ts), "%" PRId64, time_now_ms() / 1000);
	if (scheme && strcmp(scheme, "v1") == 0)
		rc = headers_v1(h, key, body, body_len, ts);
	else
		rc = headers_v2(h, key, method, path, body, body_len, ts);
	if (rc)
		auth_headers_release(h);
	return rc;
}

void auth_headers_release(struct auth_headers *h)
{
	int i;

	for (i = 0; i < h->n; i++)
		free(h->line[i]);
	h->n = 0;
}
