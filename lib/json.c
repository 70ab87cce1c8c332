/* json.c -- a strict JSON reader for untrusted request bodies */
#include <stdio.h>
#include <string.h>

#include "json.h"

struct parser {
	struct arena *a;
	const unsigned char *p, *end, *start;
	struct json_status *st;
	int depth;
};

static void *fail(struct parser *ps, enum json_error e)
{
	if (ps->st->error == JSON_OK) {
		ps->st->error = e;
		ps->st->offset = (size_t)(ps->p - ps->start);
	}
	return NULL;
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end &&
	       (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

/* Length of the UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	unsigned long cp;

	if (c < 0x80)
		return c ? 1 : 0;
	if (c < 0xc2)
		return 0;		/* continuation byte or overlong lead */
	if (c < 0xe0) {
		len = 2;
		cp = c & 0x1f;
	} else if (c < 0xf0) {
		len = 3;
		cp = c & 0x0f;
	} else if (c < 0xf5) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

int utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t k = utf8_seq(p + i, n - i);

		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

static int hex4(const unsigned char *p, unsigned *out)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		unsigned c = p[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

static size_t put_utf8(unsigned char *o, unsigned long cp)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Parses a string at ps->p (on the opening quote) into *out / *outlen. */
static int parse_string(struct parser *ps, const char **out, size_t *outlen)
{
	const unsigned char *q;
	unsigned char *o, *o0;

	ps->p++;		/* opening quote */
	/* escapes only shrink, so the source length bounds the output */
	for (q = ps->p; q < ps->end && *q != '"'; q++)
		if (*q == '\\' && q + 1 < ps->end)
			q++;
	o = o0 = arena_alloc(ps->a, (size_t)(q - ps->p) + 1);
	while (ps->p < ps->end) {
		unsigned c = *ps->p;

		if (c == '"') {
			ps->p++;
			*o = '\0';
			*out = (const char *)o0;
			*outlen = (size_t)(o - o0);
			return 0;
		}
		if (c == 0) {
			fail(ps, JSON_ERR_NUL);
			return -1;
		}
		if (c < 0x20) {
			fail(ps, JSON_ERR_SYNTAX);
			return -1;
		}
		if (c == '\\') {
			unsigned u, lo;

			if (ps->end - ps->p < 2) {
				fail(ps, JSON_ERR_SYNTAX);
				return -1;
			}
			c = ps->p[1];
			ps->p += 2;
			switch (c) {
			case '"': *o++ = '"'; continue;
			case '\\': *o++ = '\\'; continue;
			case '/': *o++ = '/'; continue;
			case 'b': *o++ = '\b'; continue;
			case 'f': *o++ = '\f'; continue;
			case 'n': *o++ = '\n'; continue;
			case 'r': *o++ = '\r'; continue;
			case 't': *o++ = '\t'; continue;
			case 'u': break;
			default:
				ps->p -= 2;
				fail(ps, JSON_ERR_SYNTAX);
				return -1;
			}
			if (ps->end - ps->p < 4 || hex4(ps->p, &u)) {
				fail(ps, JSON_ERR_SYNTAX);
				return -1;
			}
			if (u == 0) {
				ps->p -= 2;
				fail(ps, JSON_ERR_NUL);
				return -1;
			}
			ps->p += 4;
			if (u >= 0xdc00 && u <= 0xdfff) {
				fail(ps, JSON_ERR_SYNTAX);	/* lone low surrogate */
				return -1;
			}
			if (u >= 0xd800 && u <= 0xdbff) {
				if (ps->end - ps->p < 6 || ps->p[0] != '\\' ||
				    ps->p[1] != 'u' || hex4(ps->p + 2, &lo) ||
				    lo < 0xdc00 || lo > 0xdfff) {
					fail(ps, JSON_ERR_SYNTAX);
					return -1;
				}
				ps->p += 6;
				o += put_utf8(o, 0x10000 + ((unsigned long)(u - 0xd800) << 10) +
					      (lo - 0xdc00));
				continue;
			}
			/* a 6-byte escape never yields more than 3 bytes */
			o += put_utf8(o, u);
			continue;
		}
		{
			size_t k = utf8_seq(ps->p, (size_t)(ps->end - ps->p));

			if (!k) {
				fail(ps, JSON_ERR_UTF8);
				return -1;
			}
			memcpy(o, ps->p, k);
			o += k;
			ps->p += k;
		}
	}
	fail(ps, JSON_ERR_SYNTAX);	/* unterminated */
	return -1;
}

static struct json *parse_value(struct parser *ps);

static struct json *node(struct parser *ps, enum json_type t)
{
	struct json *v = arena_alloc(ps->a, sizeof(*v));

	v->type = t;
	return v;
}

static int match(struct parser *ps, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return 0;
	ps->p += n;
	return 1;
}

static struct json *parse_number(struct parser *ps)
{
	const unsigned char *s = ps->p;
	struct json *v;

	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	if (ps->p >= ps->end)
		return fail(ps, JSON_ERR_SYNTAX);
	if (*ps->p == '0') {
		ps->p++;
	} else if (*ps->p >= '1' && *ps->p <= '9') {
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	} else {
		return fail(ps, JSON_ERR_SYNTAX);
	}
	if (ps->p < ps->end && *ps->p == '.') {
		ps->p++;
		if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
			return fail(ps, JSON_ERR_SYNTAX);
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
			return fail(ps, JSON_ERR_SYNTAX);
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	}
	v = node(ps, JSON_NUMBER);
	v->len = (size_t)(ps->p - s);
	v->str = arena_strndup(ps->a, (const char *)s, v->len);
	return v;
}

static struct json *parse_container(struct parser *ps, int is_object)
{
	struct json *v = node(ps, is_object ? JSON_OBJECT : JSON_ARRAY), **tail = &v->child;
	char close = is_object ? '}' : ']';

	if (++ps->depth > JSON_MAX_DEPTH)
		return fail(ps, JSON_ERR_DEPTH);
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		ps->depth--;
		return v;
	}
	for (;;) {
		struct json *item;
		const char *key = NULL;
		size_t keylen = 0;

		skip_ws(ps);
		if (is_object) {
			struct json *m;
			const unsigned char *at = ps->p;

			if (ps->p >= ps->end || *ps->p != '"')
				return fail(ps, JSON_ERR_SYNTAX);
			if (parse_string(ps, &key, &keylen))
				return NULL;
			for (m = v->child; m; m = m->next) {
				if (strcmp(m->key, key) == 0) {
					ps->p = at;
					ps->st->key = key;
					return fail(ps, JSON_ERR_DUPLICATE_KEY);
				}
			}
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':')
				return fail(ps, JSON_ERR_SYNTAX);
			ps->p++;
			skip_ws(ps);
		}
		item = parse_value(ps);
		if (!item)
			return NULL;
		item->key = key;
		*tail = item;
		tail = &item->next;
		v->count++;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			ps->depth--;
			return v;
		}
		return fail(ps, JSON_ERR_SYNTAX);
	}
}

