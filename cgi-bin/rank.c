/*
 * rank.c -- GET /api/v1/rank
 *
 * The caller's place (X-API-Key, or a v2 signature) in the latest ranking of each period
 * type, with the number of participants; lifetime totals; their tier
 * (from the all-time score) and current streak.  A period in which the
 * caller did nothing is null.  Privacy mode does not hide a user's own
 * rank from themselves.
 *
 * Totals count what rankings count: flagged sessions only when
 * ARENA_RANK_INCLUDE_FLAGGED=1, so the all-time rank and the totals
 * beside it agree.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "conf.h"
#include "num.h"
#include "ratelimit.h"
#include "replay.h"
#include "score.h"
#include "serve.h"
#include "timeutil.h"

static const struct db_stmt stmts[] = {
	AUTH_STMTS,
	{ "positions",
	  "WITH p AS (SELECT DISTINCT ON (period_type) period_type, period_start,"
	  "  participants, computed_at FROM ranking_periods"
	  "  WHERE period_start <= (now() AT TIME ZONE 'UTC')::date"
	  "  ORDER BY period_type, period_start DESC)"
	  " SELECT p.period_type, p.participants,"
	  "  (extract(epoch FROM p.computed_at) * 1000)::bigint,"
	  "  r.rank_position, r.composite_score, r.streak"
	  " FROM p LEFT JOIN rankings r ON r.period_type = p.period_type"
	  "  AND r.period_start = p.period_start AND r.user_id = $1", 1 },
	{ "totals",
	  "SELECT coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),"
	  " coalesce(sum(cache_creation_tokens + cache_read_tokens), 0),"
	  " coalesce(sum(session_count), 0)"
	  " FROM user_totals WHERE user_id = $1 AND ($2::boolean OR NOT flagged)", 2 },
	DB_STMT_END
};

static const struct {
	const char *type, *key;
} kinds[] = {
	{ "daily", "daily" },
	{ "weekly", "weekly" },
	{ "monthly", "monthly" },
	{ "all_time", "allTime" },
};

/* The row of period type `type` in which the caller is ranked, or -1. */
static int ranked_row(const PGresult *res, const char *type)
{
	int i;

	for (i = 0; i < PQntuples(res); i++)
		if (strcmp(PQgetvalue(res, i, 0), type) == 0 && !PQgetisnull(res, i, 3))
			return i;
	return -1;
}

static void write_rank(struct jsonw *w, const struct user *u, const PGresult *pos,
		       const PGresult *tot)
{
	int64_t in = db_int(tot, 0, 0), out = db_int(tot, 0, 1), updated = -1;
	int all = ranked_row(pos, "all_time"), i, r;
	char when[TIME_ISO_LEN + 1];

	jsonw_object(w);
	jsonw_key(w, "username");
	jsonw_string(w, u->username);
	jsonw_key(w, "rankings");
	jsonw_object(w);
	for (i = 0; i < (int)(sizeof(kinds) / sizeof(kinds[0])); i++) {
		jsonw_key(w, kinds[i].key);
		r = ranked_row(pos, kinds[i].type);
		if (r < 0) {
			jsonw_null(w);
			continue;
		}
		jsonw_object(w);
		jsonw_key(w, "position");
		jsonw_int(w, db_int(pos, r, 3));
		jsonw_key(w, "compositeScore");
		jsonw_fixed(w, strtod(PQgetvalue(pos, r, 4), NULL), 2);
		jsonw_key(w, "totalParticipants");
		jsonw_int(w, db_int(pos, r, 1));
		jsonw_end(w);
	}
	jsonw_end(w);
	jsonw_key(w, "stats");
	jsonw_object(w);
	jsonw_key(w, "totalTokens");
	jsonw_int(w, in + out);
	jsonw_key(w, "totalSessions");
	jsonw_int(w, db_int(tot, 0, 3));
	jsonw_key(w, "inputTokens");
	jsonw_int(w, in);
	jsonw_key(w, "outputTokens");
	jsonw_int(w, out);
	jsonw_key(w, "cacheTokens");
	jsonw_int(w, db_int(tot, 0, 2));
	jsonw_end(w);
	/* when the rankings were last computed, whether or not the caller is in them */
	for (i = 0; i < PQntuples(pos); i++)
		if (db_int(pos, i, 2) > updated)
			updated = db_int(pos, i, 2);
	jsonw_key(w, "lastUpdated");
	if (updated >= 0) {
		time_format_iso(updated, when);
		jsonw_string(w, when);
	} else {
		jsonw_null(w);
	}
	jsonw_key(w, "tier");
	jsonw_string(w, all < 0 ? NULL : score_tier(strtod(PQgetvalue(pos, all, 4), NULL)));
	jsonw_key(w, "streak");
	jsonw_int(w, all < 0 ? 0 : db_int(pos, all, 5));
	jsonw_end(w);
}

static void handle_rank(struct req *rq, struct db *db)
{
	struct user u;
	PGresult *pos, *tot;
	const char *vals[2];

	if (auth_request(rq, db, &u, AUTH_KEY_OR_V2) != AUTH_OK)
		return;
	vals[0] = u.id;
	vals[1] = arena_conf.rank_include_flagged ? "true" : "false";
	pos = db_run(db, "positions", 1, vals);
	tot = pos ? db_run(db, "totals", 2, vals) : NULL;
	if (!pos || !tot) {
		PQclear(pos);
		reply_unavailable(rq);
		return;
	}
	write_rank(req_json(rq, 200), &u, pos, tot);
	PQclear(pos);
	PQclear(tot);
}

static const struct endpoint rank_endpoint = {
	.name = "rank",
	.allow = "GET, HEAD",
	.stmts = stmts,
	.handle = handle_rank,
};

SERVE_MAIN(rank_endpoint)
