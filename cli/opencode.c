/*
 * opencode.c -- OpenCode's store: the SQLite database opencode.db, or the
 * older one-JSON-file-per-message tree storage/message/<session>/
 *
 * Every assistant message carries its own tokens (input without the
 * cache, output, reasoning, cache read and write); messages are counted
 * by their id, so a message read again (a changed database, a rewritten
 * file) replaces its earlier count.  Reasoning is counted as output.
 */
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "sqlro.h"
#include "util.h"

#define SEED_OC_MSG  0x4f434d47u
#define SEED_OC_USER 0x4f435553u

struct ocmsg {
	struct jstr role, id, model, session;
	int64_t created, in, out, reasoning, cr, cw;
};

static void oc_tokens(struct jcur *c, struct ocmsg *m)
{
	struct jstr k;

	if (jc_obj_begin(c)) {
		jc_skip(c);
		return;
	}
	while (jc_obj_next(c, &k) > 0) {
		int64_t *f = jstr_is(&k, "input") ? &m->in : jstr_is(&k, "output") ? &m->out :
			     jstr_is(&k, "reasoning") ? &m->reasoning : NULL;

		if (jstr_is(&k, "cache") && jc_obj_begin(c) == 0) {
			struct jstr ck;

			while (jc_obj_next(c, &ck) > 0) {
				int64_t *g = jstr_is(&ck, "read") ? &m->cr :
					     jstr_is(&ck, "write") ? &m->cw : NULL;

				if (!g || jc_num_trunc(c, g))
					jc_skip(c);
			}
		} else if (!f || jc_num_trunc(c, f)) {
			jc_skip(c);
		}
	}
}

static void oc_time(struct jcur *c, struct ocmsg *m)
{
	struct jstr k;

	if (jc_obj_begin(c)) {
		jc_skip(c);
		return;
	}
	while (jc_obj_next(c, &k) > 0)
		if (!jstr_is(&k, "created") || jc_num_trunc(c, &m->created))
			jc_skip(c);
}

/* Parses one message document; 0 if it is an object. */
static int oc_parse(const char *p, size_t n, struct ocmsg *m)
{
	struct jcur c;
	struct jstr k;

	memset(m, 0, sizeof(*m));
	jc_init(&c, p, n);
	if (jc_obj_begin(&c))
		return -1;
	while (jc_obj_next(&c, &k) > 0) {
		struct jstr *s = jstr_is(&k, "role") ? &m->role : jstr_is(&k, "id") ? &m->id :
				 jstr_is(&k, "modelID") ? &m->model :
				 jstr_is(&k, "sessionID") ? &m->session : NULL;

		if (s && jc_peek(&c) == '"')
			jc_str(&c, s);
		else if (jstr_is(&k, "tokens") && jc_peek(&c) == '{')
			oc_tokens(&c, m);
		else if (jstr_is(&k, "time") && jc_peek(&c) == '{')
			oc_time(&c, m);
		else
			jc_skip(&c);
	}
	return c.err || jc_end(&c) ? -1 : 0;
}

/*
 * Counts one message of session sid.  id is the message's id (from the
 * database row or the document), fallback_ms its time if the document
 * has none.
 */
static void oc_count(struct store *st, const char *sid, size_t sidn, const char *project,
		     const char *id, size_t idn, const struct ocmsg *m, int64_t fallback_ms)
{
	uint32_t s = store_session(st, TOOL_OPENCODE, sid, sidn);
	int64_t ms = m->created > 0 ? m->created : fallback_ms;
	struct usage u;

	if (st->sess[s].project == STR_NONE) {
		char *key = xasprintf("opencode:%s", project ? project : "");

		st->sess[s].project = store_str(st, key, strlen(key));
		free(key);
	}
	if (jstr_is(&m->role, "user")) {
		if (!store_seen(st, hash64_seed(SEED_OC_USER, id, idn))) {
			st->sess[s].turns++;
			store_dirty(st, s);
		}
		store_touch(st, s, ms);
		return;
	}
	if (!jstr_is(&m->role, "assistant") || ms <= 0)
		return;
	memset(&u, 0, sizeof(u));
	u.session = s;
	u.has_msg = 1;
	u.msg = hash64_seed(SEED_OC_MSG, id, idn);
	u.hour = (int32_t)(ms / HOUR_MS);
	u.tok[TOK_IN] = m->in;
	u.tok[TOK_OUT] = tok_add(m->out, m->reasoning);	/* reasoning bills as output */
	u.tok[TOK_CC] = m->cw;
	u.tok[TOK_CR] = m->cr;
	if (!u.tok[TOK_IN] && !u.tok[TOK_OUT] && !u.tok[TOK_CC] && !u.tok[TOK_CR])
		return;
	u.model = m->model.n && !m->model.has_esc ? store_str(st, m->model.s, m->model.n) :
		  STR_NONE;
	if (store_add_usage(st, &u))
		store_touch(st, s, ms);
}

int ingest_opencode_db(struct store *st, const struct logfile *lf)
{
	static const char sql[] =
		"SELECT m.id, m.session_id, m.time_created, m.data, "
		"coalesce(s.project_id, '') FROM message m "
		"LEFT JOIN session s ON s.id = m.session_id ORDER BY m.time_created, m.id";
	sqlite3 *db = sqlro_open(lf->path);
	sqlite3_stmt *q;
	int rc, n = 0;

	if (!db)
		return -1;
	if (sqlro_begin(db) || !(q = sqlro_prepare(db, lf->path, sql))) {
		sqlro_close(db);
		return -1;
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *id = sqlro_text(q, 0), *sid = sqlro_text(q, 1);
		const char *data = (const char *)sqlite3_column_blob(q, 3);
		struct ocmsg m;

		if (!data || !*id || !*sid ||
		    oc_parse(data, (size_t)sqlite3_column_bytes(q, 3), &m))
			continue;
		oc_count(st, sid, strlen(sid), sqlro_text(q, 4), id, strlen(id), &m,
			 sqlite3_column_int64(q, 2));
		n++;
	}
	if (rc != SQLITE_DONE)
		warn("reading '%s' stopped: %s", lf->path, sqlite3_errmsg(db));
	sqlite3_finalize(q);
	sqlro_end(db);
	sqlro_close(db);
	return n;
}

int ingest_opencode_msg(struct store *st, const struct logfile *lf, const char *p, size_t n)
{
	struct ocmsg m;
	const char *slash = strchr(lf->rel, '/');

	/* rel is <session>/<message>.json */
	if (!slash || oc_parse(p, n, &m) || !m.id.n || m.id.has_esc)
		return -1;
	oc_count(st, lf->rel, (size_t)(slash - lf->rel), NULL, m.id.s, m.id.n, &m, 0);
	return 0;
}
