/* 0010-json.c -- the strict JSON reader and the JSON writer */
#include <string.h>

#include "arena.h"
#include "json.h"
#include "jsonw.h"
#include "tap.h"

static struct arena a = ARENA_INIT;

static enum json_error parse_err(const char *s, size_t n)
{
	struct json_status st;

	json_parse(&a, s, n, &st);
	return st.error;
}

#define ERR(lit) parse_err(lit, sizeof(lit) - 1)

static void test_reader(void)
{
	struct json_status st;
	struct json *v, *m;
	int64_t n = 0;
	static const char body[] = "{\"a\":3000000000,\"b\":\"x\\u00e9\\ud83d\\ude00\",\"c\":[1,2,{}],\"d\":null}";

	v = json_parse(&a, body, sizeof(body) - 1, &st);
	ok(v && v->type == JSON_OBJECT && v->count == 4, "parses an object with four members");
	m = json_get(v, "a");
	ok(json_int(m, 0, INT64_MAX, &n) == NUM_OK, "3000000000 is an integer");
	is_int(n, 3000000000LL, "3000000000 is exact (no 2^31 saturation)");
	is_str(json_get(v, "b")->str, "x\xc3\xa9\xf0\x9f\x98\x80", "escapes decode to UTF-8, pairs joined");
	ok(json_get(v, "A") == NULL, "lookup is case-sensitive");
	ok(json_get(v, "c")->count == 3, "array counts its elements");

	/* the grammar, strictly */
	is_int(ERR("{\"t\":1} GARBAGE"), JSON_ERR_SYNTAX, "trailing garbage refused");
	is_int(ERR("{\"t\":1}{\"t\":2}"), JSON_ERR_SYNTAX, "a second document refused");
	is_int(ERR(""), JSON_ERR_SYNTAX, "empty body refused");
	is_int(ERR("{\"t\":"), JSON_ERR_SYNTAX, "truncated body refused");
	is_int(ERR("{\"t\":NaN}"), JSON_ERR_SYNTAX, "NaN refused");
	is_int(ERR("{\"t\":Infinity}"), JSON_ERR_SYNTAX, "Infinity refused");
	is_int(ERR("{\"t\":0123}"), JSON_ERR_SYNTAX, "leading zero refused");
	is_int(ERR("{\"t\":1.}"), JSON_ERR_SYNTAX, "'1.' refused");
	is_int(ERR("{\"t\":+1}"), JSON_ERR_SYNTAX, "'+1' refused");
	is_int(ERR("{'t':1}"), JSON_ERR_SYNTAX, "single quotes refused");
	is_int(ERR("{\"t\":1,}"), JSON_ERR_SYNTAX, "trailing comma refused");
	is_int(ERR("{\"t\":1 /* c */}"), JSON_ERR_SYNTAX, "comments refused");
	is_int(ERR("{\"t\":\"\\ud800\"}"), JSON_ERR_SYNTAX, "lone high surrogate refused");
	is_int(ERR("{\"t\":\"\\udc00\"}"), JSON_ERR_SYNTAX, "lone low surrogate refused");
	is_int(ERR("{\"t\":1,\"t\":9}"), JSON_ERR_DUPLICATE_KEY, "duplicate key refused");
	{
		static const char dup[] = "{\"inputTokens\":1,\"outputTokens\":2,\"outputTokens\":3}";
		static const char odd[] = "{\"a\\\"<b>\":1,\"a\\\"<b>\":2}";
		char msg[160];

		json_parse(&a, dup, sizeof(dup) - 1, &st);
		is_str(json_error_message(&st, msg, sizeof(msg)),
		       "duplicate member \"outputTokens\" at byte 34",
		       "a duplicated member is named in the message");
		json_parse(&a, odd, sizeof(odd) - 1, &st);
		is_str(json_error_message(&st, msg, sizeof(msg)),
		       "duplicate member (a name of 5 bytes) at byte 12",
		       "a name with quotes or markup is described, not echoed");
		ok(!json_key_is_plain("k\x7f") && !json_key_is_plain("") &&
		   json_key_is_plain("cacheReadTokens"), "which names are quoted");
	}
	is_int(ERR("{\"t\\u0000x\":5}"), JSON_ERR_NUL, "\\u0000 in a key refused");
	is_int(ERR("{\"m\":\"gpt\\u0000x\"}"), JSON_ERR_NUL, "\\u0000 in a value refused");
	is_int(parse_err("{\"m\":\"a\0b\"}", 10), JSON_ERR_NUL, "raw NUL refused");
	is_int(parse_err("{\"t\":1}\0", 8), JSON_ERR_NUL, "NUL after the document refused");
	is_int(ERR("{\"m\":\"\xff\xfe\"}"), JSON_ERR_UTF8, "FF FE refused as invalid UTF-8");
	is_int(ERR("{\"m\":\"\xc0\xaf\"}"), JSON_ERR_UTF8, "overlong C0 AF refused");
	is_int(ERR("{\"m\":\"\xed\xa0\x80\"}"), JSON_ERR_UTF8, "encoded surrogate refused");
	is_int(ERR("{\"m\":\"\xf4\x90\x80\x80\"}"), JSON_ERR_UTF8, "beyond U+10FFFF refused");
	is_int(ERR("{\"m\":\"a\tb\"}"), JSON_ERR_SYNTAX, "raw control character refused");

	{
		char deep[2 * (JSON_MAX_DEPTH + 1) + 1];
		int i;

		for (i = 0; i <= JSON_MAX_DEPTH; i++) {
			deep[i] = '[';
			deep[2 * (JSON_MAX_DEPTH + 1) - 1 - i] = ']';
		}
		is_int(parse_err(deep, 2 * (JSON_MAX_DEPTH + 1)), JSON_ERR_DEPTH, "nesting beyond the limit refused");
		ok(json_parse(&a, deep + 1, 2 * JSON_MAX_DEPTH, &st) != NULL, "nesting at the limit accepted");
	}

	/* numbers keep their text: integer policy is exact */
	v = json_parse(&a, "[1.5,100.0,1e3,-0,9007199254740993,1e400,-5]", 44, &st);
	ok(v != NULL, "number array parses");
	m = v->child;
	is_int(json_int(m, 0, INT64_MAX, &n), NUM_SYNTAX, "1.5 is not an integer");
	is_int(json_int(m->next, 0, INT64_MAX, &n), NUM_SYNTAX, "100.0 is not an integer");
	is_int(json_int(m->next->next, 0, INT64_MAX, &n), NUM_SYNTAX, "1e3 is not an integer");
	is_int(json_int(m->next->next->next, 0, INT64_MAX, &n), NUM_SYNTAX, "-0 is refused");
	ok(json_int(m->next->next->next->next, 0, INT64_MAX, &n) == NUM_OK && n == 9007199254740993LL,
	   "2^53+1 is read exactly");
	is_int(json_int(m->next->next->next->next->next, 0, INT64_MAX, &n), NUM_SYNTAX, "1e400 is not an integer");
	is_int(json_int(m->next->next->next->next->next->next, 0, INT64_MAX, &n), NUM_RANGE, "-5 is out of range");
	v = json_parse(&a, "[9223372036854775808,99999999999999999999999999999999999999999999999999999999999999999999]", 90, &st);
	ok(v && json_int(v->child, 0, INT64_MAX, &n) == NUM_RANGE, "2^63 is out of range, not wrapped");
	ok(v && json_int(v->child->next, 0, INT64_MAX, &n) == NUM_RANGE, "70 digits are out of range");
}

