/* price.c -- the price table (see price.h) */
#include <ctype.h>
#include <string.h>

#include "price.h"

/*
 * USD per million tokens (input / output / cache write / cache read), the
 * vendors' list prices for the standard API tier as published in 2025;
 * stored here times 1000, i.e. in nano-dollars per token.  Cache writes
 * are Anthropic's 5-minute writes (1.25 x input).  OpenAI and Google bill
 * no separate cache write, so it is priced as input.  More specific
 * fragments come first: "opus-4-5" before "opus".
 *
 *	fragment               input  output  c.write  c.read
 *	opus-4-5, opus-4.5      5.00   25.00     6.25    0.50
 *	opus                   15.00   75.00    18.75    1.50
 *	sonnet                  3.00   15.00     3.75    0.30
 *	haiku-4-5, haiku-4.5    1.00    5.00     1.25    0.10
 *	3-5-haiku               0.80    4.00     1.00    0.08
 *	haiku                   0.25    1.25     0.30    0.03
 *	gpt-5-mini              0.25    2.00     0.25    0.025
 *	gpt-5-nano              0.05    0.40     0.05    0.005
 *	gpt-5                   1.25   10.00     1.25    0.125
 *	gpt-4.1                 2.00    8.00     2.00    0.50
 *	o4-mini                 1.10    4.40     1.10    0.275
 *	o3                      2.00    8.00     2.00    0.50
 *	gpt-4o                  2.50   10.00     2.50    1.25
 *	gemini-2.5-flash-lite   0.10    0.40     0.10    0.025
 *	gemini-2.5-flash        0.30    2.50     0.30    0.075
 *	gemini-2.5-pro          1.25   10.00     1.25    0.31
 *	(anything else)         3.00   15.00     3.75    0.30   (as sonnet)
 */
const struct price price_table[] = {
	{ "opus-4-5", "Claude Opus 4.5", 5000, 25000, 6250, 500 },
	{ "opus-4.5", "Claude Opus 4.5", 5000, 25000, 6250, 500 },
	{ "opus", "Claude Opus 4/4.1/3", 15000, 75000, 18750, 1500 },
	{ "sonnet", "Claude Sonnet", 3000, 15000, 3750, 300 },
	{ "haiku-4-5", "Claude Haiku 4.5", 1000, 5000, 1250, 100 },
	{ "haiku-4.5", "Claude Haiku 4.5", 1000, 5000, 1250, 100 },
	{ "3-5-haiku", "Claude Haiku 3.5", 800, 4000, 1000, 80 },
	{ "haiku", "Claude Haiku 3", 250, 1250, 300, 30 },
	{ "gpt-5-mini", "GPT-5 mini", 250, 2000, 250, 25 },
	{ "gpt-5-nano", "GPT-5 nano", 50, 400, 50, 5 },
	{ "gpt-5", "GPT-5", 1250, 10000, 1250, 125 },
	{ "gpt-4.1", "GPT-4.1", 2000, 8000, 2000, 500 },
	{ "o4-mini", "o4-mini", 1100, 4400, 1100, 275 },
	{ "o3", "o3", 2000, 8000, 2000, 500 },
	{ "gpt-4o", "GPT-4o", 2500, 10000, 2500, 1250 },
	{ "gemini-2.5-flash-lite", "Gemini 2.5 Flash-Lite", 100, 400, 100, 25 },
	{ "gemini-2.5-flash", "Gemini 2.5 Flash", 300, 2500, 300, 75 },
	{ "gemini-2.5-pro", "Gemini 2.5 Pro", 1250, 10000, 1250, 310 },
	{ NULL, "other (as Claude Sonnet)", 3000, 15000, 3750, 300 },
};

/* 1 if the lower-case fragment occurs in s, compared case-insensitively. */
static int contains_ci(const char *s, const char *frag)
{
	size_t n = strlen(frag), i;

	for (; *s; s++) {
		for (i = 0; i < n && s[i] && tolower((unsigned char)s[i]) == frag[i]; i++)
			;
		if (i == n)
			return 1;
	}
	return 0;
}

const struct price *price_of(const char *model)
{
	const struct price *p;

	for (p = price_table; p->match; p++)
		if (model && contains_ci(model, p->match))
			return p;
	return p;
}

static int64_t add_sat(int64_t a, int64_t b)
{
	int64_t r;

	return __builtin_add_overflow(a, b, &r) ? INT64_MAX : r;
}

static int64_t mul_sat(int64_t tokens, int64_t price)
{
	int64_t r;

	if (tokens <= 0)
		return 0;
	return __builtin_mul_overflow(tokens, price, &r) ? INT64_MAX : r;
}

int64_t price_cost_nano(const struct price *p, int64_t input, int64_t output,
			int64_t cache_write, int64_t cache_read)
{
	int64_t c = mul_sat(input, p->input);

	c = add_sat(c, mul_sat(output, p->output));
	c = add_sat(c, mul_sat(cache_write, p->cache_write));
	return add_sat(c, mul_sat(cache_read, p->cache_read));
}
