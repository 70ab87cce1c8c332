/*
 * json.h -- a strict JSON reader for untrusted request bodies
 *
 * RFC 8259 and nothing more: one value, optional surrounding whitespace,
 * no trailing bytes.  On top of the grammar it refuses what a lenient
 * parser would silently reinterpret (see security-reliability notes in
 * the README): duplicate member names, NUL anywhere (raw or \u0000),
 * invalid UTF-8 (overlong, surrogates, beyond U+10FFFF), lone surrogate
 * escapes, and nesting deeper than JSON_MAX_DEPTH.
 *
 * Numbers keep their source text, so integers are converted exactly by
 * json_int() and never pass through a double.
 *
 * The tree lives in the arena given to json_parse() and is valid until
 * that arena is reset.  Keys and strings are NUL-terminated and contain
 * no NUL, so they are safe C strings; len is their length in bytes.
 */
#ifndef ARENA_JSON_H
#define ARENA_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "num.h"

/* Deep enough for any body the API accepts, shallow enough to be cheap. */
#define JSON_MAX_DEPTH 32

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json {
	enum json_type type;
	const char *key;	/* member name inside an object, else NULL */
	const char *str;	/* string value, or a number's source text */
	size_t len;		/* of str */
	struct json *child;	/* first element or member */
	struct json *next;	/* next sibling */
	size_t count;		/* number of elements or members */
};

/* Why a body was refused; each maps to one stable API error code. */
enum json_error {
	JSON_OK = 0,
	JSON_ERR_SYNTAX,	/* invalid_json */
	JSON_ERR_DEPTH,		/* invalid_json: nested too deeply */
	JSON_ERR_DUPLICATE_KEY,	/* duplicate_key */
	JSON_ERR_NUL,		/* invalid_string */
	JSON_ERR_UTF8,		/* invalid_utf8 */
};

struct json_status {
	enum json_error error;
	size_t offset;		/* byte offset of the problem */
	const char *key;	/* the duplicated key, for JSON_ERR_DUPLICATE_KEY */
};

/*
 * Parses buf[0..len); buf need not be NUL-terminated.  Returns the root,
 * or NULL with st filled in.
 */
struct json *json_parse(struct arena *a, const char *buf, size_t len,
			struct json_status *st);

/* Case-sensitive member lookup; NULL when absent or obj is no object. */
struct json *json_get(const struct json *obj, const char *key);

/*
 * Converts an integer literal to int64 within [min, max].  NUM_SYNTAX for
 * anything that is not a plain integer (1.5, 1e3, 100.0, a string...).
 */
enum num_result json_int(const struct json *v, int64_t min, int64_t max,
			 int64_t *out);

const char *json_error_code(enum json_error e);

/*
 * A sentence for a client saying what is wrong with the body and where,
 * written into buf (at most n bytes, NUL-terminated), which it returns:
 *	duplicate member "outputTokens" at byte 57
 * A duplicated name is quoted only when it is at most 64 printable ASCII
 * characters without quotes or backslashes; any other is described by
 * its length, so the sentence never carries arbitrary request bytes.
 */
char *json_error_message(const struct json_status *st, char *buf, size_t n);

/* 1 if key is a member name json_error_message() would quote. */
int json_key_is_plain(const char *key);
const char *json_type_name(enum json_type t);

/* Returns 1 if s[0..n) is valid UTF-8 without NUL, overlongs or surrogates. */
int utf8_valid(const char *s, size_t n);

#endif
