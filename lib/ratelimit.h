/*
 * ratelimit.h -- request quotas shared by every worker and host
 *
 * The state lives in PostgreSQL (schema/004-ratelimit.sql), so a limit
 * is one limit however many processes and app hosts serve it: each check
 * is one call of rate_limit_hit(), one round trip.  The quota of a class
 * holds for every window of ARENA_RATE_LIMIT_WINDOW_SECONDS (a sliding
 * log): requests beyond it are refused until the oldest counted one ages
 * out.
 *
 *	class      default  subject                 for
 *	api        100/min  the user's id           authenticated API calls
 *	auth        10/min  the client address      failed or key-only authentication
 *	sensitive   30/min  the user's id           key management and the like
 *	public     200/min  the client address      anonymous reads
 *
 * A quota of 0 turns a class off.  Responses carry the IETF fields
 * (draft-ietf-httpapi-ratelimit-headers):
 *	RateLimit-Policy: "api";q=100;w=60
 *	RateLimit: "api";r=57;t=12
 * r is the quota left and t the seconds until more becomes available.  A
 * refusal is 429 rate_limit_exceeded with Retry-After equal to t, and is
 * audited as rate_limit_exceeded only for the first refusal of a subject
 * in a window, so a flood cannot flood the audit log.
 *
 * When the database does not answer within ARENA_RATE_LIMIT_TIMEOUT_MS
 * the request is let through (and the failure logged): a limiter that
 * fails closed would turn a database hiccup into an outage.
 *
 * An endpoint that rate-limits lists RATELIMIT_STMT and AUDIT_STMT.
 */
#ifndef ARENA_RATELIMIT_H
#define ARENA_RATELIMIT_H

#include "db.h"
#include "req.h"

#define RATELIMIT_STMT \
	{ "rate_limit_hit", \
	  "SELECT allowed, remaining, reset_ms, report FROM rate_limit_hit($1, $2::int, $3::bigint, $4::bool)", 4 }

enum rl_class {
	RL_API,
	RL_AUTH,
	RL_SENSITIVE,
	RL_PUBLIC,
};

/*
 * Counts this request against subject's quota in cls.  Returns 1 if it
 * may go ahead (RateLimit headers added), 0 if not (429 response set,
 * headers added).  For RL_API and RL_SENSITIVE the subject is the user's
 * id, recorded as the audit row's user; otherwise the client address.
 */
int ratelimit_check(struct db *db, struct req *rq, enum rl_class cls, const char *subject);

/*
 * Whether subject has quota left in cls, without counting this request:
 * 1 yes (no headers added), 0 no (429 set as above).  Used to stop a
 * client that exhausted its failed-authentication quota before its next
 * key is even looked up.
 */
int ratelimit_peek(struct db *db, struct req *rq, enum rl_class cls, const char *subject);

/* The class's name in headers and audit details: "api", "auth", ... */
const char *ratelimit_class_name(enum rl_class cls);

#endif
