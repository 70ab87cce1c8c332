-- 008-evaluations.sql -- project evaluations: what a user submitted
-- (name, README text, file counts per extension), its state, and the
-- model's scores.  One row per (user, project name): submitting the same
-- project again replaces its evaluation.  Every submission is also
-- logged, for the daily quota, which counts submissions, not rows.

CREATE TABLE evaluations (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id		uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	project_name	varchar(255) NOT NULL CHECK (length(project_name) >= 1),
	readme		text NOT NULL CHECK (octet_length(readme) <= 50000),
	file_counts	jsonb NOT NULL CHECK (jsonb_typeof(file_counts) = 'object'),
	state		text NOT NULL DEFAULT 'queued'
			CHECK (state IN ('queued', 'running', 'done', 'failed')),
	attempts	integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	next_attempt_at	timestamptz NOT NULL DEFAULT now(),
	claim		uuid,		-- set by the run that holds it 'running'
	claimed_at	timestamptz,
	functionality	smallint CHECK (functionality BETWEEN 0 AND 5),
	practicality	smallint CHECK (practicality BETWEEN 0 AND 5),
	feedback	text CHECK (feedback IS NULL OR length(feedback) BETWEEN 1 AND 4000),
	reason		text,		-- why it failed, or why the last attempt did
	model		text,
	submitted_at	timestamptz NOT NULL DEFAULT now(),
	finished_at	timestamptz,
	UNIQUE (user_id, project_name),
	-- a score exists exactly when the evaluation is done
	CHECK ((state = 'done') = (functionality IS NOT NULL AND practicality IS NOT NULL
				   AND feedback IS NOT NULL)),
	CHECK ((state = 'running') = (claim IS NOT NULL)),
	CHECK (state <> 'failed' OR reason IS NOT NULL)
);
CREATE INDEX evaluations_pending ON evaluations (next_attempt_at) WHERE state = 'queued';
CREATE INDEX evaluations_passed ON evaluations (user_id)
	WHERE state = 'done' AND functionality + practicality >= 5;

CREATE TABLE evaluation_submissions (
	user_id		uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	submitted_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evaluation_submissions_user ON evaluation_submissions (user_id, submitted_at);

-- Stores a submission: 'quota' when the user already submitted p_quota
-- times this UTC day, else 'accepted' with the evaluation's id (the same
-- id when the project was submitted before: its result is replaced and it
-- is queued again).  The user's row is locked so that two submissions at
-- once cannot both pass the quota.
CREATE FUNCTION arena_evaluation_submit(p_user uuid, p_name text, p_readme text,
					p_counts jsonb, p_quota integer)
RETURNS TABLE (outcome text, evaluation_id uuid) LANGUAGE plpgsql AS $$
DECLARE
	n integer;
BEGIN
	PERFORM 1 FROM users WHERE id = p_user FOR UPDATE;
	SELECT count(*) INTO n FROM evaluation_submissions
	 WHERE user_id = p_user
	   AND submitted_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
	IF n >= p_quota THEN
		RETURN QUERY SELECT 'quota'::text, NULL::uuid;
		RETURN;
	END IF;
	INSERT INTO evaluation_submissions (user_id) VALUES (p_user);
	RETURN QUERY
	INSERT INTO evaluations AS e (user_id, project_name, readme, file_counts)
	VALUES (p_user, p_name, p_readme, p_counts)
	ON CONFLICT (user_id, project_name) DO UPDATE
	   SET readme = EXCLUDED.readme, file_counts = EXCLUDED.file_counts,
	       state = 'queued', attempts = 0, next_attempt_at = now(),
	       claim = NULL, claimed_at = NULL, functionality = NULL,
	       practicality = NULL, feedback = NULL, reason = NULL, model = NULL,
	       submitted_at = now(), finished_at = NULL
	RETURNING 'accepted'::text, e.id;
END
$$;
