-- 002-ingest.sql -- what ingestion maintains, and the one function that
-- stores a session.
--
-- Every aggregate below is a sum over stored sessions and is only ever
-- changed by arena_apply_session(), which adds (+1) or removes (-1) one
-- session's whole contribution.  Replacing a session is "remove the old
-- version, add the new one" inside one transaction, so aggregates move by
-- exactly the difference and always equal what the sessions say.
--
-- Monthly and lifetime tables are kept forever: retention may delete raw
-- sessions and daily rows, and history stays the same.

CREATE TABLE monthly_aggregates (
	user_id			uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	month			date NOT NULL CHECK (extract(day FROM month) = 1),
	flagged			boolean NOT NULL,
	input_tokens		bigint NOT NULL DEFAULT 0,
	output_tokens		bigint NOT NULL DEFAULT 0,
	cache_creation_tokens	bigint NOT NULL DEFAULT 0,
	cache_read_tokens	bigint NOT NULL DEFAULT 0,
	session_count		integer NOT NULL DEFAULT 0,
	lines_added		bigint NOT NULL DEFAULT 0,
	lines_deleted		bigint NOT NULL DEFAULT 0,
	files_modified		bigint NOT NULL DEFAULT 0,
	files_created		bigint NOT NULL DEFAULT 0,
	turn_count		bigint NOT NULL DEFAULT 0,
	duration_seconds	bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (user_id, month, flagged)
);

CREATE TABLE user_totals (
	user_id			uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	flagged			boolean NOT NULL,
	input_tokens		bigint NOT NULL DEFAULT 0,
	output_tokens		bigint NOT NULL DEFAULT 0,
	cache_creation_tokens	bigint NOT NULL DEFAULT 0,
	cache_read_tokens	bigint NOT NULL DEFAULT 0,
	session_count		integer NOT NULL DEFAULT 0,
	lines_added		bigint NOT NULL DEFAULT 0,
	lines_deleted		bigint NOT NULL DEFAULT 0,
	files_modified		bigint NOT NULL DEFAULT 0,
	files_created		bigint NOT NULL DEFAULT 0,
	turn_count		bigint NOT NULL DEFAULT 0,
	duration_seconds	bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (user_id, flagged)
);

-- Dashboard breakdowns, per user and UTC day of the session's end.
CREATE TABLE daily_model_usage (
	user_id			uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	day			date NOT NULL,
	model			varchar(100) NOT NULL,
	input_tokens		bigint NOT NULL DEFAULT 0,
	output_tokens		bigint NOT NULL DEFAULT 0,
	cache_creation_tokens	bigint NOT NULL DEFAULT 0,
	cache_read_tokens	bigint NOT NULL DEFAULT 0,
	session_count		integer NOT NULL DEFAULT 0,
	PRIMARY KEY (user_id, day, model)
);

CREATE TABLE daily_tool_usage (
	user_id			uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	day			date NOT NULL,
	tool_name		varchar(64) NOT NULL,
	uses			bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (user_id, day, tool_name)
);

CREATE TABLE daily_tool_type_usage (
	user_id			uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	day			date NOT NULL,
	tool_type		varchar(32) NOT NULL REFERENCES tool_types,
	input_tokens		bigint NOT NULL DEFAULT 0,
	output_tokens		bigint NOT NULL DEFAULT 0,
	cache_creation_tokens	bigint NOT NULL DEFAULT 0,
	cache_read_tokens	bigint NOT NULL DEFAULT 0,
	session_count		integer NOT NULL DEFAULT 0,
	PRIMARY KEY (user_id, day, tool_type)
);

-- One session's contribution per UTC day: tokens on the days of its hourly
-- slices (token_usage rows), the session itself and its code metrics,
-- turns and duration on the day it ended.
CREATE FUNCTION arena_contrib(s sessions) RETURNS TABLE (
	day date, i bigint, o bigint, cc bigint, cr bigint, n integer,
	la bigint, ld bigint, fm bigint, fc bigint, turns bigint, dur bigint)
