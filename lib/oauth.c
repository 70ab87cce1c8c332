/* oauth.c -- signing in with GitHub: OAuth 2.0 web flow with PKCE */
#include "config.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "conf.h"
#include "json.h"
#include "oauth.h"

#define OAUTH_MAX_ANSWER (64 * 1024)

static const char *client_id(void)
{
	return conf_str("ARENA_GITHUB_CLIENT_ID", NULL);
}

static const char *client_secret(void)
{
	return conf_str("ARENA_GITHUB_CLIENT_SECRET", NULL);
}

void oauth_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

int oauth_configured(void)
{
	return client_id() && client_secret() && arena_conf.have_secret_key;
}

int oauth_begin(struct oauth_start *s)
{
	unsigned char raw[32], h[SHA256_LEN];

	if (crypto_random(raw, sizeof(raw)))
		return -1;
	base64url_encode(raw, sizeof(raw), s->state);
	if (crypto_random(raw, sizeof(raw)))
		return -1;
	base64url_encode(raw, sizeof(raw), s->verifier);
	memset(raw, 0, sizeof(raw));
	crypto_sha256(s->verifier, strlen(s->verifier), h);
	base64url_encode(h, sizeof(h), s->challenge);
	return 0;
}

/* Appends s percent-encoded (everything but unreserved characters). */
static void url_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~')
			buf_addc(b, (char)c);
		else
			buf_printf(b, "%%%02X", c);
	}
}

const char *oauth_authorize_url(struct req *rq, const struct oauth_start *s,
				const char *redirect_uri)
{
	struct buf b = BUF_INIT;
	const char *base = conf_str("ARENA_GITHUB_AUTHORIZE_URL",
				    "https://github.com/login/oauth/authorize");
	const char *out;

	buf_adds(&b, base);
	buf_adds(&b, strchr(base, '?') ? "&client_id=" : "?client_id=");
	url_escape(&b, client_id() ? client_id() : "");
	buf_adds(&b, "&redirect_uri=");
	url_escape(&b, redirect_uri);
	buf_adds(&b, "&scope=&state=");
	buf_adds(&b, s->state);
	buf_adds(&b, "&code_challenge=");
	buf_adds(&b, s->challenge);
	buf_adds(&b, "&code_challenge_method=S256&allow_signup=true");
	out = arena_strdup(rq->a, buf_str(&b));
	buf_release(&b);
	return out;
}

int oauth_next_ok(const char *next)
{
	size_t i, n = next ? strlen(next) : 0;

	if (n == 0 || n > OAUTH_NEXT_MAX || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)next[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("/-_.~?=&%+", c)))
			return 0;
	}
	return 1;
}

static void cookie_mac(const char *payload, char out[OAUTH_RANDOM_LEN + 1])
{
	unsigned char mac[SHA256_LEN];
	struct buf b = BUF_INIT;

	buf_adds(&b, "oauth-v1:");
	buf_adds(&b, payload);
	if (crypto_hmac_sha256(arena_conf.secret_key, sizeof(arena_conf.secret_key),
			       b.s, b.len, mac))
		memset(mac, 0, sizeof(mac));
	buf_release(&b);
	base64url_encode(mac, sizeof(mac), out);
}

const char *oauth_cookie_value(struct req *rq, const struct oauth_start *s, const char *next)
{
	char *next64 = arena_alloc(rq->a, BASE64URL_LEN(strlen(next)) + 1);
	char mac[OAUTH_RANDOM_LEN + 1];
	const char *payload;

	base64url_encode((const unsigned char *)next, strlen(next), next64);
	payload = arena_printf(rq->a, "%s.%s.%s", s->state, s->verifier, next64);
	cookie_mac(payload, mac);
	return arena_printf(rq->a, "%s.%s", payload, mac);
}

static int b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '-' ? 62 : c == '_' ? 63 : -1;
}

/* Decodes unpadded base64url into a NUL-terminated string; NULL if bad. */
static char *b64_decode(struct req *rq, const char *s, size_t n)
{
	char *out = arena_alloc(rq->a, n + 1), *o = out;
	unsigned acc = 0;
	int bits = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int v = b64_value((unsigned char)s[i]);

		if (v < 0)
			return NULL;
		acc = (acc << 6 | (unsigned)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			*o++ = (char)(acc >> bits & 0xff);
		}
	}
	*o = '\0';
	return strlen(out) == (size_t)(o - out) ? out : NULL;
}

