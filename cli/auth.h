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

struct curl_slist;

/*
 * Appends the authentication headers for a request to *headers.  body is
 * the exact request body (NULL or empty for a GET).  Returns 0 or -1.
 */
int auth_headers(struct curl_slist **headers, const char *key, const char *method,
		 const char *path, const char *body, size_t body_len);

#endif
