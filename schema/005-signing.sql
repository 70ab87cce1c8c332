-- 005-signing.sql -- what signing v2 and replay protection need.
--
-- v2 clients never send their key, so the server must be able to compute
-- their signing secret, HMAC-SHA256(key, 'modu-arena-v2').  It is kept
-- sealed (AES-256-GCM, 61 bytes: version, nonce, ciphertext, tag) under
-- the server key ARENA_SECRET_KEY, which lives in the environment and
-- never in the database.  Keys issued before this migration have none
-- and sign with v1 until regenerated.
ALTER TABLE api_keys ADD COLUMN signing_secret bytea
	CHECK (signing_secret IS NULL OR length(signing_secret) = 61);

-- v2 names a key by its public prefix, so a live prefix names one key
CREATE UNIQUE INDEX api_keys_prefix_active ON api_keys (key_prefix) WHERE revoked_at IS NULL;

-- Signatures already accepted, until their timestamp leaves the window:
-- a byte-identical request seen again is a replay.  UNLOGGED: a crash
-- forgets at most one window of signatures, and a replayed session is
-- still absorbed by ingestion's idempotency.
CREATE UNLOGGED TABLE replay_guard (
	signature	bytea PRIMARY KEY CHECK (length(signature) = 32),
	expires_at	bigint NOT NULL		-- unix seconds
);

-- true the first time a signature is seen, false for a replay.
CREATE FUNCTION replay_remember(p_signature bytea, p_expires bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	IF random() < 0.01 THEN
		-- now and then forget what has expired; never wait for it
		DELETE FROM replay_guard WHERE ctid = ANY (ARRAY(
			SELECT ctid FROM replay_guard
			WHERE expires_at < extract(epoch FROM clock_timestamp())
			LIMIT 1000 FOR UPDATE SKIP LOCKED));
	END IF;
	INSERT INTO replay_guard (signature, expires_at) VALUES (p_signature, p_expires)
	ON CONFLICT (signature) DO NOTHING;
	RETURN FOUND;
END;
$$;
