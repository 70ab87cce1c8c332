/*
 * spool.h -- the hook's spool and the sync lock
 *
 * The hook appends one JSON line per event to spool.jsonl in the state
 * directory (a single O_APPEND write, so concurrent hooks never mix
 * their lines) and never does anything slower.  sync takes the spool
 * under the lock.  The lock is an flock on the file "lock": held by the
 * running sync for its whole run, so a hook can tell in one system call
 * whether a sync is already running.
 */
#ifndef CLI_SPOOL_H
#define CLI_SPOOL_H

#include <stddef.h>

#include "buf.h"

/* Appends line (a newline is added); 0 or -1 (reported). */
int spool_append(const char *line, size_t n);
/* Empties the spool (hold the lock): a sync reads every log anyway. */
int spool_clear(void);
/* 1 if anything was spooled since the last spool_clear(). */
int spool_pending(void);
/* Number of records waiting (reads the spool: for status only). */
size_t spool_count(void);

/* Takes the sync lock: returns an fd, -2 if busy (when !wait), or -1. */
int lock_take(int wait);
void lock_drop(int fd);

#endif
