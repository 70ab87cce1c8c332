/*
 * cmd_login.c -- modu-arena login: sign in through the browser
 *
 * The device authorization grant (RFC 8628) the server offers: ask for a
 * code, show it with the address to type it at (and open a browser when
 * one is at hand), poll until the person approves it on the site, then
 * set up exactly as `install --api-key` does with the key the approval
 * minted.  The key arrives once, in the body of the poll's answer; it is
 * never in a URL, and the code shown is useless without the device code
 * that never leaves this process.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "cfg.h"
#include "cmd.h"
#include "http.h"
#include "json.h"
#include "util.h"

struct grant {
	char device_code[64];
	char user_code[16];
	char uri[512], uri_complete[600];
	int64_t expires_in, interval;
};

static void copy_str(const struct json *root, const char *key, char *out, size_t cap)
{
	const struct json *v = json_get(root, key);

	out[0] = '\0';
	if (v && v->type == JSON_STRING && v->len < cap)
		memcpy(out, v->str, v->len + 1);
}

static int64_t get_int(const struct json *root, const char *key, int64_t def)
{
	const struct json *v = json_get(root, key);
	int64_t n;

	return v && json_int(v, 1, 86400, &n) == NUM_OK ? n : def;
}

/* This machine's name, as the site will show it: printable, at most 64. */
static void device_name(char out[65])
{
	size_t i;

	if (gethostname(out, 65) != 0)
		out[0] = '\0';
	out[64] = '\0';
	for (i = 0; out[i]; i++)
		if (!((out[i] >= 'a' && out[i] <= 'z') || (out[i] >= 'A' && out[i] <= 'Z') ||
		      (out[i] >= '0' && out[i] <= '9') || out[i] == '-' || out[i] == '.'))
			out[i] = '-';
}

static int start(const char *server, struct grant *g)
{
	struct http_resp r;
	struct arena a = ARENA_INIT;
	struct json_status js = { 0 };
	struct json *root = NULL;
	char name[65], body[128];
	int rc = EXIT_OK;

	device_name(name);
	snprintf(body, sizeof(body), "{\"deviceName\":\"%s\"}", name);
	if (http_request(server, "/api/auth/device", NULL, body, strlen(body), &r)) {
		error("cannot reach %s: %s", server, r.err);
		return EXIT_TEMPFAIL;
	}
	if (r.body.len)
		root = json_parse(&a, r.body.s, r.body.len, &js);
	if (r.status != 200 || !root) {
		error("%s does not offer sign-in from the command line (HTTP %ld);"
		      " use 'modu-arena install --api-key KEY'", server, r.status);
		rc = r.status == 429 || r.status >= 500 ? EXIT_TEMPFAIL : EXIT_CONFIG;
	} else {
		copy_str(root, "device_code", g->device_code, sizeof(g->device_code));
		copy_str(root, "user_code", g->user_code, sizeof(g->user_code));
		copy_str(root, "verification_uri", g->uri, sizeof(g->uri));
		copy_str(root, "verification_uri_complete", g->uri_complete, sizeof(g->uri_complete));
		g->expires_in = get_int(root, "expires_in", 600);
		g->interval = get_int(root, "interval", 5);
		if (!g->device_code[0] || !g->user_code[0] || !g->uri[0]) {
			error("unexpected answer from %s", server);
			rc = EXIT_TEMPFAIL;
		}
	}
	http_resp_release(&r);
	arena_release(&a);
	return rc;
}

