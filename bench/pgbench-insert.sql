-- pgbench-insert.sql -- the baseline for the ingest benchmark: the same
-- single-row insert transaction a session upload ends in, without the
-- aggregates, signature or HTTP around it.
\set u random(1, 100)
\set n random(1, 2000000000)
INSERT INTO bench_insert (user_id, identity, input_tokens, output_tokens, cache_creation_tokens,
	cache_read_tokens, ended_at, tool_usage)
VALUES (:u, 'bench-' || :n || '-' || :client_id, 40000, 8000, 5000, 200000, now(),
	'{"Read":12,"Edit":3,"Bash":5}')
ON CONFLICT DO NOTHING;
