/* session.c -- one uploaded session: the schema, checked strictly */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "jsonw.h"
#include "session.h"
#include "timeutil.h"

#define HOUR_MS 3600000LL

struct ctx {
	struct arena *a;
	struct session_error *err;
};

static int refuse(struct ctx *c, int status, const char *code, const char *field,
		  const char *message)
{
	c->err->status = status;
	c->err->code = code;
	c->err->field = field;
	c->err->message = message;
	return -1;
}

static const char *const tool_types[] = {
	"claude-code", "codex", "gemini", "opencode", "claude-desktop", "crush", NULL
};

/* 1 if every byte of s is in the set of characters allowed by cls. */
static int chars_ok(const char *s, const char *extra)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || (ch && strchr(extra, ch))))
			return 0;
	}
	return 1;
}

static int get_int(struct ctx *c, const struct json *v, const char *field, int64_t max,
		   int64_t *out)
{
	if (v->type != JSON_NUMBER)
		return refuse(c, 422, "wrong_type", field, "expected an integer");
	switch (json_int(v, 0, max, out)) {
	case NUM_OK:
		return 0;
	case NUM_RANGE:
		return refuse(c, 422, "out_of_range", field, "integer out of the allowed range");
	default:
		/* "-5" fails the range, "-0", "1.5", "1e3", "100.0" the syntax */
		if (v->str[0] == '-' && strcmp(v->str, "-0") != 0 && !strpbrk(v->str, ".eE"))
			return refuse(c, 422, "out_of_range", field, "integer out of the allowed range");
		if (strcmp(v->str, "-0") == 0)
			return refuse(c, 422, "out_of_range", field, "negative zero is not a count");
		return refuse(c, 422, "not_an_integer", field, "expected a plain integer");
	}
}

static int get_string(struct ctx *c, const struct json *v, const char *field, size_t maxlen,
		      const char *extra, const char *bad_code, const char **out)
{
	if (v->type != JSON_STRING)
		return refuse(c, 422, "wrong_type", field, "expected a string");
	if (v->len == 0 || v->len > maxlen || !chars_ok(v->str, extra))
		return refuse(c, 422, bad_code, field, "value has a disallowed length or character");
	*out = v->str;
	return 0;
}

static int get_time(struct ctx *c, const struct json *v, const char *field, int64_t *ms)
{
	if (v->type != JSON_STRING)
		return refuse(c, 422, "wrong_type", field, "expected an RFC 3339 date-time string");
	if (time_parse_rfc3339(v->str, v->len, ms))
		return refuse(c, 422, "invalid_time", field,
			      "expected an RFC 3339 date-time such as 2025-01-11T12:00:00.000Z");
	return 0;
}

static int get_object(struct ctx *c, const struct json *v, const char *field)
{
	if (v->type != JSON_OBJECT)
		return refuse(c, 422, "wrong_type", field, "expected an object");
	return 0;
}

/* Four token counts of an object with exactly these members. */
struct tokens {
	int64_t in, out, cc, cr;
};

static int get_tokens(struct ctx *c, const struct json *obj, const char *path,
		      const char *extra_key, int require_cache, struct tokens *t)
{
	static const char *const names[] = {
		"inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens"
	};
	int64_t *dst[4] = { &t->in, &t->out, &t->cc, &t->cr };
	const struct json *m;
	int i;

	memset(t, 0, sizeof(*t));
	for (m = obj->child; m; m = m->next) {
		for (i = 0; i < 4; i++)
			if (strcmp(m->key, names[i]) == 0)
				break;
		if (i == 4 && !(extra_key && strcmp(m->key, extra_key) == 0))
			return refuse(c, 422, "unknown_field",
				      arena_printf(c->a, "%s.%s", path, m->key), "unknown field");
	}
	for (i = 0; i < 4; i++) {
		const char *f = arena_printf(c->a, "%s.%s", path, names[i]);

		m = json_get(obj, names[i]);
		if (!m) {
			if (i < 2 || require_cache)
				return refuse(c, 422, "missing_field", f, "required field is missing");
			continue;
		}
		if (get_int(c, m, f, SESSION_TOKENS_MAX, dst[i]))
			return -1;
	}
	if (t->in + t->out + t->cc + t->cr > SESSION_TOKENS_MAX)
		return refuse(c, 422, "out_of_range", path, "token counts sum beyond the allowed maximum");
	return 0;
}

/* Adds t into sum; -1 once any count passes the maximum (the parts can
 * then no longer add up to a valid session). */
