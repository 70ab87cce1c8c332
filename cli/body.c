/* body.c -- the session bodies the client uploads */
#include <stdlib.h>
#include <string.h>

#include "body.h"
#include "buf.h"
#include "crypto.h"
#include "jsonw.h"
#include "timeutil.h"
#include "util.h"

struct part {			/* a model's or an hour's share */
	int64_t key;
	int64_t tok[TOK_N];
};

struct acc {
	int64_t tok[TOK_N];
	struct part *models, *hours;
	size_t nmodels, nhours, capm, caph;
};

const char *tool_type_name(enum tool_type t)
{
	switch (t) {
	case TOOL_CLAUDE: return "claude-code";
	case TOOL_CODEX: return "codex";
	case TOOL_GEMINI: return "gemini";
	case TOOL_OPENCODE: return "opencode";
	case TOOL_CRUSH: return "crush";
	default: return "claude-code";
	}
}

static void part_add(struct part **v, size_t *n, size_t *cap, int64_t key, const int64_t *tok)
{
	struct part *p;
	int i;

	/* consecutive entries usually share the hour and the model */
	if (*n && (*v)[*n - 1].key == key) {
		p = &(*v)[*n - 1];
	} else {
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			*v = xrealloc(*v, *cap * sizeof(**v));
		}
		p = &(*v)[(*n)++];
		p->key = key;
		memset(p->tok, 0, sizeof(p->tok));
	}
	for (i = 0; i < TOK_N; i++)
		p->tok[i] = tok_add(p->tok[i], tok[i]);
}

static int by_key(const void *a, const void *b)
{
	int64_t x = ((const struct part *)a)->key, y = ((const struct part *)b)->key;

	return x < y ? -1 : x > y;
}

/* Sorts and merges equal keys. */
static void part_merge(struct part *v, size_t *n)
{
	size_t i, j = 0;
	int t;

	if (!*n)
		return;
	qsort(v, *n, sizeof(*v), by_key);
	for (i = 1; i < *n; i++) {
		if (v[i].key == v[j].key) {
			for (t = 0; t < TOK_N; t++)
				v[j].tok[t] = tok_add(v[j].tok[t], v[i].tok[t]);
		} else {
			v[++j] = v[i];
		}
	}
	*n = j + 1;
}

/* Copies s into out keeping only allowed characters, at most max bytes. */
static void clean_name(char *out, const char *s, size_t max, const char *extra, char repl)
{
	size_t i;

	for (i = 0; s[i] && i < max; i++) {
		char c = s[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    strchr(extra, c))
			out[i] = c;
		else
			out[i] = repl;
	}
	out[i] = '\0';
}

static void hex_sha256(const char *s, size_t n, char out[65])
{
	unsigned char h[SHA256_LEN];

	crypto_sha256(s, n, h);
	hex_encode(h, sizeof(h), out);
}

static void write_tokens(struct jsonw *w, const int64_t *tok)
{
	jsonw_key(w, "inputTokens");
	jsonw_int(w, tok[TOK_IN]);
	jsonw_key(w, "outputTokens");
	jsonw_int(w, tok[TOK_OUT]);
	jsonw_key(w, "cacheCreationTokens");
	jsonw_int(w, tok[TOK_CC]);
	jsonw_key(w, "cacheReadTokens");
	jsonw_int(w, tok[TOK_CR]);
}

static int64_t sum(const int64_t *tok)
{
	return tok_add(tok_add(tok[0], tok[1]), tok_add(tok[2], tok[3]));
}

struct named {
	char name[128];
	int64_t count;
	const int64_t *tok;
};

static int by_count_desc(const void *a, const void *b)
{
	const struct named *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct named *)a)->name, ((const struct named *)b)->name);
}

static void build_one(const struct store *st, uint32_t si, struct acc *a,
		      const struct toolcount *tools, size_t ntools, const char *salt,
		      struct body *out)
{
	const struct session *s = &st->sess[si];
	const char *sid = st->str[s->id], *tool = tool_type_name(s->tool);
	struct buf b = BUF_INIT, tmp = BUF_INIT;
	struct jsonw w;
	struct named *names;
	char idbuf[129], hash[65], when[TIME_ISO_LEN + 1];
	size_t i, n;
	int64_t dur;

