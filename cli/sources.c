/* sources.c -- where each tool keeps its logs */
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "jcur.h"
#include "sources.h"
#include "util.h"

struct roots {
	char **v;
	size_t n;
};

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && strcmp(s + n - m, suf) == 0;
}

static int is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Adds dir (if it is a directory not already listed, by real path). */
static void root_add(struct roots *r, const char *dir)
{
	char real[PATH_MAX];
	size_t i;

	if (!is_dir(dir) || !realpath(dir, real))
		return;
	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i], real) == 0)
			return;
	r->v = xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
	r->v[r->n++] = xstrdup(real);
}

static void roots_release(struct roots *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->v[i]);
	free(r->v);
}

static char *expand_home(const char *s, size_t n)
{
	if (n == 1 && s[0] == '~')
		return xstrdup(home_dir());
	if (n >= 2 && s[0] == '~' && s[1] == '/')
		return xasprintf("%s/%.*s", home_dir(), (int)(n - 2), s + 2);
	return xstrndup(s, n);
}

/* Calls fn for each trimmed, non-empty, ~-expanded entry of a comma list. */
static void each_entry(const char *list, void (*fn)(struct roots *, const char *),
		       struct roots *r)
{
	const char *p = list;

	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *s = p;
		char *x;

		while (n && (*s == ' ' || *s == '\t'))
			s++, n--;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n) {
			x = expand_home(s, n);
			fn(r, x);
			free(x);
		}
		if (!e)
			break;
		p = e + 1;
	}
}

static void claude_entry(struct roots *r, const char *dir)
{
	char *p;

	if (has_suffix(dir, "/projects") || strcmp(dir, "projects") == 0) {
		root_add(r, dir);
		return;
	}
	p = xasprintf("%s/projects", dir);
	root_add(r, p);
	free(p);
}

static void codex_entry(struct roots *r, const char *dir)
{
	char *p = xasprintf("%s/sessions", dir);

	root_add(r, p);
	free(p);
}

static void codex_archived_entry(struct roots *r, const char *dir)
{
	char *p = xasprintf("%s/archived_sessions", dir);

	root_add(r, p);
	free(p);
}

static void add_file(struct loglist *l, const char *path, size_t rootlen,
		     enum tool_type tool, const struct stat *st)
{
	struct logfile *f;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	f = &l->v[l->n++];
	f->path = xstrdup(path);
	f->rel = f->path + rootlen + 1;
	f->tool = tool;
	f->is_db = 0;
	f->st = *st;
}

/*
 * Walks dir below root.  depth counts levels below the root; want()
 * decides which regular files are logs.
 */
static void walk(struct loglist *l, const char *dir, size_t rootlen, enum tool_type tool,
		 int (*want)(const char *name, int depth), int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		char *p;

		if (e->d_name[0] == '.' &&
		    (e->d_name[1] == '\0' || (e->d_name[1] == '.' && e->d_name[2] == '\0')))
			continue;
		if (e->d_type == DT_LNK)
			continue;
		if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN && e->d_type != DT_REG)
			continue;
		if (e->d_type == DT_REG && !want(e->d_name, depth))
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (e->d_type == DT_DIR) {
			if (depth < 32)
				walk(l, p, rootlen, tool, want, depth + 1);
		} else if (lstat(p, &st) == 0) {
			if (S_ISDIR(st.st_mode) && depth < 32)
				walk(l, p, rootlen, tool, want, depth + 1);
			else if (S_ISREG(st.st_mode) && want(e->d_name, depth))
				add_file(l, p, rootlen, tool, &st);
		}
		free(p);
	}
	closedir(d);
}

static int want_jsonl(const char *name, int depth)
{
	return has_suffix(name, ".jsonl");
}

static int want_rollout(const char *name, int depth)
{
	return strncmp(name, "rollout-", 8) == 0 && has_suffix(name, ".jsonl");
}

static int want_gemini(const char *name, int depth)
{
	/* <root>/<project>/chats/<file>: two levels down */
	return depth == 2 && (has_suffix(name, ".json") || has_suffix(name, ".jsonl"));
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct logfile *)a)->path, ((const struct logfile *)b)->path);
}

