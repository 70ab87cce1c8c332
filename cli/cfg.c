/* cfg.c -- the client's configuration file */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "buf.h"
#include "cfg.h"
#include "json.h"
#include "jsonw.h"
#include "util.h"

#include <config.h>

const char *const hook_events[HOOK_EVENTS] = { "SessionEnd", "Stop" };

char *config_path(void)
{
	char *d = config_dir(), *p = xasprintf("%s/config.json", d);

	free(d);
	return p;
}

static char *str_member(const struct json *o, const char *key)
{
	const struct json *v = json_get(o, key);

	return v && v->type == JSON_STRING ? xstrdup(v->str) : NULL;
}

static int bool_member(const struct json *o, const char *key)
{
	const struct json *v = json_get(o, key);

	return v && v->type == JSON_TRUE;
}

int config_load(struct config *c)
{
	struct buf b = BUF_INIT;
	struct arena a = ARENA_INIT;
	struct json_status js = { 0 };
	struct json *root, *inst;
	char *path = config_path();
	int i;

	memset(c, 0, sizeof(*c));
	if (read_file(path, &b)) {
		int e = errno;

		buf_release(&b);
		if (e == ENOENT) {
			free(path);
			return 1;
		}
		error("cannot read '%s': %s", path, strerror(e));
		free(path);
		return -1;
	}
	root = json_parse(&a, b.s ? b.s : "", b.len, &js);
	if (!root || root->type != JSON_OBJECT) {
		error("'%s' is not a valid configuration file", path);
		arena_release(&a);
		buf_release(&b);
		free(path);
		return -1;
	}
	c->api_key = str_member(root, "apiKey");
	c->server_url = str_member(root, "serverUrl");
	c->salt = str_member(root, "projectSalt");
	inst = json_get(root, "install");
	if (inst && inst->type == JSON_OBJECT) {
		const struct json *ev = json_get(inst, "createdEvents");

		c->rec.settings_path = str_member(inst, "settingsPath");
		c->rec.hook_command = str_member(inst, "hookCommand");
		c->rec.created_file = bool_member(inst, "createdFile");
		c->rec.created_hooks = bool_member(inst, "createdHooks");
		c->rec.schedule = str_member(inst, "schedule");
		if (ev && ev->type == JSON_ARRAY)
			for (ev = ev->child; ev; ev = ev->next)
				for (i = 0; i < HOOK_EVENTS; i++)
					if (ev->type == JSON_STRING && strcmp(ev->str, hook_events[i]) == 0)
						c->rec.created_event[i] = 1;
	}
	arena_release(&a);
	buf_release(&b);
	free(path);
	return 0;
}

int config_save(const struct config *c)
{
	struct buf b = BUF_INIT;
	struct jsonw w;
	char *dir = config_dir(), *path = config_path();
	int rc = -1, i;

	if (mkdir_p(dir, 0700))
		goto out;
	/* an existing directory keeps whatever mode it had; ours must be private */
	if (chmod(dir, 0700)) {
		error("cannot set the mode of '%s': %s", dir, strerror(errno));
		goto out;
	}
	jsonw_init(&w, &b);
	jsonw_object(&w);
	jsonw_key(&w, "apiKey");
	jsonw_string(&w, c->api_key);
	jsonw_key(&w, "serverUrl");
	jsonw_string(&w, c->server_url);
	jsonw_key(&w, "projectSalt");
	jsonw_string(&w, c->salt);
	if (c->rec.settings_path) {
		jsonw_key(&w, "install");
		jsonw_object(&w);
		jsonw_key(&w, "settingsPath");
		jsonw_string(&w, c->rec.settings_path);
		jsonw_key(&w, "hookCommand");
		jsonw_string(&w, c->rec.hook_command);
		jsonw_key(&w, "createdFile");
		jsonw_bool(&w, c->rec.created_file);
		jsonw_key(&w, "createdHooks");
		jsonw_bool(&w, c->rec.created_hooks);
		if (c->rec.schedule) {
			jsonw_key(&w, "schedule");
			jsonw_string(&w, c->rec.schedule);
		}
		jsonw_key(&w, "createdEvents");
		jsonw_array(&w);
		for (i = 0; i < HOOK_EVENTS; i++)
			if (c->rec.created_event[i])
				jsonw_string(&w, hook_events[i]);
		jsonw_end(&w);
		jsonw_end(&w);
	}
	jsonw_end(&w);
	buf_addc(&b, '\n');
	rc = write_file_atomic(path, b.s, b.len, 0600);
out:
	buf_release(&b);
	free(dir);
	free(path);
	return rc;
}

void config_release(struct config *c)
{
	free(c->api_key);
	free(c->server_url);
	free(c->salt);
	free(c->rec.settings_path);
	free(c->rec.hook_command);
	free(c->rec.schedule);
	memset(c, 0, sizeof(*c));
}

const char *server_url(const struct config *c, const char *opt)
{
	const char *env = getenv("MODU_ARENA_API_URL");

	if (opt && *opt)
		return opt;
	if (env && *env)
		return env;
	if (c && c->server_url && *c->server_url)
		return c->server_url;
	return ARENA_DEFAULT_SERVER;
}

int server_url_check(const char *url)
{
	const char *h, *e;
	size_t n;

	if (strncmp(url, "https://", 8) == 0) {
		h = url + 8;
	} else if (strncmp(url, "http://", 7) == 0) {
		h = url + 7;
	} else {
		return error("server URL '%s' must start with https://", url);
	}
	e = h + strcspn(h, "/?#");
	if (memchr(h, '@', (size_t)(e - h)) || e == h)
		return error("invalid server URL '%s'", url);
	if (url[4] == 's')
		return 0;
	/* plain http only where nobody can listen in: this machine */
	if (*h == '[') {
		const char *rb = memchr(h, ']', (size_t)(e - h));

		if (rb && rb - h == 4 && strncmp(h, "[::1]", 5) == 0)
			return 0;
	} else {
		const char *colon = memchr(h, ':', (size_t)(e - h));

		n = (size_t)((colon ? colon : e) - h);
		if ((n == 9 && strncmp(h, "localhost", 9) == 0) ||
		    (n >= 9 && strncmp(h, "127.", 4) == 0 &&
		     strspn(h, "0123456789.") >= n))
			return 0;
	}
	return error("refusing plain http:// to '%.*s': use https:// (http is allowed only to loopback)",
		     (int)(e - h), h);
}
