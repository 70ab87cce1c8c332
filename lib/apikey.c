/* apikey.c -- API keys: format, generation, hashing */
#include <string.h>

#include "apikey.h"
#include "conf.h"
#include "seal.h"
#include "sign.h"

static const char key_lead[] = "modu_arena_";

static int is_lower_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

int apikey_well_formed(const char *s)
{
	size_t lead = sizeof(key_lead) - 1;

	if (!s || strlen(s) != APIKEY_LEN || memcmp(s, key_lead, lead) != 0)
		return 0;
	return is_lower_hex(s + lead, 8) && s[lead + 8] == '_' &&
	       is_lower_hex(s + lead + 9, 32);
}

int apikey_generate(char out[APIKEY_LEN + 1])
{
	unsigned char raw[20];
	char hex[41];
	size_t lead = sizeof(key_lead) - 1;

	if (crypto_random(raw, sizeof(raw)))
		return -1;
	hex_encode(raw, sizeof(raw), hex);
	memcpy(out, key_lead, lead);
	memcpy(out + lead, hex, 8);
	out[lead + 8] = '_';
	memcpy(out + lead + 9, hex + 8, 32);
	out[APIKEY_LEN] = '\0';
	return 0;
}

void apikey_hash(const char *key, unsigned char out[SHA256_LEN])
{
	crypto_sha256(key, strlen(key), out);
}

void apikey_prefix(const char *key, char out[APIKEY_PREFIX_LEN + 1])
{
	memcpy(out, key, APIKEY_PREFIX_LEN);
	out[APIKEY_PREFIX_LEN] = '\0';
}

_Static_assert(sizeof(((struct apikey_new *)0)->sealed_hex) ==
	       2 * (SIGN_KEY_LEN + SEAL_OVERHEAD) + 1, "sealed_hex size");

int apikey_mint(struct apikey_new *k)
{
	unsigned char hash[SHA256_LEN], secret[SIGN_KEY_LEN];
	unsigned char blob[SIGN_KEY_LEN + SEAL_OVERHEAD];
	int rc = 0;

	memset(k, 0, sizeof(*k));
	if (apikey_generate(k->key))
		return -1;
	apikey_prefix(k->key, k->prefix);
	apikey_hash(k->key, hash);
	hex_encode(hash, sizeof(hash), k->hash_hex);
	if (!arena_conf.have_secret_key)
		return 0;
	if (sign_v2_derive_key(k->key, secret) == 0 &&
	    seal(arena_conf.secret_key, secret, sizeof(secret), k->prefix, blob) == 0)
		hex_encode(blob, sizeof(blob), k->sealed_hex);
	else
		rc = -1;
	memset(secret, 0, sizeof(secret));
	if (rc)
		apikey_mint_wipe(k);
	return rc;
}

void apikey_mint_wipe(struct apikey_new *k)
{
	/* a store the compiler cannot drop: the key must not linger */
	volatile unsigned char *p = (volatile unsigned char *)k;
	size_t i;

	for (i = 0; i < sizeof(*k); i++)
		p[i] = 0;
}
