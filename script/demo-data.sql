-- demo-data.sql -- a few demo developers with 30 days of sessions, loaded
-- by script/server on a fresh database.  Deterministic: same data every
-- time.  It goes through arena_ingest(), exactly like uploads do.
SELECT setseed(0.42);

INSERT INTO users (username, github_username)
SELECT 'dev' || lpad(n::text, 2, '0'), 'dev' || lpad(n::text, 2, '0')
FROM generate_series(1, 24) n
ON CONFLICT (username) DO NOTHING;

UPDATE users SET privacy_mode = true WHERE username IN ('dev07', 'dev19');

SELECT count(*) FROM (
	SELECT arena_ingest(u.id, tool, 'sid:' || tool || ':demo-' || u.username || '-' || d,
		'demo-' || u.username || '-' || d, md5(u.username || d) || md5(d || u.username),
		md5('c' || u.username || d) || md5('c' || d || u.username), 'proj_demo',
		ended - make_interval(secs => dur), ended, dur, model, turns,
		inp, outp, inp / 4, inp * 6, '{"Read":12,"Edit":4,"Bash":3}',
		jsonb_build_object('linesAdded', outp / 40, 'linesDeleted', outp / 120,
				   'filesModified', 3, 'filesCreated', 1),
		'{}', '[]', 10, 1000, NULL, 'demo-data')
	FROM (
		SELECT u.id, u.username, d,
		       (ARRAY['claude-code', 'claude-code', 'codex', 'gemini'])[1 + (random() * 3)::int] AS tool,
		       (ARRAY['claude-sonnet-4-20250514', 'claude-opus-4-20250514', 'gpt-5-codex'])[1 + (random() * 2)::int] AS model,
		       date_trunc('hour', now()) - make_interval(days => d, hours => (random() * 12)::int) AS ended,
		       600 + (random() * 7200)::int AS dur,
		       5 + (random() * 60)::int AS turns,
		       (20000 + random() * 400000 * (1 + (ascii(right(u.username, 1)) % 5)))::bigint AS inp,
		       (4000 + random() * 60000)::bigint AS outp
		FROM users u, generate_series(0, 29) d
		WHERE u.username LIKE 'dev%' AND random() < 0.2 + (ascii(right(u.username, 1)) % 7) / 10.0
	) u
) loaded;
