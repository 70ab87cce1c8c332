-- 007-accounts.sql -- signing in with GitHub, browser sessions, device
-- authorization for the client, self-service keys, settings and deletion.
--
-- users.github_id (001) is the identity: GitHub's numeric id, which never
-- changes, while the login can.  Secrets are never stored: a browser
-- session and a device code are kept as SHA-256 of the random value the
-- client holds.

ALTER TABLE users ADD COLUMN display_name varchar(255);
-- the zone the dashboard's hour and weekday charts use
ALTER TABLE users ADD COLUMN time_zone varchar(64) NOT NULL DEFAULT 'UTC'
	CHECK (time_zone ~ '^[A-Za-z0-9/_+-]{1,64}$');
ALTER TABLE users ADD CONSTRAINT users_github_id_numeric
	CHECK (github_id IS NULL OR github_id ~ '^[1-9][0-9]{0,19}$');

-- Several live keys per user (one per machine), at most
-- arena_max_live_keys(); a new one never silently revokes another.
DROP INDEX api_keys_one_active;
CREATE INDEX api_keys_user ON api_keys (user_id, created_at);
ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz;

CREATE FUNCTION arena_max_live_keys() RETURNS integer LANGUAGE sql IMMUTABLE
AS 'SELECT 10';

-- Inserts a key unless the user already has the maximum of live keys.
-- Returns 'ok', 'full', or 'taken' when another live key has the prefix
-- (32 bits: it happens; the caller draws a new key).  Locks the user row
-- so two inserts cannot both pass the count.
CREATE FUNCTION arena_key_insert(p_user uuid, p_hash bytea, p_prefix text,
				 p_secret bytea) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM 1 FROM users WHERE id = p_user FOR UPDATE;
	IF NOT FOUND OR (SELECT count(*) FROM api_keys
			 WHERE user_id = p_user AND revoked_at IS NULL) >= arena_max_live_keys() THEN
		RETURN 'full';
	END IF;
	BEGIN
		INSERT INTO api_keys (user_id, key_hash, key_prefix, signing_secret)
		VALUES (p_user, p_hash, p_prefix, p_secret);
	EXCEPTION WHEN unique_violation THEN
		RETURN 'taken';
	END;
	RETURN 'ok';
END $$;

-- A browser session: the cookie holds 32 random bytes, the row their hash.
-- It ends when idle too long or past its absolute end, whichever is first.
CREATE TABLE web_sessions (
	id_hash		bytea PRIMARY KEY CHECK (length(id_hash) = 32),
	user_id		uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	user_agent	text,
	ip_address	varchar(45),
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_seen_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);

-- RFC 8628 device authorization: the client holds device_code (only its
-- hash is here) and polls; the person types user_code on /device.  The
-- key is minted when the approved code is first redeemed, in the same
-- statement that marks it delivered, so it is handed out once.
CREATE TABLE device_codes (
	code_hash	bytea PRIMARY KEY CHECK (length(code_hash) = 32),
	user_code	char(8) NOT NULL CHECK (user_code ~ '^[BCDFGHJKLMNPQRSTVWXZ]{8}$'),
	device_name	varchar(64),
	ip_address	varchar(45),
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	interval_s	integer NOT NULL CHECK (interval_s BETWEEN 1 AND 300),
	last_polled_at	timestamptz,
	state		varchar(10) NOT NULL DEFAULT 'pending'
			CHECK (state IN ('pending', 'approved', 'denied', 'delivered')),
	user_id		uuid REFERENCES users ON DELETE CASCADE,
	decided_at	timestamptz,
	key_prefix	varchar(19)
);
-- a user code names one live request
CREATE UNIQUE INDEX device_codes_user_code ON device_codes (user_code)
	WHERE state IN ('pending', 'approved');
CREATE INDEX device_codes_expires ON device_codes (expires_at);

-- Wrong user codes typed on /device, per signed-in user: five in a row
-- lock the form for a while.  A right code resets the count.
CREATE TABLE device_code_failures (
	user_id		uuid PRIMARY KEY REFERENCES users ON DELETE CASCADE,
	failures	integer NOT NULL DEFAULT 0,
	locked_until	timestamptz
);

