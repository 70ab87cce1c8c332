/*
 * ingest.h -- feeding log files into the store
 *
 * ingest_file() brings the store up to date with one log file whose
 * state entry (fs) says how far it was read before.  Claude Code
 * transcripts are append-only: only the bytes after fs->offset are read,
 * up to the last complete line (a final line without its newline is
 * taken only if it is a complete JSON value, so a line being written is
 * never half-counted).  Codex and Gemini logs are re-read whole when they
 * change, replacing what their session counted.  SQLite stores (OpenCode,
 * Crush; a logfile with is_db set) are queried whole, read-only, when the
 * database or its write-ahead log changed; their messages are counted by
 * id, so a second read replaces rather than adds.
 *
 * On return fs records the file's identity and new offset.  Returns the
 * number of bytes read, or -1 if the file could not be read (reported).
 */
#ifndef CLI_INGEST_H
#define CLI_INGEST_H

#include <stdint.h>

#include "sources.h"
#include "state.h"
#include "store.h"

/* 1 if the file changed since fs was recorded (or is new). */
int ingest_changed(const struct fstate *fs, const struct logfile *lf);

int64_t ingest_file(struct store *st, struct fstate *fs, const struct logfile *lf);

/* The per-tool readers (claude in ingest.c, the others in their files). */
void ingest_claude_lines(struct store *st, const struct logfile *lf,
			 const char *p, size_t n, int64_t *consumed);
int ingest_codex(struct store *st, struct fstate *fs, const struct logfile *lf,
		 const char *p, size_t n);
int ingest_gemini(struct store *st, struct fstate *fs, const struct logfile *lf,
		  const char *p, size_t n);
/* OpenCode (opencode.c): the database, or one message file of the old tree. */
int ingest_opencode_db(struct store *st, const struct logfile *lf);
int ingest_opencode_msg(struct store *st, const struct logfile *lf, const char *p, size_t n);
/* Crush (crush.c): one project's database. */
int ingest_crush_db(struct store *st, const struct logfile *lf);

#endif
