/* codex.c -- Codex CLI rollouts: token_count events, tools, patches */
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "timeutil.h"
#include "util.h"

#define CODEX_FALLBACK_MODEL "gpt-5"

struct tokens {
	int64_t in, cached, out, reasoning, total;
};

struct codex {
	struct store *st;
	uint32_t s;
	struct u64map files;		/* paths touched, this parse only */
	struct tokens prev;
	int has_prev;
	char model[128];
	int replay;			/* still inside a sub-agent's replayed history */
	char replay_second[20];
};

static int read_tokens(struct jcur *c, struct tokens *t)
{
	struct jstr k;

	memset(t, 0, sizeof(*t));
	if (jc_obj_begin(c))
		return -1;
	while (jc_obj_next(c, &k) > 0) {
		int64_t *f = jstr_is(&k, "input_tokens") ? &t->in :
			     jstr_is(&k, "cached_input_tokens") ? &t->cached :
			     jstr_is(&k, "output_tokens") ? &t->out :
			     jstr_is(&k, "reasoning_output_tokens") ? &t->reasoning :
			     jstr_is(&k, "total_tokens") ? &t->total : NULL;

		if (!f || jc_num_trunc(c, f))
			jc_skip(c);
	}
	return c->err ? -1 : 0;
}

static void copy_str(char *out, size_t cap, const struct jstr *s)
{
	size_t n = s->n < cap - 1 ? s->n : cap - 1;

	memcpy(out, s->s, n);
	out[n] = '\0';
}

/* Counts the lines of an apply_patch text (a raw JSON string span). */
static void count_patch(struct codex *cx, const struct jstr *p)
{
	const char *s = p->s, *end = p->s + p->n;
	struct session *se = &cx->st->sess[cx->s];

	while (s < end) {
		const char *e = s;
		size_t n;

		while (e < end && !(e[0] == '\\' && e + 1 < end && e[1] == 'n')) {
			if (*e == '\\' && e + 1 < end)
				e++;
			e++;
		}
		n = (size_t)(e - s);
		if (n >= 14 && (strncmp(s, "*** Add File: ", 14) == 0 ||
				(n >= 17 && strncmp(s, "*** Update File: ", 17) == 0) ||
				(n >= 17 && strncmp(s, "*** Delete File: ", 17) == 0))) {
			int add = s[4] == 'A';
			const char *path = s + (add ? 14 : 17);
			uint64_t key = hash64_seed(add ? 'C' : 'M', path, (size_t)(e - path));
			uint32_t v;

			if (!map_get(&cx->files, key, &v)) {
				map_put(&cx->files, key, 1);
				if (add)
					se->files_created++;
				else
					se->files_modified++;
			}
		} else if (n && s[0] == '+' && !(n >= 3 && strncmp(s, "+++", 3) == 0)) {
			se->added++;
		} else if (n && s[0] == '-' && !(n >= 3 && strncmp(s, "---", 3) == 0)) {
			se->deleted++;
		}
		s = e + 2;
	}
}

