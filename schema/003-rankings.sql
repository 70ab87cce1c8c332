-- 003-rankings.sql -- the composite score in SQL, the ranking build, and
-- the periods the leaderboard reads.
--
-- Periods are UTC calendar periods: a day; an ISO week from Monday 00:00;
-- a calendar month; and all time.  Every run ranks the current period of
-- each and the one that just closed (yesterday, last week, last month),
-- so late or backfilled sessions still reach the final standings.

-- One row per ranked period: what the leaderboard shows as its header,
-- and `participants` (users with any activity in the period), written in
-- the same transaction as the period's rankings rows.
CREATE TABLE ranking_periods (
	period_type	varchar(10) NOT NULL
			CHECK (period_type IN ('daily', 'weekly', 'monthly', 'all_time')),
	period_start	date NOT NULL,
	period_end	date,		-- exclusive; NULL for all_time
	participants	integer NOT NULL,
	include_flagged	boolean NOT NULL,
	computed_at	timestamptz NOT NULL,
	PRIMARY KEY (period_type, period_start)
);

-- A board page is read in score order, which is rank order (ties by
-- user_id).  Indexing the score rather than rank_position means that when
-- one user climbs and everyone below moves down a place, those rows'
-- updates touch no indexed column and stay HOT; fillfactor leaves room on
-- each page for them.
DROP INDEX rankings_board;
CREATE INDEX rankings_board ON rankings (period_type, period_start, composite_score DESC, user_id);
ALTER TABLE rankings SET (fillfactor = 70);

-- The ranking reads two months of monthly_aggregates, not all of them.
CREATE INDEX monthly_aggregates_month ON monthly_aggregates (month);

-- The composite score, operation for operation as score_compute() in
-- lib/score.c (see lib/score.h for the formula): every integer becomes
-- float8 first, log() of float8 is log10, the weighted sum runs left to
-- right, and the result is rounded half up to two decimals.  Keeping the
-- two identical is what t/0400-rankings.sh checks.  (Not STRICT, so the
-- planner inlines it into the ranking query instead of calling it per row.)
CREATE FUNCTION arena_score(i bigint, o bigint, n bigint, streak integer)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT floor(1000::float8 * (
		0.40::float8 * least(1::float8,
			log(greatest(i, 0)::float8 + greatest(o, 0)::float8 + 1::float8) / 10::float8)
		+ 0.25::float8 * CASE WHEN i > 0
			THEN least(greatest(o, 0)::float8 / i::float8, 2::float8) / 2::float8
			ELSE 0::float8 END
		+ 0.20::float8 * least(1::float8, log(greatest(n, 0)::float8 + 1::float8) / 3::float8)
		+ 0.15::float8 * (least(greatest(streak, 0), 30)::float8 / 30::float8)
	) * 100::float8 + 0.5::float8) / 100::float8
$$;

-- The efficiency term on its own (0..1), shown as efficiencyScore.  The
-- raw output/input ratio is not shown: with cache tokens outside input it
-- runs into the thousands for some tools and says nothing.
CREATE FUNCTION arena_efficiency(i bigint, o bigint)
RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT round((CASE WHEN i > 0
		THEN least(greatest(o, 0)::float8 / i::float8, 2::float8) / 2::float8
		ELSE 0::float8 END)::numeric, 4)
$$;

-- The length of the run of set bits in mask from bit `off` upwards (the
-- streak through day p_today - off, see arena_rankings_build()), plus
-- `tail` days when the run reaches bit 62, the mask's oldest day.
CREATE FUNCTION arena_run(mask bigint, off integer, tail integer)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	-- as text, bit 0 is the last character: count the trailing ones
	SELECT 63 - length(rtrim(((mask >> off)::bit(63))::text, '1'))
	       + CASE WHEN length(rtrim(((mask >> off)::bit(63))::text, '1')) = off
		      THEN coalesce(tail, 0) ELSE 0 END
$$;

