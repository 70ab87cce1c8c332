/* settings.c -- our hooks in Claude Code's settings.json */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "json.h"
#include "settings.h"
#include "util.h"

char *settings_default_path(void)
{
	const char *env = getenv("CLAUDE_CONFIG_DIR");

	if (env && *env) {
		size_t n = strcspn(env, ",");

		while (n && (env[n - 1] == ' ' || env[n - 1] == '/'))
			n--;
		if (n >= 9 && strncmp(env + n - 9, "/projects", 9) == 0)
			n -= 9;
		if (n && env[0] == '~' && env[1] == '/')
			return xasprintf("%s/%.*s/settings.json", home_dir(), (int)n - 2, env + 2);
		if (n)
			return xasprintf("%.*s/settings.json", (int)n, env);
	}
	return xasprintf("%s/.claude/settings.json", home_dir());
}

/* --- the JSON tree: reading, small edits, writing back */

struct doc {
	struct arena a;
	struct buf text;
	struct json *root;
	int exists;
	mode_t mode;
};

static int doc_read(struct doc *d, const char *path)
{
	struct json_status st = { 0 };
	char msg[160];
	struct stat sb;

	memset(d, 0, sizeof(*d));
	arena_init(&d->a);
	d->mode = 0644;
	if (read_file(path, &d->text)) {
		if (errno != ENOENT)
			return error("cannot read '%s': %s", path, strerror(errno));
		d->root = arena_alloc(&d->a, sizeof(*d->root));
		d->root->type = JSON_OBJECT;
		return 0;
	}
	d->exists = 1;
	if (stat(path, &sb) == 0)
		d->mode = sb.st_mode & 07777;
	d->root = json_parse(&d->a, d->text.s ? d->text.s : "", d->text.len, &st);
	if (!d->root)
		return error("'%s' is not valid JSON (%s); not touching it",
			     path, json_error_message(&st, msg, sizeof(msg)));
	if (d->root->type != JSON_OBJECT)
		return error("'%s' does not hold a JSON object; not touching it", path);
	return 0;
}

static void doc_release(struct doc *d)
{
	arena_release(&d->a);
	buf_release(&d->text);
}

static struct json *node(struct doc *d, enum json_type t, const char *key)
{
	struct json *j = arena_alloc(&d->a, sizeof(*j));

	j->type = t;
	j->key = key;
	return j;
}

static struct json *str_node(struct doc *d, const char *key, const char *s)
{
	struct json *j = node(d, JSON_STRING, key);

	j->str = arena_strdup(&d->a, s);
	j->len = strlen(s);
	return j;
}

static void append(struct json *parent, struct json *child)
{
	struct json **p = &parent->child;

	while (*p)
		p = &(*p)->next;
	*p = child;
	child->next = NULL;
	parent->count++;
}

static void unlink_child(struct json *parent, struct json *child)
{
	struct json **p = &parent->child;

	while (*p && *p != child)
		p = &(*p)->next;
	if (*p) {
		*p = child->next;
		parent->count--;
	}
}

/* JSON text as JSON.stringify(v, null, 2) writes it. */
static void put_string(struct buf *b, const char *s, size_t n)
{
	size_t i;

	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"': buf_adds(b, "\\\""); break;
		case '\\': buf_adds(b, "\\\\"); break;
		case '\n': buf_adds(b, "\\n"); break;
		case '\r': buf_adds(b, "\\r"); break;
		case '\t': buf_adds(b, "\\t"); break;
		case '\b': buf_adds(b, "\\b"); break;
		case '\f': buf_adds(b, "\\f"); break;
		default:
			if (c < 0x20)
				buf_printf(b, "\\u%04x", c);
			else
				buf_addc(b, (char)c);
		}
	}
	buf_addc(b, '"');
}

static void indent(struct buf *b, int level)
{
	buf_addc(b, '\n');
	for (int i = 0; i < level; i++)
		buf_adds(b, "  ");
}

