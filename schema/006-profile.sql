-- 006-profile.sql -- what the public profile reads and retention must not
-- take away: per-user hourly totals (the hour-of-day and day-of-week
-- charts in any time zone, over the whole history) and lifetime totals
-- per model, per tool and per tool type.
--
-- Like every other aggregate they are sums over stored sessions, changed
-- only by arena_apply_session() adding or removing one session's whole
-- contribution, so an updated session moves its hours exactly.  Nothing
-- deletes them: cron/cleanup-data leaves them alone.  Each is split by
-- `flagged`, so the profile can count what the rankings count.

-- One row per user, UTC hour and flag: the tokens of the slices that fall
-- in the hour, and the sessions that ended in it.  Read with
-- hour_start AT TIME ZONE <zone>, which is exact across DST changes.
CREATE TABLE user_hourly (
	user_id			uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	hour_start		timestamptz NOT NULL,
	flagged			boolean NOT NULL,
	input_tokens		bigint NOT NULL DEFAULT 0,
	output_tokens		bigint NOT NULL DEFAULT 0,
	cache_creation_tokens	bigint NOT NULL DEFAULT 0,
	cache_read_tokens	bigint NOT NULL DEFAULT 0,
	session_count		integer NOT NULL DEFAULT 0,
	PRIMARY KEY (user_id, hour_start, flagged)
);

CREATE TABLE user_model_totals (
	user_id			uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	flagged			boolean NOT NULL,
	model			varchar(100) NOT NULL,
	input_tokens		bigint NOT NULL DEFAULT 0,
	output_tokens		bigint NOT NULL DEFAULT 0,
	cache_creation_tokens	bigint NOT NULL DEFAULT 0,
	cache_read_tokens	bigint NOT NULL DEFAULT 0,
	session_count		integer NOT NULL DEFAULT 0,
	PRIMARY KEY (user_id, flagged, model)
);

CREATE TABLE user_tool_totals (
	user_id			uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	flagged			boolean NOT NULL,
	tool_name		varchar(64) NOT NULL,
	uses			bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (user_id, flagged, tool_name)
);

CREATE TABLE user_tool_type_totals (
	user_id			uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	flagged			boolean NOT NULL,
	tool_type		varchar(32) NOT NULL REFERENCES tool_types,
	input_tokens		bigint NOT NULL DEFAULT 0,
	output_tokens		bigint NOT NULL DEFAULT 0,
	cache_creation_tokens	bigint NOT NULL DEFAULT 0,
	cache_read_tokens	bigint NOT NULL DEFAULT 0,
	session_count		integer NOT NULL DEFAULT 0,
	PRIMARY KEY (user_id, flagged, tool_type)
);

