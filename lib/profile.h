/*
 * profile.h -- everything a public profile shows, read in one go
 *
 * The JSON (GET /api/users/{name}) and the HTML page are both written
 * from one struct profile, so they cannot disagree.  profile_load() fills
 * it with one set-based query (one round trip) on aggregates that
 * ingestion maintains (schema/002-ingest.sql, schema/006-profile.sql); it
 * never reads raw sessions.  An endpoint that loads profiles lists PROFILE_STMTS
 * in its statement table.
 *
 *	struct profile p;
 *	switch (profile_load(db, rq->a, "alice", "Asia/Seoul", &p)) { ... }
 *
 * What counts: like the rankings, flagged sessions only when
 * ARENA_RANK_INCLUDE_FLAGGED=1.  Tokens are input + output unless a field
 * says otherwise (cache tokens are reported beside them).  Lifetime
 * figures (totals, code metrics, models, tools, tool types, hours) come
 * from tables retention never deletes; the heatmap and the streaks from
 * the per-day totals, which it keeps ARENA_RETAIN_DAILY_DAYS (400).
 *
 * Days are UTC day numbers (days since 1970-01-01, see timeutil.h).  The
 * hour-of-day and day-of-week buckets are in the time zone given, exact
 * across DST changes (each UTC hour is placed by its local start).
 */
#ifndef ARENA_PROFILE_H
#define ARENA_PROFILE_H

#include <stdint.h>

#include "arena.h"
#include "db.h"
#include "jsonw.h"

#define PROFILE_WEEKS 53
#define PROFILE_MAX_CELLS (PROFILE_WEEKS * 7)
#define PROFILE_TOP_TOOLS 10
#define PROFILE_LEVELS 5		/* heatmap intensities 0..4 */

enum profile_period { PERIOD_DAILY, PERIOD_WEEKLY, PERIOD_MONTHLY, PERIOD_ALL_TIME, PERIOD_N };

/* Vibe styles, in the order that breaks ties. */
enum vibe { VIBE_EXPLORER, VIBE_CREATOR, VIBE_REFACTORER, VIBE_AUTOMATOR, VIBE_N };

struct profile_tokens {
	int64_t input, output, cache_write, cache_read;
};

struct profile_rank {
	int ranked;			/* 0: no activity in the period, or not ranked yet */
	int64_t position, participants, streak;
	double score;
};

/* A model or a tool type. */
struct profile_part {
	const char *name;
	const char *label;		/* tool types: display name; models: name */
	struct profile_tokens t;
	int64_t sessions;
	int64_t cost_nano;		/* estimated (models only) */
	int64_t share_tenths;		/* of input + output, in tenths of a percent */
};

struct profile_tool {
	const char *name;
	int64_t uses;
	int64_t share_tenths;		/* of all tool calls */
};

/* A passed project evaluation (score >= 5 of 10). */
struct profile_project {
	const char *name, *feedback;
	int64_t functionality, practicality;
	int64_t evaluated_ms;
};

#define PROFILE_MAX_PROJECTS 50

struct profile {
	const char *id, *username, *avatar_url;	/* avatar_url may be NULL */
	int private_mode;			/* only ever 1 for profile_load_own() */
	int64_t joined_ms;
	int64_t today;				/* UTC day number, the database's */
	const char *tz;				/* the zone of the hour/weekday buckets */

	/* lifetime */
	struct profile_tokens total;
	int64_t sessions, turns, duration_s;
	int64_t lines_added, lines_deleted, files_modified, files_created;
	int64_t cost_nano;			/* estimated: models + unattributed tokens */

	/* the latest ranking of each period; score and tier are all-time's,
	 * or computed from the lifetime totals when not ranked yet */
	struct profile_rank rank[PERIOD_N];
	double score;
	const char *tier;

	/* over the kept per-day totals: days with a counted session */
	int64_t streak_current, streak_longest, last_active_day;	/* -1: none */

	/* heatmap: cells hm_first (a Sunday) .. today, 53 weeks */
	int64_t hm_first;
	int hm_cells;
	int64_t hm_in[PROFILE_MAX_CELLS], hm_out[PROFILE_MAX_CELLS];
	int64_t hm_sessions[PROFILE_MAX_CELLS];
	unsigned char hm_level[PROFILE_MAX_CELLS];
	int64_t hm_total, hm_max;
	int hm_active;				/* cells with tokens */

	int64_t hour_tokens[24], hour_sessions[24];
	int64_t dow_tokens[7], dow_sessions[7];	/* 0 = Sunday */

	struct profile_part *models, *agents;	/* by input + output, descending */
	int nmodels, nagents;
	struct profile_tool *tools;		/* all, by uses descending */
	int ntools;
	int64_t tool_calls;
	int64_t vibe[VIBE_N];			/* percent of all tool calls */
	int vibe_primary;			/* enum vibe, or -1 with no such calls */

	struct profile_project *projects;	/* passed, latest first */
	int nprojects;
};

