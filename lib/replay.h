/*
 * replay.h -- a signed request is accepted once
 *
 * Every request whose signature (v1 or v2) checked out is remembered by
 * its 32 MAC bytes until its timestamp leaves the signature window; the
 * same bytes again inside the window are a replay (401 replay_detected).
 * A client that retries signs again with a new timestamp or nonce, and
 * its retry is then answered by ingestion's idempotency.  The memory is
 * shared in PostgreSQL (schema/005-signing.sql), so a replay is caught
 * whichever worker or host it reaches.
 *
 * Call it only after the signature was verified, so that nobody can fill
 * the table with made-up signatures.  Endpoints list REPLAY_STMT.
 */
#ifndef ARENA_REPLAY_H
#define ARENA_REPLAY_H

#include <stdint.h>

#include "db.h"

#define REPLAY_STMT \
	{ "replay_remember", "SELECT replay_remember(decode($1, 'hex'), $2::bigint)", 2 }

enum replay_result {
	REPLAY_FRESH = 0,	/* first time: go ahead */
	REPLAY_SEEN = 1,	/* already accepted once: refuse */
	REPLAY_UNAVAILABLE = -1,	/* the database did not answer: 503 */
};

/* ts is the request's signed timestamp (unix seconds). */
enum replay_result replay_check(struct db *db, const unsigned char sig[32], int64_t ts);

#endif
