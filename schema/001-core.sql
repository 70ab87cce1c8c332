-- 001-core.sql -- users, keys, sessions, usage, aggregates, rankings, audit.
--
-- Times are timestamptz and days are UTC dates.  Token counts are bigint:
-- a heavy user passes 2^31 tokens in weeks.

CREATE TABLE tool_types (
	id		varchar(32) PRIMARY KEY,
	display_name	text NOT NULL,
	sort_order	integer NOT NULL DEFAULT 0
);

INSERT INTO tool_types (id, display_name, sort_order) VALUES
	('claude-code', 'Claude Code', 1),
	('codex', 'Codex CLI', 2),
	('gemini', 'Gemini CLI', 3),
	('opencode', 'OpenCode', 4),
	('claude-desktop', 'Claude Desktop', 5),
	('crush', 'Crush', 6);

CREATE TABLE users (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	username	varchar(39) NOT NULL UNIQUE
			CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,38}$'),
	github_id	varchar(32) UNIQUE,
	github_username	varchar(39),
	avatar_url	text CHECK (avatar_url IS NULL OR avatar_url ~ '^https://'),
	privacy_mode	boolean NOT NULL DEFAULT false,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);

-- Only SHA-256(key) and the public prefix are kept; the key is shown once.
CREATE TABLE api_keys (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id		uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	key_hash	bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
	key_prefix	varchar(19) NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	revoked_at	timestamptz
);
-- at most one live key per user: issuing a new one revokes the old
CREATE UNIQUE INDEX api_keys_one_active ON api_keys (user_id) WHERE revoked_at IS NULL;

-- A session's identity is (user, tool, client session id) when the client
-- sends one, else (user, session hash): `identity` holds whichever applies,
-- so one unique index makes every retry and cumulative update land on the
-- same row.
CREATE TABLE sessions (
	id			uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id			uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	tool_type		varchar(32) NOT NULL REFERENCES tool_types,
	identity		text NOT NULL,
	client_session_id	varchar(128),
	session_hash		char(64) NOT NULL,
	content_hash		char(64) NOT NULL,
	anonymous_project_id	varchar(100),
	started_at		timestamptz NOT NULL,
	ended_at		timestamptz NOT NULL,
	duration_seconds	integer NOT NULL CHECK (duration_seconds >= 0),
	model_name		varchar(100),
	turn_count		integer NOT NULL DEFAULT 0 CHECK (turn_count >= 0),
	input_tokens		bigint NOT NULL CHECK (input_tokens >= 0),
	output_tokens		bigint NOT NULL CHECK (output_tokens >= 0),
	cache_creation_tokens	bigint NOT NULL CHECK (cache_creation_tokens >= 0),
	cache_read_tokens	bigint NOT NULL CHECK (cache_read_tokens >= 0),
	tool_usage		jsonb NOT NULL DEFAULT '{}',
	code_metrics		jsonb NOT NULL DEFAULT '{}',
	model_usage		jsonb NOT NULL DEFAULT '{}',
	flagged			boolean NOT NULL DEFAULT false,
	flag_reason		text,
	revision		integer NOT NULL DEFAULT 1,
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	UNIQUE (user_id, identity),
	CHECK (started_at <= ended_at)
);
CREATE INDEX sessions_user_ended ON sessions (user_id, ended_at);
CREATE INDEX sessions_ended ON sessions (ended_at);

-- Per-hour token buckets of a session ("slices"): what puts a session
-- that crosses midnight on both days.  One row per (session, hour).
CREATE TABLE token_usage (
	session_id		uuid NOT NULL REFERENCES sessions ON DELETE CASCADE,
	user_id			uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	hour_start		timestamptz NOT NULL
				CHECK (date_trunc('hour', hour_start) = hour_start),
	input_tokens		bigint NOT NULL CHECK (input_tokens >= 0),
	output_tokens		bigint NOT NULL CHECK (output_tokens >= 0),
	cache_creation_tokens	bigint NOT NULL CHECK (cache_creation_tokens >= 0),
	cache_read_tokens	bigint NOT NULL CHECK (cache_read_tokens >= 0),
	PRIMARY KEY (session_id, hour_start)
);
CREATE INDEX token_usage_user_hour ON token_usage (user_id, hour_start);
CREATE INDEX token_usage_hour ON token_usage (hour_start);

-- Per user and UTC day, split by whether the sessions were flagged so
-- rankings can leave flagged sessions out.  A session counts once, on
-- the day it ended; its tokens count on the days its slices fall on.
CREATE TABLE daily_aggregates (
	user_id			uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	day			date NOT NULL,
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
	PRIMARY KEY (user_id, day, flagged)
);
CREATE INDEX daily_aggregates_day ON daily_aggregates (day);

CREATE TABLE rankings (
	period_type		varchar(10) NOT NULL
				CHECK (period_type IN ('daily', 'weekly', 'monthly', 'all_time')),
	period_start		date NOT NULL,
	user_id			uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	rank_position		integer NOT NULL,
	total_tokens		bigint NOT NULL,
	input_tokens		bigint NOT NULL,
	output_tokens		bigint NOT NULL,
	cache_tokens		bigint NOT NULL,
	composite_score		numeric(12, 4) NOT NULL,
	session_count		integer NOT NULL,
	efficiency_score	numeric(7, 4) NOT NULL,
	streak			integer NOT NULL,
	updated_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (period_type, period_start, user_id)
);
CREATE INDEX rankings_board ON rankings (period_type, period_start, rank_position, user_id);
CREATE INDEX rankings_user ON rankings (user_id, period_type, period_start);

CREATE TABLE security_audit_log (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id		uuid REFERENCES users ON DELETE SET NULL,
	event_type	varchar(64) NOT NULL,
	ip_address	varchar(45),
	user_agent	text,
	details		jsonb NOT NULL DEFAULT '{}',
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX security_audit_log_created ON security_audit_log (created_at);
CREATE INDEX security_audit_log_user ON security_audit_log (user_id, created_at);
CREATE INDEX security_audit_log_event ON security_audit_log (event_type, created_at);
