/*
 * jcur.h -- a pull cursor over one JSON text, for transcript lines
 *
 * Transcripts are large and mostly made of text the client must never
 * look at (prompts, code, tool output).  The cursor walks the grammar
 * without building a tree or copying: the caller asks for the members it
 * wants and skips the rest, and skipping a string is a memchr for the
 * closing quote.  Strings come back as raw spans into the input, with
 * their escapes still in place (has_esc says whether there are any).
 *
 * Structure is checked strictly (commas, colons, brackets, literals,
 * number syntax, nesting depth); the bytes inside skipped strings are
 * not validated.  Any error sets c->err and every later call fails, so
 * callers may check once at the end.
 *
 *	jc_init(&c, line, len);
 *	if (jc_obj_begin(&c) == 0)
 *		while (jc_obj_next(&c, &key) > 0)
 *			if (jstr_is(&key, "type")) jc_str(&c, &type);
 *			else jc_skip(&c);
 *	ok = jc_end(&c) == 0;
 */
#ifndef CLI_JCUR_H
#define CLI_JCUR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define JC_MAX_DEPTH 64

struct jstr {
	const char *s;		/* not NUL-terminated; escapes not decoded */
	size_t n;
	int has_esc;
};

struct jcur {
	const char *p, *end;
	int err;
	int depth;
	uint64_t need_comma;	/* one bit per open level */
};

void jc_init(struct jcur *c, const char *p, size_t n);

/* Next significant byte without consuming it, or -1 at the end. */
int jc_peek(struct jcur *c);

/* '{' ... '}': begin, then next() until it returns 0 (end) or -1. */
int jc_obj_begin(struct jcur *c);
int jc_obj_next(struct jcur *c, struct jstr *key);
int jc_arr_begin(struct jcur *c);
int jc_arr_next(struct jcur *c);

/* Values.  Each returns 0, or -1 and sets c->err on a syntax error; the
 * typed readers return -2 (without consuming) when the value is of
 * another type, so the caller may skip it instead. */
int jc_skip(struct jcur *c);
int jc_str(struct jcur *c, struct jstr *out);
int jc_bool(struct jcur *c, int *out);
/* A non-negative integer without fraction or exponent, up to INT64_MAX. */
int jc_uint(struct jcur *c, int64_t *out);
/* Consumes a null and returns 1; returns 0 if the value is not null. */
int jc_null(struct jcur *c);
/* Any number: returns 0 and its value truncated to an integer (clamped
 * at 0), for formats that write token counts as floats. */
int jc_num_trunc(struct jcur *c, int64_t *out);

/* Only whitespace may follow the value: 0, or -1. */
int jc_end(struct jcur *c);

static inline int jstr_is(const struct jstr *s, const char *lit)
{
	size_t n = strlen(lit);

	return s->n == n && memcmp(s->s, lit, n) == 0;
}

/* Counts the "\n" escapes in a raw string span. */
size_t jstr_count_newlines(const struct jstr *s);

#endif
