/*
 * apikey.h -- API keys: format, generation, hashing
 *
 * A key is "modu_arena_" + 8 hex + "_" + 32 hex (the seed's format), made
 * from 160 random bits.  Its first 19 characters are its public prefix,
 * shown in listings and logs.  The server stores only SHA-256(key) and
 * the prefix; the key itself is printed once when issued and never
 * stored.  SHA-256 without salt is right for a 160-bit random secret:
 * there is nothing to brute-force.
 */
#ifndef ARENA_APIKEY_H
#define ARENA_APIKEY_H

#include <stddef.h>

#include "crypto.h"

#define APIKEY_LEN 52		/* strlen("modu_arena_") + 8 + 1 + 32 */
#define APIKEY_PREFIX_LEN 19	/* "modu_arena_" + 8 hex */

/* 1 if s has exactly the key format (checked without any database access). */
int apikey_well_formed(const char *s);

/* Writes a fresh key and its NUL to out; returns 0, or -1 without randomness. */
int apikey_generate(char out[APIKEY_LEN + 1]);

/* out gets SHA-256 of the key's text. */
void apikey_hash(const char *key, unsigned char out[SHA256_LEN]);

/* Copies the public prefix of a well-formed key (with its NUL) to out. */
void apikey_prefix(const char *key, char out[APIKEY_PREFIX_LEN + 1]);

/*
 * A key being issued, with everything the database keeps of it: the
 * SHA-256 and, when the server key (ARENA_SECRET_KEY) is set, the v2
 * signing secret sealed under it with the prefix as associated data
 * (sealed_hex is "" without a server key: the key then signs with v1
 * only).  Used by arena-admin and the self-service endpoints alike.
 * Wipe it with apikey_mint_wipe() once the key was shown.
 */
struct apikey_new {
	char key[APIKEY_LEN + 1];
	char prefix[APIKEY_PREFIX_LEN + 1];
	char hash_hex[2 * SHA256_LEN + 1];
	char sealed_hex[2 * (32 + 29) + 1];	/* SIGN_KEY_LEN + SEAL_OVERHEAD */
};

/* Fills k with a fresh key; 0, or -1 when randomness or sealing failed. */
int apikey_mint(struct apikey_new *k);
void apikey_mint_wipe(struct apikey_new *k);

#endif
