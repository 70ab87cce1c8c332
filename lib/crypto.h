/*
 * crypto.h -- hashing, MACs, randomness and constant-time comparison
 *
 * Thin, checked wrappers over OpenSSL 3 so the rest of the code never
 * touches EVP directly.  Every comparison of secret-derived bytes goes
 * through crypto_equal(), never memcmp().
 */
#ifndef ARENA_CRYPTO_H
#define ARENA_CRYPTO_H

#include <stddef.h>

#define SHA256_LEN 32

/* out gets SHA-256 of data. */
void crypto_sha256(const void *data, size_t n, unsigned char out[SHA256_LEN]);

/* out gets HMAC-SHA256(key, data); returns 0, or -1 if OpenSSL failed. */
int crypto_hmac_sha256(const void *key, size_t keylen, const void *data,
		       size_t n, unsigned char out[SHA256_LEN]);

/* Fills p with n random bytes; returns 0, or -1 if RAND_bytes failed. */
int crypto_random(void *p, size_t n);

/* 1 if a and b are equal, in time that depends only on n. */
int crypto_equal(const void *a, const void *b, size_t n);

/* Writes 2n lowercase hex digits and a NUL to out. */
void hex_encode(const unsigned char *p, size_t n, char *out);

/* Writes base64url without padding (RFC 4648 section 5) of p[0..n) and a
 * NUL to out, which holds BASE64URL_LEN(n) + 1 bytes. */
#define BASE64URL_LEN(n) (((n) * 4 + 2) / 3)
void base64url_encode(const unsigned char *p, size_t n, char *out);

/* The value of one hex digit of either case, or -1. */
int hex_digit(int c);

/* Decodes exactly 2n lowercase hex digits; returns 0 or -1. */
int hex_decode(const char *s, size_t slen, unsigned char *out, size_t n);

#endif
