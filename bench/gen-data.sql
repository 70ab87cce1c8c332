-- gen-data.sql -- N users x D days of sessions, straight into the database
--
--	psql -v users=10000 -v days=90 [-v year_users=1000] -f bench/gen-data.sql
--
-- A bulk load, not arena_ingest(): one set-based INSERT per table, which
-- writes what ingesting the same sessions one by one would write (check
-- it with bench/gen-data.sh --verify, which rebuilds every aggregate with
-- arena_apply_session() and compares).  Deterministic: the same N and D
-- give the same data.
--
-- User n is active on a day with a probability between 10% and 90% that
-- depends on n, so there are daily regulars with long streaks and rare
-- visitors; an active day has one session, a quarter of them two.  Each
-- session has one hourly slice, at the hour it ended; one in a thousand
-- is flagged; each session used five tools.  Day 0 is today (sessions end before now), day D-1 the
-- oldest.  Users bench1 .. bench<year_users> (default none) are drawn the
-- same way over 365 days instead of D: a year of history for the profile
-- pages.
\set ON_ERROR_STOP 1
\if :{?year_users}
\else
\set year_users 0
\endif
SET client_min_messages = warning;
SET work_mem = '256MB';
SET maintenance_work_mem = '512MB';

BEGIN;
INSERT INTO users (username)
SELECT 'bench' || g FROM generate_series(1, :users) g;

CREATE TEMP TABLE bench_users AS
SELECT id, substr(username, 6)::integer AS n FROM users WHERE username ~ '^bench[0-9]+$';

CREATE TEMP TABLE bench_sessions AS
SELECT u.id AS user_id, u.n, d, k,
       abs(hashint8(u.n::bigint * 1000003 + d * 7 + k)) AS h,
       least(((now() AT TIME ZONE 'UTC')::date - d)::timestamp AT TIME ZONE 'UTC'
	     + make_interval(hours => 1 + abs(hashint8(u.n::bigint * 31 + d)) % 22, mins => 7 * k),
	     now() - interval '1 minute') AS ended
FROM bench_users u
CROSS JOIN LATERAL generate_series(0, CASE WHEN u.n <= :year_users
					   THEN greatest(:days, 365) ELSE :days END - 1) d
CROSS JOIN LATERAL generate_series(1, CASE WHEN abs(hashint8(u.n::bigint * 17 + d)) % 4 = 0
					   THEN 2 ELSE 1 END) k
WHERE abs(hashint8(u.n::bigint * 100003 + d)) % 100 < 10 + (u.n * 7919) % 81;

INSERT INTO sessions (user_id, tool_type, identity, client_session_id, session_hash,
	content_hash, started_at, ended_at, duration_seconds, model_name, turn_count,
	input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, tool_usage,
	flagged, flag_reason)
SELECT b.user_id, 'claude-code', 'sid:claude-code:b' || b.n || '-' || b.d || '-' || b.k,
       'b' || b.n || '-' || b.d || '-' || b.k, md5(b.h::text) || md5(b.n::text),
       md5(b.n::text) || md5(b.h::text), b.ended - interval '20 minutes', b.ended, 1200,
       'claude-sonnet-4', 1 + b.h % 40,
       1000 + b.h % 200000, (1000 + b.h % 200000) * (2 + b.h % 37) / 10,
       b.h % 50000, b.h % 900000,
       jsonb_build_object('Read', 1 + b.h % 23, 'Edit', 1 + b.h % 11, 'Bash', 1 + b.h % 13,
			  'Grep', 1 + b.h % 7, 'Write', 1 + b.h % 5),
       b.h % 1000 = 0, CASE WHEN b.h % 1000 = 0 THEN 'token_anomaly' END
FROM bench_sessions b;

INSERT INTO token_usage (session_id, user_id, hour_start, input_tokens, output_tokens,
	cache_creation_tokens, cache_read_tokens)
SELECT s.id, s.user_id, date_trunc('hour', s.ended_at), s.input_tokens, s.output_tokens,
       s.cache_creation_tokens, s.cache_read_tokens
FROM sessions s JOIN bench_users u ON u.id = s.user_id;

-- what arena_apply_session(s, 1) adds, summed over all sessions at once
CREATE TEMP TABLE bench_contrib AS
SELECT s.user_id, (s.ended_at AT TIME ZONE 'UTC')::date AS day, s.flagged, s.tool_type,
       s.model_name, s.input_tokens AS i, s.output_tokens AS o,
       s.cache_creation_tokens AS cc, s.cache_read_tokens AS cr, s.turn_count AS turns,
       s.duration_seconds AS dur
