/*
 * crush.c -- Crush's per-project SQLite store, <data dir>/crush.db
 *
 * Crush keeps running totals per session (sessions.prompt_tokens and
 * completion_tokens, as its provider reported them), not per message, so
 * a session counts as one entry at its last update: prompt tokens as
 * input, completion tokens as output, no cache split (Crush does not
 * keep one).  The model is the one of the session's last assistant
 * message; turns are its user messages.  A session is keyed by its id:
 * read again, its larger totals replace the earlier ones.
 */
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "sqlro.h"
#include "util.h"

#define SEED_CRUSH 0x43525553u

/* Crush writes Unix seconds; milliseconds are accepted too. */
static int64_t crush_ms(int64_t t)
{
	return t > 100000000000LL ? t : t * 1000;
}

static const char crush_sql[] =
	"SELECT s.id, s.prompt_tokens, s.completion_tokens, s.created_at, s.updated_at, "
	"(SELECT m.model FROM messages m WHERE m.session_id = s.id AND m.role = 'assistant' "
	" AND m.model IS NOT NULL ORDER BY m.created_at DESC LIMIT 1), "
	"(SELECT count(*) FROM messages m WHERE m.session_id = s.id AND m.role = 'user') "
	"FROM sessions s ORDER BY s.created_at, s.id";

static void crush_row(struct store *st, sqlite3_stmt *q, const char *project)
{
	const char *id = sqlro_text(q, 0), *model = sqlro_text(q, 5);
	int64_t start = crush_ms(sqlite3_column_int64(q, 3));
	int64_t end = crush_ms(sqlite3_column_int64(q, 4));
	uint32_t s;
	struct usage u;

	if (!*id)
		return;
	s = store_session(st, TOOL_CRUSH, id, strlen(id));
	if (st->sess[s].project == STR_NONE)
		st->sess[s].project = store_str(st, project, strlen(project));
	if (st->sess[s].turns != sqlite3_column_int64(q, 6)) {
		st->sess[s].turns = sqlite3_column_int64(q, 6);
		store_dirty(st, s);
	}
	if (end < start)
		end = start;
	memset(&u, 0, sizeof(u));
	u.session = s;
	u.has_msg = 1;
	u.msg = hash64_seed(SEED_CRUSH, id, strlen(id));
	u.hour = (int32_t)(end / HOUR_MS);
	u.tok[TOK_IN] = sqlite3_column_int64(q, 1) > 0 ? sqlite3_column_int64(q, 1) : 0;
	u.tok[TOK_OUT] = sqlite3_column_int64(q, 2) > 0 ? sqlite3_column_int64(q, 2) : 0;
	u.model = *model ? store_str(st, model, strlen(model)) : STR_NONE;
	if (start > 0)
		store_touch(st, s, start);
	if ((u.tok[TOK_IN] || u.tok[TOK_OUT]) && store_add_usage(st, &u) && end > 0)
		store_touch(st, s, end);
}

int ingest_crush_db(struct store *st, const struct logfile *lf)
{
	sqlite3 *db = sqlro_open(lf->path);
	sqlite3_stmt *q;
	char *project, *slash;
	int rc, n = 0;

	if (!db)
		return -1;
	if (sqlro_begin(db) || !(q = sqlro_prepare(db, lf->path, crush_sql))) {
		sqlro_close(db);
		return -1;
	}
	/* the project is the directory holding the data directory */
	project = xasprintf("crush:%s", lf->path);
	if ((slash = strrchr(project, '/')) != NULL)
		*slash = '\0';
	if ((slash = strrchr(project, '/')) != NULL && slash > project + 6)
		*slash = '\0';
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		crush_row(st, q, project);
		n++;
	}
	if (rc != SQLITE_DONE)
		warn("reading '%s' stopped: %s", lf->path, sqlite3_errmsg(db));
	free(project);
	sqlite3_finalize(q);
	sqlro_end(db);
	sqlro_close(db);
	return n;
}
