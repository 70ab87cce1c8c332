/*
 * score.h -- the composite score, its parts, and its tier
 *
 * The one definition of how a leaderboard orders people (the seed's
 * "Composite Score Algorithm"):
 *
 *	Score      = 1000 * (0.40*Token + 0.25*Efficiency + 0.20*Session + 0.15*Streak)
 *	Token      = min(1, log10(input + output + 1) / 10)
 *	Efficiency = min(output / input, 2) / 2          (0 when input = 0)
 *	Session    = min(1, log10(sessions + 1) / 3)
 *	Streak     = min(streak days, 30) / 30
 *
 * rounded half up to two decimals.  Cache tokens never enter it: they are
 * reported alongside.  Every term is in [0, 1], so the score is in
 * [0, 1000].  Tiers: Diamond >= 800, Platinum >= 600, Gold >= 400,
 * Silver >= 200, else Bronze.
 *
 * The ranking job computes the same numbers in SQL (arena_score() in
 * schema/003-rankings.sql) with the same float8 operations in the same
 * order, so both agree to the bit; t/0400-rankings.sh checks that every
 * stored score equals score_compute()'s.  Change both or neither.
 */
#ifndef ARENA_SCORE_H
#define ARENA_SCORE_H

#include <stdint.h>

#define SCORE_STREAK_CAP 30	/* days; a longer streak scores the same */

struct score {
	double token;		/* each term in [0, 1] */
	double efficiency;
	double session;
	double streak;
	double composite;	/* [0, 1000], two decimals */
};

/* Fills s for these totals; negative inputs count as 0. */
void score_compute(int64_t input_tokens, int64_t output_tokens, int64_t sessions,
		   int64_t streak_days, struct score *s);

/* "Diamond", "Platinum", "Gold", "Silver" or "Bronze". */
const char *score_tier(double composite);

#endif
