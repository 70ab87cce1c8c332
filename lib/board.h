/*
 * board.h -- one page of a leaderboard, as the JSON API and the HTML
 * page both read it
 *
 * GET /api/leaderboard (cgi-bin/leaderboard.c) and the board page
 * (cgi-bin/board.c) run the same statement and read its rows through
 * board_row(), so they cannot disagree on a number, on who is masked or
 * on how.  An endpoint lists BOARD_STMT in its statement table and calls
 *
 *	PGresult *res = board_query(db, "weekly", 50, 0);
 *	board_head(res, &head);
 *	for (i = 0; i < PQntuples(res); i++)
 *		if (board_row(rq->a, res, i, &row) == 0)
 *			...;
 *
 * The board is the latest ranked period of that type that has started
 * (cron/calculate-rankings writes them).  A user in privacy mode keeps
 * the place but the row names no one: no id, no avatar, and
 * "Anonymous #<rank>" for a name.
 */
#ifndef ARENA_BOARD_H
#define ARENA_BOARD_H

#include <stdint.h>

#include "arena.h"
#include "db.h"

#define BOARD_LIMIT_DEFAULT 50
#define BOARD_LIMIT_MAX 100		/* the seed's bound on a page */
#define BOARD_OFFSET_MAX 100000000	/* beyond any real board; keeps OFFSET sane */

extern const char board_sql[];
#define BOARD_STMT { "board", board_sql, 3 }

/* "daily", "weekly", "monthly", "all_time", then NULL. */
extern const char *const board_periods[];
/* The canonical period string for v, or NULL when v is none of them. */
const char *board_period(const char *v);

struct board_head {
	int ranked;		/* 0: no ranking of this period yet */
	const char *start;	/* "2026-01-05T00:00:00.000Z" */
	const char *end;	/* exclusive; NULL for all_time */
	int64_t participants;
	int64_t computed_ms;	/* when the ranking was built */
};

struct board_row {
	int64_t rank;
	int hidden;		/* privacy mode: masked */
	const char *user_id;	/* NULL when hidden */
	const char *name;	/* "Anonymous #<rank>" when hidden */
	const char *avatar;	/* NULL when hidden or none */
	int64_t tokens;		/* input + output */
	int64_t cache_tokens;
	int64_t sessions;
	int64_t streak;
	double score;		/* two decimals */
	int64_t score_cents;	/* the score x 100, exactly */
	double efficiency;	/* 0-1, four decimals */
	int64_t efficiency_e4;	/* the efficiency x 10000, exactly */
	const char *tier;	/* score_tier(score) */
};

/* Runs the statement; NULL when the database failed (answer 503). */
PGresult *board_query(struct db *db, const char *period, int64_t limit, int64_t offset);

void board_head(const PGresult *res, struct board_head *h);

/* Row i; -1 for the one row past the last page that carries no ranking. */
int board_row(struct arena *a, const PGresult *res, int i, struct board_row *r);

#endif
