/*
 * num.h -- strict decimal integers
 *
 * Accepts exactly -?(0|[1-9][0-9]*) (no sign for the unsigned forms): no
 * leading '+', no whitespace, no leading zeros, no exponent, no hex.  This
 * is the only integer syntax the API accepts, in headers, query strings
 * and JSON alike, so that "0123", "1e3" and " 17" are all refused the same
 * way.  atoi() and friends are not used anywhere.
 */
#ifndef ARENA_NUM_H
#define ARENA_NUM_H

#include <stddef.h>
#include <stdint.h>

enum num_result {
	NUM_OK = 0,
	NUM_SYNTAX = -1,	/* not a plain decimal integer */
	NUM_RANGE = -2,		/* well-formed but beyond [min, max] */
};

/* Parses s[0..len) as an integer within [min, max] into *out. */
enum num_result num_parse_i64(const char *s, size_t len, int64_t min,
			      int64_t max, int64_t *out);

/* The same for a NUL-terminated string. */
enum num_result num_parse_i64z(const char *s, int64_t min, int64_t max,
			       int64_t *out);

#endif
