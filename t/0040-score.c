/*
 * 0040-score.c -- the composite score on hand-checked values and edges
 *
 * Each expected score was worked out by hand from the formula in
 * lib/score.h (logs to 4 places are enough to fix two decimals).
 */
#include <math.h>
#include <stdint.h>

#include "score.h"
#include "tap.h"

static int near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

/* Checks the rounded score exactly: floor(x*100+0.5)/100 is the double
 * nearest to the two-decimal literal. */
#define is_score(got, want, ...) do { \
	double g_ = (got), w_ = (want); \
	if (!tap_ok(g_ == w_, __FILE__, __LINE__, __VA_ARGS__)) \
		printf("#   got %.10f, want %.2f\n", g_, w_); \
} while (0)

static void test_values(void)
{
	struct score s;

	/* log10(1e7+1)/10 = .7000, out/in > 2 -> 1, log10(101)/3 = .6681, 7/30:
	 * 1000 * (.28000 + .25 + .13362 + .03500) = 698.62 */
	score_compute(3000000, 7000000, 100, 7, &s);
	is_score(s.composite, 698.62, "worked example: 10M tokens, 100 sessions, 7 days");
	ok(near(s.token, 0.70000000434), "token term");
	ok(s.efficiency == 1.0, "efficiency saturates at out/in = 2");
	ok(near(s.session, 0.66810712459), "session term");
	ok(near(s.streak, 7.0 / 30.0), "streak term");
	is_str(score_tier(s.composite), "Platinum", "698.62 is Platinum");

	/* log10(2501)/10 = .33981, 1.5/2 = .75, log10(4)/3 = .20069, 3/30:
	 * 1000 * (.13592 + .1875 + .04014 + .015) = 378.56 */
	score_compute(1000, 1500, 3, 3, &s);
	is_score(s.composite, 378.56, "1000 in, 1500 out, 3 sessions, 3 days");
	ok(s.efficiency == 0.75, "efficiency 1.5 / 2");
	is_str(score_tier(s.composite), "Silver", "378.56 is Silver");

	/* .52175*.4 + .1875*.25 + .37131*.2 + .5*.15 = .40484 */
	score_compute(120000, 45000, 12, 15, &s);
	is_score(s.composite, 404.84, "output below input: efficiency .375 / 2");
	is_str(score_tier(s.composite), "Gold", "404.84 is Gold");

	/* out/in = 4 still counts as 2; log10(501)/10 = .26998; log10(10)/3 */
	score_compute(100, 400, 9, 0, &s);
	is_score(s.composite, 424.66, "out/in = 4 scores like 2");
	ok(near(s.session, 1.0 / 3.0), "9 sessions: log10(10)/3");
}

static void test_edges(void)
{
	struct score s, t;

	score_compute(0, 0, 0, 0, &s);
	is_score(s.composite, 0.0, "nothing at all scores 0");
	ok(s.token == 0.0 && s.efficiency == 0.0 && s.session == 0.0 && s.streak == 0.0,
	   "every term 0");
	is_str(score_tier(s.composite), "Bronze", "0 is Bronze");

	/* no input tokens: efficiency is 0, not a division by zero */
	score_compute(0, 1000, 1, 1, &s);
	ok(s.efficiency == 0.0, "no input tokens: efficiency 0");
	is_score(s.composite, 145.09, "0 in, 1000 out, 1 session, 1 day");

	/* tokens but no session ended in the period (a session across midnight) */
	score_compute(500, 500, 0, 0, &s);
	ok(s.session == 0.0, "zero sessions: session term 0");
	ok(s.efficiency == 0.5, "out = in: efficiency .5");
	is_score(s.composite, 245.02, "500 in, 500 out, no session, no streak");

	score_compute(1000, 1500, 3, 30, &s);
	score_compute(1000, 1500, 3, 31, &t);
	ok(s.composite == t.composite, "a 31-day streak scores like 30");
	score_compute(1000, 1500, 3, 365, &t);
	ok(s.composite == t.composite && t.streak == 1.0, "a 365-day streak scores like 30");
	score_compute(1000, 1500, 3, 29, &t);
	ok(t.composite < s.composite, "29 days score less than 30");

	score_compute(5000000000LL, 10000000000LL, 999, 45, &s);
	is_score(s.composite, 1000.0, "every term saturated: 1000");
	ok(s.token == 1.0 && s.session == 1.0, "log10(1e10+..) and log10(1000) saturate");
	is_str(score_tier(s.composite), "Diamond", "1000 is Diamond");
	score_compute(5000000000LL, 10000000000LL, 1000000, 45, &t);
	ok(t.composite == 1000.0, "a million sessions cannot pass 1000");

	/* int64 extremes: in + out + 1 must not overflow */
	score_compute(INT64_MAX, INT64_MAX, 1, 0, &s);
	ok(s.token == 1.0 && s.efficiency == 0.5, "INT64_MAX tokens: token 1, efficiency .5");
	is_score(s.composite, 545.07, "INT64_MAX in and out, 1 session");

	score_compute(-5, -7, -1, -3, &s);
	is_score(s.composite, 0.0, "negative inputs count as zero");

	score_compute(123456789, 98765432, 77, 12, &s);
	ok(floor(s.composite * 100.0) == s.composite * 100.0, "two decimals at most");
}

static void test_tiers(void)
{
	is_str(score_tier(800.0), "Diamond", "800 is Diamond");
	is_str(score_tier(799.99), "Platinum", "799.99 is Platinum");
	is_str(score_tier(600.0), "Platinum", "600 is Platinum");
	is_str(score_tier(599.99), "Gold", "599.99 is Gold");
	is_str(score_tier(400.0), "Gold", "400 is Gold");
	is_str(score_tier(399.99), "Silver", "399.99 is Silver");
	is_str(score_tier(200.0), "Silver", "200 is Silver");
	is_str(score_tier(199.99), "Bronze", "199.99 is Bronze");
}

int main(void)
{
	test_values();
	test_edges();
	test_tiers();
	return done_testing();
}
