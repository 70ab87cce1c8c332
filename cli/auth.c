/* auth.c -- how requests are authenticated */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "auth.h"
#include "sign.h"
#include "timeutil.h"
#include "util.h"

int auth_headers(struct curl_slist **headers, const char *key, const char *method,
		 const char *path, const char *body, size_t body_len)
{
	char ts[24], sig[65], *h;
	struct curl_slist *l;

	(void)method;
	(void)path;
	h = xasprintf("X-API-Key: %s", key);
	l = curl_slist_append(*headers, h);
	free(h);
	if (!l)
		return -1;
	*headers = l;
	if (!body)
		return 0;
	snprintf(ts, sizeof(ts), "%" PRId64, time_now_ms() / 1000);
	if (sign_v1(key, ts, body, body_len, sig))
		return error("cannot sign the request");
	h = xasprintf("X-Timestamp: %s", ts);
	l = curl_slist_append(*headers, h);
	free(h);
	if (!l)
		return -1;
	*headers = l;
	h = xasprintf("X-Signature: %s", sig);
	l = curl_slist_append(*headers, h);
	free(h);
	if (!l)
		return -1;
	*headers = l;
	return 0;
}
