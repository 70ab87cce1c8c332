/* spool.c -- the hook's spool and the sync lock */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/file.h>
#include <unistd.h>

#include "spool.h"
#include "util.h"

static char *in_state(const char *name)
{
	char *d = state_dir(), *p = xasprintf("%s/%s", d, name);

	free(d);
	return p;
}

static int ensure_state_dir(void)
{
	char *d = state_dir();
	int rc = mkdir_p(d, 0700);

	free(d);
	return rc;
}

int spool_append(const char *line, size_t n)
{
	char *p = in_state("spool.jsonl"), *rec;
	int fd, rc = 0;

	fd = open(p, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 && errno == ENOENT && ensure_state_dir() == 0)
		fd = open(p, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = error("cannot open '%s': %s", p, strerror(errno));
		free(p);
		return rc;
	}
	rec = xmalloc(n + 1);
	memcpy(rec, line, n);
	rec[n] = '\n';
	if (write(fd, rec, n + 1) != (ssize_t)(n + 1))
		rc = error("cannot write '%s': %s", p, strerror(errno));
	close(fd);
	free(rec);
	free(p);
	return rc;
}

int spool_clear(void)
{
	char *p = in_state("spool.jsonl");
	int rc = 0;

	if (truncate(p, 0) && errno != ENOENT)
		rc = error("cannot empty '%s': %s", p, strerror(errno));
	free(p);
	return rc;
}

int spool_pending(void)
{
	char *p = in_state("spool.jsonl");
	struct stat st;
	int pending = stat(p, &st) == 0 && st.st_size > 0;

	free(p);
	return pending;
}

size_t spool_count(void)
{
	struct buf b = BUF_INIT;
	char *p = in_state("spool.jsonl");
	size_t i, n = 0;

	if (read_file(p, &b) == 0)
		for (i = 0; i < b.len; i++)
			n += b.s[i] == '\n';
	buf_release(&b);
	free(p);
	return n;
}

int lock_take(int wait)
{
	char *p = in_state("lock");
	int fd;

	fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 && errno == ENOENT && ensure_state_dir() == 0)
		fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		error("cannot open '%s': %s", p, strerror(errno));
		free(p);
		return -1;
	}
	free(p);
	while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB))) {
		if (errno == EINTR)
			continue;
		close(fd);
		return errno == EWOULDBLOCK ? -2 : -1;
	}
	return fd;
}

void lock_drop(int fd)
{
	if (fd >= 0) {
		flock(fd, LOCK_UN);
		close(fd);
	}
}
