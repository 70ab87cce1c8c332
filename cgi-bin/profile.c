/*
 * profile.c -- public profiles
 *
 *	GET /api/users/{username}[?tz=Area/City]	the profile as JSON
 *	GET /users/{username}[?tz=...]			the page (ui-profile.c),
 *	GET /ko/users/{username}, /ja/..., /zh/...	 in four languages
 *
 * Everything comes from lib/profile.h in one struct, so every number
 * here is the one the profile page shows.  The field names follow the
 * original system's PublicUserProfile (stats, tokenBreakdown, modelUsage,
 * dailyActivity, hourlyActivity, dayOfWeekActivity with 0 = Sunday,
 * streak, codeMetrics, toolUsage, vibeStyle, agentBreakdown), with what
 * it lacked added beside them (tier, rankings, heatmap, time zone).
 *
 * A private user and an unknown one get the same 404, byte for byte
 * but for the request id.  A name that no user can have is a 400, as is
 * an unknown time zone or query parameter; no error echoes the input.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "conf.h"
#include "page.h"
#include "profile.h"
#include "ratelimit.h"
#include "replica.h"
#include "serve.h"
#include "timeutil.h"
#include "ui-profile.h"

#define API_PREFIX "/api/users/"
#define PAGE_PREFIX "/users/"

static const struct db_stmt stmts[] = {
	PROFILE_STMTS,
	RATELIMIT_STMT,
	REPLICA_STMT,
	AUDIT_STMT,
	DB_STMT_END
};

static const char *const params[] = { "tz", NULL };

/* Reads ?tz; 0, or -1 with a 400 (or 503) set. */
static int read_params(struct req *rq, struct db *db, const char **tz)
{
	const char *bad, *v;
	int ok;

	if (req_query_only(rq, params, &bad)) {
		if (!bad)
			req_error(rq, 400, "invalid_query", NULL, "the query string is malformed");
		else if (strcmp(bad, "tz") == 0 && profile_query_count(rq->query, "tz") > 1)
			req_error(rq, 400, "duplicate_parameter", "tz",
				  "query parameter 'tz' is given more than once");
		else if (strcmp(bad, "tz") == 0)
			req_error(rq, 400, "invalid_query", "tz",
				  "the value of tz cannot be decoded");
		else
			req_error(rq, 400, "unknown_parameter",
				  arena_strndup(rq->a, bad, strnlen(bad, 64)),
				  "unknown query parameter; allowed: tz");
		return -1;
	}
	*tz = "UTC";
	if (req_query(rq, "tz", &v) != 0)
		return 0;
	ok = profile_tz_check(db, v);
	if (ok < 0) {
		reply_unavailable(rq);
		return -1;
	}
	if (!ok) {
		req_error(rq, 400, "invalid_time_zone", "tz",
			  "tz must be an IANA time zone name such as Asia/Seoul");
		return -1;
	}
	*tz = v;
	return 0;
}

static void handle_api(struct req *rq, struct db *db, const char *name)
{
	struct profile p;
	const char *tz;

	if (!profile_username_ok(name)) {
		req_error(rq, 400, "invalid_username", "username",
			  "a username is 1 to 39 of A-Z a-z 0-9 _ -, starting with a letter or digit");
		return;
	}
	if (read_params(rq, db, &tz))
		return;
	switch (profile_load(db, rq->a, name, tz, &p)) {
	case PROFILE_OK:
		profile_json(req_json(rq, 200), &p);
		req_add_header(rq, "Cache-Control",
			       arena_printf(rq->a, "public, max-age=%lld",
					    (long long)arena_conf.leaderboard_max_age));
		break;
	case PROFILE_NOT_FOUND:
		req_error(rq, 404, "user_not_found", NULL, "no such user");
		break;
	default:
		reply_unavailable(rq);
	}
}

/* A refused page is a page too, keeping the limit's headers. */
static void page_rate_limited(struct req *rq, enum lang l)
{
	struct buf keep = BUF_INIT;
	const char *h = buf_str(&rq->headers), *e;

	/* "Retry-After: 12\r\nRateLimit: ...\r\n": keep those lines */
	while (*h) {
		e = strstr(h, "\r\n");
		e = e ? e + 2 : h + strlen(h);
		if (strncmp(h, "Retry-After:", 12) == 0 || strncmp(h, "RateLimit", 9) == 0)
			buf_add(&keep, h, (size_t)(e - h));
		h = e;
	}
	page_error(rq, l, 429, "error.ratelimit", NULL, 0);
	buf_add(&rq->headers, keep.s, keep.len);
	buf_release(&keep);
}

static void handle_profile(struct req *rq, struct db *db)
{
	const char *rest;
	enum lang l;
	int api = strncmp(rq->path, API_PREFIX, strlen(API_PREFIX)) == 0;

	page_lang_from_path(rq->path, &l, &rest);
	if (!ratelimit_check(db, rq, RL_PUBLIC, rq->remote_addr)) {
		if (!api && rq->status == 429)
			page_rate_limited(rq, l);
		return;
	}
	/* everything after the rate limit only reads public data */
	db = replica_db(db);
	if (api)
		handle_api(rq, db, rq->path + strlen(API_PREFIX));
	else if (strncmp(rest, PAGE_PREFIX, strlen(PAGE_PREFIX)) == 0)
		ui_profile(rq, db, l, rest + strlen(PAGE_PREFIX));
	else
		page_error(rq, l, 404, "error.notfound", NULL, 0);
}

static const struct endpoint profile_endpoint = {
	.name = "profile",
	.allow = "GET, HEAD",
	.stmts = stmts,
	.handle = handle_profile,
	.public_read = 1,
	.refused = page_refused,
};

SERVE_MAIN(profile_endpoint)
