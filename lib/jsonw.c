/* jsonw.c -- writing JSON */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"

void jsonw_init(struct jsonw *w, struct buf *b)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
}

/* Writes the separator a new value needs at the current position. */
static void value_start(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0) {
		if (!w->first[w->depth - 1])
			buf_addc(w->b, ',');
		w->first[w->depth - 1] = 0;
	}
}

static void open(struct jsonw *w, char c)
{
	value_start(w);
	if (w->depth >= JSONW_MAX_DEPTH) {
		fprintf(stderr, "jsonw: nesting deeper than %d\n", JSONW_MAX_DEPTH);
		abort();
	}
	buf_addc(w->b, c);
	w->first[w->depth] = 1;
	w->close[w->depth] = c == '{' ? '}' : ']';
	w->depth++;
}

void jsonw_object(struct jsonw *w)
{
	open(w, '{');
}

void jsonw_array(struct jsonw *w)
{
	open(w, '[');
}

void jsonw_end(struct jsonw *w)
{
	if (w->depth == 0)
		return;
	w->depth--;
	buf_addc(w->b, w->close[w->depth]);
	w->after_key = 0;
}

void json_quote(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	buf_grow(b, n + 2);
	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"':  buf_add(b, "\\\"", 2); break;
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		default:
			if (c < 0x20 || c == '<' || c == '>' || c == '&') {
				char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

				buf_add(b, e, 6);
			} else {
				buf_addc(b, (char)c);
			}
		}
	}
	buf_addc(b, '"');
}

void jsonw_key(struct jsonw *w, const char *key)
{
	value_start(w);
	json_quote(w->b, key, strlen(key));
	buf_addc(w->b, ':');
	w->after_key = 1;
}

void jsonw_stringn(struct jsonw *w, const char *s, size_t n)
{
	value_start(w);
	json_quote(w->b, s, n);
}

void jsonw_string(struct jsonw *w, const char *s)
{
	if (!s) {
		jsonw_null(w);
		return;
	}
	jsonw_stringn(w, s, strlen(s));
}

void jsonw_int(struct jsonw *w, int64_t v)
{
	value_start(w);
	buf_printf(w->b, "%" PRId64, v);
}

void jsonw_fixed(struct jsonw *w, double v, int decimals)
{
	char tmp[64];
	int n;

	value_start(w);
	if (!isfinite(v)) {
		buf_adds(w->b, "null");
		return;
	}
	n = snprintf(tmp, sizeof(tmp), "%.*f", decimals, v);
	if (n <= 0 || (size_t)n >= sizeof(tmp)) {
		buf_adds(w->b, "null");
		return;
	}
	if (strchr(tmp, '.')) {
		while (n > 0 && tmp[n - 1] == '0')
			tmp[--n] = '\0';
		if (n > 0 && tmp[n - 1] == '.')
			tmp[--n] = '\0';
	}
	if (strcmp(tmp, "-0") == 0)
		strcpy(tmp, "0");
	buf_adds(w->b, tmp);
}

void jsonw_bool(struct jsonw *w, int v)
{
	value_start(w);
	buf_adds(w->b, v ? "true" : "false");
}

void jsonw_null(struct jsonw *w)
{
	value_start(w);
	buf_adds(w->b, "null");
}

void jsonw_raw(struct jsonw *w, const char *json)
{
	value_start(w);
	buf_adds(w->b, json);
}