enum profile_result { PROFILE_OK, PROFILE_NOT_FOUND, PROFILE_DB_ERROR };

#define PROFILE_STMTS PROFILE_STMT_ALL, PROFILE_STMT_ZONES, PROFILE_STMT_PROJECTS

/*
 * Fills p for the public user `username` (a valid user name) with hours
 * in zone tz (validated with profile_tz_check() first).  A private or
 * unknown user is PROFILE_NOT_FOUND, with nothing to tell them apart.
 * Strings and arrays live in a.
 */
enum profile_result profile_load(struct db *db, struct arena *a, const char *username,
				 const char *tz, struct profile *p);

/* The same for the owner of the profile: privacy mode does not hide it. */
enum profile_result profile_load_own(struct db *db, struct arena *a, const char *username,
				     const char *tz, struct profile *p);

/*
 * Writes p as one JSON object (the public profile's fields; isPrivate is
 * the user's privacy mode, always false for a public profile).
 */
void profile_json(struct jsonw *w, const struct profile *p);

/* 1 if s is a possible user name (what the users table allows). */
int profile_username_ok(const char *s);

/*
 * 1 if tz is an IANA zone name PostgreSQL knows (pg_timezone_names, read
 * once per process), 0 if not, -1 if the database could not be asked.
 * Names with characters no zone has are refused without asking.
 */
int profile_tz_check(struct db *db, const char *tz);

/* How many parameters of a raw query string are literally called name. */
int profile_query_count(const char *query, const char *name);

/* The day number as "YYYY-MM-DD" (out has room for 11 bytes). */
void profile_day_str(int64_t day, char out[11]);

/* Cents, rounded half up, of a nano-dollar amount. */
int64_t profile_cents(int64_t nano);

/* n x scale / d rounded half up (n, d >= 0, scale <= 10^6); 0 when d is 0:
 * profile_div(2, 3, 10) = 7, i.e. 0.7 in tenths. */
int64_t profile_div(int64_t n, int64_t d, int64_t scale);

/* 100 n / d rounded half up to an integer (d > 0, n >= 0); 0 when d is 0. */
int64_t profile_percent(int64_t n, int64_t d);

/* 100 n / d rounded half up to tenths (d > 0, n >= 0): 1 / 3 -> 333. */
int64_t profile_tenths(int64_t n, int64_t d);

extern const char *const profile_period_names[PERIOD_N];	/* "daily" ... "all_time" */
extern const char *const profile_vibe_names[VIBE_N];		/* "Explorer" ... */
extern const char *const profile_dow_names[7];			/* "Sunday" ... */

/*
 * The statements, named profile_*.  profile_all is the whole profile in
 * one round trip: rows tagged by kind k, in order of (k, ord), each with
 * three text columns s1..s3 and eleven integers n1..n11:
 *	u  the user: id, username, avatar_url; private (0/1), joined ms, today
 *	t  lifetime: in, out, cache write, cache read, sessions, turns,
 *	   duration, lines added, deleted, files modified, created
 *	r  a ranked period: type, score (text); participants, position, streak
 *	d  a day with activity (ord = day): day, in, out, sessions
 *	h  an hour and weekday in zone $3: hour, dow, tokens, sessions
 *	m  a model (ord = rank by tokens): name, name; in, out, cw, cr, sessions
 *	a  a tool type: id, display name; in, out, cw, cr, sessions
 *	o  a tool (ord = rank by uses): name; uses
 * Only the u row when the user is private, unless $4 (the owner asks).
 */
