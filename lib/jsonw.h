/*
 * jsonw.h -- writing JSON
 *
 * Appends to a struct buf and inserts the commas itself.  Integers are
 * printed from int64_t with PRId64, never through a double, so token
 * counts above 2^53 come out digit for digit.  Strings are escaped for
 * JSON and additionally '<', '>' and '&' become \u escapes so a response
 * can never be mistaken for markup.
 *
 *	struct jsonw w;
 *	jsonw_init(&w, &rq->out);
 *	jsonw_object(&w);
 *	jsonw_key(&w, "valid"); jsonw_bool(&w, 1);
 *	jsonw_end(&w);
 */
#ifndef ARENA_JSONW_H
#define ARENA_JSONW_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Nesting deeper than this is a programming error and aborts. */
#define JSONW_MAX_DEPTH 32

struct jsonw {
	struct buf *b;
	int depth;
	unsigned char first[JSONW_MAX_DEPTH];	/* no member written yet */
	char close[JSONW_MAX_DEPTH];		/* '}' or ']' */
	unsigned char after_key;
};

void jsonw_init(struct jsonw *w, struct buf *b);
void jsonw_object(struct jsonw *w);
void jsonw_array(struct jsonw *w);
void jsonw_end(struct jsonw *w);		/* closes the innermost */
void jsonw_key(struct jsonw *w, const char *key);
void jsonw_string(struct jsonw *w, const char *s);	/* NULL writes null */
void jsonw_stringn(struct jsonw *w, const char *s, size_t n);
void jsonw_int(struct jsonw *w, int64_t v);
/* Fixed-point with the given number of decimals (trailing zeros cut). */
void jsonw_fixed(struct jsonw *w, double v, int decimals);
void jsonw_bool(struct jsonw *w, int v);
void jsonw_null(struct jsonw *w);
/* Already-valid JSON text, inserted as one value. */
void jsonw_raw(struct jsonw *w, const char *json);

/* Appends s escaped as a JSON string, with quotes, to b. */
void json_quote(struct buf *b, const char *s, size_t n);

#endif
