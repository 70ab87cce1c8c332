/* 0500-cli-parse.c -- the transcript line parser and the counting rules */
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "claude.h"
#include "jcur.h"
#include "store.h"
#include "util.h"
#include "tap.h"

static struct cc_line L;

static void parse(const char *s)
{
	cc_parse_line(s, strlen(s), &L);
}

static void test_jcur(void)
{
	struct jcur c;
	struct jstr k, s;
	int64_t v;
	const char *ok1 = "{\"a\":[1,2,{\"b\":\"x\\\"y\"}],\"n\":12,\"t\":true}";
	static const char *const bad[] = {
		"{\"a\":1,}", "{\"a\" 1}", "{,\"a\":1}", "[1 2]", "{\"a\":01}", "{\"a\":1.}",
		"{\"a\":tru}", "{\"a\":\"x}", "{\"a\":1} x", "", "{\"a\":-}",
	};
	size_t i;

	jc_init(&c, ok1, strlen(ok1));
	ok(jc_skip(&c) == 0 && jc_end(&c) == 0, "a valid document is skipped whole");
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		jc_init(&c, bad[i], strlen(bad[i]));
		ok(jc_skip(&c) != 0 || jc_end(&c) != 0, "refused: %s", bad[i]);
	}
	{
		static const char doc[] =
			"{\"n\":9223372036854775807,\"m\":9223372036854775808,\"f\":1.5,\"s\":\"a\\\\\"}";

		jc_init(&c, doc, sizeof(doc) - 1);
	}
	jc_obj_begin(&c);
	jc_obj_next(&c, &k);
	ok(jc_uint(&c, &v) == 0 && v == INT64_MAX, "INT64_MAX reads exactly");
	jc_obj_next(&c, &k);
	is_int(jc_uint(&c, &v), -2, "beyond INT64_MAX is not an integer");
	jc_skip(&c);
	jc_obj_next(&c, &k);
	is_int(jc_uint(&c, &v), -2, "1.5 is not an integer");
	jc_skip(&c);
	jc_obj_next(&c, &k);
	ok(jc_str(&c, &s) == 0 && s.n == 3 && s.has_esc, "a string ending in an escaped backslash");
	ok(jc_obj_next(&c, &k) == 0 && jc_end(&c) == 0, "and the object closes");
	{
		char deep[200];

		memset(deep, '[', 100);
		memset(deep + 100, ']', 100);
		jc_init(&c, deep, 200);
		ok(jc_skip(&c) != 0, "nesting beyond the limit is refused");
	}
}

#define ASST(extra, usage) "{\"type\":\"assistant\",\"timestamp\":\"2025-03-10T10:00:00.000Z\"," \
	"\"sessionId\":\"s\",\"version\":\"1.0.0\",\"requestId\":\"r\"" extra "," \
	"\"message\":{\"id\":\"m\",\"model\":\"claude-x\",\"usage\":" usage ",\"content\":[" \
	"{\"type\":\"tool_use\",\"id\":\"tu1\",\"name\":\"Read\",\"input\":{\"file_path\":\"/x\"}}]}}"

