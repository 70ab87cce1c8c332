/* auth.c -- how requests are authenticated */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "sign.h"
#include "timeutil.h"
#include "util.h"

static void add(struct auth_headers *h, char *line)
{
	if (h->n < AUTH_MAX_HEADERS)
		h->line[h->n++] = line;
	else
		free(line);
}

int auth_headers(struct auth_headers *h, const char *key, const char *method,
		 const char *path, const char *body, size_t body_len)
{
	char ts[24], sig[65];

	(void)method;
	(void)path;
	memset(h, 0, sizeof(*h));
	add(h, xasprintf("X-API-Key: %s", key));
	if (!body)
		return 0;
	snprintf(ts, sizeof(ts), "%" PRId64, time_now_ms() / 1000);
	if (sign_v1(key, ts, body, body_len, sig)) {
		auth_headers_release(h);
		return error("cannot sign the request");
	}
	add(h, xasprintf("X-Timestamp: %s", ts));
	add(h, xasprintf("X-Signature: %s", sig));
	return 0;
}

void auth_headers_release(struct auth_headers *h)
{
	int i;

	for (i = 0; i < h->n; i++)
		free(h->line[i]);
	h->n = 0;
}
