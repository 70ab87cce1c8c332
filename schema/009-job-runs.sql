-- What the batch jobs last did, for GET /metrics: one row per job, written
-- by the job itself at the end of a successful run.
CREATE TABLE IF NOT EXISTS job_runs (
	job		text PRIMARY KEY,
	last_success	timestamptz NOT NULL,
	duration_ms	bigint NOT NULL CHECK (duration_ms >= 0),
	-- rows deleted by table in the last run (cleanup-data), and since ever
	last_counts	jsonb NOT NULL DEFAULT '{}',
	rows_total	bigint NOT NULL DEFAULT 0,
	runs		bigint NOT NULL DEFAULT 1
);