static void test_line(void)
{
	parse(ASST("", "{\"input_tokens\":1,\"output_tokens\":2,\"cache_creation_input_tokens\":3,\"cache_read_input_tokens\":4}"));
	ok(L.usage_ok && L.tok[0] == 1 && L.tok[1] == 2 && L.tok[2] == 3 && L.tok[3] == 4,
	   "an assistant line's four counts");
	ok(L.ntools == 1 && jstr_is(&L.tools[0].name, "Read") && jstr_is(&L.tools[0].id, "tu1"),
	   "its tool_use block");
	parse(ASST("", "{\"input_tokens\":1,\"output_tokens\":2}"));
	ok(L.usage_ok && L.tok[2] == 0 && L.tok[3] == 0, "cache counts default to 0");
	parse(ASST("", "{\"input_tokens\":1}"));
	ok(!L.usage_ok, "output_tokens is required");
	parse(ASST("", "{\"input_tokens\":-1,\"output_tokens\":2}"));
	ok(!L.usage_ok, "a negative count refuses the entry");
	parse(ASST("", "{\"input_tokens\":1,\"output_tokens\":2,\"speed\":\"warp\"}"));
	ok(!L.usage_ok, "an unknown speed refuses the entry");
	parse(ASST("", "{\"input_tokens\":1,\"output_tokens\":2,\"speed\":\"fast\"}"));
	ok(L.usage_ok && L.fast, "speed fast is noted");
	parse(ASST(",\"isSidechain\":\"yes\"", "{\"input_tokens\":1,\"output_tokens\":2}"));
	ok(!L.usage_ok, "a mistyped isSidechain refuses the entry");
	parse(ASST(",\"costUSD\":null", "{\"input_tokens\":1,\"output_tokens\":2}"));
	ok(!L.usage_ok, "\"costUSD\":null refuses the line, as ccusage does");
	parse(ASST(",\"other\":null", "{\"input_tokens\":1,\"output_tokens\":2}"));
	ok(L.usage_ok, "other nulls do not");
	parse("{\"type\":\"assistant\",\"timestamp\":\"2025-03-10T10:00:00Z\",\"message\":{\"id\":\"m\",\"usage\": {\"input_tokens\":1,\"output_tokens\":2}}}");
	ok(!L.usage_ok, "without the exact \"usage\":{ marker a line is not an entry (as ccusage)");
	parse("{\"type\":\"progress\",\"timestamp\":\"2025-03-10T10:00:00Z\",\"data\":{\"message\":{\"type\":\"assistant\","
	      "\"timestamp\":\"2025-03-10T11:00:00Z\",\"requestId\":\"r2\",\"isSidechain\":true,\"message\":{\"id\":\"m2\","
	      "\"model\":\"claude-x\",\"usage\":{\"input_tokens\":5,\"output_tokens\":6}}}}}");
	ok(L.usage_ok && L.usage_sidechain && L.tok[0] == 5 && L.usage_ts_ms == 1741604400000LL,
	   "an agent-progress wrapper yields its inner message");
	parse("{\"type\":\"user\",\"timestamp\":\"2025-03-10T10:00:00Z\",\"uuid\":\"u\",\"message\":{\"role\":\"user\",\"content\":\"hi\"}}");
	ok(L.is_prompt, "a typed prompt is a turn");
	parse("{\"type\":\"user\",\"timestamp\":\"2025-03-10T10:00:00Z\",\"uuid\":\"u\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"tu1\",\"content\":\"x\"}]}}");
	ok(!L.is_prompt && L.nresults == 1, "a tool result is not");
	parse("{\"type\":\"user\",\"timestamp\":\"2025-03-10T10:00:00Z\",\"isCompactSummary\":true,\"message\":{\"role\":\"user\",\"content\":\"summary\"}}");
	ok(!L.is_prompt, "nor a compaction summary");
	parse("{\"type\":\"user\",\"timestamp\":\"2025-03-10T10:00:00Z\",\"message\":{\"role\":\"user\",\"content\":\"<local-command-stdout>x</local-command-stdout>\"}}");
	ok(!L.is_prompt, "nor a local command's output");
	parse("{\"type\":\"user\",\"toolUseResult\":{\"filePath\":\"/a\",\"structuredPatch\":[{\"lines\":[\" a\",\"-b\",\"+c\",\"+d\",\"\\\\-e\"]},{\"lines\":[\"-x\"]}]},\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\"}]}}");
	ok(L.has_edit && !L.created && L.added == 2 && L.deleted == 2, "patch lines counted by their first character");
	parse("{\"type\":\"user\",\"toolUseResult\":{\"type\":\"create\",\"filePath\":\"/a\",\"content\":\"a\\nb\\nc\",\"structuredPatch\":[]},\"message\":{\"content\":[]}}");
	ok(L.has_edit && L.created && L.added == 3, "a created file's lines, the last without newline");
	parse("{\"type\":\"user\",\"toolUseResult\":{\"type\":\"create\",\"filePath\":\"/a\",\"content\":\"a\\\\nb\\n\"},\"message\":{\"content\":[]}}");
	ok(L.has_edit && L.added == 1, "an escaped backslash before n is not a newline");
	parse("{\"type\":\"assistant\",\"message\":{\"id\":\"m\",\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}");
	ok(!L.usage_ok && L.kind == CC_OTHER, "a torn line counts for nothing");
}