-- Deletes a user and everything stored about them: sessions, their
-- slices, every aggregate, keys, rankings, browser sessions and device
-- codes go with the row (ON DELETE CASCADE); the audit log's rows lose
-- their user (ON DELETE SET NULL) and one row records the deletion with
-- the former id only.  Returns false when there is no such user.
CREATE FUNCTION arena_delete_user(p_user uuid, p_ip text, p_agent text, p_by text)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM users WHERE id = p_user;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	INSERT INTO security_audit_log (user_id, event_type, ip_address, user_agent, details)
	VALUES (NULL, 'account_deleted', NULLIF(p_ip, ''), NULLIF(p_agent, ''),
		jsonb_build_object('userId', p_user::text, 'by', p_by));
	RETURN true;
END $$;

-- Everything stored about a user, as one JSON document (the export).
-- Key hashes, sealed secrets and session hashes are not "about" the
-- user in any readable sense and are left out.
CREATE FUNCTION arena_export_user(p_user uuid) RETURNS json
LANGUAGE sql STABLE AS $$
SELECT json_build_object(
	'exportedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
	'user', (SELECT json_build_object('id', u.id, 'username', u.username,
		'displayName', u.display_name, 'githubId', u.github_id,
		'githubUsername', u.github_username, 'avatarUrl', u.avatar_url,
		'privacyMode', u.privacy_mode, 'timeZone', u.time_zone,
		'createdAt', u.created_at, 'updatedAt', u.updated_at)
		FROM users u WHERE u.id = p_user),
	'apiKeys', (SELECT coalesce(json_agg(json_build_object('prefix', k.key_prefix,
		'createdAt', k.created_at, 'lastUsedAt', k.last_used_at,
		'revokedAt', k.revoked_at) ORDER BY k.created_at), '[]')
		FROM api_keys k WHERE k.user_id = p_user),
	'webSessions', (SELECT coalesce(json_agg(json_build_object('createdAt', w.created_at,
		'lastSeenAt', w.last_seen_at, 'expiresAt', w.expires_at,
		'userAgent', w.user_agent, 'ipAddress', w.ip_address)
		ORDER BY w.created_at), '[]')
		FROM web_sessions w WHERE w.user_id = p_user),
	'sessions', (SELECT coalesce(json_agg(json_build_object('id', s.id,
		'toolType', s.tool_type, 'clientSessionId', s.client_session_id,
		'sessionHash', s.session_hash, 'anonymousProjectId', s.anonymous_project_id,
		'startedAt', s.started_at, 'endedAt', s.ended_at,
		'durationSeconds', s.duration_seconds, 'modelName', s.model_name,
		'turnCount', s.turn_count, 'inputTokens', s.input_tokens,
		'outputTokens', s.output_tokens, 'cacheCreationTokens', s.cache_creation_tokens,
		'cacheReadTokens', s.cache_read_tokens, 'toolUsage', s.tool_usage,
		'codeMetrics', s.code_metrics, 'modelUsage', s.model_usage,
		'flagged', s.flagged, 'flagReason', s.flag_reason,
		'createdAt', s.created_at, 'updatedAt', s.updated_at,
		'slices', (SELECT coalesce(json_agg(json_build_object('hourStart', t.hour_start,
			'inputTokens', t.input_tokens, 'outputTokens', t.output_tokens,
			'cacheCreationTokens', t.cache_creation_tokens,
			'cacheReadTokens', t.cache_read_tokens) ORDER BY t.hour_start), '[]')
			FROM token_usage t WHERE t.session_id = s.id)) ORDER BY s.ended_at), '[]')
		FROM sessions s WHERE s.user_id = p_user),
	'dailyAggregates', (SELECT coalesce(json_agg(d ORDER BY d.day, d.flagged), '[]')
		FROM (SELECT day, flagged, input_tokens, output_tokens, cache_creation_tokens,
		      cache_read_tokens, session_count, lines_added, lines_deleted,
		      files_modified, files_created, turn_count, duration_seconds
		      FROM daily_aggregates WHERE user_id = p_user) d),
	'monthlyAggregates', (SELECT coalesce(json_agg(m ORDER BY m.month, m.flagged), '[]')
		FROM (SELECT month, flagged, input_tokens, output_tokens, cache_creation_tokens,
		      cache_read_tokens, session_count, lines_added, lines_deleted,
		      files_modified, files_created, turn_count, duration_seconds
		      FROM monthly_aggregates WHERE user_id = p_user) m),
	'totals', (SELECT coalesce(json_agg(t ORDER BY t.flagged), '[]')
		FROM (SELECT flagged, input_tokens, output_tokens, cache_creation_tokens,
		      cache_read_tokens, session_count, lines_added, lines_deleted,
		      files_modified, files_created, turn_count, duration_seconds
		      FROM user_totals WHERE user_id = p_user) t),
	'dailyModelUsage', (SELECT coalesce(json_agg(to_jsonb(x) - 'user_id'), '[]')
		FROM daily_model_usage x WHERE x.user_id = p_user),
	'dailyToolUsage', (SELECT coalesce(json_agg(to_jsonb(x) - 'user_id'), '[]')
		FROM daily_tool_usage x WHERE x.user_id = p_user),
	'dailyToolTypeUsage', (SELECT coalesce(json_agg(to_jsonb(x) - 'user_id'), '[]')
		FROM daily_tool_type_usage x WHERE x.user_id = p_user),
	'hourly', (SELECT coalesce(json_agg(to_jsonb(x) - 'user_id' ORDER BY x.hour_start, x.flagged), '[]')
		FROM user_hourly x WHERE x.user_id = p_user),
	'modelTotals', (SELECT coalesce(json_agg(to_jsonb(x) - 'user_id'), '[]')
		FROM user_model_totals x WHERE x.user_id = p_user),
	'toolTotals', (SELECT coalesce(json_agg(to_jsonb(x) - 'user_id'), '[]')
		FROM user_tool_totals x WHERE x.user_id = p_user),
	'toolTypeTotals', (SELECT coalesce(json_agg(to_jsonb(x) - 'user_id'), '[]')
		FROM user_tool_type_totals x WHERE x.user_id = p_user),
	'rankings', (SELECT coalesce(json_agg(to_jsonb(r) - 'user_id'
		ORDER BY r.period_type, r.period_start), '[]')
		FROM rankings r WHERE r.user_id = p_user),
	'auditLog', (SELECT coalesce(json_agg(json_build_object('event', a.event_type,
		'createdAt', a.created_at, 'ipAddress', a.ip_address,
		'userAgent', a.user_agent, 'details', a.details) ORDER BY a.id), '[]')
		FROM security_audit_log a WHERE a.user_id = p_user))
