/* fuzz-json.c -- the strict JSON reader on request bodies */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fuzz.h"
#include "json.h"

static void walk(const struct json *v, int depth)
{
	const struct json *c;
	int64_t n;
	size_t count = 0;

	if (depth > JSON_MAX_DEPTH + 1)
		abort();	/* deeper than the reader promises */
	if (v->type == JSON_NUMBER)
		json_int(v, INT64_MIN, INT64_MAX, &n);
	if ((v->type == JSON_STRING || v->type == JSON_NUMBER) && strlen(v->str) != v->len)
		abort();	/* a NUL slipped into a string */
	if (v->type == JSON_STRING && !utf8_valid(v->str, v->len))
		abort();
	for (c = v->child; c; c = c->next) {
		if (v->type == JSON_OBJECT && (!c->key || json_get(v, c->key) != c))
			abort();	/* a duplicate key got through */
		walk(c, depth + 1);
		count++;
	}
	if (count != v->count)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct json_status st;
	struct json *root;
	/* production hands the parser the body exactly as read: no NUL after it */
	char *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	if (size)
		memcpy(buf, data, size);
	root = json_parse(&a, buf, size, &st);
	if (root)
		walk(root, 0);
	else if (st.error == JSON_OK || st.offset > size)
		abort();
	free(buf);
	arena_release(&a);
	return 0;
}