static struct usage U(uint32_t session, const char *msg, const char *req, int side, int64_t out)
{
	struct usage u;

	memset(&u, 0, sizeof(u));
	u.session = session;
	u.has_msg = msg != NULL;
	u.msg = msg ? hash64(msg, strlen(msg)) : 0;
	u.has_req = req != NULL;
	u.req = req ? hash64(req, strlen(req)) : 0;
	u.sidechain = (uint8_t)side;
	u.model = STR_NONE;
	u.tok[TOK_OUT] = out;
	return u;
}

static int64_t sum_out(const struct store *st)
{
	int64_t t = 0;
	uint32_t i;

	for (i = 0; i < st->nuse; i++)
		t += st->use[i].tok[TOK_OUT];
	return t;
}

static void test_rules(void)
{
	struct store st;
	struct usage u;
	uint32_t s;

	store_init(&st);
	s = store_session(&st, TOOL_CLAUDE, "s", 1);
	u = U(s, "m1", "r1", 0, 5);
	is_int(store_add_usage(&st, &u), 1, "a new message counts");
	u = U(s, "m1", "r1", 0, 20);
	is_int(store_add_usage(&st, &u), 1, "its streamed rewrite with more output replaces it");
	u = U(s, "m1", "r1", 0, 7);
	is_int(store_add_usage(&st, &u), 0, "a smaller copy does not");
	is_int(sum_out(&st), 20, "one message, the largest total");
	u = U(s, "m1", "rX", 1, 900);
	is_int(store_add_usage(&st, &u), 0, "a sidechain replay under another request is dropped");
	u = U(s, "m2", "r9", 1, 50);
	store_add_usage(&st, &u);
	u = U(s, "m2", "r2", 0, 3);
	is_int(store_add_usage(&st, &u), 1, "the parent replaces a sidechain copy seen first");
	is_int(sum_out(&st), 23, "even though its total is smaller");
	u = U(s, "m3", "a", 0, 1);
	store_add_usage(&st, &u);
	u = U(s, "m3", "b", 0, 1);
	is_int(store_add_usage(&st, &u), 1, "same message, other request, no sidechain: both count");
	u = U(s, NULL, NULL, 0, 100);
	store_add_usage(&st, &u);
	store_add_usage(&st, &u);
	is_int(sum_out(&st), 225, "entries without message.id are never deduplicated");
	is_int(store_seen(&st, 42), 0, "an id is new once");
	is_int(store_seen(&st, 42), 1, "then seen");
	{
		char path[] = "/tmp/arena-store-XXXXXX";
		int fd = mkstemp(path);
		struct store b;

		close(fd);
		ok(store_save(&st, path) == 0, "the store saves");
		ok(store_load(&b, path) == 0, "and loads");
		is_int(sum_out(&b), 225, "with the same entries");
		u = U(s, "m1", "r1", 0, 30);
		is_int(store_add_usage(&b, &u), 1, "and the same dedup chains");
		is_int(sum_out(&b), 235, "replacing in place");
		is_int(store_seen(&b, 42), 1, "and the seen set");
		store_release(&b);
		fd = open(path, O_WRONLY | O_TRUNC);
		if (fd >= 0) {
			if (write(fd, "garbage", 7) != 7) { /* checked below */ }
			close(fd);
		}
		is_int(store_load(&b, path), 1, "a damaged file is not used");
		store_release(&b);
		unlink(path);
	}
	store_release(&st);
}

int main(void)
{
	test_jcur();
	test_line();
	test_rules();
	return done_testing();
}
