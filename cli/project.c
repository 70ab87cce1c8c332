/* project.c -- what `modu-arena submit` sends about a project */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jsonw.h"
#include "project.h"
#include "util.h"

static const char *const skip_dirs[] = {
	".git", ".hg", ".svn", "node_modules", "vendor", "target", "build", "dist", "_build",
	".venv", "venv", "__pycache__", ".cache", ".next", ".tox", ".gradle", ".idea", NULL,
};

static const char *const readmes[] = {
	"README.md", "README", "README.markdown", "README.rst", "README.txt", "readme.md", NULL,
};

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if none. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

size_t utf8_clean(char *s, size_t n, size_t max)
{
	size_t i = 0;

	while (i < n) {
		size_t k = utf8_seq((unsigned char *)s + i, n - i);

		if (k == 0 || s[i] == '\0') {
			s[i] = '?';
			k = 1;
		}
		if (i + k > max)
			break;
		i += k;
	}
	return i;
}

static void count_ext(struct project *p, const char *name)
{
	const char *dot = strrchr(name, '.');
	char e[20];
	size_t n, i;

	if (!dot || dot == name || !dot[1]) {
		strcpy(e, "(none)");
	} else {
		n = strlen(dot + 1);
		for (i = 0; i < n && i < 16; i++) {
			char c = dot[1 + i];

			c = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
			      c == '-' || c == '+'))
				break;
			e[i] = c;
		}
		e[i] = '\0';
		if (i != n || n > 16)
			strcpy(e, "(other)");
	}
	for (i = 0; i < p->next; i++)
		if (strcmp(p->ext[i].ext, e) == 0) {
			p->ext[i].n++;
			return;
		}
	if (p->next >= PROJECT_MAX_EXTS - 1 && strcmp(e, "(other)") != 0) {
		count_ext(p, "x.(other)");
		return;
	}
	if (p->next == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->ext = xrealloc(p->ext, p->cap * sizeof(*p->ext));
	}
	strcpy(p->ext[p->next].ext, e);
	p->ext[p->next++].n = 1;
}

static int skipped(const char *name)
{
	size_t i;

	for (i = 0; skip_dirs[i]; i++)
		if (strcmp(name, skip_dirs[i]) == 0)
			return 1;
	return 0;
}

/* Walks dir (an open directory descriptor); never follows a link. */
static void walk(struct project *p, int dfd, int depth)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e;

	if (!d) {
		close(dfd);
		return;
	}
	while ((e = readdir(d)) != NULL && p->files < PROJECT_MAX_FILES) {
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW))
			continue;
		if (S_ISREG(st.st_mode)) {
			p->files++;
			count_ext(p, e->d_name);
		} else if (S_ISDIR(st.st_mode) && depth < 40 && !skipped(e->d_name)) {
			int fd = openat(dirfd(d), e->d_name,
					O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (fd >= 0)
				walk(p, fd, depth + 1);
		}
	}
	closedir(d);
}

static void read_readme(struct project *p, int dfd)
{
	size_t i;

	for (i = 0; readmes[i]; i++) {
		int fd = openat(dfd, readmes[i], O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		struct stat st;
		char b[8192];
		ssize_t r;

		if (fd < 0)
			continue;
		if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
			close(fd);
			continue;
		}
		/* a few bytes past the limit, to cut at a character boundary */
		while (p->readme.len < PROJECT_README_MAX + 4 &&
		       (r = read(fd, b, sizeof(b))) > 0)
			buf_add(&p->readme, b, (size_t)r);
		close(fd);
		p->readme.len = utf8_clean(p->readme.s ? p->readme.s : b, p->readme.len,
					   PROJECT_README_MAX);
		p->have_readme = 1;
		return;
	}
}

int project_collect(const char *dir, struct project *p)
{
	char real[PATH_MAX];
	const char *base;
	int fd;

	memset(p, 0, sizeof(*p));
	if (!realpath(dir, real) ||
	    (fd = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		error("cannot read the project directory '%s': %s", dir, strerror(errno));
		return -1;
	}
	base = strrchr(real, '/');
	p->name = xstrdup(base && base[1] ? base + 1 : real);
	p->name[utf8_clean(p->name, strlen(p->name), 255)] = '\0';
	read_readme(p, fd);
	walk(p, fd, 0);
	return 0;
}

static int by_ext(const void *a, const void *b)
{
	return strcmp(((const struct extcount *)a)->ext, ((const struct extcount *)b)->ext);
}

void project_json(const struct project *p, struct buf *out)
{
	struct jsonw w;
	size_t i;

	qsort(p->ext, p->next, sizeof(*p->ext), by_ext);
	jsonw_init(&w, out);
	jsonw_object(&w);
	jsonw_key(&w, "projectName");
	jsonw_string(&w, p->name);
	jsonw_key(&w, "readme");
	jsonw_stringn(&w, p->readme.s ? p->readme.s : "", p->readme.len);
	jsonw_key(&w, "fileCounts");
	jsonw_object(&w);
	for (i = 0; i < p->next; i++) {
		jsonw_key(&w, p->ext[i].ext);
		jsonw_int(&w, p->ext[i].n);
	}
	jsonw_end(&w);
	jsonw_end(&w);
}

void project_release(struct project *p)
{
	free(p->name);
	buf_release(&p->readme);
	free(p->ext);
	memset(p, 0, sizeof(*p));
}