static int tokens_add(struct tokens *sum, const struct tokens *t)
{
	sum->in += t->in;
	sum->out += t->out;
	sum->cc += t->cc;
	sum->cr += t->cr;
	return sum->in > SESSION_TOKENS_MAX || sum->out > SESSION_TOKENS_MAX ||
	       sum->cc > SESSION_TOKENS_MAX || sum->cr > SESSION_TOKENS_MAX ? -1 : 0;
}

static int tokens_equal_session(const struct tokens *sum, const struct session *s)
{
	return sum->in == s->input && sum->out == s->output &&
	       sum->cc == s->cache_creation && sum->cr == s->cache_read;
}

static int cmp_members(const void *x, const void *y)
{
	return strcmp((*(const struct json *const *)x)->key, (*(const struct json *const *)y)->key);
}

/* The members of obj sorted by name, in an array from the arena. */
static const struct json **sorted_members(struct arena *a, const struct json *obj)
{
	const struct json **v = arena_alloc(a, (obj->count + 1) * sizeof(*v));
	const struct json *m;
	size_t n = 0;

	for (m = obj->child; m; m = m->next)
		v[n++] = m;
	qsort(v, n, sizeof(*v), cmp_members);
	return v;
}

static int parse_tool_usage(struct ctx *c, const struct json *v, struct buf *out)
{
	const struct json **m;
	struct jsonw w;
	size_t i;

	if (get_object(c, v, "toolUsage"))
		return -1;
	if (v->count > SESSION_TOOLS_MAX)
		return refuse(c, 422, "out_of_range", "toolUsage", "too many tool names");
	m = sorted_members(c->a, v);
	jsonw_init(&w, out);
	jsonw_object(&w);
	for (i = 0; i < v->count; i++) {
		const char *f = arena_printf(c->a, "toolUsage.%s", m[i]->key);
		int64_t n;

		if (strlen(m[i]->key) > 64 || !*m[i]->key || !chars_ok(m[i]->key, "_.:-"))
			return refuse(c, 422, "invalid_value", "toolUsage",
				      "tool names are 1-64 characters of [A-Za-z0-9_.:-]");
		if (get_int(c, m[i], f, SESSION_TOOL_USES_MAX, &n))
			return -1;
		jsonw_key(&w, m[i]->key);
		jsonw_int(&w, n);
	}
	jsonw_end(&w);
	return 0;
}

static int parse_code_metrics(struct ctx *c, const struct json *v, struct buf *out)
{
	static const char *const names[] = { "linesAdded", "linesDeleted", "filesModified", "filesCreated" };
	int64_t vals[4] = { 0, 0, 0, 0 };
	const struct json *m;
	struct jsonw w;
	int i;

	if (get_object(c, v, "codeMetrics"))
		return -1;
	for (m = v->child; m; m = m->next) {
		for (i = 0; i < 4; i++)
			if (strcmp(m->key, names[i]) == 0)
				break;
		if (i == 4)
			return refuse(c, 422, "unknown_field",
				      arena_printf(c->a, "codeMetrics.%s", m->key), "unknown field");
		if (get_int(c, m, arena_printf(c->a, "codeMetrics.%s", names[i]), SESSION_CODE_MAX, &vals[i]))
			return -1;
	}
	jsonw_init(&w, out);
	jsonw_object(&w);
	for (i = 0; i < 4; i++) {
		jsonw_key(&w, names[i]);
		jsonw_int(&w, vals[i]);
	}
	jsonw_end(&w);
	return 0;
}

static void write_tokens(struct jsonw *w, const struct tokens *t)
{
	jsonw_key(w, "inputTokens");
	jsonw_int(w, t->in);
	jsonw_key(w, "outputTokens");
	jsonw_int(w, t->out);
	jsonw_key(w, "cacheCreationTokens");
	jsonw_int(w, t->cc);
	jsonw_key(w, "cacheReadTokens");
	jsonw_int(w, t->cr);
}

static int parse_model_usage(struct ctx *c, const struct json *v, const struct session *s,
			     struct buf *out)
{
	const struct json **m;
	struct tokens sum = { 0, 0, 0, 0 };
	struct jsonw w;
	size_t i;