static void put_value(struct buf *b, const struct json *v, int level)
{
	const struct json *c;

	switch (v->type) {
	case JSON_NULL: buf_adds(b, "null"); break;
	case JSON_TRUE: buf_adds(b, "true"); break;
	case JSON_FALSE: buf_adds(b, "false"); break;
	case JSON_NUMBER: buf_add(b, v->str, v->len); break;	/* its own text */
	case JSON_STRING: put_string(b, v->str, v->len); break;
	case JSON_ARRAY:
	case JSON_OBJECT:
		buf_addc(b, v->type == JSON_ARRAY ? '[' : '{');
		for (c = v->child; c; c = c->next) {
			indent(b, level + 1);
			if (v->type == JSON_OBJECT) {
				put_string(b, c->key, strlen(c->key));
				buf_adds(b, ": ");
			}
			put_value(b, c, level + 1);
			if (c->next)
				buf_addc(b, ',');
		}
		if (v->child)
			indent(b, level);
		buf_addc(b, v->type == JSON_ARRAY ? ']' : '}');
		break;
	}
}

static int doc_write(struct doc *d, const char *path)
{
	struct buf out = BUF_INIT;
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int rc;

	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir_p(dir, 0700)) {
			free(dir);
			return -1;
		}
	}
	free(dir);
	put_value(&out, d->root, 0);
	buf_addc(&out, '\n');
	rc = write_file_atomic(path, out.s, out.len, d->mode);
	buf_release(&out);
	return rc;
}

/* --- recognising our hook */

/* 1 if command runs "<...>/modu-arena hook", however it was quoted. */
static int is_our_command(const char *cmd, const char *ours)
{
	size_t n = strlen(cmd);
	char *prog;
	const char *base;
	int r;

	if (ours && strcmp(cmd, ours) == 0)
		return 1;
	if (n < 5 || strcmp(cmd + n - 5, " hook") != 0)
		return 0;
	prog = xstrndup(cmd, n - 5);
	n = strlen(prog);
	if (n >= 2 && (prog[0] == '\'' || prog[0] == '"') && prog[n - 1] == prog[0]) {
		memmove(prog, prog + 1, n - 2);
		prog[n - 2] = '\0';
	}
	base = strrchr(prog, '/');
	base = base ? base + 1 : prog;
	r = strcmp(base, "modu-arena") == 0;
	free(prog);
	return r;
}

static struct json *our_hook(struct json *group, const char *ours)
{
	struct json *hooks = json_get(group, "hooks"), *h, *cmd;

	if (group->type != JSON_OBJECT || !hooks || hooks->type != JSON_ARRAY)
		return NULL;
	for (h = hooks->child; h; h = h->next) {
		cmd = json_get(h, "command");
		if (h->type == JSON_OBJECT && cmd && cmd->type == JSON_STRING &&
		    is_our_command(cmd->str, ours))
			return h;
	}
	return NULL;
}

static int get_hooks(struct doc *d, const char *path, struct json **hooks)
{
	*hooks = json_get(d->root, "hooks");
	if (*hooks && (*hooks)->type != JSON_OBJECT)
		return error("'hooks' in '%s' is not an object; not touching it", path);
	return 0;
}

int settings_check(const char *path)
{
	struct doc d;
	struct json *hooks;
	int rc = doc_read(&d, path), i;

	if (rc == 0)
		rc = get_hooks(&d, path, &hooks);
	for (i = 0; rc == 0 && hooks && i < HOOK_EVENTS; i++) {
		struct json *arr = json_get(hooks, hook_events[i]);

		if (arr && arr->type != JSON_ARRAY)
			rc = error("'hooks.%s' in '%s' is not an array; not touching it",
				   hook_events[i], path);
	}
	doc_release(&d);
	return rc;
}

