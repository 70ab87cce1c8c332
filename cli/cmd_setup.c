/* cmd_setup.c -- modu-arena install and uninstall */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apikey.h"
#include "arena.h"
#include "buf.h"
#include "cfg.h"
#include "cmd.h"
#include "crypto.h"
#include "http.h"
#include "json.h"
#include "schedule.h"
#include "settings.h"
#include "util.h"

/* Asks the server whether key is valid; prints who it belongs to. */
static int check_key(const char *server, const char *key, int quiet)
{
	struct http_resp r;
	struct arena a = ARENA_INIT;
	struct json_status js = { 0 };
	struct json *root = NULL, *v;
	int rc;

	http_global_init();
	if (http_request(server, "/api/v1/verify", key, NULL, 0, &r)) {
		error("cannot reach %s: %s", server, r.err);
		rc = EXIT_TEMPFAIL;
		goto out;
	}
	if (r.body.len)
		root = json_parse(&a, r.body.s, r.body.len, &js);
	if (r.status == 401 || r.status == 403) {
		error("the server refused the API key");
		rc = EXIT_CONFIG;
	} else if (r.status != 200 || !root || !(v = json_get(root, "valid")) ||
		   v->type != JSON_TRUE) {
		error("unexpected answer from %s (HTTP %ld)", server, r.status);
		rc = EXIT_TEMPFAIL;
	} else {
		v = json_get(root, "username");
		if (!quiet)
			printf("API key accepted for %s\n",
			       v && v->type == JSON_STRING ? v->str : "(unknown user)");
		rc = EXIT_OK;
	}
out:
	http_resp_release(&r);
	arena_release(&a);
	http_global_cleanup();
	return rc;
}

static char *hook_command(void)
{
	struct buf b = BUF_INIT;
	char *exe = self_exe();

	shell_quote(&b, exe ? exe : "modu-arena");
	buf_adds(&b, " hook");
	free(exe);
	return b.s;
}

/*
 * Codex, Gemini CLI, OpenCode and Crush have no session-end hook we can
 * register: a timer (or a crontab line) runs sync for them.  An earlier
 * install's schedule is replaced, never doubled.
 */
static void install_schedule(struct cfg_record *rec)
{
	char *exe = self_exe();
	const char *kind;

	if (rec->schedule) {
		schedule_remove(rec->schedule);
		free(rec->schedule);
		rec->schedule = NULL;
	}
	kind = schedule_install(exe ? exe : "modu-arena");
	rec->schedule = kind ? xstrdup(kind) : NULL;
	free(exe);
}