	if (get_object(c, v, "modelUsage"))
		return -1;
	if (v->count > SESSION_MODELS_MAX)
		return refuse(c, 422, "out_of_range", "modelUsage", "too many models");
	m = sorted_members(c->a, v);
	jsonw_init(&w, out);
	jsonw_object(&w);
	for (i = 0; i < v->count; i++) {
		const char *path = arena_printf(c->a, "modelUsage.%s", m[i]->key);
		struct tokens t;

		if (strlen(m[i]->key) > 100 || !*m[i]->key || !chars_ok(m[i]->key, "._:/@-"))
			return refuse(c, 422, "invalid_model", "modelUsage",
				      "model names are 1-100 characters of [A-Za-z0-9._:/@-]");
		if (get_object(c, m[i], path) || get_tokens(c, m[i], path, NULL, 0, &t))
			return -1;
		if (tokens_add(&sum, &t))
			return refuse(c, 422, "model_usage_mismatch", "modelUsage",
				      "per-model counts must add up to the session totals");
		jsonw_key(&w, m[i]->key);
		jsonw_object(&w);
		write_tokens(&w, &t);
		jsonw_end(&w);
	}
	jsonw_end(&w);
	if (v->count > 0 && !tokens_equal_session(&sum, s))
		return refuse(c, 422, "model_usage_mismatch", "modelUsage",
			      "per-model counts must add up to the session totals");
	return 0;
}

struct slice {
	int64_t hour_ms;
	struct tokens t;
};

static int cmp_slices(const void *x, const void *y)
{
	const struct slice *a = x, *b = y;

	return (a->hour_ms > b->hour_ms) - (a->hour_ms < b->hour_ms);
}

static int parse_slices(struct ctx *c, const struct json *v, const struct session *s,
			struct buf *out)
{
	struct slice *sl;
	struct tokens sum = { 0, 0, 0, 0 };
	const struct json *e;
	struct jsonw w;
	size_t n = 0, i;
	int64_t first_hour = s->started_ms - s->started_ms % HOUR_MS;

	if (v->type != JSON_ARRAY)
		return refuse(c, 422, "wrong_type", "slices", "expected an array");
	if (v->count > SESSION_SLICES_MAX)
		return refuse(c, 422, "out_of_range", "slices", "too many slices");
	sl = arena_alloc(c->a, (v->count + 1) * sizeof(*sl));
	for (e = v->child; e; e = e->next, n++) {
		const char *path = arena_printf(c->a, "slices[%zu]", n);
		const char *hf = arena_printf(c->a, "slices[%zu].hourStart", n);
		const struct json *h;

		if (get_object(c, e, path))
			return -1;
		h = json_get(e, "hourStart");
		if (!h)
			return refuse(c, 422, "missing_field", hf, "required field is missing");
		if (get_time(c, h, hf, &sl[n].hour_ms))
			return -1;
		if (sl[n].hour_ms % HOUR_MS != 0)
			return refuse(c, 422, "invalid_time", hf, "hourStart must be on the hour");
		if (sl[n].hour_ms < first_hour || sl[n].hour_ms > s->ended_ms)
			return refuse(c, 422, "invalid_time", hf,
				      "slice lies outside the session's start and end");
		if (get_tokens(c, e, path, "hourStart", 0, &sl[n].t))
			return -1;
		if (tokens_add(&sum, &sl[n].t))
			return refuse(c, 422, "slices_mismatch", "slices",
				      "slices must add up to the session totals");
	}
	qsort(sl, n, sizeof(*sl), cmp_slices);
	for (i = 1; i < n; i++)
		if (sl[i].hour_ms == sl[i - 1].hour_ms)
			return refuse(c, 422, "invalid_value", "slices", "two slices for the same hour");
	if (n > 0 && !tokens_equal_session(&sum, s))
		return refuse(c, 422, "slices_mismatch", "slices",
			      "slices must add up to the session totals");
	jsonw_init(&w, out);
	jsonw_array(&w);
	for (i = 0; i < n; i++) {
		char iso[TIME_ISO_LEN + 1];

		time_format_iso(sl[i].hour_ms, iso);
		jsonw_object(&w);
		jsonw_key(&w, "h");
		jsonw_string(&w, iso);
		jsonw_key(&w, "i");
		jsonw_int(&w, sl[i].t.in);
		jsonw_key(&w, "o");
		jsonw_int(&w, sl[i].t.out);
		jsonw_key(&w, "cc");
		jsonw_int(&w, sl[i].t.cc);
		jsonw_key(&w, "cr");
		jsonw_int(&w, sl[i].t.cr);
		jsonw_end(&w);
	}
	jsonw_end(&w);
	return 0;
}

static const char *const known_fields[] = {
	"sessionHash", "sessionId", "toolType", "startedAt", "endedAt", "durationSeconds",
	"turnCount", "inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens",
	"modelName", "anonymousProjectId", "toolUsage", "codeMetrics", "modelUsage", "slices",
	NULL
};


static char *arena_buf(struct arena *a, struct buf *b)
{
	char *p = arena_strndup(a, buf_str(b), b->len);

	buf_reset(b);
	return p;
}