LANGUAGE sql STABLE AS $$
	SELECT day, sum(i)::bigint, sum(o)::bigint, sum(cc)::bigint, sum(cr)::bigint,
	       sum(n)::integer, sum(la)::bigint, sum(ld)::bigint, sum(fm)::bigint,
	       sum(fc)::bigint, sum(turns)::bigint, sum(dur)::bigint
	FROM (
		SELECT (t.hour_start AT TIME ZONE 'UTC')::date AS day,
		       t.input_tokens AS i, t.output_tokens AS o,
		       t.cache_creation_tokens AS cc, t.cache_read_tokens AS cr,
		       0 AS n, 0::bigint AS la, 0::bigint AS ld, 0::bigint AS fm, 0::bigint AS fc,
		       0::bigint AS turns, 0::bigint AS dur
		FROM token_usage t WHERE t.session_id = s.id
		UNION ALL
		SELECT (s.ended_at AT TIME ZONE 'UTC')::date, 0, 0, 0, 0, 1,
		       coalesce((s.code_metrics->>'linesAdded')::bigint, 0),
		       coalesce((s.code_metrics->>'linesDeleted')::bigint, 0),
		       coalesce((s.code_metrics->>'filesModified')::bigint, 0),
		       coalesce((s.code_metrics->>'filesCreated')::bigint, 0),
		       s.turn_count, s.duration_seconds
	) x GROUP BY day
$$;