$$;

-- Signs a GitHub account in: the account whose github_id matches gets the
-- login, name and avatar GitHub has now; a new one is created with the
-- login as username, or login-2, login-3, ... when that name is taken
-- (by an account made with arena-admin, or a former login).
CREATE FUNCTION arena_github_signin(p_gid text, p_login text, p_name text, p_avatar text)
RETURNS TABLE (user_id uuid, username text, created boolean)
LANGUAGE plpgsql AS $$
DECLARE
	v_id uuid;
	v_name text;
	i integer := 1;
BEGIN
	LOOP
		UPDATE users u SET github_username = p_login, display_name = p_name,
			avatar_url = p_avatar, updated_at = now()
		WHERE u.github_id = p_gid RETURNING u.id, u.username INTO v_id, v_name;
		IF FOUND THEN
			RETURN QUERY SELECT v_id, v_name, false;
			RETURN;
		END IF;
		v_name := CASE WHEN i = 1 THEN p_login
			  ELSE left(p_login, 38 - length(i::text)) || '-' || i END;
		BEGIN
			INSERT INTO users (username, github_id, github_username, display_name, avatar_url)
			VALUES (v_name, p_gid, p_login, p_name, p_avatar) RETURNING id INTO v_id;
			RETURN QUERY SELECT v_id, v_name, true;
			RETURN;
		EXCEPTION WHEN unique_violation THEN
			-- the name is taken, or the same account signed in at once
			-- elsewhere: then the UPDATE above finds it next time round
			i := i + 1;
			IF i > 1000 THEN
				RAISE EXCEPTION 'no free username for %', p_login;
			END IF;
		END;
	END LOOP;
