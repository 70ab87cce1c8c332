/* gemini.c -- Gemini CLI chat logs: one JSON document, or JSONL records */
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "timeutil.h"
#include "util.h"

struct gtokens {
	int64_t input, output, cached, thoughts, tool, total;
	int has_total;
};

struct gemini {
	struct store *st;
	uint32_t s;
	struct u64map ids;	/* message id -> usage slot in pend */
	struct usage *pend;
	size_t npend, cap;
	int64_t session_ts;
	char model[128];
};

static void read_gtokens(struct jcur *c, struct gtokens *t)
{
	struct jstr k;

	memset(t, 0, sizeof(*t));
	if (jc_obj_begin(c)) {
		jc_skip(c);
		return;
	}
	while (jc_obj_next(c, &k) > 0) {
		int64_t *f = jstr_is(&k, "input") || jstr_is(&k, "prompt") ? &t->input :
			     jstr_is(&k, "output") || jstr_is(&k, "candidates") ? &t->output :
			     jstr_is(&k, "cached") ? &t->cached :
			     jstr_is(&k, "thoughts") || jstr_is(&k, "reasoning") ? &t->thoughts :
			     jstr_is(&k, "tool") ? &t->tool :
			     jstr_is(&k, "total") ? &t->total : NULL;

		if (f == &t->total)
			t->has_total = 1;
		if (!f || jc_num_trunc(c, f))
			jc_skip(c);
	}
}

static void add_usage(struct gemini *g, const struct jstr *id, int64_t ts,
		      const struct jstr *model, const struct gtokens *t)
{
	struct usage u;
	int64_t in = t->input;
	uint32_t slot;

	/* input includes the cached part when the total says so */
	if (t->cached > 0 && t->has_total &&
	    t->total == tok_add(tok_add(t->input, t->output), tok_add(t->thoughts, t->tool)))
		in -= t->cached < t->input ? t->cached : t->input;
	memset(&u, 0, sizeof(u));
	u.session = g->s;
	u.hour = (int32_t)(ts / HOUR_MS);
	u.tok[TOK_IN] = tok_add(in, t->tool);
	u.tok[TOK_OUT] = tok_add(t->output, t->thoughts);	/* thoughts bill as output */
	u.tok[TOK_CR] = t->cached;
	if (!u.tok[TOK_IN] && !u.tok[TOK_OUT] && !u.tok[TOK_CR])
		return;
	if (model && model->n)
		u.model = store_str(g->st, model->s, model->n);
	else if (g->model[0])
		u.model = store_str(g->st, g->model, strlen(g->model));
	else
		u.model = STR_NONE;
	/* a message written again (JSONL) replaces its earlier record */
	if (id && id->n && map_get(&g->ids, hash64(id->s, id->n), &slot)) {
		g->pend[slot] = u;
		return;
	}
	if (g->npend == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->pend = xrealloc(g->pend, g->cap * sizeof(*g->pend));
	}
	if (id && id->n)
		map_put(&g->ids, hash64(id->s, id->n), (uint32_t)g->npend);
	g->pend[g->npend++] = u;
}

/* One message object (or one JSONL record). */
static void message(struct gemini *g, struct jcur *c)
{
	struct jstr k, type = { 0 }, id = { 0 }, model = { 0 }, ts = { 0 };
	struct gtokens t;
	int has_tokens = 0;
	int64_t ms = g->session_ts;

	if (jc_obj_begin(c)) {
		jc_skip(c);
		return;
	}
	while (jc_obj_next(c, &k) > 0) {
		if (jstr_is(&k, "type") && jc_peek(c) == '"')
			jc_str(c, &type);
		else if (jstr_is(&k, "id") && jc_peek(c) == '"')
			jc_str(c, &id);
		else if (jstr_is(&k, "model") && jc_peek(c) == '"')
			jc_str(c, &model);
		else if (jstr_is(&k, "timestamp") && jc_peek(c) == '"')
			jc_str(c, &ts);
		else if (jstr_is(&k, "tokens") && jc_peek(c) == '{')
			read_gtokens(c, &t), has_tokens = 1;
		else if (jstr_is(&k, "toolCalls") && jc_arr_begin(c) == 0) {
			while (jc_arr_next(c) > 0) {
				struct jstr tk, name = { 0 };

				if (jc_obj_begin(c)) {
					jc_skip(c);
					continue;
				}
				while (jc_obj_next(c, &tk) > 0)
					if (jstr_is(&tk, "name") && jc_peek(c) == '"')
						jc_str(c, &name);
					else
						jc_skip(c);
				if (name.n)
					store_tool(g->st, g->s, name.s, name.n);
			}
		} else
			jc_skip(c);
	}
	if (c->err)
		return;
	if (ts.n && time_parse_rfc3339(ts.s, ts.n, &ms) == 0)
		store_touch(g->st, g->s, ms);
	if (model.n && !model.has_esc) {
		size_t n = model.n < sizeof(g->model) - 1 ? model.n : sizeof(g->model) - 1;

		memcpy(g->model, model.s, n);
		g->model[n] = '\0';
	}
	if (jstr_is(&type, "user"))
		g->st->sess[g->s].turns++;
	else if (jstr_is(&type, "gemini") && has_tokens)
		add_usage(g, &id, ms, &model, &t);
}

