/* crypto.c -- hashing, MACs, randomness and constant-time comparison */
#include <limits.h>
#include <stdlib.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "crypto.h"

void crypto_sha256(const void *data, size_t n, unsigned char out[SHA256_LEN])
{
	unsigned int len = SHA256_LEN;

	if (!EVP_Digest(data, n, out, &len, EVP_sha256(), NULL)) {
		/* SHA-256 cannot fail short of memory corruption */
		abort();
	}
}

int crypto_hmac_sha256(const void *key, size_t keylen, const void *data,
		       size_t n, unsigned char out[SHA256_LEN])
{
	unsigned int len = SHA256_LEN;

	if (keylen > INT_MAX)
		return -1;
	if (!HMAC(EVP_sha256(), key, (int)keylen, data, n, out, &len) ||
	    len != SHA256_LEN)
		return -1;
	return 0;
}

int crypto_random(void *p, size_t n)
{
	if (n > INT_MAX)
		return -1;
	return RAND_bytes(p, (int)n) == 1 ? 0 : -1;
}

int crypto_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

void hex_encode(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

void base64url_encode(const unsigned char *p, size_t n, char *out)
{
	static const char a[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t i;
	char *o = out;

	for (i = 0; i + 2 < n; i += 3) {
		*o++ = a[p[i] >> 2];
		*o++ = a[(p[i] & 3) << 4 | p[i + 1] >> 4];
		*o++ = a[(p[i + 1] & 15) << 2 | p[i + 2] >> 6];
		*o++ = a[p[i + 2] & 63];
	}
	if (n - i == 1) {
		*o++ = a[p[i] >> 2];
		*o++ = a[(p[i] & 3) << 4];
	} else if (n - i == 2) {
		*o++ = a[p[i] >> 2];
		*o++ = a[(p[i] & 3) << 4 | p[i + 1] >> 4];
		*o++ = a[(p[i + 1] & 15) << 2];
	}
	*o = '\0';
}

int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Lowercase only: signatures and hashes are written that way. */
static int hexval(char c)
{
	return c >= 'A' && c <= 'F' ? -1 : hex_digit(c);
}

int hex_decode(const char *s, size_t slen, unsigned char *out, size_t n)
{
	size_t i;

	if (slen != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}
