/* util.c -- messages, paths and files for the modu-arena client */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

int cli_quiet;

static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "modu-arena: ");
	buf_adds(&b, prefix);
	buf_vprintf(&b, fmt, ap);
	buf_addc(&b, '\n');
	/* one write, so lines from concurrent processes do not interleave */
	if (write(2, b.s, b.len) < 0) {
		/* nowhere left to report it */
	}
	buf_release(&b);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
	return -1;
}

void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void note(const char *fmt, ...)
{
	va_list ap;

	if (cli_quiet)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void oom(void)
{
	fputs("modu-arena: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (!b.s)
		return xstrdup("");
	return b.s;
}

const char *home_dir(void)
{
	const char *h = getenv("HOME");
	struct passwd *pw;

	if (h && *h == '/')
		return h;
	pw = getpwuid(getuid());
	if (pw && pw->pw_dir && *pw->pw_dir == '/')
		return pw->pw_dir;
	fputs("modu-arena: cannot determine the home directory\n", stderr);
	exit(EXIT_ERROR);
}

static char *xdg(const char *var, const char *fallback)
{
	const char *v = getenv(var);

	/* the spec says relative values are invalid and must be ignored */
	if (v && *v == '/')
		return xstrdup(v);
	return xasprintf("%s/%s", home_dir(), fallback);
}

char *xdg_config_home(void)
{
	return xdg("XDG_CONFIG_HOME", ".config");
}

char *xdg_state_home(void)
{
	return xdg("XDG_STATE_HOME", ".local/state");
}

char *config_dir(void)
{
	char *base = xdg_config_home(), *d = xasprintf("%s/modu-arena", base);

	free(base);
	return d;
}

char *state_dir(void)
{
	char *base = xdg_state_home(), *d = xasprintf("%s/modu-arena", base);

	free(base);
	return d;
}

int mkdir_p(const char *path, mode_t mode)
{
	char *p = xstrdup(path), *s;
	struct stat st;

	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		{
			char c = *s;

			*s = '\0';
			if (mkdir(p, mode) && errno != EEXIST) {
				error("cannot create directory '%s': %s", p, strerror(errno));
				free(p);
				return -1;
			}
			*s = c;
		}
		if (!*s)
			break;
	}
	if (stat(p, &st) || !S_ISDIR(st.st_mode)) {
		error("'%s' is not a directory", p);
		free(p);
		return -1;
	}
	free(p);
	return 0;
}

int read_file(const char *path, struct buf *b)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	for (;;) {
		buf_grow(b, 65536);
		n = read(fd, b->s + b->len, b->cap - b->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		b->s[b->len] = '\0';
	}
	close(fd);
	return 0;
}

static int write_file(const char *path, const void *data, size_t n, mode_t mode, int durable)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	const char *p = data;
	int fd;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0) {
		error("cannot write '%s': %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	/* the umask may have narrowed it; make it exactly what was asked */
	if (fchmod(fd, mode))
		goto fail;
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += w;
		n -= (size_t)w;
	}
	if (durable && fsync(fd))
		goto fail;
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path))
		goto fail;
	free(tmp);
	return 0;
fail:
	error("cannot write '%s': %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

int write_file_atomic(const char *path, const void *data, size_t n, mode_t mode)
{
	return write_file(path, data, n, mode, 1);
}

int write_file_replace(const char *path, const void *data, size_t n, mode_t mode)
{
	return write_file(path, data, n, mode, 0);
}

uint64_t hash64_seed(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;

	h ^= 0xcbf29ce484222325ULL;
	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	/* splitmix64 finaliser: FNV alone mixes the high bits poorly */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h ? h : 1;	/* 0 means "none" in the tables */
}

uint64_t hash64(const void *p, size_t n)
{
	return hash64_seed(0, p, n);
}

char *self_exe(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(buf);
}

void shell_quote(struct buf *b, const char *s)
{
	buf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			buf_adds(b, "'\\''");
		else
			buf_addc(b, *s);
	}
	buf_addc(b, '\'');
}
