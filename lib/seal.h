/*
 * seal.h -- secrets at rest, sealed under the server key
 *
 * AES-256-GCM with a fresh random 96-bit nonce per seal.  A sealed blob
 * is  version (1 byte, 1) || nonce (12) || ciphertext || tag (16),  so
 * SEAL_OVERHEAD bytes longer than the secret.  The associated data names
 * what the secret belongs to (e.g. the key's public prefix), so a blob
 * copied to another row does not open there.
 *
 * The server key comes from the environment (ARENA_SECRET_KEY), never
 * from the database: a dump of the database alone opens nothing.
 */
#ifndef ARENA_SEAL_H
#define ARENA_SEAL_H

#include <stddef.h>

#define SEAL_KEY_LEN 32
#define SEAL_OVERHEAD (1 + 12 + 16)

/* Writes n + SEAL_OVERHEAD bytes to out; returns 0, or -1 if OpenSSL failed. */
int seal(const unsigned char key[SEAL_KEY_LEN], const void *plain, size_t n,
	 const char *aad, unsigned char *out);

/*
 * Opens a blob of len bytes into out (len - SEAL_OVERHEAD bytes).
 * Returns 0, or -1 if it is malformed, was sealed under another key or
 * for other associated data, or was tampered with.
 */
int seal_open(const unsigned char key[SEAL_KEY_LEN], const unsigned char *in,
	      size_t len, const char *aad, unsigned char *out);

#endif