int oauth_cookie_parse(struct req *rq, const char *value, struct oauth_start *s,
		       const char **next)
{
	const char *p1, *p2, *p3;
	char mac[OAUTH_RANDOM_LEN + 1];
	char *payload, *nx;

	if (!value || !(p1 = strchr(value, '.')) || !(p2 = strchr(p1 + 1, '.')) ||
	    !(p3 = strchr(p2 + 1, '.')) || strchr(p3 + 1, '.'))
		return -1;
	if (p1 - value != OAUTH_RANDOM_LEN || p2 - p1 - 1 != OAUTH_RANDOM_LEN ||
	    strlen(p3 + 1) != OAUTH_RANDOM_LEN)
		return -1;
	payload = arena_strndup(rq->a, value, (size_t)(p3 - value));
	cookie_mac(payload, mac);
	if (!crypto_equal(mac, p3 + 1, OAUTH_RANDOM_LEN))
		return -1;
	nx = b64_decode(rq, p2 + 1, (size_t)(p3 - p2 - 1));
	if (!nx || !oauth_next_ok(nx))
		return -1;
	memcpy(s->state, value, OAUTH_RANDOM_LEN);
	s->state[OAUTH_RANDOM_LEN] = '\0';
	memcpy(s->verifier, p1 + 1, OAUTH_RANDOM_LEN);
	s->verifier[OAUTH_RANDOM_LEN] = '\0';
	*next = nx;
	return 0;
}

/* --- talking to the provider --- */

struct answer {
	struct buf body;
	int overflow;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;

	if (a->body.len + size * n > OAUTH_MAX_ANSWER) {
		a->overflow = 1;
		return 0;
	}
	buf_add(&a->body, p, size * n);
	return size * n;
}

/* 1 for http:// on a loopback literal (a stand-in provider in tests). */
static int loopback_http(const char *url)
{
	return strncmp(url, "http://127.", 11) == 0 || strncmp(url, "http://[::1]", 12) == 0;
}

/*
 * One request to the provider: a POST of form when form is not NULL,
 * else a GET with the bearer token.  Returns OAUTH_OK with the parsed
 * JSON answer in *out (the caller cJSON_Delete()s it) and its status.
 */