	part_merge(a->models, &a->nmodels);
	part_merge(a->hours, &a->nhours);
	jsonw_init(&w, &b);
	jsonw_object(&w);

	/* identity: a stable id, and a hash of it for the seed's field */
	clean_name(idbuf, sid, 128, "._:-", '_');
	if (strcmp(idbuf, sid) != 0) {
		hex_sha256(sid, strlen(sid), hash);
		memcpy(idbuf, hash, 64);
		idbuf[64] = '\0';
	}
	buf_printf(&tmp, "modu-arena:%s:%s", tool, idbuf);
	hex_sha256(tmp.s, tmp.len, hash);
	jsonw_key(&w, "sessionHash");
	jsonw_string(&w, hash);
	jsonw_key(&w, "sessionId");
	jsonw_string(&w, idbuf);
	jsonw_key(&w, "toolType");
	jsonw_string(&w, tool);

	time_format_iso(s->start_ms, when);
	jsonw_key(&w, "startedAt");
	jsonw_string(&w, when);
	time_format_iso(s->end_ms, when);
	jsonw_key(&w, "endedAt");
	jsonw_string(&w, when);
	dur = (s->end_ms - s->start_ms) / 1000;
	jsonw_key(&w, "durationSeconds");
	jsonw_int(&w, dur > BODY_MAX_DURATION ? BODY_MAX_DURATION : dur);
	jsonw_key(&w, "turnCount");
	jsonw_int(&w, s->turns > BODY_MAX_TURNS ? BODY_MAX_TURNS : s->turns);
	write_tokens(&w, a->tok);

	/* modelName: the model that used the most tokens */
	names = xcalloc(a->nmodels + ntools + 1, sizeof(*names));
	for (i = n = 0; i < a->nmodels; i++) {
		clean_name(names[n].name, st->str[a->models[i].key], 100, "._:/@-", '-');
		names[n].count = sum(a->models[i].tok);
		names[n].tok = a->models[i].tok;
		n++;
	}
	qsort(names, n, sizeof(*names), by_count_desc);
	if (n) {
		jsonw_key(&w, "modelName");
		jsonw_string(&w, names[0].name);
	}

	buf_reset(&tmp);
	buf_printf(&tmp, "%s:%s", salt ? salt : "",
		   s->project != STR_NONE ? st->str[s->project] : "");
	hex_sha256(tmp.s, tmp.len, hash);
	hash[32] = '\0';
	jsonw_key(&w, "anonymousProjectId");
	jsonw_string(&w, hash);

	if (n) {
		size_t m = n > BODY_MAX_MODELS ? BODY_MAX_MODELS : n;

		qsort(names, m, sizeof(*names), by_name);
		jsonw_key(&w, "modelUsage");
		jsonw_object(&w);
		for (i = 0; i < m; i++) {
			/* two names that clean to the same text share one entry */
			int64_t tok[TOK_N];
			int t;

			memcpy(tok, names[i].tok, sizeof(tok));
			while (i + 1 < m && strcmp(names[i + 1].name, names[i].name) == 0) {
				i++;
				for (t = 0; t < TOK_N; t++)
					tok[t] = tok_add(tok[t], names[i].tok[t]);
			}
			jsonw_key(&w, names[i].name);
			jsonw_object(&w);
			write_tokens(&w, tok);
			jsonw_end(&w);
		}
		jsonw_end(&w);
	}

