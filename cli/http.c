/* http.c -- talking to the server (libcurl) */
#include <dlfcn.h>
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

/*
 * libcurl is loaded when the first request is made, not at start-up:
 * it brings some thirty libraries whose loading would dominate the hook
 * and a sync with nothing to send, neither of which touches the network.
 * libcurl.so.4 has been its ABI name since 2006.
 */
static struct {
	void *dl;
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
} cu;

#define LOAD(field, name) \
	if (!(*(void **)&cu.field = dlsym(cu.dl, name))) \
		goto fail

static int load_curl(char *err, size_t errlen)
{
	if (cu.dl)
		return 0;
	cu.dl = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!cu.dl) {
		snprintf(err, errlen, "cannot load libcurl: %s", dlerror());
		return -1;
	}
	LOAD(global_init, "curl_global_init");
	LOAD(global_cleanup, "curl_global_cleanup");
	LOAD(easy_init, "curl_easy_init");
	LOAD(easy_setopt, "curl_easy_setopt");
	LOAD(easy_perform, "curl_easy_perform");
	LOAD(easy_getinfo, "curl_easy_getinfo");
	LOAD(easy_cleanup, "curl_easy_cleanup");
	LOAD(easy_strerror, "curl_easy_strerror");
	LOAD(slist_append, "curl_slist_append");
	LOAD(slist_free_all, "curl_slist_free_all");
	if (cu.global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK)
		return 0;
	snprintf(err, errlen, "cannot initialise libcurl");
fail:
	if (!err[0])
		snprintf(err, errlen, "libcurl lacks a function we need");
	dlclose(cu.dl);
	memset(&cu, 0, sizeof(cu));
	return -1;
}

void http_global_init(void)
{
}

void http_global_cleanup(void)
{
	if (cu.dl) {
		cu.global_cleanup();
		dlclose(cu.dl);
		memset(&cu, 0, sizeof(cu));
	}
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
	struct auth_headers ah = { { NULL }, 0 };
	struct curl_slist *h = NULL, *t;
	CURL *c;
	char *url;
	CURLcode rc;
	size_t bl = strlen(base);
	int i;

	memset(resp, 0, sizeof(*resp));
	resp->retry_after = -1;
	if (load_curl(resp->err, sizeof(resp->err)))
		return -1;
	if (key && auth_headers(&ah, key, body ? "POST" : "GET", path, body, body_len)) {
		snprintf(resp->err, sizeof(resp->err), "cannot sign the request");
		return -1;
	}
	c = cu.easy_init();
	if (!c) {
		auth_headers_release(&ah);
		snprintf(resp->err, sizeof(resp->err), "cannot initialise libcurl");
		return -1;
	}
	for (i = 0; i < ah.n; i++)
		if ((t = cu.slist_append(h, ah.line[i])) != NULL)
			h = t;
	auth_headers_release(&ah);
	if ((t = cu.slist_append(h, "Accept: application/json")) != NULL)
		h = t;
	if (body && (t = cu.slist_append(h, "Content-Type: application/json")) != NULL)
		h = t;
	while (bl && base[bl - 1] == '/')
		bl--;
	url = xasprintf("%.*s%s", (int)bl, base, path);
	cu.easy_setopt(c, CURLOPT_URL, url);
	cu.easy_setopt(c, CURLOPT_HTTPHEADER, h);
	cu.easy_setopt(c, CURLOPT_USERAGENT, "modu-arena/" PACKAGE_VERSION);
	cu.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)HTTP_CONNECT_TIMEOUT);
	cu.easy_setopt(c, CURLOPT_TIMEOUT, (long)HTTP_TIMEOUT);
	cu.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	cu.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	cu.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	cu.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	cu.easy_setopt(c, CURLOPT_WRITEDATA, resp);
	cu.easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	cu.easy_setopt(c, CURLOPT_HEADERDATA, resp);
	if (body) {
		cu.easy_setopt(c, CURLOPT_POST, 1L);
		cu.easy_setopt(c, CURLOPT_POSTFIELDS, body);
		cu.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
	}
	rc = cu.easy_perform(c);
	if (rc == CURLE_OK)
		cu.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	else
		snprintf(resp->err, sizeof(resp->err), "%s", cu.easy_strerror(rc));
	cu.slist_free_all(h);
	cu.easy_cleanup(c);
	free(url);
	return rc == CURLE_OK ? 0 : -1;
}

void http_resp_release(struct http_resp *r)
{
	buf_release(&r->body);
}
