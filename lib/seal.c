/* seal.c -- secrets at rest, sealed under the server key */
#include <limits.h>
#include <string.h>

#include <openssl/evp.h>

#include "crypto.h"
#include "seal.h"

#define SEAL_VERSION 1
#define NONCE_LEN 12
#define TAG_LEN 16

int seal(const unsigned char key[SEAL_KEY_LEN], const void *plain, size_t n,
	 const char *aad, unsigned char *out)
{
	EVP_CIPHER_CTX *ctx;
	unsigned char *nonce = out + 1, *ct = out + 1 + NONCE_LEN;
	int len, rc = -1;

	if (n > INT_MAX / 2 || strlen(aad) > INT_MAX / 2)
		return -1;
	out[0] = SEAL_VERSION;
	if (crypto_random(nonce, NONCE_LEN))
		return -1;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return -1;
	if (EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, nonce) == 1 &&
	    EVP_EncryptUpdate(ctx, NULL, &len, (const unsigned char *)aad, (int)strlen(aad)) == 1 &&
	    EVP_EncryptUpdate(ctx, ct, &len, plain, (int)n) == 1 &&
	    EVP_EncryptFinal_ex(ctx, ct + len, &len) == 1 &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN, ct + n) == 1)
		rc = 0;
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

int seal_open(const unsigned char key[SEAL_KEY_LEN], const unsigned char *in,
	      size_t len, const char *aad, unsigned char *out)
{
	EVP_CIPHER_CTX *ctx;
	const unsigned char *nonce = in + 1, *ct = in + 1 + NONCE_LEN;
	size_t n;
	int outl, rc = -1;

	if (len < SEAL_OVERHEAD || in[0] != SEAL_VERSION || len > INT_MAX / 2 ||
	    strlen(aad) > INT_MAX / 2)
		return -1;
	n = len - SEAL_OVERHEAD;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return -1;
	/* OpenSSL wants a writable tag buffer, though it only reads it */
	if (EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, nonce) == 1 &&
	    EVP_DecryptUpdate(ctx, NULL, &outl, (const unsigned char *)aad, (int)strlen(aad)) == 1 &&
	    EVP_DecryptUpdate(ctx, out, &outl, ct, (int)n) == 1 &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN, (void *)(ct + n)) == 1 &&
	    EVP_DecryptFinal_ex(ctx, out + outl, &outl) == 1)
		rc = 0;
	EVP_CIPHER_CTX_free(ctx);
	if (rc)
		memset(out, 0, n);
	return rc;
}
