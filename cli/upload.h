/*
 * upload.h -- sending session bodies, and what the answers mean
 *
 * Bodies go in batches of at most UPLOAD_BATCH_MAX sessions and
 * UPLOAD_BATCH_BYTES bytes to POST /api/v1/sessions/batch.  Per item:
 * 2xx means stored; 409 means the server already holds larger totals for
 * the session, which is as good (both mark the body acknowledged); any
 * other 4xx means the server refuses this body (marked rejected, not
 * retried until the session changes); 429 and 5xx leave it pending.  For
 * the batch: 401/403 stop everything (the key is wrong), 413 or a
 * batch-level 400/422 splits the batch, and no answer, 429 or 5xx stop
 * the run leaving the rest queued, with Retry-After remembered.
 */
#ifndef CLI_UPLOAD_H
#define CLI_UPLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "body.h"
#include "store.h"

#define UPLOAD_BATCH_MAX 100
#define UPLOAD_BATCH_BYTES (60 * 1024)

struct upload {
	const char *server, *key;
	int progress;		/* draw a progress bar on stderr */
	/* results */
	size_t acked, created, updated, unchanged, conflicts, rejected, sent, total;
	int auth_failed;	/* 401/403: stop */
	int tempfail;		/* not everything could be tried */
	int64_t retry_after;	/* seconds, or -1 */
	char why[256];
};

/* Uploads b's bodies, marking sessions in st.  Returns 0. */
int upload_bodies(struct store *st, struct bodies *b, struct upload *up);

#endif