static void token_event(struct codex *cx, int64_t ts, const char *tstext, struct jcur *c)
{
	struct jstr k, model = { 0 };
	struct tokens total, last, d;
	int has_total = 0, has_last = 0, has_model = 0, bad = 0;
	struct usage u;

	if (jc_null(c) || jc_obj_begin(c)) {
		jc_skip(c);
		return;
	}
	while (jc_obj_next(c, &k) > 0) {
		if (jstr_is(&k, "total_token_usage") && jc_peek(c) == '{')
			has_total = read_tokens(c, &total) == 0;
		else if (jstr_is(&k, "last_token_usage") && jc_peek(c) == '{')
			has_last = read_tokens(c, &last) == 0;
		else if (jstr_is(&k, "model") && jc_peek(c) == '"')
			jc_str(c, &model), has_model = model.n > 0;
		else
			jc_skip(c);
	}
	(void)bad;
	if (has_total) {
		int same = cx->has_prev && memcmp(&total, &cx->prev, sizeof(total)) == 0;
		int shrank = cx->has_prev && (total.in < cx->prev.in || total.out < cx->prev.out ||
					      total.cached < cx->prev.cached);

		if (cx->replay && tstext && strncmp(tstext, cx->replay_second, 19) == 0) {
			/* a forked sub-agent replays its parent's history first */
			cx->prev = total;
			cx->has_prev = 1;
			return;
		}
		cx->replay = 0;
		if (same)
			return;		/* a re-emitted total is no new usage */
		if (!cx->has_prev)
			d = total;
		else if (shrank)
			d = has_last ? last : total;
		else {
			d.in = total.in - cx->prev.in;
			d.cached = total.cached - cx->prev.cached;
			d.out = total.out - cx->prev.out;
			d.reasoning = total.reasoning - cx->prev.reasoning;
			d.total = total.total - cx->prev.total;
		}
		cx->prev = total;
		cx->has_prev = 1;
	} else if (has_last) {
		d = last;
	} else {
		return;
	}
	if (d.in == 0 && d.cached == 0 && d.out == 0 && d.reasoning == 0)
		return;
	memset(&u, 0, sizeof(u));
	u.session = cx->s;
	u.hour = (int32_t)(ts >= 0 ? ts / HOUR_MS : 0);
	/* input includes the cached part; reasoning is part of output */
	if (d.cached > d.in)
		d.cached = d.in;
	u.tok[TOK_IN] = d.in - d.cached;
	u.tok[TOK_CR] = d.cached;
	u.tok[TOK_OUT] = d.out;
	if (has_model) {
		u.model = store_str(cx->st, model.s, model.n);
	} else {
		const char *m = cx->model[0] ? cx->model : CODEX_FALLBACK_MODEL;

		u.model = store_str(cx->st, m, strlen(m));
	}
	store_add_usage(cx->st, &u);
}

static void codex_line(struct codex *cx, const char *line, size_t n)
{
	struct jcur c;
	struct jstr k, type = { 0 }, ts = { 0 };
	const char *payload = NULL;
	size_t payload_n = 0;
	int64_t ms = 0;
	int has_ms = 0;
	char tstext[32] = "";

	jc_init(&c, line, n);
	if (jc_obj_begin(&c))
		return;
	while (jc_obj_next(&c, &k) > 0) {
		if (jstr_is(&k, "type") && jc_peek(&c) == '"') {
			jc_str(&c, &type);
		} else if (jstr_is(&k, "timestamp") && jc_peek(&c) == '"') {
			jc_str(&c, &ts);
			has_ms = time_parse_rfc3339(ts.s, ts.n, &ms) == 0;
			copy_str(tstext, sizeof(tstext), &ts);
		} else if (jstr_is(&k, "payload")) {
			jc_peek(&c);
			payload = c.p;
			jc_skip(&c);
			payload_n = (size_t)(c.p - payload);
		} else {
			jc_skip(&c);
		}
	}
	if (jc_end(&c) || !payload)
		return;
	if (has_ms)
		store_touch(cx->st, cx->s, ms);
	jc_init(&c, payload, payload_n);
	if (jc_obj_begin(&c))
		return;
	if (jstr_is(&type, "turn_context")) {
		while (jc_obj_next(&c, &k) > 0) {
			struct jstr m;

			if (jstr_is(&k, "model") && jc_str(&c, &m) == 0 && m.n)
				copy_str(cx->model, sizeof(cx->model), &m);
			else
				jc_skip(&c);
		}
	} else if (jstr_is(&type, "event_msg")) {
		struct jstr pt = { 0 };
		const char *info = NULL;
		size_t info_n = 0;

		while (jc_obj_next(&c, &k) > 0) {
			if (jstr_is(&k, "type") && jc_peek(&c) == '"') {
				jc_str(&c, &pt);
			} else if (jstr_is(&k, "info")) {
				jc_peek(&c);
				info = c.p;
				jc_skip(&c);
				info_n = (size_t)(c.p - info);
			} else {
				jc_skip(&c);
			}
		}
		if (jstr_is(&pt, "user_message")) {
			cx->st->sess[cx->s].turns++;
		} else if (jstr_is(&pt, "token_count") && info && has_ms) {
			struct jcur ic;

			jc_init(&ic, info, info_n);
			token_event(cx, ms, tstext, &ic);
		}
	} else if (jstr_is(&type, "response_item")) {
		struct jstr pt = { 0 }, name = { 0 }, input = { 0 };

		while (jc_obj_next(&c, &k) > 0) {
			if (jstr_is(&k, "type") && jc_peek(&c) == '"')
				jc_str(&c, &pt);
			else if (jstr_is(&k, "name") && jc_peek(&c) == '"')
				jc_str(&c, &name);
			else if (jstr_is(&k, "input") && jc_peek(&c) == '"')
				jc_str(&c, &input);
			else
				jc_skip(&c);
		}
		if ((jstr_is(&pt, "function_call") || jstr_is(&pt, "custom_tool_call")) && name.n) {
			store_tool(cx->st, cx->s, name.s, name.n);
			if (jstr_is(&name, "apply_patch") && input.n)
				count_patch(cx, &input);
		}
	}
}

