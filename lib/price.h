/*
 * price.h -- list prices of models, for the profile's estimated cost
 *
 * An estimate only: what the tokens would have cost at the vendors'
 * published pay-as-you-go API prices (USD per million tokens, standard
 * tier, short-context rates), whatever plan the user is really on.  A
 * model is recognised by a fragment of its name (case-insensitive, first
 * match in the table in price.c); any other model, and tokens of sessions
 * that name no model, are priced as Claude Sonnet, as the original
 * system priced everything.  The table is reproduced in the README.
 *
 *	const struct price *p = price_of("claude-opus-4-1-20250805");
 *	int64_t nano = price_cost_nano(p, in, out, cache_write, cache_read);
 */
#ifndef ARENA_PRICE_H
#define ARENA_PRICE_H

#include <stdint.h>

/* Prices in nano-dollars per token: $3 per million tokens is 3000. */
struct price {
	const char *match;	/* name fragment, lower case; NULL: the default */
	const char *label;	/* what the README calls it */
	int64_t input, output, cache_write, cache_read;
};

/* The entry for a model name (NULL or unknown: the default entry). */
const struct price *price_of(const char *model);

/* The cost of these tokens in nano-dollars; saturates at INT64_MAX. */
int64_t price_cost_nano(const struct price *p, int64_t input, int64_t output,
			int64_t cache_write, int64_t cache_read);

/* The table, ending with the default entry (match == NULL). */
extern const struct price price_table[];

#endif
