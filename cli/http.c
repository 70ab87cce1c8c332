/* http.c -- talking to the server (libcurl) */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "auth.h"
#include "http.h"
#include "num.h"
#include "util.h"

#include <config.h>

/* Responses we read are small JSON documents; anything bigger is wrong. */
#define HTTP_MAX_BODY (4 * 1024 * 1024)

void http_global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void http_global_cleanup(void)
{
	curl_global_cleanup();
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct http_resp *r = ud;

	if (r->body.len + size * n > HTTP_MAX_BODY)
		return 0;
	buf_add(&r->body, p, size * n);
	return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	struct http_resp *r = ud;
	size_t len = size * n;

	if (len > 12 && strncasecmp(p, "Retry-After:", 12) == 0) {
		const char *v = p + 12, *e = p + len;
		int64_t secs;

		while (v < e && (*v == ' ' || *v == '\t'))
			v++;
		while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' '))
			e--;
		/* delta-seconds only; an HTTP date falls back to our backoff */
		if (num_parse_i64(v, (size_t)(e - v), 0, 86400, &secs) == NUM_OK)
			r->retry_after = secs;
	}
	return len;
}

int http_request(const char *base, const char *path, const char *key,
		 const char *body, size_t body_len, struct http_resp *resp)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	char *url;
	CURLcode rc;
	size_t bl = strlen(base);

	memset(resp, 0, sizeof(*resp));
	resp->retry_after = -1;
	if (!c) {
		snprintf(resp->err, sizeof(resp->err), "cannot initialise libcurl");
		return -1;
	}
	while (bl && base[bl - 1] == '/')
		bl--;
	url = xasprintf("%.*s%s", (int)bl, base, path);
	if (key && auth_headers(&h, key, body ? "POST" : "GET", path, body, body_len)) {
		snprintf(resp->err, sizeof(resp->err), "cannot build the request headers");
		curl_easy_cleanup(c);
		free(url);
		return -1;
	}
	h = curl_slist_append(h, "Accept: application/json");
	if (body)
		h = curl_slist_append(h, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "modu-arena/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)HTTP_CONNECT_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)HTTP_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, resp);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
	}
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	else
		snprintf(resp->err, sizeof(resp->err), "%s", curl_easy_strerror(rc));
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	free(url);
	return rc == CURLE_OK ? 0 : -1;
}

void http_resp_release(struct http_resp *r)
{
	buf_release(&r->body);
}