/* The id and working directory from session_meta, if there is one. */
static void codex_meta(const char *p, size_t n, struct jstr *id, struct jstr *cwd)
{
	const char *line = memmem(p, n, "\"session_meta\"", 14);
	const char *s, *e;
	struct jcur c;
	struct jstr k;

	if (!line)
		return;
	s = line;
	while (s > p && s[-1] != '\n')
		s--;
	e = memchr(line, '\n', (size_t)(p + n - line));
	if (!e)
		e = p + n;
	jc_init(&c, s, (size_t)(e - s));
	if (jc_obj_begin(&c))
		return;
	while (jc_obj_next(&c, &k) > 0) {
		if (!jstr_is(&k, "payload") || jc_obj_begin(&c)) {
			jc_skip(&c);
			continue;
		}
		while (jc_obj_next(&c, &k) > 0) {
			if (jstr_is(&k, "id") && jc_peek(&c) == '"')
				jc_str(&c, id);
			else if (jstr_is(&k, "cwd") && jc_peek(&c) == '"')
				jc_str(&c, cwd);
			else
				jc_skip(&c);
		}
	}
}

/* The second of the first two token_count events, if they share it. */
static int replay_second(const char *p, size_t n, char out[20])
{
	const char *s = p, *end = p + n;
	char first[20] = "";
	int seen = 0;

	while (s < end && seen < 2) {
		const char *e = memchr(s, '\n', (size_t)(end - s)), *t;

		if (!e)
			e = end;
		if (memmem(s, (size_t)(e - s), "\"token_count\"", 13) &&
		    (t = memmem(s, (size_t)(e - s), "\"timestamp\":\"", 13)) != NULL &&
		    e - (t + 13) >= 19) {
			if (!seen)
				memcpy(first, t + 13, 19);
			else if (memcmp(first, t + 13, 19) == 0) {
				memcpy(out, first, 19);
				out[19] = '\0';
				return 1;
			}
			seen++;
		}
		s = e + 1;
	}
	return 0;
}

int ingest_codex(struct store *st, struct fstate *fs, const struct logfile *lf,
		 const char *p, size_t n)
{
	struct codex cx;
	struct jstr id = { 0 }, cwd = { 0 };
	const char *base = strrchr(lf->path, '/'), *s = p, *end = p + n;
	char *key;
	size_t head = n < 16384 ? n : 16384;

	memset(&cx, 0, sizeof(cx));
	cx.st = st;
	if (fs->session != UINT32_MAX && fs->session < st->nsess)
		store_reset_session(st, fs->session);
	codex_meta(p, n, &id, &cwd);
	base = base ? base + 1 : lf->path;
	if (id.n && !id.has_esc)
		cx.s = store_session(st, TOOL_CODEX, id.s, id.n);
	else {
		/* rollout-<time>-<uuid>.jsonl */
		size_t bn = strlen(base);

		cx.s = store_session(st, TOOL_CODEX, base + 8, bn > 14 ? bn - 14 : bn - 8);
	}
	if (fs->session != cx.s)
		store_reset_session(st, cx.s);
	fs->session = cx.s;
	key = cwd.n ? xasprintf("codex:%.*s", (int)cwd.n, cwd.s) : xstrdup("codex:");
	st->sess[cx.s].project = store_str(st, key, strlen(key));
	free(key);
	cx.replay = memmem(p, head, "thread_spawn", 12) != NULL &&
		    replay_second(p, n, cx.replay_second);
	while (s < end) {
		const char *e = memchr(s, '\n', (size_t)(end - s));

		if (!e)
			e = end;
		if (e > s)
			codex_line(&cx, s, (size_t)(e - s));
		s = e + 1;
	}
	store_dirty(st, cx.s);
	map_free(&cx.files);
	return 0;
}
