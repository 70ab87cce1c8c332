/*
 * leaderboard.c -- GET /api/leaderboard?period=weekly&limit=50&offset=0
 *
 * One page of the latest ranking of a period type, read with one indexed
 * query from what cron/calculate-rankings precomputed.  Each worker keeps
 * the pages it built until the database announces a change (lib/
 * pagecache.h), so a popular page costs no query at all.  Public: anyone
 * may read it (CORS without credentials), and it is cacheable: an ETag
 * over the body with 304 on If-None-Match, Cache-Control max-age
 * ARENA_LEADERBOARD_MAX_AGE, and nginx micro-caches it for a second.
 *
 * "Latest" is the newest ranked period that has started, so right after
 * midnight, until the next run, the day's board is yesterday's final one
 * (the response says which period it is).
 *
 * A user in privacy mode keeps their place but the row names no one: no
 * userId, no avatar, and "Anonymous #<rank>" for a name.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "conf.h"
#include "crypto.h"
#include "num.h"
#include "pagecache.h"
#include "ratelimit.h"
#include "score.h"
#include "serve.h"
#include "timeutil.h"

#define LIMIT_DEFAULT 50
#define LIMIT_MAX 100		/* the seed's bound on a page */
#define OFFSET_MAX 100000000	/* beyond any real board; keeps OFFSET sane */

static const struct db_stmt stmts[] = {
	{ "board",
	  "WITH p AS (SELECT period_start, period_end, participants, computed_at"
	  "  FROM ranking_periods WHERE period_type = $1"
	  "  AND period_start <= (now() AT TIME ZONE 'UTC')::date"
	  "  ORDER BY period_start DESC LIMIT 1)"
	  " SELECT to_char(p.period_start, 'YYYY-MM-DD\"T00:00:00.000Z\"'),"
	  "  to_char(p.period_end, 'YYYY-MM-DD\"T00:00:00.000Z\"'), p.participants,"
	  "  (extract(epoch FROM p.computed_at) * 1000)::bigint,"
	  "  r.rank_position, r.user_id, u.username, u.avatar_url, u.privacy_mode,"
	  "  r.total_tokens, r.cache_tokens, r.composite_score, r.session_count,"
	  "  r.efficiency_score, r.streak"
	  " FROM p LEFT JOIN LATERAL (SELECT * FROM rankings k"
	  "  WHERE k.period_type = $1 AND k.period_start = p.period_start"
	  "  ORDER BY k.composite_score DESC, k.user_id LIMIT $2 OFFSET $3) r ON true"
	  " LEFT JOIN users u ON u.id = r.user_id"
	  " ORDER BY r.composite_score DESC, r.user_id", 3 },
	RATELIMIT_STMT,
	AUDIT_STMT,
	DB_STMT_END
};

enum { C_START, C_END, C_TOTAL, C_COMPUTED, C_RANK, C_USER, C_NAME, C_AVATAR,
       C_PRIVATE, C_TOKENS, C_CACHE, C_SCORE, C_SESSIONS, C_EFFICIENCY, C_STREAK };

static const char *const periods[] = { "daily", "weekly", "monthly", "all_time", NULL };
static const char *const params[] = { "period", "limit", "offset", NULL };

