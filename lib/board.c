/* board.c -- one page of a leaderboard, for the API and the page alike */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "score.h"
#include "timeutil.h"

const char board_sql[] =
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
	" ORDER BY r.composite_score DESC, r.user_id";

enum { C_START, C_END, C_TOTAL, C_COMPUTED, C_RANK, C_USER, C_NAME, C_AVATAR,
       C_PRIVATE, C_TOKENS, C_CACHE, C_SCORE, C_SESSIONS, C_EFFICIENCY, C_STREAK };

const char *const board_periods[] = { "daily", "weekly", "monthly", "all_time", NULL };

const char *board_period(const char *v)
{
	const char *const *p;

	for (p = board_periods; *p; p++)
		if (strcmp(*p, v) == 0)
			return *p;
	return NULL;
}

PGresult *board_query(struct db *db, const char *period, int64_t limit, int64_t offset)
{
	char slimit[24], soffset[24];
	const char *vals[3] = { period, slimit, soffset };

	snprintf(slimit, sizeof(slimit), "%lld", (long long)limit);
	snprintf(soffset, sizeof(soffset), "%lld", (long long)offset);
	return db_run(db, "board", 3, vals);
}

void board_head(const PGresult *res, struct board_head *h)
{
	int n = PQntuples(res);

	memset(h, 0, sizeof(*h));
	if (!n)
		return;
	h->ranked = 1;
	h->start = PQgetisnull(res, 0, C_START) ? NULL : PQgetvalue(res, 0, C_START);
	h->end = PQgetisnull(res, 0, C_END) ? NULL : PQgetvalue(res, 0, C_END);
	h->participants = db_int(res, 0, C_TOTAL);
	h->computed_ms = db_int(res, 0, C_COMPUTED);
}

/* A numeric's text ("850.5000") times 10^decimals, digits beyond dropped. */
static int64_t scaled(const char *s, int decimals)
{
	int64_t v = 0;
	int neg = *s == '-', frac = -1;

	if (neg || *s == '+')
		s++;
	for (; *s && frac < decimals; s++) {
		if (*s == '.') {
			frac = 0;
			continue;
		}
		if (*s < '0' || *s > '9')
			break;
		v = v * 10 + (*s - '0');
		if (frac >= 0)
			frac++;
	}
	for (frac = frac < 0 ? 0 : frac; frac < decimals; frac++)
		v *= 10;
	return neg ? -v : v;
}

int board_row(struct arena *a, const PGresult *res, int i, struct board_row *r)
{
	memset(r, 0, sizeof(*r));
	/* past the last page the one row left has no ranking columns */
	if (PQgetisnull(res, i, C_RANK))
		return -1;
	r->rank = db_int(res, i, C_RANK);
	r->hidden = strcmp(PQgetvalue(res, i, C_PRIVATE), "t") == 0;
	r->user_id = r->hidden ? NULL : PQgetvalue(res, i, C_USER);
	r->name = r->hidden ? arena_printf(a, "Anonymous #%lld", (long long)r->rank) :
		PQgetvalue(res, i, C_NAME);
	r->avatar = r->hidden || PQgetisnull(res, i, C_AVATAR) ? NULL :
		PQgetvalue(res, i, C_AVATAR);
	r->tokens = db_int(res, i, C_TOKENS);
	r->cache_tokens = db_int(res, i, C_CACHE);
	r->sessions = db_int(res, i, C_SESSIONS);
	r->streak = db_int(res, i, C_STREAK);
	r->score = strtod(PQgetvalue(res, i, C_SCORE), NULL);
	r->score_cents = scaled(PQgetvalue(res, i, C_SCORE), 2);
	r->efficiency = strtod(PQgetvalue(res, i, C_EFFICIENCY), NULL);
	r->efficiency_e4 = scaled(PQgetvalue(res, i, C_EFFICIENCY), 4);
	r->tier = score_tier(r->score);
	return 0;
}
