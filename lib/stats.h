/*
 * stats.h -- the global figures: GET /api/stats/global and the board's
 * header read them the same way
 *
 *	users        registered developers
 *	sessions     sessions stored (lifetime totals, kept by retention)
 *	tokens       by kind: input, output, cacheCreation, cacheRead, and
 *	             total = the sum of the four
 *	activeUsers  developers with any activity on the last 1, 7 and 30 UTC
 *	             days, today included
 *
 * Like the rankings they leave flagged sessions out unless
 * ARENA_RANK_INCLUDE_FLAGGED=1.  An endpoint lists STATS_STMT.
 */
#ifndef ARENA_STATS_H
#define ARENA_STATS_H

#include <stdint.h>

#include "buf.h"
#include "db.h"
#include "jsonw.h"

extern const char stats_sql[];
#define STATS_STMT { "stats_global", stats_sql, 1 }

struct global_stats {
	int64_t users, sessions;
	int64_t input, output, cache_creation, cache_read, total;
	int64_t active1, active7, active30;
};

/* 0, or -1 when the database failed (answer 503). */
int stats_read(struct db *db, struct global_stats *s);

/* Writes s as the object GET /api/stats/global answers. */
void stats_json(struct jsonw *w, const struct global_stats *s);

/* "u|s|i|o|cc|cr|a1|a7|a30" and back, for keeping them in a page cache. */
void stats_pack(struct buf *b, const struct global_stats *s);
int stats_unpack(const char *p, struct global_stats *s);

#endif