int settings_install(const char *path, const char *command, struct cfg_record *rec)
{
	struct doc d;
	struct json *hooks;
	int i, changed = 0, rc = -1;

	if (doc_read(&d, path) || get_hooks(&d, path, &hooks))
		goto out;
	rec->created_file = !d.exists || rec->created_file;
	if (!hooks) {
		hooks = node(&d, JSON_OBJECT, "hooks");
		append(d.root, hooks);
		rec->created_hooks = 1;
		changed = 1;
	}
	for (i = 0; i < HOOK_EVENTS; i++) {
		struct json *arr = json_get(hooks, hook_events[i]), *g, *h = NULL;

		if (arr && arr->type != JSON_ARRAY) {
			error("'hooks.%s' in '%s' is not an array; not touching it",
			      hook_events[i], path);
			goto out;
		}
		if (!arr) {
			arr = node(&d, JSON_ARRAY, hook_events[i]);
			append(hooks, arr);
			rec->created_event[i] = 1;
			changed = 1;
		}
		for (g = arr->child; g && !h; g = g->next)
			h = our_hook(g, rec->hook_command);
		if (h) {
			struct json *cmd = json_get(h, "command");

			if (strcmp(cmd->str, command) != 0) {
				cmd->str = arena_strdup(&d.a, command);
				cmd->len = strlen(command);
				changed = 1;
			}
			continue;
		}
		g = node(&d, JSON_OBJECT, NULL);
		h = node(&d, JSON_OBJECT, NULL);
		{
			struct json *list = node(&d, JSON_ARRAY, "hooks"), *t;

			append(h, str_node(&d, "type", "command"));
			append(h, str_node(&d, "command", command));
			t = node(&d, JSON_NUMBER, "timeout");
			t->str = arena_printf(&d.a, "%d", HOOK_TIMEOUT);
			t->len = strlen(t->str);
			append(h, t);
			append(list, h);
			append(g, list);
		}
		append(arr, g);
		changed = 1;
	}
	rc = changed ? doc_write(&d, path) : 0;
out:
	doc_release(&d);
	return rc;
}

int settings_uninstall(const char *path, const char *command, const struct cfg_record *rec)
{
	struct doc d;
	struct json *hooks;
	int i, changed = 0, rc = -1;

	if (doc_read(&d, path) || get_hooks(&d, path, &hooks))
		goto out;
	if (!d.exists || !hooks) {
		rc = 0;
		goto out;
	}
	for (i = 0; i < HOOK_EVENTS; i++) {
		struct json *arr = json_get(hooks, hook_events[i]), *g, *next;

		if (!arr || arr->type != JSON_ARRAY)
			continue;
		for (g = arr->child; g; g = next) {
			struct json *h, *list = json_get(g, "hooks");

			next = g->next;
			while ((h = our_hook(g, command)) != NULL) {
				unlink_child(list, h);
				changed = 1;
				/* the group was ours if nothing else is left in it */
				if (!list->child) {
					unlink_child(arr, g);
					break;
				}
			}
		}
		if (!arr->child && rec && rec->created_event[i]) {
			unlink_child(hooks, arr);
			changed = 1;
		}
	}
	if (!hooks->child && rec && rec->created_hooks) {
		unlink_child(d.root, hooks);
		changed = 1;
	}
	if (!d.root->child && rec && rec->created_file) {
		rc = unlink(path) && errno != ENOENT ?
		     error("cannot remove '%s': %s", path, strerror(errno)) : 0;
		goto out;
	}
	rc = changed ? doc_write(&d, path) : 0;
out:
	doc_release(&d);
	return rc;
}

int settings_installed(const char *path)
{
	struct doc d;
	struct json *hooks;
	int i, n = 0;

	if (doc_read(&d, path) || get_hooks(&d, path, &hooks)) {
		doc_release(&d);
		return -1;
	}
	for (i = 0; hooks && i < HOOK_EVENTS; i++) {
		struct json *arr = json_get(hooks, hook_events[i]), *g;

		for (g = arr && arr->type == JSON_ARRAY ? arr->child : NULL; g; g = g->next)
			if (our_hook(g, NULL)) {
				n++;
				break;
			}
	}
	doc_release(&d);
	return n == HOOK_EVENTS;
}
