/*
 * oauth.h -- signing in with GitHub: OAuth 2.0 web flow with PKCE (S256)
 *
 *	GET /auth/github                oauth_begin(), oauth_cookie_value(),
 *	                                302 to oauth_authorize_url()
 *	GET /auth/github/callback       oauth_cookie_parse(), compare state,
 *	                                oauth_exchange(), then a new session
 *
 * The state (128+ bits) and the PKCE verifier live in one short-lived
 * cookie, __Host-oauth (Path=/; Max-Age=600; Secure; HttpOnly;
 * SameSite=Lax: Strict would lose it on the way back from GitHub), with
 * the page to return to, all under an HMAC with the server key so the
 * cookie cannot be forged or edited.  The code is exchanged with the
 * verifier; the access token is used once for GET /user and forgotten.
 *
 * Provider settings come from the environment, GitHub's by default:
 *	ARENA_GITHUB_CLIENT_ID        (none: sign-in is not configured)
 *	ARENA_GITHUB_CLIENT_SECRET
 *	ARENA_GITHUB_AUTHORIZE_URL    https://github.com/login/oauth/authorize
 *	ARENA_GITHUB_TOKEN_URL        https://github.com/login/oauth/access_token
 *	ARENA_GITHUB_API_URL          https://api.github.com
 * Provider URLs must be https, except on a loopback address (tests).
 * Each call to the provider is bounded (3 s to connect, 5 s in all), does
 * not follow redirects and reads at most 64 KiB; answers are parsed with
 * cJSON.  Call curl_global_init() once before forking workers (oauth_init).
 */
#ifndef ARENA_OAUTH_H
#define ARENA_OAUTH_H

#include "crypto.h"
#include "req.h"

#define OAUTH_COOKIE "__Host-oauth"
#define OAUTH_COOKIE_MAX_AGE 600
#define OAUTH_RANDOM_LEN BASE64URL_LEN(32)	/* 43 */
#define OAUTH_NEXT_MAX 256

struct oauth_start {
	char state[OAUTH_RANDOM_LEN + 1];
	char verifier[OAUTH_RANDOM_LEN + 1];
	char challenge[OAUTH_RANDOM_LEN + 1];	/* base64url(SHA-256(verifier)) */
};

/* Once per process, before workers fork. */
void oauth_init(void);

/* 1 when a client id and secret are configured (and the server key). */
int oauth_configured(void);

/* Fresh state and verifier; 0, or -1 without randomness. */
int oauth_begin(struct oauth_start *s);

/* The provider's authorize URL for this start (all values escaped). */
const char *oauth_authorize_url(struct req *rq, const struct oauth_start *s,
				const char *redirect_uri);

/* 1 if next is a path of ours to return to: "/x...", never "//x" or "/\x". */
int oauth_next_ok(const char *next);

/* The cookie's value for s and next (a checked path). */
const char *oauth_cookie_value(struct req *rq, const struct oauth_start *s, const char *next);

/*
 * Reads the cookie's value back: 0 with state, verifier and *next filled
 * in, or -1 when it is missing, malformed or its MAC does not match.
 */
int oauth_cookie_parse(struct req *rq, const char *value, struct oauth_start *s,
		       const char **next);

struct oauth_user {
	const char *id;		/* GitHub's numeric id, decimal */
	const char *login;
	const char *name;	/* NULL when none */
	const char *avatar_url;	/* https only; NULL otherwise */
};

enum oauth_result {
	OAUTH_OK = 0,
	OAUTH_REFUSED,		/* the provider said no: bad code, verifier, client */
	OAUTH_DOWN,		/* could not connect, timed out, 5xx */
	OAUTH_GARBAGE,		/* an answer we cannot read */
};

/*
 * Exchanges code (with the verifier) for a token and reads the user.
 * *why gets a short reason for the audit log ("bad_verification_code",
 * "timeout", ...), never a secret.
 */
enum oauth_result oauth_exchange(struct req *rq, const char *code, const char *verifier,
				 const char *redirect_uri, struct oauth_user *u,
				 const char **why);

#endif
