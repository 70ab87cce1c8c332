/*
 * cmd_submit.c -- modu-arena submit and modu-arena evaluations
 *
 * submit shows the exact request body (project.h: name, README text,
 * file counts per extension), asks before sending it unless --yes, sends
 * it signed to POST /api/v1/evaluations, then polls the evaluation until
 * it is done or failed, or --wait seconds have passed.  --dry-run only
 * prints the body.  Nothing in the project is ever executed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "cfg.h"
#include "cmd.h"
#include "http.h"
#include "json.h"
#include "project.h"
#include "util.h"

#define POLL_SECONDS 2

static const char submit_use[] =
	"modu-arena submit [--dry-run] [--yes] [--wait SECONDS] [--server URL]";

static const char *str(const struct json *o, const char *k)
{
	const struct json *v = o ? json_get(o, k) : NULL;

	return v && (v->type == JSON_STRING || v->type == JSON_NUMBER) ? v->str : NULL;
}

/*
 * The same for printing: "-" for a missing value, and control
 * characters (a terminal's escape sequences) shown as '?'.  The text
 * is a model's or the server's, not ours.
 */
static const char *pstr(const struct json *o, const char *k)
{
	const char *s = str(o, k);
	char *p;

	if (!s)
		return "-";
	for (p = (char *)s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return s;
}

/* Sends one request; parses a JSON answer into *root.  An exit code. */
static int call(const char *server, const char *path, const char *key, const struct buf *body,
		struct arena *a, struct json **root, long *status)
{
	struct http_resp r;
	struct json_status js;
	int rc = EXIT_OK;

	*root = NULL;
	http_global_init();
	if (http_request(server, path, key, body ? body->s : NULL, body ? body->len : 0, &r)) {
		error("cannot reach %s: %s", server, r.err);
		rc = EXIT_TEMPFAIL;
	} else {
		*status = r.status;
		if (r.body.len)
			*root = json_parse(a, r.body.s, r.body.len, &js);
		if (r.status >= 300) {
			const struct json *e = *root ? json_get(*root, "error") : NULL;
			const char *m = str(e, "message"), *c = str(e, "code");

			error("%s refused: %s%s%s (HTTP %ld)", server, m ? m : "no reason given",
			      c ? " -- " : "", c ? c : "", r.status);
			rc = r.status == 401 || r.status == 403 ? EXIT_CONFIG :
			     r.status == 429 || r.status >= 500 ? EXIT_TEMPFAIL : EXIT_ERROR;
		} else if (!*root) {
			error("unexpected answer from %s (HTTP %ld)", server, r.status);
			rc = EXIT_ERROR;
		}
	}
	http_resp_release(&r);
	http_global_cleanup();
	return rc;
}

static void print_eval(const struct json *e)
{
	const struct json *res = json_get(e, "result");
	const char *state = str(e, "state");

	printf("%s: %s", pstr(e, "projectName"), state ? state : "?");
	if (res && res->type == JSON_OBJECT) {
		const struct json *p = json_get(res, "passed");

		printf(", functionality %s/5, practicality %s/5, score %s/10 (%s)\n",
		       pstr(res, "functionality"), pstr(res, "practicality"), pstr(res, "score"),
		       p && p->type == JSON_TRUE ? "passed" : "not passed");
		printf("  %s\n", pstr(res, "feedback"));
	} else if (str(e, "reason")) {
		printf(" (%s)\n", pstr(e, "reason"));
	} else {
		printf("\n");
	}
}

/* Polls the evaluation until it ends or wait_s passes. */
static int wait_result(const char *server, const char *key, const char *id, long wait_s)
{
	char path[128];
	time_t end = time(NULL) + wait_s;

	snprintf(path, sizeof(path), "/api/v1/evaluations/%s", id);
	for (;;) {
		struct arena a = ARENA_INIT;
		struct json *root, *e;
		long status = 0;
		int rc = call(server, path, key, NULL, &a, &root, &status);
		const char *state;

		if (rc) {
			arena_release(&a);
			return rc;
		}
		e = json_get(root, "evaluation");
		state = str(e, "state");
		if (state && (strcmp(state, "done") == 0 || strcmp(state, "failed") == 0)) {
			print_eval(e);
			rc = strcmp(state, "done") == 0 ? EXIT_OK : EXIT_REJECTED;
			arena_release(&a);
			return rc;
		}
		if (time(NULL) + POLL_SECONDS > end) {
			printf("still %s after %ld s; 'modu-arena evaluations' shows it later\n",
			       state ? pstr(e, "state") : "pending", wait_s);
			arena_release(&a);
			return EXIT_OK;
		}
		arena_release(&a);
		sleep(POLL_SECONDS);
	}
}

static int confirm(const char *server)
{
	char line[16];
	FILE *tty = fopen("/dev/tty", "r");

	if (!tty || !isatty(fileno(tty))) {
		if (tty)
			fclose(tty);
		return error("not sent: no terminal to ask on; run with --yes to send it");
	}
	fprintf(stderr, "Send this to %s? [y/N] ", server);
	if (!fgets(line, sizeof(line), tty) || (line[0] != 'y' && line[0] != 'Y')) {
		fclose(tty);
		fprintf(stderr, "Not sent.\n");
		return 1;
	}
	fclose(tty);
	return 0;
}

static int send_project(const char *server, const char *key, const struct buf *body,
			long wait_s)
{
	struct arena a = ARENA_INIT;
	struct json *root;
	const char *id;
	long status = 0;
	int rc = call(server, "/api/v1/evaluations", key, body, &a, &root, &status);

	if (rc) {
		arena_release(&a);
		return rc;
	}
	id = str(root, "id");
	if (!id || strlen(id) > 64) {
		arena_release(&a);
		return error("unexpected answer from %s", server), EXIT_ERROR;
	}
	printf("Submitted: evaluation %s is queued\n", id);
	fflush(stdout);
	rc = wait_s > 0 ? wait_result(server, key, id, wait_s) : EXIT_OK;
	arena_release(&a);
	return rc;
}

int cmd_submit(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "yes", no_argument, NULL, 'y' },
		{ "wait", required_argument, NULL, 'w' },
		{ "server", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct config cfg;
	struct project p;
	struct buf body = BUF_INIT;
	const char *opt_server = NULL, *server;
	int c, dry = 0, yes = 0, rc;
	long wait_s = 300;
	char *end;

	optind = 1;
	while ((c = getopt_long(argc, argv, "nyw:s:", opts, NULL)) != -1) {
		switch (c) {
		case 'n': dry = 1; break;
		case 'y': yes = 1; break;
		case 's': opt_server = optarg; break;
		case 'w':
			wait_s = strtol(optarg, &end, 10);
			if (*end || wait_s < 0 || wait_s > 3600) {
				error("--wait takes 0 to 3600 seconds");
				return EXIT_USAGE;
			}
			break;
		case 'h': printf("usage: %s\n", submit_use); return EXIT_OK;
		default: fprintf(stderr, "usage: %s\n", submit_use); return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: %s\n", submit_use);
		return EXIT_USAGE;
	}
	if (project_collect(".", &p))
		return EXIT_ERROR;
	if (!p.have_readme || p.readme.len == 0) {
		project_release(&p);
		return error("no README here: submit describes a project by its README"), EXIT_USAGE;
	}
	project_json(&p, &body);
	project_release(&p);
	printf("%s\n", buf_str(&body));
	if (dry) {
		buf_release(&body);
		return EXIT_OK;
	}
	rc = config_load(&cfg);
	if (rc != 0) {
		buf_release(&body);
		if (rc > 0)
			error("not installed: run 'modu-arena install --api-key KEY' first");
		return EXIT_CONFIG;
	}
	server = server_url(&cfg, opt_server);
	if (server_url_check(server))
		rc = EXIT_USAGE;
	else if (!yes && confirm(server))
		rc = EXIT_ERROR;
	else
		rc = send_project(server, cfg.api_key, &body, wait_s);
	buf_release(&body);
	config_release(&cfg);
	return rc;
}

int cmd_evaluations(int argc, char **argv)
{
	struct config cfg;
	struct arena a = ARENA_INIT;
	struct json *root, *list, *e;
	const char *server;
	long status = 0;
	int rc;

	if (argc > 1) {
		fprintf(stderr, "usage: modu-arena evaluations\n");
		return EXIT_USAGE;
	}
	rc = config_load(&cfg);
	if (rc != 0) {
		if (rc > 0)
			error("not installed: run 'modu-arena install --api-key KEY' first");
		return EXIT_CONFIG;
	}
	server = server_url(&cfg, NULL);
	rc = server_url_check(server) ? EXIT_USAGE :
	     call(server, "/api/v1/evaluations", cfg.api_key, NULL, &a, &root, &status);
	if (rc == EXIT_OK) {
		list = json_get(root, "evaluations");
		if (!list || list->type != JSON_ARRAY || list->count == 0)
			printf("no evaluations yet\n");
		for (e = list ? list->child : NULL; e; e = e->next)
			print_eval(e);
	}
	arena_release(&a);
	config_release(&cfg);
	return rc;
}