/* Opens url in a browser when there is a desktop; never waits for it. */
static void open_browser(const char *url)
{
	pid_t pid;

	if (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY"))
		return;
	pid = fork();
	if (pid == 0) {
		/* the grandchild runs the browser; the child returns at once */
		if (fork() == 0) {
			freopen("/dev/null", "r", stdin);
			freopen("/dev/null", "w", stdout);
			freopen("/dev/null", "w", stderr);
			execlp("xdg-open", "xdg-open", url, (char *)NULL);
		}
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

enum poll_state { POLL_WAIT, POLL_SLOWER, POLL_DONE, POLL_FAILED };

/* One poll: POLL_DONE with the key in key, or what to do next. */
static enum poll_state poll_once(const char *server, const struct grant *g, char *key,
				 size_t cap, char *user, size_t ucap, int *rc)
{
	struct http_resp r;
	struct arena a = ARENA_INIT;
	struct json_status js = { 0 };
	struct json *root = NULL;
	char body[128], err[64] = "";
	enum poll_state st = POLL_WAIT;

	snprintf(body, sizeof(body), "{\"device_code\":\"%s\"}", g->device_code);
	if (http_request(server, "/api/auth/device/token", NULL, body, strlen(body), &r)) {
		http_resp_release(&r);
		return POLL_WAIT;	/* a network hiccup: try again next time */
	}
	if (r.body.len)
		root = json_parse(&a, r.body.s, r.body.len, &js);
	if (root)
		copy_str(root, "error", err, sizeof(err));
	if (r.status == 200 && root) {
		copy_str(root, "apiKey", key, cap);
		copy_str(root, "username", user, ucap);
		st = key[0] ? POLL_DONE : POLL_FAILED;
		*rc = key[0] ? EXIT_OK : EXIT_TEMPFAIL;
	} else if (strcmp(err, "slow_down") == 0) {
		st = POLL_SLOWER;
	} else if (strcmp(err, "authorization_pending") == 0 || r.status == 429 ||
		   r.status >= 500) {
		st = POLL_WAIT;
	} else {
		if (strcmp(err, "access_denied") == 0)
			error("the sign-in was denied on the site");
		else if (strcmp(err, "expired_token") == 0)
			error("the code expired before it was approved; run 'modu-arena login' again");
		else
			error("unexpected answer from %s (HTTP %ld)", server, r.status);
		st = POLL_FAILED;
		*rc = EXIT_CONFIG;
	}
	http_resp_release(&r);
	arena_release(&a);
	return st;
}

static int wait_for_key(const char *server, struct grant *g, char *key, size_t cap)
{
	time_t deadline = time(NULL) + g->expires_in;
	char user[64] = "";
	int rc = EXIT_TEMPFAIL;

	while (time(NULL) < deadline) {
		sleep((unsigned)g->interval);
		switch (poll_once(server, g, key, cap, user, sizeof(user), &rc)) {
		case POLL_DONE:
			if (!cli_quiet)
				printf("Signed in as %s.\n", user[0] ? user : "(unknown user)");
			return EXIT_OK;
		case POLL_SLOWER:
			g->interval += 5;
			break;
		case POLL_FAILED:
			return rc;
		case POLL_WAIT:
			break;
		}
	}
	error("the code expired before it was approved; run 'modu-arena login' again");
	return EXIT_CONFIG;
}

static const char usage_line[] = "usage: modu-arena login [--server URL] [--no-browser] [--quiet]";

int cmd_login(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "no-browser", no_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *opt_server = NULL, *server;
	struct config old;
	struct grant g;
	char key[128] = "";
	int c, rc, browser = 1, had;

	optind = 1;
	while ((c = getopt_long(argc, argv, "s:nq", opts, NULL)) != -1) {
		switch (c) {
		case 's': opt_server = optarg; break;
		case 'n': browser = 0; break;
		case 'q': cli_quiet = 1; break;
		case 'h':
			puts(usage_line);
			return EXIT_OK;
		default:
			fprintf(stderr, "%s\n", usage_line);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s\n", usage_line);
		return EXIT_USAGE;
	}
	had = config_load(&old);
	if (had < 0)
		return EXIT_CONFIG;
	server = opt_server ? opt_server : getenv("MODU_ARENA_API_URL");
	server = xstrdup(server_url(had ? &old : NULL, server));
	config_release(&old);
	if (server_url_check(server)) {
		free((char *)server);
		return EXIT_USAGE;
	}
	memset(&g, 0, sizeof(g));
	http_global_init();
	rc = start(server, &g);
	if (rc == EXIT_OK) {
		/* shown even with --quiet: without it nobody can approve */
		printf("To connect this machine, open %s\nand enter the code %s\n", g.uri, g.user_code);
		fflush(stdout);
		if (browser)
			open_browser(g.uri_complete[0] ? g.uri_complete : g.uri);
		rc = wait_for_key(server, &g, key, sizeof(key));
	}
	http_global_cleanup();
	if (rc == EXIT_OK) {
		char *args[] = { "install", "--api-key", key, "--server", (char *)server,
				 cli_quiet ? "--quiet" : NULL, NULL };

		rc = cmd_install(cli_quiet ? 6 : 5, args);
	}
	memset(key, 0, sizeof(key));
	free((char *)server);
	return rc;
}
