/*
 * project.h -- what `modu-arena submit` sends about a project, and nothing
 * more
 *
 * project_collect() reads the project in dir: its name (the directory's
 * base name), the text of its README (README.md, README, README.markdown,
 * README.rst, README.txt, in that order; a regular file, never a link),
 * cut to PROJECT_README_MAX bytes at a character boundary with invalid
 * UTF-8 replaced, and how many regular files it holds per extension.  The
 * walk never follows a symbolic link, skips version control and
 * dependency or build directories (.git, node_modules, vendor, target,
 * ...), stops at PROJECT_MAX_FILES files, and records no path.  Nothing
 * in the project is executed.
 *
 * project_json() writes the request body: {"projectName", "readme",
 * "fileCounts"} with the extensions sorted.
 */
#ifndef CLI_PROJECT_H
#define CLI_PROJECT_H

#include <stddef.h>

#include "buf.h"

#define PROJECT_README_MAX 50000
#define PROJECT_MAX_FILES 200000
#define PROJECT_MAX_EXTS 200

struct extcount {
	char ext[20];
	long n;
};

struct project {
	char *name;
	struct buf readme;
	int have_readme;
	struct extcount *ext;
	size_t next, cap;
	long files;
};

/* 0, or -1 after reporting (dir unreadable). */
int project_collect(const char *dir, struct project *p);
void project_json(const struct project *p, struct buf *out);
void project_release(struct project *p);

/* Cuts s to at most max bytes, at a UTF-8 boundary, replacing invalid
 * bytes with '?'; returns the new length. */
size_t utf8_clean(char *s, size_t n, size_t max);

#endif