/* Sorts the entries from first on by path (there may be none yet). */
static void sort_from(struct loglist *l, size_t first)
{
	if (l->n > first)
		qsort(l->v + first, l->n - first, sizeof(*l->v), by_path);
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static void find_claude(struct loglist *l)
{
	struct roots r = { 0 };
	const char *env = getenv("CLAUDE_CONFIG_DIR");
	size_t i, first = l->n;

	if (env && *env) {
		each_entry(env, claude_entry, &r);
		if (r.n == 0 && !l->warned) {
			warn("no projects directory in CLAUDE_CONFIG_DIR '%s'", env);
			l->warned = 1;
		}
	} else {
		char *x = xdg_config_home(), *p = xasprintf("%s/claude/projects", x);

		root_add(&r, p);
		free(p);
		free(x);
		p = xasprintf("%s/.claude/projects", home_dir());
		root_add(&r, p);
		free(p);
	}
	for (i = 0; i < r.n; i++)
		walk(l, r.v[i], strlen(r.v[i]), TOOL_CLAUDE, want_jsonl, 0);
	sort_from(l, first);
	roots_release(&r);
}

static void find_codex(struct loglist *l)
{
	struct roots active = { 0 }, archived = { 0 };
	const char *env = getenv("CODEX_HOME");
	size_t i, j, first = l->n, mid;
	char *home = NULL;

	if (env && *env) {
		each_entry(env, codex_entry, &active);
		each_entry(env, codex_archived_entry, &archived);
	} else {
		home = xasprintf("%s/.codex", home_dir());
		codex_entry(&active, home);
		codex_archived_entry(&archived, home);
	}
	for (i = 0; i < active.n; i++)
		walk(l, active.v[i], strlen(active.v[i]), TOOL_CODEX, want_rollout, 0);
	sort_from(l, first);
	mid = l->n;
	for (i = 0; i < archived.n; i++)
		walk(l, archived.v[i], strlen(archived.v[i]), TOOL_CODEX, want_rollout, 0);
	/* the active copy of a rollout wins over its archived copy */
	for (i = mid; i < l->n; i++) {
		for (j = first; j < mid; j++)
			if (strcmp(base_name(l->v[i].path), base_name(l->v[j].path)) == 0)
				break;
		if (j < mid) {
			free(l->v[i].path);
			l->v[i] = l->v[--l->n];
			i--;
		}
	}
	sort_from(l, mid);
	free(home);
	roots_release(&active);
	roots_release(&archived);
}

static void find_gemini(struct loglist *l)
{
	struct roots r = { 0 };
	const char *env = getenv("GEMINI_DATA_DIR");
	size_t i, first = l->n;

	if (env && *env) {
		each_entry(env, (void (*)(struct roots *, const char *))root_add, &r);
	} else {
		char *p = xasprintf("%s/.gemini/tmp", home_dir());

		root_add(&r, p);
		free(p);
	}
	for (i = 0; i < r.n; i++)
		walk(l, r.v[i], strlen(r.v[i]), TOOL_GEMINI, want_gemini, 0);
	/* only <project>/chats/<file> */
	for (i = first; i < l->n; i++) {
		const char *rel = l->v[i].rel, *s = strchr(rel, '/');

		if (!s || strncmp(s + 1, "chats/", 6) != 0) {
			free(l->v[i].path);
			l->v[i] = l->v[--l->n];
			i--;
		}
	}
	sort_from(l, first);
	roots_release(&r);
}

static char *xdg_data_home(void)
{
	const char *x = getenv("XDG_DATA_HOME");

	return x && x[0] == '/' ? xstrdup(x) : xasprintf("%s/.local/share", home_dir());
}

/*
 * Adds a database file; its size and time include its write-ahead log
 * when that holds anything (an empty one, as a reader of a WAL database
 * may leave behind, changes nothing).
 */
static void add_db(struct loglist *l, const char *path, size_t rootlen, enum tool_type tool)
{
	struct stat st, wst;
	char *wal;

	if (lstat(path, &st) || !S_ISREG(st.st_mode))
		return;
	wal = xasprintf("%s-wal", path);
	if (lstat(wal, &wst) == 0 && S_ISREG(wst.st_mode) && wst.st_size > 0) {
		st.st_size += wst.st_size;
		if (wst.st_mtim.tv_sec > st.st_mtim.tv_sec ||
		    (wst.st_mtim.tv_sec == st.st_mtim.tv_sec &&
		     wst.st_mtim.tv_nsec > st.st_mtim.tv_nsec))
			st.st_mtim = wst.st_mtim;
	}
	free(wal);
	add_file(l, path, rootlen, tool, &st);
	l->v[l->n - 1].is_db = 1;
}

static int want_oc_msg(const char *name, int depth)
{
	/* storage/message/<session>/<message>.json: one level down */
	return depth == 1 && has_suffix(name, ".json");
}

static void find_opencode(struct loglist *l)
{
	struct roots r = { 0 };
	const char *env = getenv("OPENCODE_DATA_DIR");
	size_t i, first = l->n;

	if (env && *env) {
		each_entry(env, (void (*)(struct roots *, const char *))root_add, &r);
	} else {
		char *x = xdg_data_home(), *p = xasprintf("%s/opencode", x);

		root_add(&r, p);
		free(p);
		free(x);
	}
	for (i = 0; i < r.n; i++) {
		char *db = xasprintf("%s/opencode.db", r.v[i]);
		char *msgs = xasprintf("%s/storage/message", r.v[i]);
		size_t before = l->n;

		/* the database replaced the file tree; the tree is read without one */
		add_db(l, db, strlen(r.v[i]), TOOL_OPENCODE);
		if (l->n == before && is_dir(msgs))
			walk(l, msgs, strlen(msgs), TOOL_OPENCODE, want_oc_msg, 0);
		free(db);
		free(msgs);
	}
	sort_from(l, first);
	roots_release(&r);
}

/* Data directories from Crush's list of projects (projects[].data_dir). */
static void crush_projects(struct roots *r, const char *file)
{
	struct buf b = BUF_INIT;
	struct jcur c;
	struct jstr k;

	if (read_file(file, &b) || b.len > (1u << 22)) {
		buf_release(&b);
		return;
	}
	jc_init(&c, b.s, b.len);
	if (jc_obj_begin(&c) == 0)
		while (jc_obj_next(&c, &k) > 0) {
			if (!jstr_is(&k, "projects") || jc_arr_begin(&c)) {
				jc_skip(&c);
				continue;
			}
			while (jc_arr_next(&c) > 0) {
				struct jstr pk, path = { 0 }, dd = { 0 };

				if (jc_obj_begin(&c)) {
					jc_skip(&c);
					continue;
				}
				while (jc_obj_next(&c, &pk) > 0)
					if (jstr_is(&pk, "path") && jc_peek(&c) == '"')
						jc_str(&c, &path);
					else if (jstr_is(&pk, "data_dir") && jc_peek(&c) == '"')
						jc_str(&c, &dd);
					else
						jc_skip(&c);
				if (dd.n && !dd.has_esc && dd.s[0] == '/') {
					char *d = xstrndup(dd.s, dd.n);

					root_add(r, d);
					free(d);
				} else if (path.n && !path.has_esc && !dd.has_esc) {
					char *d = xasprintf("%.*s/%.*s", (int)path.n, path.s,
							    dd.n ? (int)dd.n : 6, dd.n ? dd.s : ".crush");

					root_add(r, d);
					free(d);
				}
			}
		}
	buf_release(&b);
}

static void find_crush(struct loglist *l)
{
	struct roots r = { 0 };
	const char *env = getenv("CRUSH_DATA_DIRS");
	size_t i, first = l->n;

	if (env && *env) {
		each_entry(env, (void (*)(struct roots *, const char *))root_add, &r);
	} else {
		char *x = xdg_data_home(), *p = xasprintf("%s/crush/projects.json", x);

		crush_projects(&r, p);
		free(p);
		free(x);
	}
	for (i = 0; i < r.n; i++) {
		char *db = xasprintf("%s/crush.db", r.v[i]);

		add_db(l, db, strlen(r.v[i]), TOOL_CRUSH);
		free(db);
	}
	sort_from(l, first);
	roots_release(&r);
}

void sources_find(struct loglist *l)
{
	find_claude(l);
	find_codex(l);
	find_gemini(l);
	find_opencode(l);
	find_crush(l);
}

void loglist_release(struct loglist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
