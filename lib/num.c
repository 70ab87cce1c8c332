/* num.c -- strict decimal integers */
#include <string.h>

#include "num.h"

enum num_result num_parse_i64(const char *s, size_t len, int64_t min,
			      int64_t max, int64_t *out)
{
	size_t i = 0;
	int neg = 0, overflow = 0;
	uint64_t v = 0;
	/* the magnitude of INT64_MIN does not fit in int64_t */
	const uint64_t limit = (uint64_t)INT64_MAX + 1;

	if (!s || len == 0)
		return NUM_SYNTAX;
	if (s[0] == '-') {
		neg = 1;
		i = 1;
		if (len == 1)
			return NUM_SYNTAX;
	}
	if (s[i] == '0' && len > i + 1)
		return NUM_SYNTAX;
	for (; i < len; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9)
			return NUM_SYNTAX;
		if (v > (limit - d) / 10)
			overflow = 1;	/* keep scanning: syntax beats range */
		else
			v = v * 10 + d;
	}
	if (overflow || v > limit || (!neg && v == limit))
		return NUM_RANGE;
	{
		int64_t r = neg ? (v == limit ? INT64_MIN : -(int64_t)v)
				: (int64_t)v;

		if (neg && v == 0)
			return NUM_SYNTAX;	/* "-0" is not an integer we write */
		if (r < min || r > max)
			return NUM_RANGE;
		*out = r;
	}
	return NUM_OK;
}

enum num_result num_parse_i64z(const char *s, int64_t min, int64_t max,
			       int64_t *out)
{
	return num_parse_i64(s, s ? strlen(s) : 0, min, max, out);
}