static void test_writer(void)
{
	struct buf b = BUF_INIT;
	struct jsonw w;

	jsonw_init(&w, &b);
	jsonw_object(&w);
	jsonw_key(&w, "big");
	jsonw_int(&w, 9007199254740993LL);
	jsonw_key(&w, "max");
	jsonw_int(&w, INT64_MAX);
	jsonw_key(&w, "min");
	jsonw_int(&w, INT64_MIN);
	jsonw_key(&w, "s");
	jsonw_string(&w, "q\"\\\n<x>&\x01");
	jsonw_key(&w, "a");
	jsonw_array(&w);
	jsonw_int(&w, 1);
	jsonw_null(&w);
	jsonw_bool(&w, 0);
	jsonw_fixed(&w, 850.5, 2);
	jsonw_fixed(&w, 0.85, 4);
	jsonw_fixed(&w, 3.0, 2);
	jsonw_end(&w);
	jsonw_end(&w);
	is_str(buf_str(&b),
	       "{\"big\":9007199254740993,\"max\":9223372036854775807,\"min\":-9223372036854775808,"
	       "\"s\":\"q\\\"\\\\\\n\\u003cx\\u003e\\u0026\\u0001\",\"a\":[1,null,false,850.5,0.85,3]}",
	       "writer prints 64-bit integers exactly and escapes strings");
	buf_release(&b);
}

int main(void)
{
	test_reader();
	test_writer();
	arena_release(&a);
	return done_testing();
}