/* Canonical text of the whole session, for content_hash. */
static void write_canonical(const struct session *s, struct buf *b)
{
	struct jsonw w;
	char iso[TIME_ISO_LEN + 1];

	jsonw_init(&w, b);
	jsonw_object(&w);
	jsonw_key(&w, "toolType");
	jsonw_string(&w, s->tool_type);
	jsonw_key(&w, "sessionId");
	jsonw_string(&w, s->client_session_id);
	jsonw_key(&w, "sessionHash");
	jsonw_string(&w, s->session_hash);
	jsonw_key(&w, "anonymousProjectId");
	jsonw_string(&w, s->project);
	jsonw_key(&w, "modelName");
	jsonw_string(&w, s->model);
	time_format_iso(s->started_ms, iso);
	jsonw_key(&w, "startedAt");
	jsonw_string(&w, iso);
	time_format_iso(s->ended_ms, iso);
	jsonw_key(&w, "endedAt");
	jsonw_string(&w, iso);
	jsonw_key(&w, "durationSeconds");
	jsonw_int(&w, s->duration_seconds);
	jsonw_key(&w, "turnCount");
	jsonw_int(&w, s->turns);
	jsonw_key(&w, "inputTokens");
	jsonw_int(&w, s->input);
	jsonw_key(&w, "outputTokens");
	jsonw_int(&w, s->output);
	jsonw_key(&w, "cacheCreationTokens");
	jsonw_int(&w, s->cache_creation);
	jsonw_key(&w, "cacheReadTokens");
	jsonw_int(&w, s->cache_read);
	jsonw_key(&w, "toolUsage");
	jsonw_raw(&w, s->tool_usage_json);
	jsonw_key(&w, "codeMetrics");
	jsonw_raw(&w, s->code_metrics_json);
	jsonw_key(&w, "modelUsage");
	jsonw_raw(&w, s->model_usage_json);
	jsonw_key(&w, "slices");
	jsonw_raw(&w, s->slices_json);
	jsonw_end(&w);
}