-- The UTC hour a moment falls in, whatever the session's TimeZone setting.
CREATE FUNCTION arena_hour_of(t timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT date_trunc('hour', t AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
$$;

-- A session's tokens per model: modelUsage when the client sent it, else
-- all of them under the model name, else none.
CREATE FUNCTION arena_session_models(s sessions)
RETURNS TABLE (model text, i bigint, o bigint, cc bigint, cr bigint)
LANGUAGE sql IMMUTABLE AS $$
	SELECT e.key, (e.value->>'inputTokens')::bigint, (e.value->>'outputTokens')::bigint,
	       coalesce((e.value->>'cacheCreationTokens')::bigint, 0),
	       coalesce((e.value->>'cacheReadTokens')::bigint, 0)
	FROM jsonb_each(s.model_usage) e
	UNION ALL
	SELECT s.model_name, s.input_tokens, s.output_tokens, s.cache_creation_tokens,
	       s.cache_read_tokens
	WHERE s.model_usage = '{}' AND s.model_name IS NOT NULL
$$;

-- As in 002-ingest.sql, plus the tables above.
CREATE OR REPLACE FUNCTION arena_apply_session(s sessions, sign integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	done integer;
BEGIN
	-- one statement (its plan cached by PL/pgSQL): the contribution is
	-- computed once and every aggregate is written from it
	WITH c AS MATERIALIZED (
		SELECT * FROM arena_contrib(s)
	), mu AS MATERIALIZED (
		SELECT * FROM arena_session_models(s)
	), daily AS (
		INSERT INTO daily_aggregates AS d (user_id, day, flagged, input_tokens, output_tokens,
			cache_creation_tokens, cache_read_tokens, session_count, lines_added, lines_deleted,
			files_modified, files_created, turn_count, duration_seconds)
		SELECT s.user_id, c.day, s.flagged, sign * c.i, sign * c.o, sign * c.cc, sign * c.cr,
		       sign * c.n, sign * c.la, sign * c.ld, sign * c.fm, sign * c.fc, sign * c.turns,
		       sign * c.dur
		FROM c ORDER BY c.day
		ON CONFLICT (user_id, day, flagged) DO UPDATE SET
			input_tokens = d.input_tokens + EXCLUDED.input_tokens,
			output_tokens = d.output_tokens + EXCLUDED.output_tokens,
			cache_creation_tokens = d.cache_creation_tokens + EXCLUDED.cache_creation_tokens,
			cache_read_tokens = d.cache_read_tokens + EXCLUDED.cache_read_tokens,
			session_count = d.session_count + EXCLUDED.session_count,
			lines_added = d.lines_added + EXCLUDED.lines_added,
			lines_deleted = d.lines_deleted + EXCLUDED.lines_deleted,
			files_modified = d.files_modified + EXCLUDED.files_modified,
			files_created = d.files_created + EXCLUDED.files_created,
			turn_count = d.turn_count + EXCLUDED.turn_count,
			duration_seconds = d.duration_seconds + EXCLUDED.duration_seconds
		RETURNING 1
	), monthly AS (
		INSERT INTO monthly_aggregates AS m (user_id, month, flagged, input_tokens, output_tokens,
			cache_creation_tokens, cache_read_tokens, session_count, lines_added, lines_deleted,
			files_modified, files_created, turn_count, duration_seconds)
		SELECT s.user_id, date_trunc('month', c.day)::date, s.flagged, sign * sum(c.i),
		       sign * sum(c.o), sign * sum(c.cc), sign * sum(c.cr), sign * sum(c.n),
		       sign * sum(c.la), sign * sum(c.ld), sign * sum(c.fm), sign * sum(c.fc),
		       sign * sum(c.turns), sign * sum(c.dur)
		FROM c GROUP BY 2 ORDER BY 2
		ON CONFLICT (user_id, month, flagged) DO UPDATE SET
			input_tokens = m.input_tokens + EXCLUDED.input_tokens,
			output_tokens = m.output_tokens + EXCLUDED.output_tokens,
			cache_creation_tokens = m.cache_creation_tokens + EXCLUDED.cache_creation_tokens,
			cache_read_tokens = m.cache_read_tokens + EXCLUDED.cache_read_tokens,
			session_count = m.session_count + EXCLUDED.session_count,
			lines_added = m.lines_added + EXCLUDED.lines_added,
			lines_deleted = m.lines_deleted + EXCLUDED.lines_deleted,
			files_modified = m.files_modified + EXCLUDED.files_modified,
			files_created = m.files_created + EXCLUDED.files_created,
			turn_count = m.turn_count + EXCLUDED.turn_count,
			duration_seconds = m.duration_seconds + EXCLUDED.duration_seconds
		RETURNING 1
	), lifetime AS (
		INSERT INTO user_totals AS u (user_id, flagged, input_tokens, output_tokens,
			cache_creation_tokens, cache_read_tokens, session_count, lines_added, lines_deleted,
			files_modified, files_created, turn_count, duration_seconds)
		SELECT s.user_id, s.flagged, sign * sum(c.i), sign * sum(c.o), sign * sum(c.cc),
		       sign * sum(c.cr), sign * sum(c.n), sign * sum(c.la), sign * sum(c.ld),
		       sign * sum(c.fm), sign * sum(c.fc), sign * sum(c.turns), sign * sum(c.dur)
		FROM c
		ON CONFLICT (user_id, flagged) DO UPDATE SET
			input_tokens = u.input_tokens + EXCLUDED.input_tokens,
			output_tokens = u.output_tokens + EXCLUDED.output_tokens,
			cache_creation_tokens = u.cache_creation_tokens + EXCLUDED.cache_creation_tokens,
			cache_read_tokens = u.cache_read_tokens + EXCLUDED.cache_read_tokens,
			session_count = u.session_count + EXCLUDED.session_count,
			lines_added = u.lines_added + EXCLUDED.lines_added,
			lines_deleted = u.lines_deleted + EXCLUDED.lines_deleted,
			files_modified = u.files_modified + EXCLUDED.files_modified,
			files_created = u.files_created + EXCLUDED.files_created,
			turn_count = u.turn_count + EXCLUDED.turn_count,
			duration_seconds = u.duration_seconds + EXCLUDED.duration_seconds
		RETURNING 1
	), by_type AS (
		INSERT INTO daily_tool_type_usage AS dy (user_id, day, tool_type, input_tokens,
			output_tokens, cache_creation_tokens, cache_read_tokens, session_count)
		SELECT s.user_id, c.day, s.tool_type, sign * c.i, sign * c.o, sign * c.cc, sign * c.cr,
		       sign * c.n
		FROM c ORDER BY c.day
		ON CONFLICT (user_id, day, tool_type) DO UPDATE SET
			input_tokens = dy.input_tokens + EXCLUDED.input_tokens,
			output_tokens = dy.output_tokens + EXCLUDED.output_tokens,
			cache_creation_tokens = dy.cache_creation_tokens + EXCLUDED.cache_creation_tokens,
			cache_read_tokens = dy.cache_read_tokens + EXCLUDED.cache_read_tokens,
			session_count = dy.session_count + EXCLUDED.session_count
		RETURNING 1
	), by_model AS (
		INSERT INTO daily_model_usage AS dm (user_id, day, model, input_tokens, output_tokens,
			cache_creation_tokens, cache_read_tokens, session_count)
		SELECT s.user_id, (s.ended_at AT TIME ZONE 'UTC')::date, mu.model, sign * mu.i,
		       sign * mu.o, sign * mu.cc, sign * mu.cr, sign
		FROM mu ORDER BY mu.model
		ON CONFLICT (user_id, day, model) DO UPDATE SET
			input_tokens = dm.input_tokens + EXCLUDED.input_tokens,
			output_tokens = dm.output_tokens + EXCLUDED.output_tokens,
			cache_creation_tokens = dm.cache_creation_tokens + EXCLUDED.cache_creation_tokens,
			cache_read_tokens = dm.cache_read_tokens + EXCLUDED.cache_read_tokens,
			session_count = dm.session_count + EXCLUDED.session_count
		RETURNING 1
	), by_tool AS (
		INSERT INTO daily_tool_usage AS dt (user_id, day, tool_name, uses)
		SELECT s.user_id, (s.ended_at AT TIME ZONE 'UTC')::date, e.key, sign * e.value::bigint
		FROM jsonb_each_text(s.tool_usage) e ORDER BY e.key
		ON CONFLICT (user_id, day, tool_name) DO UPDATE SET uses = dt.uses + EXCLUDED.uses
		RETURNING 1
	), hourly AS (
		-- tokens on the hours of the slices, the session on the hour it ended
		INSERT INTO user_hourly AS h (user_id, hour_start, flagged, input_tokens, output_tokens,
			cache_creation_tokens, cache_read_tokens, session_count)
		SELECT s.user_id, x.hs, s.flagged, sign * sum(x.i), sign * sum(x.o), sign * sum(x.cc),
		       sign * sum(x.cr), sign * sum(x.n)
		FROM (
			SELECT t.hour_start AS hs, t.input_tokens AS i, t.output_tokens AS o,
			       t.cache_creation_tokens AS cc, t.cache_read_tokens AS cr, 0 AS n
			FROM token_usage t WHERE t.session_id = s.id
			UNION ALL
			SELECT arena_hour_of(s.ended_at), 0, 0, 0, 0, 1
		) x GROUP BY x.hs ORDER BY x.hs
		ON CONFLICT (user_id, hour_start, flagged) DO UPDATE SET
			input_tokens = h.input_tokens + EXCLUDED.input_tokens,
			output_tokens = h.output_tokens + EXCLUDED.output_tokens,
			cache_creation_tokens = h.cache_creation_tokens + EXCLUDED.cache_creation_tokens,
			cache_read_tokens = h.cache_read_tokens + EXCLUDED.cache_read_tokens,
			session_count = h.session_count + EXCLUDED.session_count
		RETURNING 1
	), model_life AS (
		INSERT INTO user_model_totals AS ml (user_id, flagged, model, input_tokens, output_tokens,
			cache_creation_tokens, cache_read_tokens, session_count)
		SELECT s.user_id, s.flagged, mu.model, sign * mu.i, sign * mu.o, sign * mu.cc,
		       sign * mu.cr, sign
		FROM mu ORDER BY mu.model
		ON CONFLICT (user_id, flagged, model) DO UPDATE SET
			input_tokens = ml.input_tokens + EXCLUDED.input_tokens,
			output_tokens = ml.output_tokens + EXCLUDED.output_tokens,
			cache_creation_tokens = ml.cache_creation_tokens + EXCLUDED.cache_creation_tokens,
			cache_read_tokens = ml.cache_read_tokens + EXCLUDED.cache_read_tokens,
			session_count = ml.session_count + EXCLUDED.session_count
		RETURNING 1
	), type_life AS (
		INSERT INTO user_tool_type_totals AS yl (user_id, flagged, tool_type, input_tokens,
			output_tokens, cache_creation_tokens, cache_read_tokens, session_count)
		SELECT s.user_id, s.flagged, s.tool_type, sign * sum(c.i), sign * sum(c.o),
		       sign * sum(c.cc), sign * sum(c.cr), sign * sum(c.n)
		FROM c
		ON CONFLICT (user_id, flagged, tool_type) DO UPDATE SET
			input_tokens = yl.input_tokens + EXCLUDED.input_tokens,
			output_tokens = yl.output_tokens + EXCLUDED.output_tokens,
			cache_creation_tokens = yl.cache_creation_tokens + EXCLUDED.cache_creation_tokens,
			cache_read_tokens = yl.cache_read_tokens + EXCLUDED.cache_read_tokens,
			session_count = yl.session_count + EXCLUDED.session_count
		RETURNING 1
	), tool_life AS (
		INSERT INTO user_tool_totals AS tl (user_id, flagged, tool_name, uses)
		SELECT s.user_id, s.flagged, e.key, sign * e.value::bigint
		FROM jsonb_each_text(s.tool_usage) e ORDER BY e.key
		ON CONFLICT (user_id, flagged, tool_name) DO UPDATE SET uses = tl.uses + EXCLUDED.uses
		RETURNING 1
	)
	SELECT 1 INTO done;
END $$;

-- Backfill.  Hours come from what is still stored: the slices of the
-- stored sessions, and the sessions themselves (older hours are gone).
INSERT INTO user_hourly (user_id, hour_start, flagged, input_tokens, output_tokens,
	cache_creation_tokens, cache_read_tokens, session_count)
SELECT x.user_id, x.hs, x.flagged, sum(x.i), sum(x.o), sum(x.cc), sum(x.cr), sum(x.n)
FROM (
	SELECT s.user_id, t.hour_start AS hs, s.flagged, t.input_tokens AS i,
	       t.output_tokens AS o, t.cache_creation_tokens AS cc, t.cache_read_tokens AS cr,
	       0 AS n
	FROM token_usage t JOIN sessions s ON s.id = t.session_id
	UNION ALL
	SELECT s.user_id, arena_hour_of(s.ended_at), s.flagged, 0, 0, 0, 0, 1 FROM sessions s
) x GROUP BY x.user_id, x.hs, x.flagged;

-- Lifetime breakdowns: what the per-day breakdowns still hold.  Those
-- have no flag, so it all counts as unflagged first; then the flagged
-- sessions still stored whose days the breakdowns still hold (retention
-- deletes whole days below a cutoff) move to the flagged side.
INSERT INTO user_model_totals (user_id, flagged, model, input_tokens, output_tokens,
	cache_creation_tokens, cache_read_tokens, session_count)
SELECT user_id, false, model, sum(input_tokens), sum(output_tokens),
       sum(cache_creation_tokens), sum(cache_read_tokens), sum(session_count)
FROM daily_model_usage GROUP BY user_id, model;

INSERT INTO user_tool_totals (user_id, flagged, tool_name, uses)
SELECT user_id, false, tool_name, sum(uses) FROM daily_tool_usage GROUP BY user_id, tool_name;

INSERT INTO user_tool_type_totals (user_id, flagged, tool_type, input_tokens, output_tokens,
	cache_creation_tokens, cache_read_tokens, session_count)
SELECT user_id, false, tool_type, sum(input_tokens), sum(output_tokens),
       sum(cache_creation_tokens), sum(cache_read_tokens), sum(session_count)
FROM daily_tool_type_usage GROUP BY user_id, tool_type;

INSERT INTO user_model_totals AS t (user_id, flagged, model, input_tokens, output_tokens,
	cache_creation_tokens, cache_read_tokens, session_count)
SELECT f.user_id, v.flagged, m.model, v.sign * sum(m.i), v.sign * sum(m.o), v.sign * sum(m.cc),
       v.sign * sum(m.cr), v.sign * count(*)
FROM sessions f CROSS JOIN LATERAL arena_session_models(f) m
CROSS JOIN (VALUES (true, 1), (false, -1)) v (flagged, sign)
WHERE f.flagged AND (f.ended_at AT TIME ZONE 'UTC')::date >= (SELECT min(day) FROM daily_model_usage)
GROUP BY f.user_id, v.flagged, v.sign, m.model
ON CONFLICT (user_id, flagged, model) DO UPDATE SET
	input_tokens = t.input_tokens + EXCLUDED.input_tokens,
	output_tokens = t.output_tokens + EXCLUDED.output_tokens,
	cache_creation_tokens = t.cache_creation_tokens + EXCLUDED.cache_creation_tokens,
	cache_read_tokens = t.cache_read_tokens + EXCLUDED.cache_read_tokens,
	session_count = t.session_count + EXCLUDED.session_count;

INSERT INTO user_tool_totals AS t (user_id, flagged, tool_name, uses)
SELECT f.user_id, v.flagged, e.key, v.sign * sum(e.value::bigint)
FROM sessions f CROSS JOIN LATERAL jsonb_each_text(f.tool_usage) e
CROSS JOIN (VALUES (true, 1), (false, -1)) v (flagged, sign)
WHERE f.flagged AND (f.ended_at AT TIME ZONE 'UTC')::date >= (SELECT min(day) FROM daily_tool_usage)
GROUP BY f.user_id, v.flagged, v.sign, e.key
ON CONFLICT (user_id, flagged, tool_name) DO UPDATE SET uses = t.uses + EXCLUDED.uses;

INSERT INTO user_tool_type_totals AS t (user_id, flagged, tool_type, input_tokens, output_tokens,
	cache_creation_tokens, cache_read_tokens, session_count)
SELECT f.user_id, v.flagged, f.tool_type, v.sign * sum(f.input_tokens),
       v.sign * sum(f.output_tokens), v.sign * sum(f.cache_creation_tokens),
       v.sign * sum(f.cache_read_tokens), v.sign * count(*)
FROM sessions f CROSS JOIN (VALUES (true, 1), (false, -1)) v (flagged, sign)
WHERE f.flagged
  AND (f.started_at AT TIME ZONE 'UTC')::date >= (SELECT min(day) FROM daily_tool_type_usage)
GROUP BY f.user_id, v.flagged, v.sign, f.tool_type
ON CONFLICT (user_id, flagged, tool_type) DO UPDATE SET
	input_tokens = t.input_tokens + EXCLUDED.input_tokens,
	output_tokens = t.output_tokens + EXCLUDED.output_tokens,
	cache_creation_tokens = t.cache_creation_tokens + EXCLUDED.cache_creation_tokens,
	cache_read_tokens = t.cache_read_tokens + EXCLUDED.cache_read_tokens,
	session_count = t.session_count + EXCLUDED.session_count;
