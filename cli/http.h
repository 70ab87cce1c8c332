/*
 * http.h -- talking to the server (libcurl)
 *
 * One request at a time, TLS verified, with short timeouts: a client
 * that syncs in the background must never hang.  Every request carries
 * the API key through auth_headers() (auth.h), the one place that knows
 * how requests are signed.
 */
#ifndef CLI_HTTP_H
#define CLI_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define HTTP_CONNECT_TIMEOUT 10	/* seconds */
#define HTTP_TIMEOUT 60

struct http_resp {
	long status;		/* 0 when no response arrived */
	struct buf body;
	int64_t retry_after;	/* seconds from Retry-After, or -1 */
	char err[256];		/* why there was no response */
};

void http_global_init(void);
void http_global_cleanup(void);

/*
 * GET base+path, or POST body (JSON) when body is non-NULL.  key signs
 * the request (NULL: none).  Returns 0 when an HTTP response arrived
 * (any status), -1 when none did (resp->err says why; not reported).
 */
int http_request(const char *base, const char *path, const char *key,
		 const char *body, size_t body_len, struct http_resp *resp);
void http_resp_release(struct http_resp *r);

#endif
