/*
 * auth.h -- how requests are authenticated
 *
 * The single place that knows the signing scheme, so a new scheme means
 * changing this file only.  Scheme v1 (the seed's): X-API-Key, X-Timestamp
 * (unix seconds) and X-Signature = hex HMAC-SHA256(key, ts ":" body),
 * computed with lib/sign.h over exactly the bytes sent.
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
