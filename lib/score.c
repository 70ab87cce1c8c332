/* score.c -- the composite score (the formula is documented in score.h) */
#include <math.h>

#include "score.h"

/*
 * The operations below are mirrored one for one by arena_score() in SQL:
 * float8 conversion of each integer, log10, division, the weighted sum
 * left to right, then floor(x * 100 + 0.5) / 100.  Reordering them here
 * could move a score by one ulp and a tie would no longer be a tie.
 */
void score_compute(int64_t input_tokens, int64_t output_tokens, int64_t sessions,
		   int64_t streak_days, struct score *s)
{
	double in = input_tokens > 0 ? (double)input_tokens : 0.0;
	double out = output_tokens > 0 ? (double)output_tokens : 0.0;
	double n = sessions > 0 ? (double)sessions : 0.0;
	int64_t days = streak_days > 0 ? streak_days : 0;
	double raw;

	if (days > SCORE_STREAK_CAP)
		days = SCORE_STREAK_CAP;
	/* in + out + 1 as doubles: int64 addition could overflow */
	s->token = fmin(1.0, log10(in + out + 1.0) / 10.0);
	s->efficiency = in > 0.0 ? fmin(out / in, 2.0) / 2.0 : 0.0;
	s->session = fmin(1.0, log10(n + 1.0) / 3.0);
	s->streak = (double)days / 30.0;
	raw = 1000.0 * (0.40 * s->token + 0.25 * s->efficiency + 0.20 * s->session +
			0.15 * s->streak);
	s->composite = floor(raw * 100.0 + 0.5) / 100.0;
}

const char *score_tier(double composite)
{
	if (composite >= 800.0)
		return "Diamond";
	if (composite >= 600.0)
		return "Platinum";
	if (composite >= 400.0)
		return "Gold";
	if (composite >= 200.0)
		return "Silver";
	return "Bronze";
}