-- Adds (sign = 1) or removes (sign = -1) session s's contribution to every
-- aggregate (arena_contrib says which days; its token_usage rows must
-- exist when this runs); models and tools land on the day it ended.
-- Rows are written in key order so concurrent sessions of one user
-- cannot deadlock on them.
CREATE FUNCTION arena_apply_session(s sessions, sign integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	done integer;
BEGIN
	-- one statement (its plan cached by PL/pgSQL): the contribution is
	-- computed once and every aggregate is written from it
	WITH c AS MATERIALIZED (
		SELECT * FROM arena_contrib(s)
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
		-- modelUsage when the client sent it, else the model name
		INSERT INTO daily_model_usage AS dm (user_id, day, model, input_tokens, output_tokens,
			cache_creation_tokens, cache_read_tokens, session_count)
		SELECT s.user_id, (s.ended_at AT TIME ZONE 'UTC')::date, mu.model, sign * mu.i,
		       sign * mu.o, sign * mu.cc, sign * mu.cr, sign
		FROM (
			SELECT e.key AS model, (e.value->>'inputTokens')::bigint AS i,
			       (e.value->>'outputTokens')::bigint AS o,
			       coalesce((e.value->>'cacheCreationTokens')::bigint, 0) AS cc,
			       coalesce((e.value->>'cacheReadTokens')::bigint, 0) AS cr
			FROM jsonb_each(s.model_usage) e
			UNION ALL
			SELECT s.model_name, s.input_tokens, s.output_tokens, s.cache_creation_tokens,
			       s.cache_read_tokens
			WHERE s.model_usage = '{}' AND s.model_name IS NOT NULL
		) mu ORDER BY mu.model
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
	)
	SELECT 1 INTO done;
END $$;

-- Whether a session with these totals looks implausible for this user,
-- and why: more than `factor` times the user's average unflagged session
-- (the average read from user_totals, excluding `self` when it is being
-- replaced), or more output tokens per second than any model produces.
CREATE FUNCTION arena_flag_reason(p_user uuid, p_in bigint, p_out bigint, p_duration integer,
	p_factor integer, p_max_tps bigint, self sessions) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
	tot numeric;
	cnt integer;
BEGIN
	IF p_out > p_max_tps * greatest(p_duration, 1) THEN
		RETURN 'output_rate';
	END IF;
	SELECT u.input_tokens + u.output_tokens, u.session_count INTO tot, cnt
	FROM user_totals u WHERE u.user_id = p_user AND NOT u.flagged;
	IF self.id IS NOT NULL AND NOT self.flagged THEN
		tot := tot - (self.input_tokens + self.output_tokens);
		cnt := cnt - 1;
	END IF;
	IF cnt IS NULL OR cnt <= 0 OR tot <= 0 THEN
		RETURN NULL;	-- no history yet: nothing to compare with
	END IF;
	IF (p_in + p_out)::numeric > p_factor * tot / cnt THEN
		RETURN 'token_anomaly';
	END IF;
	RETURN NULL;
END $$;

-- Stores one validated session.  Outcomes: 'created', 'duplicate'
-- (identical content already stored), 'updated' (same identity, no total
-- smaller than before: the stored version is replaced) and 'conflict'
-- (some total would decrease: nothing changes).  p_slices is a JSON
-- array of {"h": hour start, "i","o","cc","cr"}; empty means one slice
-- at the hour the session ended.  Audit rows are written here too, so a
-- stored session and its audit event commit together.
CREATE FUNCTION arena_ingest(
	p_user uuid, p_tool text, p_identity text, p_client_sid text, p_hash text,
	p_content_hash text, p_project text, p_started timestamptz, p_ended timestamptz,
	p_duration integer, p_model text, p_turns integer,
	p_in bigint, p_out bigint, p_cc bigint, p_cr bigint,
	p_tool_usage jsonb, p_code jsonb, p_model_usage jsonb, p_slices jsonb,
	p_factor integer, p_max_tps bigint, p_ip text, p_ua text,
	OUT outcome text, OUT session_id uuid, OUT flag_reason text)
LANGUAGE plpgsql AS $$
DECLARE
	cur sessions;
	old sessions;
	blank sessions;
BEGIN
	flag_reason := arena_flag_reason(p_user, p_in, p_out, p_duration, p_factor, p_max_tps, blank);
	INSERT INTO sessions (user_id, tool_type, identity, client_session_id, session_hash,
		content_hash, anonymous_project_id, started_at, ended_at, duration_seconds, model_name,
		turn_count, input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens,
		tool_usage, code_metrics, model_usage, flagged, flag_reason)
	VALUES (p_user, p_tool, p_identity, p_client_sid, p_hash, p_content_hash, p_project,
		p_started, p_ended, p_duration, p_model, p_turns, p_in, p_out, p_cc, p_cr,
		p_tool_usage, p_code, p_model_usage, flag_reason IS NOT NULL, flag_reason)
	ON CONFLICT (user_id, identity) DO NOTHING
	RETURNING * INTO cur;

	IF cur.id IS NOT NULL THEN
		outcome := 'created';
	ELSE
		SELECT * INTO old FROM sessions
		WHERE user_id = p_user AND identity = p_identity FOR UPDATE;
		session_id := old.id;
		IF old.content_hash = p_content_hash THEN
			outcome := 'duplicate';
			flag_reason := NULL;
			INSERT INTO security_audit_log (user_id, event_type, ip_address, user_agent, details)
			VALUES (p_user, 'session_duplicate', p_ip, p_ua,
				jsonb_build_object('sessionId', old.id, 'sessionHash', left(p_hash, 16)));
			RETURN;
		END IF;
		IF p_in < old.input_tokens OR p_out < old.output_tokens OR
		   p_cc < old.cache_creation_tokens OR p_cr < old.cache_read_tokens THEN
			outcome := 'conflict';
			flag_reason := NULL;
			RETURN;
		END IF;
		flag_reason := arena_flag_reason(p_user, p_in, p_out, p_duration, p_factor,
						 p_max_tps, old);
		PERFORM arena_apply_session(old, -1);
		DELETE FROM token_usage WHERE token_usage.session_id = old.id;
		UPDATE sessions SET client_session_id = p_client_sid, session_hash = p_hash,
			content_hash = p_content_hash, anonymous_project_id = p_project,
			started_at = p_started, ended_at = p_ended, duration_seconds = p_duration,
			model_name = p_model, turn_count = p_turns, input_tokens = p_in,
			output_tokens = p_out, cache_creation_tokens = p_cc, cache_read_tokens = p_cr,
			tool_usage = p_tool_usage, code_metrics = p_code, model_usage = p_model_usage,
			flagged = arena_ingest.flag_reason IS NOT NULL, flag_reason = arena_ingest.flag_reason,
			revision = revision + 1, updated_at = now()
		WHERE id = old.id
		RETURNING * INTO cur;
		outcome := 'updated';
	END IF;
	session_id := cur.id;

	IF jsonb_array_length(p_slices) = 0 THEN
		INSERT INTO token_usage (session_id, user_id, hour_start, input_tokens, output_tokens,
			cache_creation_tokens, cache_read_tokens)
		VALUES (cur.id, p_user, date_trunc('hour', p_ended), p_in, p_out, p_cc, p_cr);
	ELSE
		INSERT INTO token_usage (session_id, user_id, hour_start, input_tokens, output_tokens,
			cache_creation_tokens, cache_read_tokens)
		SELECT cur.id, p_user, (e->>'h')::timestamptz, (e->>'i')::bigint, (e->>'o')::bigint,
		       (e->>'cc')::bigint, (e->>'cr')::bigint
		FROM jsonb_array_elements(p_slices) e;
	END IF;
	PERFORM arena_apply_session(cur, 1);

	IF outcome = 'created' THEN
		INSERT INTO security_audit_log (user_id, event_type, ip_address, user_agent, details)
		VALUES (p_user, 'session_created', p_ip, p_ua,
			jsonb_build_object('sessionId', cur.id, 'toolType', p_tool,
					   'tokens', p_in + p_out));
	END IF;
	IF flag_reason IS NOT NULL THEN
		INSERT INTO security_audit_log (user_id, event_type, ip_address, user_agent, details)
		VALUES (p_user, 'suspicious_activity', p_ip, p_ua,
			jsonb_build_object('reason', flag_reason, 'sessionId', cur.id,
					   'submittedTokens', p_in + p_out, 'outputTokens', p_out,
					   'durationSeconds', p_duration, 'threshold', p_factor));
	END IF;
END $$;