END $$;

-- One poll of the client with device_code hash p_hash (RFC 8628 3.4-3.5):
-- 'invalid_grant' (unknown), 'expired_token' (expired, or the key was
-- already delivered), 'access_denied', 'slow_down' (polled before the
-- interval passed; the interval grows by 5 s), 'authorization_pending',
-- or 'approved' with the user.  Locks the row: the caller delivers the
-- key in the same transaction (arena_device_delivered).
CREATE FUNCTION arena_device_poll(p_hash bytea)
RETURNS TABLE (result text, user_id uuid, username text)
LANGUAGE plpgsql AS $$
DECLARE
	d device_codes;
BEGIN
	SELECT * INTO d FROM device_codes WHERE code_hash = p_hash FOR UPDATE;
	IF NOT FOUND THEN
		RETURN QUERY SELECT 'invalid_grant', NULL::uuid, NULL::text;
	ELSIF d.state = 'delivered' OR d.expires_at <= now() THEN
		RETURN QUERY SELECT 'expired_token', NULL::uuid, NULL::text;
	ELSIF d.state = 'denied' THEN
		RETURN QUERY SELECT 'access_denied', NULL::uuid, NULL::text;
	ELSIF d.last_polled_at > now() - make_interval(secs => d.interval_s) THEN
		UPDATE device_codes SET interval_s = least(d.interval_s + 5, 300), last_polled_at = now()
		WHERE code_hash = p_hash;
		RETURN QUERY SELECT 'slow_down', NULL::uuid, NULL::text;
	ELSE
		UPDATE device_codes SET last_polled_at = now() WHERE code_hash = p_hash;
		IF d.state = 'pending' THEN
			RETURN QUERY SELECT 'authorization_pending', NULL::uuid, NULL::text;
		ELSE
			RETURN QUERY SELECT 'approved', u.id, u.username::text
				FROM users u WHERE u.id = d.user_id;
		END IF;
	END IF;
END $$;

-- The person signed in as p_user typed p_code on /device and approved
-- (or denied) it.  'approved' / 'denied'; 'wrong' for a code that names
-- no live request; 'locked' while five wrong codes in a row lock the
-- form (for p_lock_s seconds from the fifth).
CREATE FUNCTION arena_device_decide(p_user uuid, p_code text, p_approve boolean, p_lock_s integer)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	f device_code_failures;
BEGIN
	INSERT INTO device_code_failures (user_id) VALUES (p_user) ON CONFLICT DO NOTHING;
	SELECT * INTO f FROM device_code_failures WHERE user_id = p_user FOR UPDATE;
	IF f.locked_until > now() THEN
		RETURN 'locked';
	END IF;
	UPDATE device_codes SET state = CASE WHEN p_approve THEN 'approved' ELSE 'denied' END,
		user_id = p_user, decided_at = now()
	WHERE user_code = p_code AND state = 'pending' AND expires_at > now();
	IF FOUND THEN
		UPDATE device_code_failures SET failures = 0, locked_until = NULL WHERE user_id = p_user;
		RETURN CASE WHEN p_approve THEN 'approved' ELSE 'denied' END;
	END IF;
	IF f.failures + 1 >= 5 THEN
		UPDATE device_code_failures SET failures = 0,
			locked_until = now() + make_interval(secs => p_lock_s)
		WHERE user_id = p_user;
		RETURN 'locked';
	END IF;
	UPDATE device_code_failures SET failures = f.failures + 1 WHERE user_id = p_user;
	RETURN 'wrong';
END $$;
