/*
 * arena.h -- per-request memory
 *
 * Everything a request allocates comes from one arena and goes away at
 * once with arena_reset() after the response is written, so a worker
 * serving a million requests cannot leak.  Allocation never fails: on
 * out-of-memory the process aborts and its supervisor starts another.
 *
 * Memory from arena_alloc() is valid until the next arena_reset() or
 * arena_release() of the same arena.  Never free() it.
 */
#ifndef ARENA_ARENA_H
#define ARENA_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;	/* newest block first */
	size_t used;			/* bytes handed out since reset */
};

#define ARENA_INIT { NULL, 0 }

void arena_init(struct arena *a);

/* Returns n bytes aligned for any type; zero-filled. */
void *arena_alloc(struct arena *a, size_t n);

/* NUL-terminated copies allocated from a. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Frees everything but the first block, which is kept for reuse. */
void arena_reset(struct arena *a);

/* Frees everything; the arena may be used again after arena_init(). */
void arena_release(struct arena *a);

#endif
