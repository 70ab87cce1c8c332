/*
 * state.h -- per-file read positions and sync bookkeeping
 *
 * For every log file the client has read it remembers the file's
 * identity (device, inode), its size and mtime when last read, how far
 * it was consumed (offset, at a line boundary) and a hash of its first
 * bytes.  A re-sync stats each file and skips those that did not change,
 * reads only the appended bytes of those that grew, and re-reads from
 * the start those that were replaced.  This table is small and loaded on
 * every sync; the much larger store (store.h) is only loaded when there
 * is something to read or to upload.
 *
 * The two files are tied by a generation number: if they disagree (one
 * was lost), both are discarded and everything is read again.
 */
#ifndef CLI_STATE_H
#define CLI_STATE_H

#include <stdint.h>
#include <sys/stat.h>

#include "map.h"

#define HEAD_LEN 4096		/* bytes hashed to recognise a replaced file */

struct fstate {
	char *path;
	uint64_t dev, ino, head;
	int64_t size, mtime_ns, offset;
	uint32_t tool, head_len;
	uint32_t session;	/* whole-file logs: their session, else UINT32_MAX */
	uint32_t present;	/* seen in this scan (not saved) */
};

struct state {
	struct fstate *f;
	size_t n, cap;
	struct u64map index;	/* hash of path -> index in f */
	uint64_t generation;	/* must equal the store's */
	uint64_t salt_hash;	/* of the project salt the bodies used */
	int64_t last_sync_ms, last_ok_ms, not_before_ms;
	uint32_t pending;	/* sessions waiting for upload */
	int32_t last_status;	/* exit code of the last sync */
	int changed;
};

void state_init(struct state *s);
void state_release(struct state *s);
/* 0, or 1 when there was no usable file (s is empty), or -1. */
int state_load(struct state *s, const char *path);
int state_save(struct state *s, const char *path);

/* The entry for path, created (zeroed, offset 0) if new. */
struct fstate *state_file(struct state *s, const char *path);
/* Forget all read positions (everything will be read again). */
void state_forget_files(struct state *s);

#endif