int session_parse(struct arena *a, const struct json *v, int64_t now_ms,
		  int64_t backfill_days, struct session *s, struct session_error *err)
{
	struct ctx c = { a, err };
	const struct json *m;
	struct buf b = BUF_INIT;
	unsigned char hash[SHA256_LEN];
	int has_started, has_duration, rc = -1;
	const char *str;
	size_t i;

	memset(s, 0, sizeof(*s));
	if (!v || v->type != JSON_OBJECT)
		return refuse(&c, 422, "not_an_object", NULL, "a session must be a JSON object");
	for (m = v->child; m; m = m->next) {
		for (i = 0; known_fields[i]; i++)
			if (strcmp(m->key, known_fields[i]) == 0)
				break;
		if (!known_fields[i])
			return refuse(&c, 422, "unknown_field", arena_strdup(a, m->key), "unknown field");
	}

	/* An absent member is NULL; an explicit null is not "absent": it is
	 * refused by the member's type check like any other wrong type. */

	/* identity */
	if (!(m = json_get(v, "sessionHash")))
		return refuse(&c, 422, "missing_field", "sessionHash", "required field is missing");
	if (m->type != JSON_STRING)
		return refuse(&c, 422, "wrong_type", "sessionHash", "expected a string");
	if (m->len != 64 || strspn(m->str, "0123456789abcdefABCDEF") != 64)
		return refuse(&c, 422, "invalid_session_hash", "sessionHash",
			      "sessionHash must be 64 hexadecimal characters");
	for (i = 0; i < 64; i++)
		s->session_hash[i] = (char)(m->str[i] | (m->str[i] >= 'A' ? 0x20 : 0));
	s->session_hash[64] = '\0';
	s->tool_type = "claude-code";
	if ((m = json_get(v, "toolType"))) {
		if (get_string(&c, m, "toolType", 32, "-", "invalid_value", &str))
			return -1;
		for (i = 0; tool_types[i]; i++)
			if (strcmp(str, tool_types[i]) == 0)
				break;
		if (!tool_types[i])
			return refuse(&c, 422, "invalid_value", "toolType",
				      "toolType must be one of claude-code, codex, gemini, opencode, claude-desktop, crush");
		s->tool_type = tool_types[i];
	}
	if ((m = json_get(v, "sessionId")) &&
	    get_string(&c, m, "sessionId", 128, "._:-", "invalid_value", &s->client_session_id))
		return -1;
	s->identity = s->client_session_id ?
		arena_printf(a, "sid:%s:%s", s->tool_type, s->client_session_id) :
		arena_printf(a, "hash:%s", s->session_hash);
	if ((m = json_get(v, "anonymousProjectId")) &&
	    get_string(&c, m, "anonymousProjectId", 100, "_-", "invalid_value", &s->project))
		return -1;
	if ((m = json_get(v, "modelName")) &&
	    get_string(&c, m, "modelName", 100, "._:/@-", "invalid_model", &s->model))
		return -1;

	/* time */
	if (!(m = json_get(v, "endedAt")))
		return refuse(&c, 422, "missing_field", "endedAt", "required field is missing");
	if (get_time(&c, m, "endedAt", &s->ended_ms))
		return -1;
	if (s->ended_ms > now_ms + SESSION_FUTURE_MS)
		return refuse(&c, 422, "invalid_time", "endedAt", "endedAt is in the future");
	if (s->ended_ms < now_ms - backfill_days * 86400000LL)
		return refuse(&c, 422, "invalid_time", "endedAt",
			      "endedAt is older than the backfill window");
	has_duration = (m = json_get(v, "durationSeconds")) != NULL;
	if (has_duration && get_int(&c, m, "durationSeconds", SESSION_DURATION_MAX, &s->duration_seconds))
		return -1;
	has_started = (m = json_get(v, "startedAt")) != NULL;
	if (has_started) {
		if (get_time(&c, m, "startedAt", &s->started_ms))
			return -1;
		if (s->started_ms > s->ended_ms)
			return refuse(&c, 422, "invalid_time", "startedAt", "startedAt is after endedAt");
		if (s->ended_ms - s->started_ms > SESSION_DURATION_MAX * 1000LL)
			return refuse(&c, 422, "invalid_time", "startedAt",
				      "a session may not span more than 90 days");
		if (!has_duration)
			s->duration_seconds = (s->ended_ms - s->started_ms) / 1000;
	} else {
		s->started_ms = s->ended_ms - s->duration_seconds * 1000;
	}
	if ((m = json_get(v, "turnCount")) && get_int(&c, m, "turnCount", SESSION_TURNS_MAX, &s->turns))
		return -1;

	/* tokens */
	{
		struct tokens t = { 0, 0, 0, 0 };

		if (!(m = json_get(v, "inputTokens")))
			return refuse(&c, 422, "missing_field", "inputTokens", "required field is missing");
		if (get_int(&c, m, "inputTokens", SESSION_TOKENS_MAX, &t.in))
			return -1;
		if (!(m = json_get(v, "outputTokens")))
			return refuse(&c, 422, "missing_field", "outputTokens", "required field is missing");
		if (get_int(&c, m, "outputTokens", SESSION_TOKENS_MAX, &t.out))
			return -1;
		if ((m = json_get(v, "cacheCreationTokens")) &&
		    get_int(&c, m, "cacheCreationTokens", SESSION_TOKENS_MAX, &t.cc))
			return -1;
		if ((m = json_get(v, "cacheReadTokens")) &&
		    get_int(&c, m, "cacheReadTokens", SESSION_TOKENS_MAX, &t.cr))
			return -1;
		if (t.in + t.out + t.cc + t.cr > SESSION_TOKENS_MAX)
			return refuse(&c, 422, "out_of_range", "inputTokens",
				      "token counts sum beyond the allowed maximum");
		s->input = t.in;
		s->output = t.out;
		s->cache_creation = t.cc;
		s->cache_read = t.cr;
	}

	/* structured members, re-serialised canonically */
	if ((m = json_get(v, "toolUsage"))) {
		if (parse_tool_usage(&c, m, &b))
			goto out;
	} else {
		buf_adds(&b, "{}");
	}
	s->tool_usage_json = arena_buf(a, &b);
	if ((m = json_get(v, "codeMetrics"))) {
		if (parse_code_metrics(&c, m, &b))
			goto out;
	} else {
		buf_adds(&b, "{\"linesAdded\":0,\"linesDeleted\":0,\"filesModified\":0,\"filesCreated\":0}");
	}
	s->code_metrics_json = arena_buf(a, &b);
	if ((m = json_get(v, "modelUsage"))) {
		if (parse_model_usage(&c, m, s, &b))
			goto out;
	} else {
		buf_adds(&b, "{}");
	}
	s->model_usage_json = arena_buf(a, &b);
	if ((m = json_get(v, "slices"))) {
		if (parse_slices(&c, m, s, &b))
			goto out;
	} else {
		buf_adds(&b, "[]");
	}
	s->slices_json = arena_buf(a, &b);

	write_canonical(s, &b);
	crypto_sha256(b.s, b.len, hash);
	hex_encode(hash, sizeof(hash), s->content_hash);
	rc = 0;
out:
	buf_release(&b);
	return rc;
}
