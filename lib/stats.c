/* stats.c -- the global figures */
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "stats.h"

const char stats_sql[] =
	"SELECT (SELECT count(*) FROM users),"
	"  t.sessions, t.input, t.output, t.cache_creation, t.cache_read,"
	"  a.d1, a.d7, a.d30"
	" FROM (SELECT coalesce(sum(session_count), 0) AS sessions,"
	"   coalesce(sum(input_tokens), 0) AS input, coalesce(sum(output_tokens), 0) AS output,"
	"   coalesce(sum(cache_creation_tokens), 0) AS cache_creation,"
	"   coalesce(sum(cache_read_tokens), 0) AS cache_read"
	"   FROM user_totals WHERE NOT flagged OR $1::bool) t,"
	"  (SELECT count(DISTINCT user_id) FILTER (WHERE day >= today) AS d1,"
	"   count(DISTINCT user_id) FILTER (WHERE day >= today - 6) AS d7,"
	"   count(DISTINCT user_id) AS d30"
	"   FROM daily_aggregates, (SELECT (now() AT TIME ZONE 'UTC')::date AS today) n"
	"   WHERE day >= today - 29 AND day <= today AND (NOT flagged OR $1::bool)"
	"   AND (session_count > 0 OR input_tokens + output_tokens + cache_creation_tokens"
	"        + cache_read_tokens > 0)) a";

int stats_read(struct db *db, struct global_stats *s)
{
	const char *vals[1] = { arena_conf.rank_include_flagged ? "true" : "false" };
	PGresult *res = db_run(db, "stats_global", 1, vals);

	if (!res)
		return -1;
	memset(s, 0, sizeof(*s));
	if (PQntuples(res) == 1) {
		s->users = db_int(res, 0, 0);
		s->sessions = db_int(res, 0, 1);
		s->input = db_int(res, 0, 2);
		s->output = db_int(res, 0, 3);
		s->cache_creation = db_int(res, 0, 4);
		s->cache_read = db_int(res, 0, 5);
		s->active1 = db_int(res, 0, 6);
		s->active7 = db_int(res, 0, 7);
		s->active30 = db_int(res, 0, 8);
	}
	s->total = s->input + s->output + s->cache_creation + s->cache_read;
	PQclear(res);
	return 0;
}

void stats_json(struct jsonw *w, const struct global_stats *s)
{
	jsonw_object(w);
	jsonw_key(w, "users");
	jsonw_int(w, s->users);
	jsonw_key(w, "sessions");
	jsonw_int(w, s->sessions);
	jsonw_key(w, "tokens");
	jsonw_object(w);
	jsonw_key(w, "input");
	jsonw_int(w, s->input);
	jsonw_key(w, "output");
	jsonw_int(w, s->output);
	jsonw_key(w, "cacheCreation");
	jsonw_int(w, s->cache_creation);
	jsonw_key(w, "cacheRead");
	jsonw_int(w, s->cache_read);
	jsonw_key(w, "total");
	jsonw_int(w, s->total);
	jsonw_end(w);
	jsonw_key(w, "activeUsers");
	jsonw_object(w);
	jsonw_key(w, "last1Day");
	jsonw_int(w, s->active1);
	jsonw_key(w, "last7Days");
	jsonw_int(w, s->active7);
	jsonw_key(w, "last30Days");
	jsonw_int(w, s->active30);
	jsonw_end(w);
	jsonw_end(w);
}

void stats_pack(struct buf *b, const struct global_stats *s)
{
	buf_printf(b, "%lld|%lld|%lld|%lld|%lld|%lld|%lld|%lld|%lld",
		   (long long)s->users, (long long)s->sessions, (long long)s->input,
		   (long long)s->output, (long long)s->cache_creation, (long long)s->cache_read,
		   (long long)s->active1, (long long)s->active7, (long long)s->active30);
}

int stats_unpack(const char *p, struct global_stats *s)
{
	long long v[9];

	if (sscanf(p, "%lld|%lld|%lld|%lld|%lld|%lld|%lld|%lld|%lld", &v[0], &v[1], &v[2],
		   &v[3], &v[4], &v[5], &v[6], &v[7], &v[8]) != 9)
		return -1;
	s->users = v[0];
	s->sessions = v[1];
	s->input = v[2];
	s->output = v[3];
	s->cache_creation = v[4];
	s->cache_read = v[5];
	s->active1 = v[6];
	s->active7 = v[7];
	s->active30 = v[8];
	s->total = s->input + s->output + s->cache_creation + s->cache_read;
	return 0;
}
