/* ratelimit.c -- request quotas shared by every worker and host */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "audit.h"
#include "conf.h"
#include "num.h"
#include "metrics.h"
#include "ratelimit.h"

/* A subject is an address or a uuid; anything longer is a caller's bug. */
#define RL_SUBJECT_MAX 64

const char *ratelimit_class_name(enum rl_class cls)
{
	switch (cls) {
	case RL_API: return "api";
	case RL_AUTH: return "auth";
	case RL_SENSITIVE: return "sensitive";
	case RL_PUBLIC: return "public";
	}
	return "api";
}

static int64_t quota_of(enum rl_class cls)
{
	switch (cls) {
	case RL_API: return arena_conf.rate_api;
	case RL_AUTH: return arena_conf.rate_auth;
	case RL_SENSITIVE: return arena_conf.rate_sensitive;
	case RL_PUBLIC: return arena_conf.rate_public;
	}
	return 0;
}

/* Whole seconds, rounded up: a client that waits t must find quota. */
static int64_t ceil_seconds(int64_t ms)
{
	return ms <= 0 ? 0 : (ms + 999) / 1000;
}

static void add_headers(struct req *rq, const char *name, int64_t quota,
			int64_t remaining, int64_t reset)
{
	req_add_header(rq, "RateLimit-Policy",
		       arena_printf(rq->a, "\"%s\";q=%lld;w=%lld", name, (long long)quota,
				    (long long)arena_conf.rate_window));
	req_add_header(rq, "RateLimit",
		       arena_printf(rq->a, "\"%s\";r=%lld;t=%lld", name, (long long)remaining,
				    (long long)reset));
}

static void report_refusal(struct db *db, struct req *rq, enum rl_class cls,
			   const char *subject, int64_t quota)
{
	int user = cls == RL_API || cls == RL_SENSITIVE;
	struct buf b = BUF_INIT;
	struct jsonw w;

	jsonw_init(&w, &b);
	jsonw_object(&w);
	jsonw_key(&w, "class");
	jsonw_string(&w, ratelimit_class_name(cls));
	jsonw_key(&w, "quota");
	jsonw_int(&w, quota);
	jsonw_key(&w, "window");
	jsonw_int(&w, arena_conf.rate_window);
	if (!user) {
		jsonw_key(&w, "subject");
		jsonw_string(&w, subject);
	}
	jsonw_end(&w);
	audit(db, rq, user ? subject : NULL, "rate_limit_exceeded", buf_str(&b));
	buf_release(&b);
}

static int hit(struct db *db, struct req *rq, enum rl_class cls, const char *subject,
	       int count)
{
	const char *name = ratelimit_class_name(cls);
	int64_t quota = quota_of(cls), remaining = 0, reset_ms = 0, reset;
	char q[24], w[24];
	const char *vals[4];
	PGresult *res;
	int allowed, report;

	if (quota <= 0)
		return 1;
	if (!subject || !*subject || strlen(subject) > RL_SUBJECT_MAX) {
		/* an unknown client shares one bucket rather than escaping the limit */
		subject = "unknown";
	}
	snprintf(q, sizeof(q), "%lld", (long long)quota);
	snprintf(w, sizeof(w), "%lld", (long long)arena_conf.rate_window * 1000);
	vals[0] = arena_printf(rq->a, "%s:%s", name, subject);
	vals[1] = q;
	vals[2] = w;
	vals[3] = count ? "t" : "f";
	res = db_run_bounded(db, "rate_limit_hit", 4, vals, arena_conf.rate_timeout_ms);
	if (!res || PQntuples(res) != 1) {
		PQclear(res);
		log_msg("ratelimit: no answer for class '%s'; letting the request through",
			name);
		return 1;
	}
	allowed = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	report = strcmp(PQgetvalue(res, 0, 3), "t") == 0;
	num_parse_i64z(PQgetvalue(res, 0, 1), 0, INT64_MAX, &remaining);
	num_parse_i64z(PQgetvalue(res, 0, 2), INT64_MIN, INT64_MAX, &reset_ms);
	PQclear(res);
	reset = ceil_seconds(reset_ms);
	if (allowed) {
		if (count)
			add_headers(rq, name, quota, remaining, reset);
		return 1;
	}
	if (reset < 1)
		reset = 1;
	if (report)
		report_refusal(db, rq, cls, subject, quota);
	add_headers(rq, name, quota, 0, reset);
	req_add_header(rq, "Retry-After", arena_printf(rq->a, "%lld", (long long)reset));
	metrics_ratelimited(cls);
	req_error(rq, 429, "rate_limit_exceeded", NULL,
		  "too many requests; retry after %lld seconds", (long long)reset);
	return 0;
}

int ratelimit_check(struct db *db, struct req *rq, enum rl_class cls, const char *subject)
{
	return hit(db, rq, cls, subject, 1);
}

int ratelimit_peek(struct db *db, struct req *rq, enum rl_class cls, const char *subject)
{
	return hit(db, rq, cls, subject, 0);
}
