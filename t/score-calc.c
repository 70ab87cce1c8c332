/*
 * score-calc.c -- score_compute() as a filter, for the shell tests
 *
 * Reads lines "input output sessions streak" and prints for each the
 * composite score with two decimals and the tier, so a test can hold the
 * scores the ranking job stored against lib/score.c's.
 */
#include <inttypes.h>
#include <stdio.h>

#include "score.h"

int main(void)
{
	int64_t in, out, n, streak;
	struct score s;

	while (scanf("%" SCNd64 " %" SCNd64 " %" SCNd64 " %" SCNd64, &in, &out, &n, &streak) == 4) {
		score_compute(in, out, n, streak, &s);
		printf("%.2f %s\n", s.composite, score_tier(s.composite));
	}
	return 0;
}