int cmd_install(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "api-key", required_argument, NULL, 'k' },
		{ "server", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct config old, cfg;
	const char *key = NULL, *opt_server = NULL, *server;
	char *settings = NULL, *command = NULL, *path;
	int c, rc, had;

	optind = 1;
	while ((c = getopt_long(argc, argv, "k:s:q", opts, NULL)) != -1) {
		switch (c) {
		case 'k': key = optarg; break;
		case 's': opt_server = optarg; break;
		case 'q': cli_quiet = 1; break;
		case 'h':
			puts("usage: modu-arena install --api-key KEY [--server URL]");
			return EXIT_OK;
		default:
			fputs("usage: modu-arena install --api-key KEY [--server URL]\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (!key || optind != argc) {
		error("install needs --api-key KEY");
		return EXIT_USAGE;
	}
	if (!apikey_well_formed(key)) {
		error("that is not an API key (they look like modu_arena_xxxxxxxx_xxxx...)");
		return EXIT_USAGE;
	}
	had = config_load(&old);
	if (had < 0)
		return EXIT_CONFIG;
	server = opt_server ? opt_server : getenv("MODU_ARENA_API_URL");
	server = server_url(NULL, server);
	if (server_url_check(server)) {
		config_release(&old);
		return EXIT_USAGE;
	}
	rc = check_key(server, key, cli_quiet);
	if (rc != EXIT_OK) {
		config_release(&old);
		return rc;
	}
	settings = old.rec.settings_path ? xstrdup(old.rec.settings_path) : settings_default_path();
	if (settings_check(settings)) {
		rc = EXIT_ERROR;
		goto out;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.api_key = xstrdup(key);
	cfg.server_url = xstrdup(server);
	if (old.salt) {
		cfg.salt = xstrdup(old.salt);
	} else {
		unsigned char r[16];
		char hex[33];

		if (crypto_random(r, sizeof(r))) {
			rc = EXIT_ERROR;
			config_release(&cfg);
			goto out;
		}
		hex_encode(r, sizeof(r), hex);
		cfg.salt = xstrdup(hex);
	}
	/* what an earlier install created stays ours to remove */
	cfg.rec = old.rec;
	memset(&old.rec, 0, sizeof(old.rec));
	command = hook_command();
	if (settings_install(settings, command, &cfg.rec)) {
		rc = EXIT_ERROR;
		config_release(&cfg);
		goto out;
	}
	free(cfg.rec.settings_path);
	free(cfg.rec.hook_command);
	cfg.rec.settings_path = xstrdup(settings);
	cfg.rec.hook_command = xstrdup(command);
	install_schedule(&cfg.rec);
	rc = config_save(&cfg) ? EXIT_ERROR : EXIT_OK;
	if (rc == EXIT_OK && !cli_quiet) {
		path = config_path();
		printf("Configuration written to %s\n", path);
		printf("Claude Code hooks (SessionEnd, Stop) registered in %s\n", settings);
		if (cfg.rec.schedule)
			printf("Other tools: 'modu-arena sync' every 15 minutes (%s)\n",
			       strcmp(cfg.rec.schedule, "cron") == 0 ? "crontab" :
			       "systemd user timer " SCHEDULE_UNIT ".timer");
		printf("Run 'modu-arena sync' to upload your existing sessions now.\n");
		free(path);
	}
	config_release(&cfg);
out:
	free(command);
	free(settings);
	config_release(&old);
	return rc;
}

static void remove_file(const char *path, int *removed)
{
	if (unlink(path) == 0)
		(*removed)++;
	else if (errno != ENOENT)
		warn("cannot remove '%s': %s", path, strerror(errno));
}

int cmd_uninstall(int argc, char **argv)
{
	static const char *const state_files[] = {
		"files.bin", "index.bin", "spool.jsonl", "lock", "sync.log",
	};
	struct config cfg;
	char *settings, *path, *dir;
	int rc, removed = 0;
	size_t i;

	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		puts("usage: modu-arena uninstall");
		return EXIT_OK;
	}
	if (argc > 1) {
		fputs("usage: modu-arena uninstall\n", stderr);
		return EXIT_USAGE;
	}
	rc = config_load(&cfg);
	if (rc < 0)
		return EXIT_CONFIG;
	settings = cfg.rec.settings_path ? xstrdup(cfg.rec.settings_path) : settings_default_path();
	if (settings_uninstall(settings, cfg.rec.hook_command, rc == 0 ? &cfg.rec : NULL)) {
		free(settings);
		config_release(&cfg);
		return EXIT_ERROR;
	}
	if (rc == 0 && cfg.rec.schedule && schedule_remove(cfg.rec.schedule))
		warn("the %s entry could not be removed", cfg.rec.schedule);
	path = config_path();
	remove_file(path, &removed);
	free(path);
	dir = config_dir();
	rmdir(dir);
	free(dir);
	for (i = 0; i < sizeof(state_files) / sizeof(*state_files); i++) {
		path = state_file_path(state_files[i]);
		remove_file(path, &removed);
		free(path);
	}
	dir = state_dir();
	rmdir(dir);
	free(dir);
	if (!cli_quiet)
		printf("Removed the hooks from %s and the client's own files\n", settings);
	free(settings);
	config_release(&cfg);
	return EXIT_OK;
}