/* Reads period, limit and offset; 0, or -1 with a 400 naming the parameter. */
static int read_params(struct req *rq, const char **period, int64_t *limit, int64_t *offset)
{
	const char *bad, *v;
	const char *const *p;

	if (req_query_only(rq, params, &bad)) {
		if (!bad) {
			req_error(rq, 400, "invalid_query", NULL, "the query string is malformed");
			return -1;
		}
		for (p = params; *p && strcmp(*p, bad) != 0; p++)
			;
		if (*p)
			req_error(rq, 400, "duplicate_parameter", *p,
				  "query parameter '%s' is given more than once", *p);
		else
			req_error(rq, 400, "unknown_parameter",
				  arena_strndup(rq->a, bad, strnlen(bad, 64)),
				  "unknown query parameter; allowed: period, limit, offset");
		return -1;
	}
	*period = "weekly";
	if (req_query(rq, "period", &v) == 0) {
		for (p = periods; *p && strcmp(*p, v) != 0; p++)
			;
		if (!*p) {
			req_error(rq, 400, "invalid_parameter", "period",
				  "period must be daily, weekly, monthly or all_time");
			return -1;
		}
		*period = *p;
	}
	*limit = LIMIT_DEFAULT;
	if (req_query(rq, "limit", &v) == 0 &&
	    num_parse_i64z(v, 1, LIMIT_MAX, limit) != NUM_OK) {
		req_error(rq, 400, "invalid_parameter", "limit",
			  "limit must be an integer from 1 to %d", LIMIT_MAX);
		return -1;
	}
	*offset = 0;
	if (req_query(rq, "offset", &v) == 0 &&
	    num_parse_i64z(v, 0, OFFSET_MAX, offset) != NUM_OK) {
		req_error(rq, 400, "invalid_parameter", "offset",
			  "offset must be an integer from 0 to %d", OFFSET_MAX);
		return -1;
	}
	return 0;
}

static void write_row(struct jsonw *w, struct req *rq, const PGresult *res, int i)
{
	int64_t rank = db_int(res, i, C_RANK);
	double score = strtod(PQgetvalue(res, i, C_SCORE), NULL);
	int hidden = strcmp(PQgetvalue(res, i, C_PRIVATE), "t") == 0;

	jsonw_object(w);
	jsonw_key(w, "rank");
	jsonw_int(w, rank);
	jsonw_key(w, "userId");
	jsonw_string(w, hidden ? NULL : PQgetvalue(res, i, C_USER));
	jsonw_key(w, "username");
	jsonw_string(w, hidden ? arena_printf(rq->a, "Anonymous #%lld", (long long)rank) :
		     PQgetvalue(res, i, C_NAME));
	jsonw_key(w, "avatarUrl");
	jsonw_string(w, hidden || PQgetisnull(res, i, C_AVATAR) ? NULL :
		     PQgetvalue(res, i, C_AVATAR));
	jsonw_key(w, "totalTokens");
	jsonw_int(w, db_int(res, i, C_TOKENS));
	jsonw_key(w, "cacheTokens");
	jsonw_int(w, db_int(res, i, C_CACHE));
	jsonw_key(w, "compositeScore");
	jsonw_fixed(w, score, 2);
	jsonw_key(w, "sessionCount");
	jsonw_int(w, db_int(res, i, C_SESSIONS));
	jsonw_key(w, "efficiencyScore");
	jsonw_fixed(w, strtod(PQgetvalue(res, i, C_EFFICIENCY), NULL), 4);
	jsonw_key(w, "isPrivate");
	jsonw_bool(w, hidden);
	jsonw_key(w, "tier");
	jsonw_string(w, score_tier(score));
	jsonw_key(w, "streak");
	jsonw_int(w, db_int(res, i, C_STREAK));
	jsonw_end(w);
}

static void write_board(struct jsonw *w, struct req *rq, const PGresult *res,
			const char *period, int64_t limit, int64_t offset)
{
	int n = PQntuples(res), i, shown = 0;
	int64_t total = n ? db_int(res, 0, C_TOTAL) : 0;
	char when[TIME_ISO_LEN + 1];

	jsonw_object(w);
	jsonw_key(w, "data");
	jsonw_array(w);
	for (i = 0; i < n; i++) {
		/* past the last page the one row left has no ranking columns */
		if (PQgetisnull(res, i, C_RANK))
			continue;
		write_row(w, rq, res, i);
		shown++;
	}
	jsonw_end(w);
	jsonw_key(w, "pagination");
	jsonw_object(w);
	jsonw_key(w, "page");
	jsonw_int(w, offset / limit + 1);
	jsonw_key(w, "limit");
	jsonw_int(w, limit);
	jsonw_key(w, "offset");
	jsonw_int(w, offset);
	jsonw_key(w, "total");
	jsonw_int(w, total);
	jsonw_key(w, "totalPages");
	jsonw_int(w, (total + limit - 1) / limit);
	jsonw_key(w, "hasMore");
	jsonw_bool(w, offset + shown < total);
	jsonw_end(w);
	jsonw_key(w, "period");
	jsonw_string(w, period);
	jsonw_key(w, "periodStart");
	jsonw_string(w, n && !PQgetisnull(res, 0, C_START) ? PQgetvalue(res, 0, C_START) : NULL);
	jsonw_key(w, "periodEnd");
	jsonw_string(w, n && !PQgetisnull(res, 0, C_END) ? PQgetvalue(res, 0, C_END) : NULL);
	jsonw_key(w, "lastUpdated");
	if (n) {
		time_format_iso(db_int(res, 0, C_COMPUTED), when);
		jsonw_string(w, when);
	} else {
		jsonw_null(w);
	}
	jsonw_end(w);
}