/* Reads the top-level fields of a chat document; calls message() on each. */
static void document(struct gemini *g, const char *p, size_t n, const struct logfile *lf,
		     struct fstate *fs)
{
	struct jcur c;
	struct jstr k, sid = { 0 }, proj = { 0 }, start = { 0 }, updated = { 0 };
	const char *msgs = NULL;
	size_t msgs_n = 0;
	char *key;

	jc_init(&c, p, n);
	if (jc_obj_begin(&c))
		return;
	while (jc_obj_next(&c, &k) > 0) {
		if (jstr_is(&k, "sessionId") && jc_peek(&c) == '"')
			jc_str(&c, &sid);
		else if (jstr_is(&k, "projectHash") && jc_peek(&c) == '"')
			jc_str(&c, &proj);
		else if (jstr_is(&k, "startTime") && jc_peek(&c) == '"')
			jc_str(&c, &start);
		else if (jstr_is(&k, "lastUpdated") && jc_peek(&c) == '"')
			jc_str(&c, &updated);
		else if (jstr_is(&k, "messages") && jc_peek(&c) == '[') {
			msgs = c.p;
			jc_skip(&c);
			msgs_n = (size_t)(c.p - msgs);
		} else
			jc_skip(&c);
	}
	if (jc_end(&c))
		return;
	if (sid.n && !sid.has_esc) {
		g->s = store_session(g->st, TOOL_GEMINI, sid.s, sid.n);
	} else {
		const char *b = strrchr(lf->path, '/') + 1, *dot = strrchr(b, '.');

		g->s = store_session(g->st, TOOL_GEMINI, b, (size_t)(dot - b));
	}
	if (fs->session != g->s)
		store_reset_session(g->st, g->s);
	fs->session = g->s;
	key = xasprintf("gemini:%.*s", (int)proj.n, proj.s ? proj.s : "");
	g->st->sess[g->s].project = store_str(g->st, key, strlen(key));
	free(key);
	g->session_ts = 0;
	if (start.n && time_parse_rfc3339(start.s, start.n, &g->session_ts) == 0)
		store_touch(g->st, g->s, g->session_ts);
	{
		int64_t ms;

		if (updated.n && time_parse_rfc3339(updated.s, updated.n, &ms) == 0)
			store_touch(g->st, g->s, ms);
	}
	if (!msgs)
		return;
	jc_init(&c, msgs, msgs_n);
	if (jc_arr_begin(&c))
		return;
	while (jc_arr_next(&c) > 0)
		message(g, &c);
}

int ingest_gemini(struct store *st, struct fstate *fs, const struct logfile *lf,
		  const char *p, size_t n)
{
	struct gemini g;
	size_t i;
	const char *b = strrchr(lf->path, '/') + 1;
	int jsonl = strlen(b) > 6 && strcmp(b + strlen(b) - 6, ".jsonl") == 0;

	memset(&g, 0, sizeof(g));
	g.st = st;
	if (fs->session != UINT32_MAX && fs->session < st->nsess)
		store_reset_session(st, fs->session);
	if (!jsonl) {
		document(&g, p, n, lf, fs);
	} else {
		/* records: the session's id may come on any line */
		const char *s = p, *end = p + n, *dot = strrchr(b, '.');
		const char *q = memmem(p, n, "\"sessionId\":\"", 13), *qe = NULL;

		if (q)
			qe = memchr(q + 13, '"', (size_t)(end - q - 13));
		if (qe && qe > q + 13)
			g.s = store_session(st, TOOL_GEMINI, q + 13, (size_t)(qe - q - 13));
		else
			g.s = store_session(st, TOOL_GEMINI, b, (size_t)(dot - b));
		if (fs->session != g.s)
			store_reset_session(st, g.s);
		fs->session = g.s;
		while (s < end) {
			const char *e = memchr(s, '\n', (size_t)(end - s));
			struct jcur c;

			if (!e)
				e = end;
			jc_init(&c, s, (size_t)(e - s));
			if (e > s)
				message(&g, &c);
			s = e + 1;
		}
		if (st->sess[g.s].project == STR_NONE)
			st->sess[g.s].project = store_str(st, "gemini:", 7);
	}
	for (i = 0; i < g.npend; i++) {
		g.pend[i].session = g.s;
		store_add_usage(st, &g.pend[i]);
	}
	if (fs->session != UINT32_MAX)
		store_dirty(st, fs->session);
	free(g.pend);
	map_free(&g.ids);
	return 0;
}