static struct json *parse_value(struct parser *ps)
{
	struct json *v;

	skip_ws(ps);
	if (ps->p >= ps->end)
		return fail(ps, JSON_ERR_SYNTAX);
	switch (*ps->p) {
	case '{':
		return parse_container(ps, 1);
	case '[':
		return parse_container(ps, 0);
	case '"':
		v = node(ps, JSON_STRING);
		if (parse_string(ps, &v->str, &v->len))
			return NULL;
		return v;
	case 't':
		if (match(ps, "true"))
			return node(ps, JSON_TRUE);
		break;
	case 'f':
		if (match(ps, "false"))
			return node(ps, JSON_FALSE);
		break;
	case 'n':
		if (match(ps, "null"))
			return node(ps, JSON_NULL);
		break;
	case 0:
		return fail(ps, JSON_ERR_NUL);
	default:
		if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
			return parse_number(ps);
	}
	return fail(ps, JSON_ERR_SYNTAX);
}

struct json *json_parse(struct arena *a, const char *buf, size_t len,
			struct json_status *st)
{
	struct parser ps;
	struct json *root;

	memset(st, 0, sizeof(*st));
	ps.a = a;
	ps.start = ps.p = (const unsigned char *)buf;
	ps.end = ps.p + len;
	ps.st = st;
	ps.depth = 0;
	root = parse_value(&ps);
	if (!root)
		return NULL;
	skip_ws(&ps);
	if (ps.p != ps.end)
		return fail(&ps, memchr(ps.p, 0, (size_t)(ps.end - ps.p)) ?
				 JSON_ERR_NUL : JSON_ERR_SYNTAX);
	return root;
}

struct json *json_get(const struct json *obj, const char *key)
{
	struct json *m;

	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (m = obj->child; m; m = m->next)
		if (strcmp(m->key, key) == 0)
			return m;
	return NULL;
}

enum num_result json_int(const struct json *v, int64_t min, int64_t max,
			 int64_t *out)
{
	if (!v || v->type != JSON_NUMBER)
		return NUM_SYNTAX;
	return num_parse_i64(v->str, v->len, min, max, out);
}

const char *json_error_code(enum json_error e)
{
	switch (e) {
	case JSON_OK: return "ok";
	case JSON_ERR_SYNTAX: return "invalid_json";
	case JSON_ERR_DEPTH: return "invalid_json";
	case JSON_ERR_DUPLICATE_KEY: return "duplicate_key";
	case JSON_ERR_NUL: return "invalid_string";
	case JSON_ERR_UTF8: return "invalid_utf8";
	}
	return "invalid_json";
}

#define JSON_PLAIN_KEY_MAX 64

int json_key_is_plain(const char *key)
{
	size_t i;

	if (!key || !*key)
		return 0;
	for (i = 0; key[i]; i++)
		if (i == JSON_PLAIN_KEY_MAX || key[i] < 0x20 || key[i] > 0x7e ||
		    key[i] == '"' || key[i] == '\\')
			return 0;
	return 1;
}

char *json_error_message(const struct json_status *st, char *buf, size_t n)
{
	switch (st->error) {
	case JSON_ERR_DUPLICATE_KEY:
		if (json_key_is_plain(st->key))
			snprintf(buf, n, "duplicate member \"%s\" at byte %zu",
				 st->key, st->offset);
		else
			snprintf(buf, n, "duplicate member (a name of %zu bytes) at byte %zu",
				 st->key ? strlen(st->key) : 0, st->offset);
		break;
	case JSON_ERR_NUL:
		snprintf(buf, n, "NUL character in a string at byte %zu", st->offset);
		break;
	case JSON_ERR_UTF8:
		snprintf(buf, n, "invalid UTF-8 at byte %zu", st->offset);
		break;
	case JSON_ERR_DEPTH:
		snprintf(buf, n, "nesting too deep at byte %zu", st->offset);
		break;
	default:
		snprintf(buf, n, "malformed JSON at byte %zu", st->offset);
		break;
	}
	return buf;
}

const char *json_type_name(enum json_type t)
{
	switch (t) {
	case JSON_NULL: return "null";
	case JSON_FALSE: case JSON_TRUE: return "boolean";
	case JSON_NUMBER: return "number";
	case JSON_STRING: return "string";
	case JSON_ARRAY: return "array";
	case JSON_OBJECT: return "object";
	}
	return "value";
}
