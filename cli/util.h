/*
 * util.h -- messages, paths and files for the modu-arena client
 *
 * Errors are reported once, where the reason is known, as one line on
 * stderr prefixed with "modu-arena: "; functions then return -1.
 * Strings returned by the path helpers are malloc'd: the caller frees.
 */
#ifndef CLI_UTIL_H
#define CLI_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"

/* Exit codes, documented in modu-arena(1). */
enum {
	EXIT_OK = 0,
	EXIT_ERROR = 1,		/* local failure: files, parse, internal */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_CONFIG = 3,	/* not installed, or the server refused the key */
	EXIT_TEMPFAIL = 4,	/* server unreachable or busy; work kept queued */
	EXIT_REJECTED = 5,	/* the server rejected some sessions */
};

/* Set by --quiet: suppresses note(), never error(). */
extern int cli_quiet;

int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* $HOME, or the passwd entry; never NULL (aborts without either). */
const char *home_dir(void);
/* $XDG_CONFIG_HOME or ~/.config; $XDG_STATE_HOME or ~/.local/state. */
char *xdg_config_home(void);
char *xdg_state_home(void);
/* Our own directories: .../modu-arena */
char *config_dir(void);
char *state_dir(void);

/* mkdir -p with the given mode for directories it creates. */
int mkdir_p(const char *path, mode_t mode);

/* Reads a whole file into b (appending).  Returns 0, or -1 with errno set
 * and nothing reported (the caller decides whether absence is an error). */
int read_file(const char *path, struct buf *b);

/*
 * Writes data to path atomically: a temporary file in the same directory
 * with the given mode, fsync'd, then renamed over path.  Returns 0 or -1
 * after reporting.
 */
int write_file_atomic(const char *path, const void *data, size_t n, mode_t mode);
/*
 * The same without fsync, for caches that are rebuilt when lost or torn
 * (the sync state): a crash may leave the old or no file, never a mix.
 */
int write_file_replace(const char *path, const void *data, size_t n, mode_t mode);

/* 64-bit non-cryptographic hash (FNV-1a, then a final mix). */
uint64_t hash64(const void *p, size_t n);
uint64_t hash64_seed(uint64_t seed, const void *p, size_t n);

/* The absolute path of the running executable (malloc'd), or NULL. */
char *self_exe(void);

/* Quotes s for a POSIX shell: 'it'\''s' (appended to b). */
void shell_quote(struct buf *b, const char *s);

#endif