#define PROFILE_Z3 ", 0::bigint, 0::bigint, 0::bigint"
#define PROFILE_Z4 PROFILE_Z3 ", 0::bigint"
#define PROFILE_Z6 PROFILE_Z3 PROFILE_Z3
#define PROFILE_STMT_ALL \
	{ "profile_all", \
	  "WITH u AS (SELECT id, username, avatar_url, privacy_mode," \
	  "  floor(extract(epoch FROM created_at) * 1000)::bigint AS joined," \
	  "  (now() AT TIME ZONE 'UTC')::date - date '1970-01-01' AS today" \
	  "  FROM users WHERE username = $1)," \
	  " v AS (SELECT id FROM u WHERE NOT privacy_mode OR $4::boolean)" \
	  " SELECT 'u' AS k, 0::bigint AS ord, id::text AS s1, username::text AS s2," \
	  "  avatar_url AS s3, privacy_mode::integer::bigint, joined, today::bigint" PROFILE_Z4 PROFILE_Z4 \
	  " FROM u" \
	  " UNION ALL SELECT 't', 0, NULL, NULL, NULL," \
	  "  coalesce(sum(input_tokens), 0)::bigint, coalesce(sum(output_tokens), 0)::bigint," \
	  "  coalesce(sum(cache_creation_tokens), 0)::bigint, coalesce(sum(cache_read_tokens), 0)::bigint," \
	  "  coalesce(sum(session_count), 0)::bigint, coalesce(sum(turn_count), 0)::bigint," \
	  "  coalesce(sum(duration_seconds), 0)::bigint, coalesce(sum(lines_added), 0)::bigint," \
	  "  coalesce(sum(lines_deleted), 0)::bigint, coalesce(sum(files_modified), 0)::bigint," \
	  "  coalesce(sum(files_created), 0)::bigint" \
	  " FROM user_totals t JOIN v ON t.user_id = v.id WHERE $2::boolean OR NOT t.flagged" \
	  " UNION ALL SELECT 'r', 0, p.period_type::text, r.composite_score::text, NULL," \
	  "  p.participants::bigint, r.rank_position::bigint, r.streak::bigint" PROFILE_Z4 PROFILE_Z4 \
	  " FROM (SELECT DISTINCT ON (period_type) period_type, period_start, participants" \
	  "  FROM ranking_periods WHERE period_start <= (now() AT TIME ZONE 'UTC')::date" \
	  "  ORDER BY period_type, period_start DESC) p" \
	  " JOIN rankings r ON r.period_type = p.period_type AND r.period_start = p.period_start" \
	  " JOIN v ON r.user_id = v.id" \
	  " UNION ALL SELECT 'd', (day - date '1970-01-01')::bigint, NULL, NULL, NULL," \
	  "  (day - date '1970-01-01')::bigint, sum(input_tokens)::bigint, sum(output_tokens)::bigint," \
	  "  sum(session_count)::bigint" PROFILE_Z4 PROFILE_Z3 \
	  " FROM daily_aggregates d JOIN v ON d.user_id = v.id WHERE $2::boolean OR NOT d.flagged" \
	  " GROUP BY day HAVING sum(input_tokens + output_tokens) > 0 OR sum(session_count) > 0" \
	  " UNION ALL SELECT 'h', 0, NULL, NULL, NULL," \
	  "  extract(hour FROM hour_start AT TIME ZONE $3)::bigint," \
	  "  extract(dow FROM hour_start AT TIME ZONE $3)::bigint," \
	  "  sum(input_tokens + output_tokens)::bigint, sum(session_count)::bigint" PROFILE_Z4 PROFILE_Z3 \
	  " FROM user_hourly h JOIN v ON h.user_id = v.id WHERE $2::boolean OR NOT h.flagged" \
	  " GROUP BY 6, 7" \
	  " UNION ALL SELECT 'm'," \
	  "  row_number() OVER (ORDER BY sum(input_tokens + output_tokens) DESC, model COLLATE \"C\")," \
	  "  model::text, model::text, NULL, sum(input_tokens)::bigint, sum(output_tokens)::bigint," \
	  "  sum(cache_creation_tokens)::bigint, sum(cache_read_tokens)::bigint," \
	  "  sum(session_count)::bigint" PROFILE_Z6 \
	  " FROM user_model_totals m JOIN v ON m.user_id = v.id WHERE $2::boolean OR NOT m.flagged" \
	  " GROUP BY model HAVING sum(session_count) > 0" \
	  " UNION ALL SELECT 'a'," \
	  "  row_number() OVER (ORDER BY sum(t.input_tokens + t.output_tokens) DESC," \
	  "   t.tool_type COLLATE \"C\")," \
	  "  t.tool_type::text, min(y.display_name), NULL, sum(t.input_tokens)::bigint," \
	  "  sum(t.output_tokens)::bigint, sum(t.cache_creation_tokens)::bigint," \
	  "  sum(t.cache_read_tokens)::bigint, sum(t.session_count)::bigint" PROFILE_Z6 \
	  " FROM user_tool_type_totals t JOIN v ON t.user_id = v.id" \
	  " JOIN tool_types y ON y.id = t.tool_type WHERE $2::boolean OR NOT t.flagged" \
	  " GROUP BY t.tool_type HAVING sum(t.session_count) > 0" \
	  " UNION ALL SELECT 'o', row_number() OVER (ORDER BY sum(uses) DESC, tool_name COLLATE \"C\")," \
	  "  tool_name::text, NULL, NULL, sum(uses)::bigint" PROFILE_Z6 PROFILE_Z4 \
	  " FROM user_tool_totals o JOIN v ON o.user_id = v.id WHERE $2::boolean OR NOT o.flagged" \
	  " GROUP BY tool_name HAVING sum(uses) > 0" \
	  " ORDER BY 1, 2", 4 }
#define PROFILE_STMT_PROJECTS \
	{ "profile_projects", \
	  "SELECT project_name, functionality, practicality, feedback," \
	  " (extract(epoch FROM finished_at) * 1000)::bigint FROM evaluations" \
	  " WHERE user_id = $1 AND state = 'done' AND functionality + practicality >= 5" \
	  " ORDER BY finished_at DESC, id LIMIT 50", 1 }
#define PROFILE_STMT_ZONES \
	{ "profile_zones", "SELECT name FROM pg_timezone_names ORDER BY name COLLATE \"C\"", 0 }

#endif
