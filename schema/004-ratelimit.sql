-- 004-ratelimit.sql -- rate-limit state shared by every worker and host.
--
-- One row per bucket (a class and a subject such as a user or a client
-- address) holding the times of the requests it counted in the last
-- window, oldest first: a sliding log.  A request is let through only
-- while fewer than the quota were counted in the window that ends now, so
-- no window of that length ever holds more than the quota, however many
-- processes and hosts served the requests.  (A token bucket or GCRA with a
-- burst of the quota would let up to twice the quota through in a window:
-- the burst, then the refill.)  The log is bounded by the quota, which
-- the configuration caps.
--
-- The clock is the database's, one for all app hosts.  UNLOGGED: after a
-- crash the state is worth nothing, and skipping the WAL keeps a check to
-- one short round trip.

CREATE UNLOGGED TABLE rate_limits (
	bucket		text PRIMARY KEY,
	hits		bigint[] NOT NULL,		-- epoch ms, ascending
	expires_ms	bigint NOT NULL,		-- when the row stops mattering
	reported_ms	bigint NOT NULL DEFAULT 0	-- last refusal sent to the audit log
);

-- Counts one request against p_bucket (p_count), or only looks (NOT
-- p_count).  allowed: whether it may go ahead; remaining: quota left in the
-- window; reset_ms: until more quota is available; report: this refusal is
-- the first in a window and should be audited (so a flood writes one row
-- per subject and window, not one per request).
CREATE FUNCTION rate_limit_hit(p_bucket text, p_quota integer, p_window_ms bigint,
			       p_count boolean,
			       OUT allowed boolean, OUT remaining integer,
			       OUT reset_ms bigint, OUT report boolean)
LANGUAGE plpgsql AS $$
DECLARE
	h bigint[];
	rep bigint;
	now_ms bigint;
	cutoff bigint;
	i integer := 1;
	n integer;
BEGIN
	report := false;
	IF p_count AND random() < 0.001 THEN
		-- now and then forget buckets that no longer matter; never wait
		DELETE FROM rate_limits WHERE ctid = ANY (ARRAY(
			SELECT ctid FROM rate_limits
			WHERE expires_ms < floor(extract(epoch FROM clock_timestamp()) * 1000)
			LIMIT 1000 FOR UPDATE SKIP LOCKED));
	END IF;
	IF p_count THEN
		SELECT hits, reported_ms INTO h, rep FROM rate_limits
		WHERE bucket = p_bucket FOR UPDATE;
		IF NOT FOUND THEN
			now_ms := floor(extract(epoch FROM clock_timestamp()) * 1000);
			INSERT INTO rate_limits (bucket, hits, expires_ms)
			VALUES (p_bucket, ARRAY[now_ms], now_ms + p_window_ms)
			ON CONFLICT (bucket) DO NOTHING;
			IF FOUND THEN
				allowed := true;
				remaining := p_quota - 1;
				reset_ms := p_window_ms;
				RETURN;
			END IF;
			-- another request created it first: wait for it, then count
			SELECT hits, reported_ms INTO h, rep FROM rate_limits
			WHERE bucket = p_bucket FOR UPDATE;
		END IF;
	ELSE
		SELECT hits, reported_ms INTO h, rep FROM rate_limits WHERE bucket = p_bucket;
		IF NOT FOUND THEN
			h := '{}';
			rep := 0;
		END IF;
	END IF;

	-- the time is read under the row lock, so the log stays in order
	now_ms := floor(extract(epoch FROM clock_timestamp()) * 1000);
	cutoff := now_ms - p_window_ms;
	n := cardinality(h);
	WHILE i <= n AND h[i] <= cutoff LOOP
		i := i + 1;
	END LOOP;
	h := h[i:n];
	n := cardinality(h);
	allowed := n < p_quota;

	IF allowed AND p_count THEN
		h := h || now_ms;
		n := n + 1;
		UPDATE rate_limits SET hits = h, expires_ms = now_ms + p_window_ms
		WHERE bucket = p_bucket;
	ELSIF NOT allowed AND rep <= cutoff THEN
		UPDATE rate_limits SET reported_ms = now_ms, hits = h,
			expires_ms = now_ms + p_window_ms
		WHERE bucket = p_bucket AND reported_ms <= cutoff;
		report := FOUND;
	END IF;

	remaining := greatest(p_quota - n, 0);
	-- more quota comes back when the request that fills the quota ages out
	IF n = 0 THEN
		reset_ms := 0;
	ELSE
		reset_ms := h[greatest(n - p_quota + 1, 1)] + p_window_ms - now_ms;
	END IF;
END;
$$;