static enum oauth_result call(const char *url, const char *form, const char *bearer,
			      cJSON **out, long *status, const char **why)
{
	struct answer a = { BUF_INIT, 0 };
	struct curl_slist *h = NULL;
	enum oauth_result rc = OAUTH_OK;
	CURLcode cc;
	CURL *c;

	*out = NULL;
	*status = 0;
	if (strncmp(url, "https://", 8) != 0 && !loopback_http(url)) {
		*why = "provider_url_not_https";
		return OAUTH_DOWN;
	}
	if (!(c = curl_easy_init())) {
		*why = "curl_init";
		return OAUTH_DOWN;
	}
	h = curl_slist_append(h, "Accept: application/json");
	if (bearer) {
		char auth[600];

		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", bearer);
		h = curl_slist_append(h, auth);
		h = curl_slist_append(h, "X-GitHub-Api-Version: 2022-11-28");
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, loopback_http(url) ? "http" : "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 3000L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "modu-arena/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
	if (form)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	if (cc == CURLE_OPERATION_TIMEDOUT) {
		*why = "timeout";
		rc = OAUTH_DOWN;
	} else if (cc == CURLE_WRITE_ERROR && a.overflow) {
		*why = "answer_too_large";
		rc = OAUTH_GARBAGE;
	} else if (cc != CURLE_OK) {
		*why = "unreachable";
		rc = OAUTH_DOWN;
	} else if (*status >= 500) {
		*why = "provider_error";
		rc = OAUTH_DOWN;
	} else if (!utf8_valid(a.body.s ? a.body.s : "", a.body.len) ||
		   !(*out = cJSON_ParseWithLength(a.body.s ? a.body.s : "", a.body.len)) ||
		   !cJSON_IsObject(*out)) {
		cJSON_Delete(*out);
		*out = NULL;
		*why = "unreadable_answer";
		rc = OAUTH_GARBAGE;
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	buf_release(&a.body);
	return rc;
}

/* The string member k of o if it is a short printable token, else NULL. */
static const char *token_string(const cJSON *o, const char *k, size_t max)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	size_t i, n;

	if (!cJSON_IsString(v) || !v->valuestring)
		return NULL;
	n = strlen(v->valuestring);
	if (n == 0 || n > max)
		return NULL;
	for (i = 0; i < n; i++)
		if ((unsigned char)v->valuestring[i] <= ' ' || v->valuestring[i] == 0x7f)
			return NULL;
	return v->valuestring;
}

static int login_ok(const char *s)
{
	size_t i, n = s ? strlen(s) : 0;

	if (n == 0 || n > 39 || s[0] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

/* Fills u from GitHub's /user answer; 0, or -1 if it lacks what we need. */
static int read_user(struct req *rq, const cJSON *o, struct oauth_user *u)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(o, "name");
	const char *login = token_string(o, "login", 39);
	const char *avatar = token_string(o, "avatar_url", 2000);
	double v;

	if (!cJSON_IsNumber(id) || !login_ok(login))
		return -1;
	v = id->valuedouble;
	if (!(v >= 1 && v <= 9007199254740992.0) || v != floor(v))
		return -1;
	u->id = arena_printf(rq->a, "%.0f", v);
	u->login = arena_strdup(rq->a, login);
	u->avatar_url = avatar && strncmp(avatar, "https://", 8) == 0 &&
			!strpbrk(avatar, "\"'<>\\") ? arena_strdup(rq->a, avatar) : NULL;
	u->name = NULL;
	if (cJSON_IsString(name) && name->valuestring && *name->valuestring &&
	    strlen(name->valuestring) <= 255 &&
	    utf8_valid(name->valuestring, strlen(name->valuestring)))
		u->name = arena_strdup(rq->a, name->valuestring);
	return 0;
}

static char *form_value(CURL *c, const char *s)
{
	return curl_easy_escape(c, s, 0);
}

/* The body of the token request, every value escaped; NULL on failure. */
static char *token_form(struct req *rq, const char *code, const char *verifier,
			const char *redirect_uri)
{
	const char *names[5] = { "client_id", "client_secret", "code", "redirect_uri",
				 "code_verifier" };
	const char *vals[5] = { client_id(), client_secret(), code, redirect_uri, verifier };
	struct buf b = BUF_INIT;
	CURL *c = curl_easy_init();
	char *out = NULL;
	int i;

	if (!c)
		return NULL;
	for (i = 0; i < 5; i++) {
		char *e = form_value(c, vals[i] ? vals[i] : "");

		if (!e)
			goto done;
		buf_printf(&b, "%s%s=%s", i ? "&" : "", names[i], e);
		curl_free(e);
	}
	out = arena_strdup(rq->a, buf_str(&b));
done:
	/* the client secret was in it */
	if (b.s)
		memset(b.s, 0, b.len);
	buf_release(&b);
	curl_easy_cleanup(c);
	return out;
}

enum oauth_result oauth_exchange(struct req *rq, const char *code, const char *verifier,
				 const char *redirect_uri, struct oauth_user *u,
				 const char **why)
{
	const char *token_url = conf_str("ARENA_GITHUB_TOKEN_URL",
					 "https://github.com/login/oauth/access_token");
	const char *api = conf_str("ARENA_GITHUB_API_URL", "https://api.github.com");
	char *form = token_form(rq, code, verifier, redirect_uri), *token;
	enum oauth_result rc;
	cJSON *ans = NULL;
	const char *t, *err;
	long status;

	memset(u, 0, sizeof(*u));
	*why = "internal";
	if (!form)
		return OAUTH_DOWN;
	rc = call(token_url, form, NULL, &ans, &status, why);
	memset(form, 0, strlen(form));
	if (rc != OAUTH_OK)
		return rc;
	/* GitHub reports a bad code or verifier as 200 with "error" */
	err = token_string(ans, "error", 64);
	t = token_string(ans, "access_token", 255);
	if (err || status != 200 || !t) {
		*why = err ? arena_strdup(rq->a, err) : status != 200 ? "token_refused" : "no_token";
		cJSON_Delete(ans);
		return err || status != 200 ? OAUTH_REFUSED : OAUTH_GARBAGE;
	}
	token = arena_strdup(rq->a, t);
	cJSON_Delete(ans);
	rc = call(arena_printf(rq->a, "%s/user", api), NULL, token, &ans, &status, why);
	memset(token, 0, strlen(token));
	if (rc != OAUTH_OK)
		return rc;
	if (status != 200) {
		*why = "user_refused";
		rc = OAUTH_REFUSED;
	} else if (read_user(rq, ans, u)) {
		*why = "user_unreadable";
		rc = OAUTH_GARBAGE;
	}
	cJSON_Delete(ans);
	return rc;
}