FROM sessions s JOIN bench_users u ON u.id = s.user_id;

INSERT INTO daily_aggregates (user_id, day, flagged, input_tokens, output_tokens,
	cache_creation_tokens, cache_read_tokens, session_count, turn_count, duration_seconds)
SELECT user_id, day, flagged, sum(i), sum(o), sum(cc), sum(cr), count(*), sum(turns), sum(dur)
FROM bench_contrib GROUP BY user_id, day, flagged;

INSERT INTO monthly_aggregates (user_id, month, flagged, input_tokens, output_tokens,
	cache_creation_tokens, cache_read_tokens, session_count, turn_count, duration_seconds)
SELECT user_id, date_trunc('month', day)::date, flagged, sum(i), sum(o), sum(cc), sum(cr),
       count(*), sum(turns), sum(dur)
FROM bench_contrib GROUP BY 1, 2, 3;

INSERT INTO user_totals (user_id, flagged, input_tokens, output_tokens,
	cache_creation_tokens, cache_read_tokens, session_count, turn_count, duration_seconds)
SELECT user_id, flagged, sum(i), sum(o), sum(cc), sum(cr), count(*), sum(turns), sum(dur)
FROM bench_contrib GROUP BY user_id, flagged;

INSERT INTO daily_model_usage (user_id, day, model, input_tokens, output_tokens,
	cache_creation_tokens, cache_read_tokens, session_count)
SELECT user_id, day, model_name, sum(i), sum(o), sum(cc), sum(cr), count(*)
FROM bench_contrib GROUP BY user_id, day, model_name;

INSERT INTO daily_tool_type_usage (user_id, day, tool_type, input_tokens, output_tokens,
	cache_creation_tokens, cache_read_tokens, session_count)
SELECT user_id, day, tool_type, sum(i), sum(o), sum(cc), sum(cr), count(*)
FROM bench_contrib GROUP BY user_id, day, tool_type;

INSERT INTO daily_tool_usage (user_id, day, tool_name, uses)
SELECT s.user_id, (s.ended_at AT TIME ZONE 'UTC')::date, e.key, sum(e.value::bigint)
FROM sessions s JOIN bench_users u ON u.id = s.user_id, jsonb_each_text(s.tool_usage) e
GROUP BY 1, 2, 3;

-- the profile's hourly and lifetime breakdowns
INSERT INTO user_hourly (user_id, hour_start, flagged, input_tokens, output_tokens,
	cache_creation_tokens, cache_read_tokens, session_count)
SELECT x.user_id, x.hs, x.flagged, sum(x.i), sum(x.o), sum(x.cc), sum(x.cr), sum(x.n)
FROM (
	SELECT s.user_id, t.hour_start AS hs, s.flagged, t.input_tokens AS i,
	       t.output_tokens AS o, t.cache_creation_tokens AS cc, t.cache_read_tokens AS cr,
	       0 AS n
	FROM token_usage t JOIN sessions s ON s.id = t.session_id JOIN bench_users u ON u.id = s.user_id
	UNION ALL
	SELECT s.user_id, arena_hour_of(s.ended_at), s.flagged, 0, 0, 0, 0, 1
	FROM sessions s JOIN bench_users u ON u.id = s.user_id
) x GROUP BY x.user_id, x.hs, x.flagged;

INSERT INTO user_model_totals (user_id, flagged, model, input_tokens, output_tokens,
	cache_creation_tokens, cache_read_tokens, session_count)
SELECT user_id, flagged, model_name, sum(i), sum(o), sum(cc), sum(cr), count(*)
FROM bench_contrib GROUP BY user_id, flagged, model_name;

INSERT INTO user_tool_type_totals (user_id, flagged, tool_type, input_tokens, output_tokens,
	cache_creation_tokens, cache_read_tokens, session_count)
SELECT user_id, flagged, tool_type, sum(i), sum(o), sum(cc), sum(cr), count(*)
FROM bench_contrib GROUP BY user_id, flagged, tool_type;

INSERT INTO user_tool_totals (user_id, flagged, tool_name, uses)
SELECT s.user_id, s.flagged, e.key, sum(e.value::bigint)
FROM sessions s JOIN bench_users u ON u.id = s.user_id, jsonb_each_text(s.tool_usage) e
GROUP BY 1, 2, 3;
COMMIT;

VACUUM ANALYZE;
SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM sessions) AS sessions,
       (SELECT count(*) FROM daily_aggregates) AS daily_rows;
