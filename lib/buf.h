/*
 * buf.h -- a growable byte string
 *
 * b->s is always NUL-terminated (once anything was added) and owned by
 * the buf: buf_release() frees it, buf_reset() keeps the capacity for the
 * next use.  Growth failure aborts, like arena allocation.
 */
#ifndef ARENA_BUF_H
#define ARENA_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *s;
	size_t len, cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_init(struct buf *b);
void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void buf_reset(struct buf *b);
void buf_release(struct buf *b);

/* Returns b's string, "" when empty; valid until b changes. */
const char *buf_str(const struct buf *b);

#endif