/* 1 if an If-None-Match list names tag (weak comparison, as RFC 9110 says). */
static int etag_matches(const char *inm, const char *tag)
{
	size_t tlen = strlen(tag);

	while (inm && *inm) {
		size_t n;

		inm += strspn(inm, " \t,");
		if (*inm == '*')
			return 1;
		if (strncmp(inm, "W/", 2) == 0)
			inm += 2;
		n = strcspn(inm, " \t,");
		if (n == tlen && strncmp(inm, tag, n) == 0)
			return 1;
		inm += n;
	}
	return 0;
}

/* Headers every 200 and 304 carries; a 304 when the client has the tag. */
static void finish(struct req *rq, const char *tag)
{
	const char *inm;
	int dup = 0;

	req_add_header(rq, "ETag", tag);
	req_add_header(rq, "Cache-Control",
		       arena_printf(rq->a, "public, max-age=%lld",
				    (long long)arena_conf.leaderboard_max_age));
	inm = req_header(rq, "If-None-Match", &dup);
	if (inm && etag_matches(inm, tag)) {
		rq->status = 304;
		rq->content_type = NULL;
		buf_reset(&rq->out);
	}
}

static void handle_leaderboard(struct req *rq, struct db *db)
{
	const char *period, *key;
	int64_t limit, offset;
	char slimit[24], soffset[24], tag[PAGECACHE_ETAG_LEN + 1];
	unsigned char sum[SHA256_LEN];
	const char *vals[3] = { NULL, slimit, soffset };
	const struct cached_page *pg;
	PGresult *res;
	/* one CGI request has nothing to reuse a page for */
	int cache = rq->fcgi != NULL && arena_conf.leaderboard_pagecache;

	if (read_params(rq, &period, &limit, &offset))
		return;
	key = arena_printf(rq->a, "%s:%lld:%lld", period, (long long)limit, (long long)offset);
	if (cache) {
		if (pagecache_sync(db) == 0) {
			if ((pg = pagecache_get(key))) {
				req_json(rq, 200);
				buf_add(&rq->out, pg->body.s, pg->body.len);
				finish(rq, pg->etag);
				return;
			}
		} else if (!db->conn) {
			/* the connect already timed out: do not wait for it twice */
			reply_unavailable(rq);
			return;
		}
	}
	/* only a page that must be built costs a query, and counts */
	if (!ratelimit_check(db, rq, RL_PUBLIC, rq->remote_addr))
		return;
	vals[0] = period;
	snprintf(slimit, sizeof(slimit), "%lld", (long long)limit);
	snprintf(soffset, sizeof(soffset), "%lld", (long long)offset);
	res = db_run(db, "board", 3, vals);
	if (!res) {
		reply_unavailable(rq);
		return;
	}
	write_board(req_json(rq, 200), rq, res, period, limit, offset);
	PQclear(res);

	/* the body is the representation: its hash is the tag */
	crypto_sha256(rq->out.s, rq->out.len, sum);
	tag[0] = '"';
	hex_encode(sum, 16, tag + 1);
	tag[33] = '"';
	tag[34] = '\0';
	if (cache)
		pagecache_put(key, rq->out.s, rq->out.len, tag);
	finish(rq, tag);
}

static const struct endpoint leaderboard_endpoint = {
	.name = "leaderboard",
	.allow = "GET, HEAD",
	.stmts = stmts,
	.handle = handle_leaderboard,
	.public_read = 1,
};

SERVE_MAIN(leaderboard_endpoint)
