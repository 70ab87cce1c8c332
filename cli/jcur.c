/* jcur.c -- a pull cursor over one JSON text, for transcript lines */
#include <stdint.h>
#include <string.h>

#include "jcur.h"

void jc_init(struct jcur *c, const char *p, size_t n)
{
	c->p = p;
	c->end = p + n;
	c->err = 0;
	c->depth = 0;
	c->need_comma = 0;
}

static int fail(struct jcur *c)
{
	c->err = 1;
	return -1;
}

static void ws(struct jcur *c)
{
	while (c->p < c->end &&
	       (*c->p == ' ' || *c->p == '\n' || *c->p == '\r' || *c->p == '\t'))
		c->p++;
}

int jc_peek(struct jcur *c)
{
	if (c->err)
		return -1;
	ws(c);
	return c->p < c->end ? (unsigned char)*c->p : -1;
}

static int open_level(struct jcur *c, char ch)
{
	if (jc_peek(c) != ch)
		return c->err ? -1 : -2;
	if (c->depth >= JC_MAX_DEPTH)
		return fail(c);
	c->p++;
	c->need_comma &= ~(1ULL << c->depth);
	c->depth++;
	return 0;
}

int jc_obj_begin(struct jcur *c)
{
	return open_level(c, '{');
}

int jc_arr_begin(struct jcur *c)
{
	return open_level(c, '[');
}

/* Shared by objects and arrays: 1 if another member follows, 0 at close. */
static int next_member(struct jcur *c, char close)
{
	uint64_t bit;
	int ch = jc_peek(c);

	if (ch < 0 || c->depth == 0)
		return fail(c);
	bit = 1ULL << (c->depth - 1);
	if (ch == close) {
		c->p++;
		c->depth--;
		return 0;
	}
	if (c->need_comma & bit) {
		if (ch != ',')
			return fail(c);
		c->p++;
		ch = jc_peek(c);
		if (ch == close || ch < 0)
			return fail(c);
	}
	c->need_comma |= bit;
	return 1;
}

static const char *string_end(const char *p, const char *end)
{
	/* p is just past the opening quote; returns the closing quote */
	for (;;) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		const char *b;

		if (!q)
			return NULL;
		b = q;
		while (b > p && b[-1] == '\\')
			b--;
		if (((q - b) & 1) == 0)
			return q;
		p = q + 1;
	}
}

int jc_str(struct jcur *c, struct jstr *out)
{
	const char *q;

	if (jc_peek(c) != '"')
		return c->err ? -1 : -2;
	q = string_end(c->p + 1, c->end);
	if (!q)
		return fail(c);
	out->s = c->p + 1;
	out->n = (size_t)(q - out->s);
	out->has_esc = memchr(out->s, '\\', out->n) != NULL;
	c->p = q + 1;
	return 0;
}

int jc_obj_next(struct jcur *c, struct jstr *key)
{
	int r = next_member(c, '}');

	if (r <= 0)
		return r;
	if (jc_str(c, key))
		return fail(c);
	if (jc_peek(c) != ':')
		return fail(c);
	c->p++;
	return 1;
}

int jc_arr_next(struct jcur *c)
{
	return next_member(c, ']');
}

static int literal(struct jcur *c, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n))
		return fail(c);
	c->p += n;
	return 0;
}

static int digits(struct jcur *c)
{
	const char *s = c->p;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
		c->p++;
	return c->p > s ? 0 : -1;
}

/* Scans a number; *is_int says whether it had no fraction or exponent. */
static int number(struct jcur *c, const char **start, int *is_int)
{
	*start = c->p;
	*is_int = 1;
	if (c->p < c->end && *c->p == '-')
		c->p++;
	if (c->p < c->end && *c->p == '0')
		c->p++;
	else if (digits(c))
		return fail(c);
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		*is_int = 0;
		if (digits(c))
			return fail(c);
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		*is_int = 0;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		if (digits(c))
			return fail(c);
	}
	return 0;
}

int jc_skip(struct jcur *c)
{
	struct jstr s;
	int ch = jc_peek(c), r;

	switch (ch) {
	case '"':
		return jc_str(c, &s);
	case '{':
		if (jc_obj_begin(c))
			return fail(c);
		while ((r = jc_obj_next(c, &s)) > 0)
			if (jc_skip(c))
				return -1;
		return r;
	case '[':
		if (jc_arr_begin(c))
			return fail(c);
		while ((r = jc_arr_next(c)) > 0)
			if (jc_skip(c))
				return -1;
		return r;
	case 't':
		return literal(c, "true");
	case 'f':
		return literal(c, "false");
	case 'n':
		return literal(c, "null");
	default:
		if (ch == '-' || (ch >= '0' && ch <= '9')) {
			const char *st;
			int is_int;

			return number(c, &st, &is_int);
		}
		return fail(c);
	}
}

int jc_bool(struct jcur *c, int *out)
{
	int ch = jc_peek(c);

	if (ch == 't') {
		*out = 1;
		return literal(c, "true");
	}
	if (ch == 'f') {
		*out = 0;
		return literal(c, "false");
	}
	return c->err ? -1 : -2;
}

int jc_null(struct jcur *c)
{
	if (jc_peek(c) != 'n')
		return 0;
	return literal(c, "null") ? 0 : 1;
}

int jc_uint(struct jcur *c, int64_t *out)
{
	const char *save = c->p, *st, *s;
	int is_int;
	int64_t v = 0;
	int ch = jc_peek(c);

	if (ch != '-' && (ch < '0' || ch > '9'))
		return c->err ? -1 : -2;
	save = c->p;
	if (number(c, &st, &is_int))
		return -1;
	if (!is_int || *st == '-') {
		c->p = save;
		return -2;
	}
	for (s = st; s < c->p; s++) {
		int d = *s - '0';

		if (v > (INT64_MAX - d) / 10) {
			c->p = save;
			return -2;
		}
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int jc_num_trunc(struct jcur *c, int64_t *out)
{
	const char *st, *s;
	int is_int, ch = jc_peek(c);
	int64_t v = 0;

	if (ch != '-' && (ch < '0' || ch > '9'))
		return c->err ? -1 : -2;
	if (number(c, &st, &is_int))
		return -1;
	if (*st == '-') {
		*out = 0;
		return 0;
	}
	for (s = st; s < c->p && *s >= '0' && *s <= '9'; s++) {
		if (v > (INT64_MAX - 9) / 10)
			break;
		v = v * 10 + (*s - '0');
	}
	if (!is_int) {
		/* an exponent would scale it: keep it exact for the common
		 * forms (1234, 1234.0) and refuse the rest */
		const char *e = memchr(st, 'e', (size_t)(c->p - st));

		if (!e)
			e = memchr(st, 'E', (size_t)(c->p - st));
		if (e) {
			*out = 0;
			return -2;
		}
	}
	*out = v;
	return 0;
}

int jc_end(struct jcur *c)
{
	if (c->err || c->depth != 0)
		return -1;
	ws(c);
	return c->p == c->end ? 0 : fail(c);
}

size_t jstr_count_newlines(const struct jstr *s)
{
	const char *p = s->s, *end = s->s + s->n;
	size_t n = 0;

	while (p < end) {
		const char *b = memchr(p, '\\', (size_t)(end - p));

		if (!b || b + 1 >= end)
			break;
		if (b[1] == 'n')
			n++;
		p = b + 2;	/* skips the escaped character, "\\n" included */
	}
	return n;
}