-- Ranks the current and the just-closed period of every type as of UTC
-- day p_today and replaces their rows in rankings and ranking_periods.
-- Call it inside one transaction: readers see the old rankings or the new
-- ones, never a mix.  Rows that did not change are not rewritten, so a
-- run every few minutes writes little.  Returns one row per period.
--
-- A streak is the island of consecutive days with a counted session that
-- runs through the period's last day; for a current period, through
-- today or else yesterday, since a streak does not end before the day is
-- over.  Every period ends within 32 days of p_today, so the islands are
-- read from a 63-day bit mask per user (one hash aggregate, no sort);
-- only for users whose run reaches the mask's oldest day are the older
-- days read, as gaps and islands (day - row_number() is constant along
-- an island).
CREATE FUNCTION arena_rankings_build(p_today date, p_include_flagged boolean)
RETURNS TABLE (period_type varchar, period_start date, participants integer)
LANGUAGE plpgsql AS $$
DECLARE
	ws date := date_trunc('week', p_today)::date;	-- ISO: weeks start on Monday
	ms date := date_trunc('month', p_today)::date;
	prev_ms date := (date_trunc('month', p_today) - interval '1 month')::date;
	-- how many days before p_today the oldest period ending ends
	last_end integer := greatest(1, p_today - ws + 1, p_today - ms + 1);
