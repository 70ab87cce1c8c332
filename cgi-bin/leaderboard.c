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
#include "board.h"
#include "conf.h"
#include "crypto.h"
#include "num.h"
#include "pagecache.h"
#include "ratelimit.h"
#include "replica.h"
#include "score.h"
#include "serve.h"
#include "timeutil.h"

#define LIMIT_DEFAULT BOARD_LIMIT_DEFAULT
#define LIMIT_MAX BOARD_LIMIT_MAX
#define OFFSET_MAX BOARD_OFFSET_MAX

static const struct db_stmt stmts[] = {
	BOARD_STMT,
	RATELIMIT_STMT,
	REPLICA_STMT,
	AUDIT_STMT,
	DB_STMT_END
};

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
		if (!(*period = board_period(v))) {
			req_error(rq, 400, "invalid_parameter", "period",
				  "period must be daily, weekly, monthly or all_time");
			return -1;
		}
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

static void write_row(struct jsonw *w, const struct board_row *r)
{
	jsonw_object(w);
	jsonw_key(w, "rank");
	jsonw_int(w, r->rank);
	jsonw_key(w, "userId");
	jsonw_string(w, r->user_id);
	jsonw_key(w, "username");
	jsonw_string(w, r->name);
	jsonw_key(w, "avatarUrl");
	jsonw_string(w, r->avatar);
	jsonw_key(w, "totalTokens");
	jsonw_int(w, r->tokens);
	jsonw_key(w, "cacheTokens");
	jsonw_int(w, r->cache_tokens);
	jsonw_key(w, "compositeScore");
	jsonw_fixed(w, r->score, 2);
	jsonw_key(w, "sessionCount");
	jsonw_int(w, r->sessions);
	jsonw_key(w, "efficiencyScore");
	jsonw_fixed(w, r->efficiency, 4);
	jsonw_key(w, "isPrivate");
	jsonw_bool(w, r->hidden);
	jsonw_key(w, "tier");
	jsonw_string(w, r->tier);
	jsonw_key(w, "streak");
	jsonw_int(w, r->streak);
	jsonw_end(w);
}

static void write_board(struct jsonw *w, struct req *rq, const PGresult *res,
			const char *period, int64_t limit, int64_t offset)
{
	int n = PQntuples(res), i, shown = 0;
	struct board_head h;
	struct board_row r;
	char when[TIME_ISO_LEN + 1];

	board_head(res, &h);
	jsonw_object(w);
	jsonw_key(w, "data");
	jsonw_array(w);
	for (i = 0; i < n; i++) {
		if (board_row(rq->a, res, i, &r) != 0)
			continue;
		write_row(w, &r);
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
	jsonw_int(w, h.participants);
	jsonw_key(w, "totalPages");
	jsonw_int(w, (h.participants + limit - 1) / limit);
	jsonw_key(w, "hasMore");
	jsonw_bool(w, offset + shown < h.participants);
	jsonw_end(w);
	jsonw_key(w, "period");
	jsonw_string(w, period);
	jsonw_key(w, "periodStart");
	jsonw_string(w, h.start);
	jsonw_key(w, "periodEnd");
	jsonw_string(w, h.end);
	jsonw_key(w, "lastUpdated");
	if (h.ranked) {
		time_format_iso(h.computed_ms, when);
		jsonw_string(w, when);
	} else {
		jsonw_null(w);
	}
	jsonw_end(w);
}

static void handle_leaderboard(struct req *rq, struct db *db)
{
	const char *period, *key;
	int64_t limit, offset;
	char tag[PAGECACHE_ETAG_LEN + 1];
	const struct cached_page *pg;
	PGresult *res;
	/* one CGI request has nothing to reuse a page for, and behind a
	 * pooler (ARENA_DB_PREPARE=off) no LISTEN tells of changes */
	int cache = rq->fcgi != NULL && arena_conf.leaderboard_pagecache &&
		    arena_conf.db_prepare;

	if (read_params(rq, &period, &limit, &offset))
		return;
	key = arena_printf(rq->a, "%s:%lld:%lld", period, (long long)limit, (long long)offset);
	if (cache) {
		if (pagecache_sync(db) == 0) {
			if ((pg = pagecache_get(key))) {
				req_json(rq, 200);
				buf_add(&rq->out, pg->body.s, pg->body.len);
				pagecache_finish(rq, pg->etag);
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
	res = board_query(replica_db(db), period, limit, offset);
	if (!res) {
		reply_unavailable(rq);
		return;
	}
	write_board(req_json(rq, 200), rq, res, period, limit, offset);
	PQclear(res);

	/* the body is the representation: its hash is the tag */
	pagecache_etag(rq->out.s, rq->out.len, tag);
	if (cache)
		pagecache_put(key, rq->out.s, rq->out.len, tag);
	pagecache_finish(rq, tag);
}

static const struct endpoint leaderboard_endpoint = {
	.name = "leaderboard",
	.allow = "GET, HEAD",
	.stmts = stmts,
	.handle = handle_leaderboard,
	.public_read = 1,
};

SERVE_MAIN(leaderboard_endpoint)
