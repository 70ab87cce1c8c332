-- pgbench-ingest.sql -- the second baseline: the whole ingestion
-- transaction (arena_ingest, with every aggregate and the audit row) run
-- by pgbench straight against the database, without HTTP, FastCGI,
-- authentication or signatures.  The gap to this is the cost of the
-- server around the database.
\set u random(1, 100)
\set n random(1, 2000000000)
SELECT outcome FROM arena_ingest((SELECT id FROM users WHERE username = 'bench' || CAST(:u AS text)),
	'claude-code', 'sid:claude-code:pgb-' || CAST(:n AS text) || '-' || CAST(:client_id AS text),
	'pgb-' || CAST(:n AS text), repeat('a', 64), repeat('b', 64), NULL,
	now() - interval '1 hour', now() - interval '1 minute', 1800, 'claude-sonnet-4-20250514', 12,
	40000, 8000, 5000, 200000, '{"Bash":5,"Edit":3,"Read":12}',
	'{"linesAdded":120,"linesDeleted":30,"filesModified":4,"filesCreated":1}', '{}', '[]',
	10, 1000, '127.0.0.1', 'pgbench');