BEGIN
	-- Each step lands in a temporary table that is analyzed, so the next
	-- step is planned on real row counts (hash joins, not sorts of
	-- hundreds of thousands of uuids).  Period names sort as "C".
	DROP TABLE IF EXISTS pg_temp.period_build, pg_temp.streak_build, pg_temp.ranking_build,
		pg_temp.ranking_diff;
	CREATE TEMP TABLE period_build ON COMMIT DROP AS
	SELECT v.pt::varchar(10) COLLATE "C" AS pt, v.ps, v.pe FROM (VALUES
		('daily', p_today, p_today + 1),
		('daily', p_today - 1, p_today),
		('weekly', ws, ws + 7),
		('weekly', ws - 7, ws),
		('monthly', ms, (ms + interval '1 month')::date),
		('monthly', prev_ms, ms),
		('all_time', date '1970-01-01', NULL::date)
	) v (pt, ps, pe);

	-- 1. every user's streak through each period's end
	CREATE TEMP TABLE streak_build ON COMMIT DROP AS
	WITH masks AS (
		-- bit k is set when a counted session ended on day p_today - k
		SELECT d.user_id, bit_or(1::bigint << (p_today - d.day)) AS m
		FROM daily_aggregates d
		WHERE d.session_count > 0 AND d.day <= p_today AND d.day > p_today - 63
		  AND (p_include_flagged OR NOT d.flagged)
		GROUP BY d.user_id
	), tails AS (
		-- gaps and islands over the older days, for the few users whose
		-- run through some period's end reaches the mask's oldest day: the
		-- island that ends on day p_today - 63 continues that run
		SELECT g.user_id, count(*)::integer AS days
		FROM (SELECT a.user_id, a.day,
			     a.day - (row_number() OVER (PARTITION BY a.user_id ORDER BY a.day))::integer AS grp
		      FROM (SELECT DISTINCT d.user_id, d.day
			    FROM daily_aggregates d
			    JOIN masks m ON m.user_id = d.user_id
			     AND m.m >> last_end = (1::bigint << (63 - last_end)) - 1
			    WHERE d.session_count > 0 AND d.day <= p_today - 63
			      AND (p_include_flagged OR NOT d.flagged)) a) g
		GROUP BY g.user_id, g.grp
		HAVING max(g.day) = p_today - 63
	)
	SELECT m.user_id,
	       CASE WHEN m.m & 1 = 1 THEN arena_run(m.m, 0, t.days)
		    ELSE arena_run(m.m, 1, t.days) END AS now_days,
	       arena_run(m.m, 1, t.days) AS yesterday_days,
	       arena_run(m.m, p_today - ws + 1, t.days) AS last_week_days,
	       arena_run(m.m, p_today - ms + 1, t.days) AS last_month_days
	FROM masks m LEFT JOIN tails t ON t.user_id = m.user_id;
	ANALYZE pg_temp.streak_build;

	-- 2. every participant's totals, score and place in each period
	CREATE TEMP TABLE ranking_build ON COMMIT DROP AS
	WITH days AS MATERIALIZED (
		SELECT d.user_id, d.day, d.input_tokens AS i, d.output_tokens AS o,
		       d.cache_creation_tokens + d.cache_read_tokens AS c, d.session_count AS n
		FROM daily_aggregates d
		WHERE d.day >= ws - 7 AND d.day < ws + 7 AND (p_include_flagged OR NOT d.flagged)
	), sums AS (
		SELECT 'daily' AS pt, x.day AS ps, x.day = p_today AS cur, x.user_id,
		       sum(x.i)::bigint AS i, sum(x.o)::bigint AS o, sum(x.c)::bigint AS c,
		       sum(x.n)::bigint AS n
		FROM days x WHERE x.day >= p_today - 1 AND x.day <= p_today
		GROUP BY x.day, x.user_id
		UNION ALL
		SELECT 'weekly', date_trunc('week', x.day)::date, date_trunc('week', x.day)::date = ws,
		       x.user_id, sum(x.i)::bigint, sum(x.o)::bigint, sum(x.c)::bigint, sum(x.n)::bigint
		FROM days x GROUP BY 2, x.user_id
		UNION ALL
		SELECT 'monthly', m.month, m.month = ms, m.user_id, sum(m.input_tokens)::bigint,
		       sum(m.output_tokens)::bigint,
		       sum(m.cache_creation_tokens + m.cache_read_tokens)::bigint,
		       sum(m.session_count)::bigint
		FROM monthly_aggregates m
		WHERE m.month IN (ms, prev_ms) AND (p_include_flagged OR NOT m.flagged)
		GROUP BY m.month, m.user_id
		UNION ALL
		SELECT 'all_time', date '1970-01-01', true, t.user_id, sum(t.input_tokens)::bigint,
		       sum(t.output_tokens)::bigint,
		       sum(t.cache_creation_tokens + t.cache_read_tokens)::bigint,
		       sum(t.session_count)::bigint
		FROM user_totals t WHERE p_include_flagged OR NOT t.flagged
		GROUP BY t.user_id
	), scored AS (
		SELECT u.pt COLLATE "C" AS pt, u.ps, u.user_id, u.i, u.o, u.c, u.n, u.streak,
		       arena_score(u.i, u.o, u.n, u.streak) AS score
		FROM (SELECT s.*, coalesce(CASE
				WHEN s.cur THEN k.now_days
				WHEN s.pt = 'daily' THEN k.yesterday_days
				WHEN s.pt = 'weekly' THEN k.last_week_days
				ELSE k.last_month_days END, 0)::integer AS streak
		      FROM sums s LEFT JOIN streak_build k ON k.user_id = s.user_id
		      -- a participant did something in the period
		      WHERE s.i > 0 OR s.o > 0 OR s.c > 0 OR s.n > 0) u
	)
	SELECT r.pt, r.ps, r.user_id,
	       (rank() OVER (PARTITION BY r.pt, r.ps ORDER BY r.score DESC))::integer AS pos,
	       r.i, r.o, r.c, r.n::integer AS n, r.streak, r.score::numeric(12, 4) AS score,
	       arena_efficiency(r.i, r.o)::numeric(7, 4) AS eff
	FROM scored r;
	ANALYZE pg_temp.ranking_build;

	-- 3. what differs from the stored rankings of these periods: rows that
	-- are new, changed or gone (one hash join; usually few rows)
	CREATE TEMP TABLE ranking_diff ON COMMIT DROP AS
	SELECT coalesce(b.pt, k.period_type) AS pt, coalesce(b.ps, k.period_start) AS ps,
	       coalesce(b.user_id, k.user_id) AS user_id, k.user_id IS NULL AS is_new,
	       b.user_id IS NULL AS is_gone, b.pos, b.i, b.o, b.c, b.n, b.streak, b.score, b.eff
	FROM ranking_build b
	FULL JOIN (SELECT r.* FROM rankings r JOIN period_build p
		   ON r.period_type = p.pt AND r.period_start = p.ps) k
	  ON k.period_type = b.pt AND k.period_start = b.ps AND k.user_id = b.user_id
	WHERE b.user_id IS NULL OR k.user_id IS NULL
	   OR (k.rank_position, k.input_tokens, k.output_tokens, k.cache_tokens,
	       k.composite_score, k.session_count, k.efficiency_score, k.streak)
	      IS DISTINCT FROM (b.pos, b.i, b.o, b.c, b.score, b.n, b.eff, b.streak);
	ANALYZE pg_temp.ranking_diff;

	-- 4. the swap
	DELETE FROM rankings k USING ranking_diff d
	WHERE d.is_gone AND k.period_type = d.pt AND k.period_start = d.ps AND k.user_id = d.user_id;

	UPDATE rankings k SET
		rank_position = d.pos, total_tokens = d.i + d.o, input_tokens = d.i,
		output_tokens = d.o, cache_tokens = d.c, composite_score = d.score,
		session_count = d.n, efficiency_score = d.eff, streak = d.streak, updated_at = now()
	FROM ranking_diff d
	WHERE NOT d.is_new AND NOT d.is_gone
	  AND k.period_type = d.pt AND k.period_start = d.ps AND k.user_id = d.user_id;

	INSERT INTO rankings (period_type, period_start, user_id, rank_position, total_tokens,
		input_tokens, output_tokens, cache_tokens, composite_score, session_count,
		efficiency_score, streak)
	SELECT d.pt, d.ps, d.user_id, d.pos, d.i + d.o, d.i, d.o, d.c, d.score, d.n, d.eff, d.streak
	FROM ranking_diff d WHERE d.is_new
	ORDER BY d.pt, d.ps, d.user_id;

	PERFORM pg_notify('arena_board', p_today::text);
	RETURN QUERY
	INSERT INTO ranking_periods AS rp (period_type, period_start, period_end, participants,
		include_flagged, computed_at)
	SELECT p.pt, p.ps, p.pe, coalesce(c.n, 0)::integer, p_include_flagged, now()
	FROM period_build p
	LEFT JOIN (SELECT b.pt, b.ps, count(*) AS n FROM ranking_build b GROUP BY b.pt, b.ps) c
	       ON c.pt = p.pt AND c.ps = p.ps
	ORDER BY p.pt, p.ps
	ON CONFLICT ON CONSTRAINT ranking_periods_pkey DO UPDATE SET
		period_end = EXCLUDED.period_end, participants = EXCLUDED.participants,
		include_flagged = EXCLUDED.include_flagged, computed_at = EXCLUDED.computed_at
	RETURNING rp.period_type, rp.period_start, rp.participants;
END $$;

-- Retention (cron/cleanup-data) deletes the per-day breakdowns by day in
-- small batches; without these each batch would scan the whole table.
CREATE INDEX daily_model_usage_day ON daily_model_usage (day);
CREATE INDEX daily_tool_usage_day ON daily_tool_usage (day);
CREATE INDEX daily_tool_type_usage_day ON daily_tool_type_usage (day);

-- Leaderboard workers keep the pages they served and drop them when told
-- on channel arena_board: by a ranking run (arena_rankings_build() notifies
-- inside its transaction, so the news arrives with the commit) and by any
-- change to what a board row shows of a user.
CREATE FUNCTION arena_board_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('arena_board', '');
	RETURN NULL;
END $$;
CREATE TRIGGER users_board_changed
	AFTER UPDATE OF username, avatar_url, privacy_mode OR DELETE ON users
	FOR EACH STATEMENT EXECUTE FUNCTION arena_board_changed();