	/* toolUsage */
	for (i = n = 0; i < ntools; i++) {
		if (!tools[i].count)
			continue;
		clean_name(names[n].name, st->str[tools[i].name], 64, "_.:-", '_');
		names[n].count = tools[i].count;
		n++;
	}
	qsort(names, n, sizeof(*names), by_name);
	for (i = 0; n && i + 1 < n; ) {
		if (strcmp(names[i].name, names[i + 1].name) == 0) {
			names[i].count += names[i + 1].count;
			memmove(&names[i + 1], &names[i + 2], (n - i - 2) * sizeof(*names));
			n--;
		} else {
			i++;
		}
	}
	if (n > BODY_MAX_TOOLS) {
		qsort(names, n, sizeof(*names), by_count_desc);
		n = BODY_MAX_TOOLS;
		qsort(names, n, sizeof(*names), by_name);
	}
	jsonw_key(&w, "toolUsage");
	jsonw_object(&w);
	for (i = 0; i < n; i++) {
		jsonw_key(&w, names[i].name);
		jsonw_int(&w, names[i].count);
	}
	jsonw_end(&w);
	free(names);

	jsonw_key(&w, "codeMetrics");
	jsonw_object(&w);
	jsonw_key(&w, "linesAdded");
	jsonw_int(&w, s->added);
	jsonw_key(&w, "linesDeleted");
	jsonw_int(&w, s->deleted);
	jsonw_key(&w, "filesModified");
	jsonw_int(&w, s->files_modified);
	jsonw_key(&w, "filesCreated");
	jsonw_int(&w, s->files_created);
	jsonw_end(&w);

	if (a->nhours && a->nhours <= BODY_MAX_SLICES) {
		jsonw_key(&w, "slices");
		jsonw_array(&w);
		for (i = 0; i < a->nhours; i++) {
			if (!sum(a->hours[i].tok))
				continue;
			jsonw_object(&w);
			time_format_iso(a->hours[i].key * HOUR_MS, when);
			jsonw_key(&w, "hourStart");
			jsonw_string(&w, when);
			write_tokens(&w, a->hours[i].tok);
			jsonw_end(&w);
		}
		jsonw_end(&w);
	}
	jsonw_end(&w);

	out->session = si;
	out->json = b.s;
	out->len = b.len;
	crypto_sha256(b.s, b.len, out->hash);
	out->end_ms = s->end_ms;
	out->tokens = sum(a->tok);
	buf_release(&tmp);
}

static int tc_by_session(const void *a, const void *b)
{
	const struct toolcount *x = a, *y = b;

	return x->session < y->session ? -1 : x->session > y->session;
}

void body_build(const struct store *st, const unsigned char *want, const char *salt,
		struct bodies *out)
{
	struct acc *acc = xcalloc(st->nsess, sizeof(*acc));
	struct toolcount *tc = xcalloc(st->ntc, sizeof(*tc));
	size_t i, ntc = 0, t0;
	uint32_t s;

	out->v = NULL;
	out->n = 0;
	for (i = 0; i < st->nuse; i++) {
		const struct usage *u = &st->use[i];
		struct acc *a;
		int t;

		if (u->session == UINT32_MAX || !want[u->session])
			continue;
		a = &acc[u->session];
		for (t = 0; t < TOK_N; t++)
			a->tok[t] = tok_add(a->tok[t], u->tok[t]);
		if (u->model != STR_NONE)
			part_add(&a->models, &a->nmodels, &a->capm, u->model, u->tok);
		part_add(&a->hours, &a->nhours, &a->caph, u->hour, u->tok);
	}
	for (i = 0; i < st->ntc; i++)
		if (st->tc[i].count && want[st->tc[i].session])
			tc[ntc++] = st->tc[i];
	qsort(tc, ntc, sizeof(*tc), tc_by_session);
	out->v = xcalloc(st->nsess, sizeof(*out->v));
	for (s = 0, t0 = 0; s < st->nsess; s++) {
		size_t t1 = t0;

		while (t1 < ntc && tc[t1].session == s)
			t1++;
		if (want[s] && sum(acc[s].tok) > 0 && st->sess[s].end_ms != INT64_MIN)
			build_one(st, s, &acc[s], tc + t0, t1 - t0, salt, &out->v[out->n++]);
		t0 = t1;
		free(acc[s].models);
		free(acc[s].hours);
	}
	free(tc);
	free(acc);
}

void bodies_release(struct bodies *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		free(b->v[i].json);
	free(b->v);
	b->v = NULL;
	b->n = 0;
}
