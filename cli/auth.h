/*
 * auth.h -- how requests are authenticated
 *
 * The single place that knows the signing schemes (lib/sign.h computes
 * them over exactly the bytes sent).  By default every request is signed
 * with scheme v2: an Authorization header with the key's public prefix,
 * a timestamp, a fresh nonce and a signature over method, path, query
 * and body -- the API key itself never leaves the machine.
 * MODU_ARENA_SIGNING=v1 selects the seed's scheme instead, for servers
 * without v2: X-API-Key, X-Timestamp and X-Signature = hex
 * HMAC-SHA256(key, ts ":" body).
 */
#ifndef CLI_AUTH_H
#define CLI_AUTH_H

#include <stddef.h>

#define AUTH_MAX_HEADERS 8

/* "Name: value" lines, each malloc'd. */
struct auth_headers {
	char *line[AUTH_MAX_HEADERS];
	int n;
};

/*
 * Fills h with the authentication headers for a request.  body is the
 * exact request body (NULL for a GET).  Returns 0 or -1 (reported).
 */
int auth_headers(struct auth_headers *h, const char *key, const char *method,
		 const char *path, const char *body, size_t body_len);
void auth_headers_release(struct auth_headers *h);

#endif
