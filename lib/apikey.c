/* apikey.c -- API keys: format, generation, hashing */
#include <string.h>

#include "apikey.h"

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
