/* cmd_info.c -- modu-arena status, rank and verify */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "cfg.h"
#include "cmd.h"
#include "http.h"
#include "json.h"
#include "jsonw.h"
#include "body.h"
#include "schedule.h"
#include "settings.h"
#include "sources.h"
#include "spool.h"
#include "state.h"
#include "timeutil.h"
#include "util.h"

/*
 * One line per tool: whether its logs are here, what uploads them
 * without the user (the hook, the timer), and how many sessions the
 * client has counted from them.
 */
static void print_tools(int hook)
{
	struct loglist l = { 0 };
	struct store st;
	size_t logs[TOOL_N] = { 0 }, sessions[TOOL_N] = { 0 }, i;
	const char *sched = schedule_active();
	char *index = state_file_path("index.bin");
	int t, have_store;

	sources_find(&l);
	for (i = 0; i < l.n; i++)
		logs[l.v[i].tool]++;
	store_init(&st);
	have_store = store_load(&st, index) == 0;
	for (i = 0; have_store && i < st.nsess; i++)
		if (st.sess[i].tool < TOOL_N)
			sessions[st.sess[i].tool]++;
	printf("tools:\n");
	for (t = 0; t < TOOL_N; t++) {
		char found[48];

		if (logs[t])
			snprintf(found, sizeof(found), "found (%zu log file%s)", logs[t],
				 logs[t] == 1 ? "" : "s");
		else
			snprintf(found, sizeof(found), "not found");
		printf("  %-12s %-26s tracked by %s%s%s, %zu session%s seen\n",
		       tool_type_name((enum tool_type)t), found,
		       t == TOOL_CLAUDE && hook ? "hook" : "",
		       t == TOOL_CLAUDE && hook && sched ? " + " : "",
		       sched ? sched : t == TOOL_CLAUDE && hook ? "" : "manual sync only",
		       sessions[t], sessions[t] == 1 ? "" : "s");
	}
	store_release(&st);
	loglist_release(&l);
	free(index);
}

static int need_config(struct config *c)
{
	int rc = config_load(c);

	if (rc < 0)
		return EXIT_CONFIG;
	if (rc == 1 || !c->api_key) {
		error("not installed: run 'modu-arena install --api-key KEY' first");
		return EXIT_CONFIG;
	}
	return EXIT_OK;
}

/* GETs path with the key; on success leaves the parsed body in *root. */
static int get_json(const char *server, const char *path, const char *key,
		    struct arena *a, struct json **root, struct buf *raw)
{
	struct http_resp r;
	struct json_status js = { 0 };
	int rc;

	if (server_url_check(server))
		return EXIT_CONFIG;
	http_global_init();
	if (http_request(server, path, key, NULL, 0, &r)) {
		error("cannot reach %s: %s", server, r.err);
		http_global_cleanup();
		return EXIT_TEMPFAIL;
	}
	if (raw)
		buf_add(raw, r.body.s ? r.body.s : "", r.body.len);
	*root = r.body.len ? json_parse(a, r.body.s, r.body.len, &js) : NULL;
	if (r.status == 401 || r.status == 403) {
		error("the server refused the API key (HTTP %ld)", r.status);
		rc = EXIT_CONFIG;
	} else if (r.status != 200 || !*root || (*root)->type != JSON_OBJECT) {
		const struct json *e = *root ? json_get(*root, "error") : NULL;
		const struct json *m = e ? json_get(e, "message") : NULL;

		error("%s answered HTTP %ld%s%s", server, r.status, m ? ": " : "",
		      m && m->type == JSON_STRING ? m->str : "");
		rc = r.status == 429 || r.status >= 500 ? EXIT_TEMPFAIL : EXIT_ERROR;
	} else {
		rc = EXIT_OK;
	}
	http_resp_release(&r);
	http_global_cleanup();
	return rc;
}

static const char *sval(const struct json *o, const char *k)
{
	const struct json *v = o ? json_get(o, k) : NULL;

	return v && (v->type == JSON_STRING || v->type == JSON_NUMBER) ? v->str :
	       v && v->type == JSON_TRUE ? "true" : v && v->type == JSON_FALSE ? "false" : "-";
}

static int server_opt(int argc, char **argv, const char **server, int *json, const char *use)
{
	static const struct option opts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "s:j", opts, NULL)) != -1) {
		if (c == 's') {
			*server = optarg;
		} else if (c == 'j' && json) {
			*json = 1;
		} else if (c == 'h') {
			printf("usage: %s\n", use);
			return -1;
		} else {
			fprintf(stderr, "usage: %s\n", use);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: %s\n", use);
		return EXIT_USAGE;
	}
	return 0;
}

int cmd_verify(int argc, char **argv)
{
	struct config c;
	struct arena a = ARENA_INIT;
	struct json *root = NULL;
	const char *server = NULL;
	struct buf raw = BUF_INIT;
	int json = 0;
	int rc = server_opt(argc, argv, &server, &json, "modu-arena verify [--json] [--server URL]");

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if ((rc = need_config(&c)) != EXIT_OK)
		return rc;
	rc = get_json(server_url(&c, server), "/api/v1/verify", c.api_key, &a, &root, &raw);
	if (rc == EXIT_OK) {
		int valid = json_get(root, "valid") && json_get(root, "valid")->type == JSON_TRUE;

		if (json)
			printf("%s\n", buf_str(&raw));
		if (!valid) {
			error("the server says the API key is not valid");
			rc = EXIT_CONFIG;
		} else if (!json)
			printf("API key valid: user %s, key %s..., privacy mode %s\n",
			       sval(root, "username"), sval(root, "apiKeyPrefix"),
			       sval(root, "privacyMode"));
	}
	buf_release(&raw);
	arena_release(&a);
	config_release(&c);
	return rc;
}

static void print_ranking(const struct json *rankings, const char *key, const char *label)
{
	const struct json *r = rankings ? json_get(rankings, key) : NULL;

	if (!r || r->type != JSON_OBJECT) {
		printf("  %-9s -\n", label);
		return;
	}
	printf("  %-9s #%s of %s (score %s)\n", label, sval(r, "position"),
	       sval(r, "totalParticipants"), sval(r, "compositeScore"));
}

int cmd_rank(int argc, char **argv)
{
	struct config c;
	struct arena a = ARENA_INIT;
	struct json *root = NULL;
	const char *server = NULL;
	struct buf raw = BUF_INIT;
	int json = 0;
	int rc = server_opt(argc, argv, &server, &json, "modu-arena rank [--json] [--server URL]");

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if ((rc = need_config(&c)) != EXIT_OK)
		return rc;
	rc = get_json(server_url(&c, server), "/api/v1/rank", c.api_key, &a, &root, &raw);
	if (rc == EXIT_OK) {
		const struct json *rk = json_get(root, "rankings"), *st = json_get(root, "stats");

		if (json) {
			/* the server's document, as it sent it */
			fwrite(raw.s, 1, raw.len, stdout);
			if (!raw.len || raw.s[raw.len - 1] != '\n')
				putchar('\n');
		} else {
			printf("%s", sval(root, "username"));
			if (json_get(root, "tier"))
				printf(" (%s)", sval(root, "tier"));
			printf("\n");
			print_ranking(rk, "daily", "daily");
			print_ranking(rk, "weekly", "weekly");
			print_ranking(rk, "monthly", "monthly");
			print_ranking(rk, "allTime", "all time");
			printf("  tokens %s (input %s, output %s), sessions %s, streak %s\n",
			       sval(st, "totalTokens"), sval(st, "inputTokens"),
			       sval(st, "outputTokens"), sval(st, "totalSessions"),
			       sval(root, "streak"));
		}
	}
	arena_release(&a);
	buf_release(&raw);
	config_release(&c);
	return rc;
}

/* What status reports, gathered once for the text and the JSON forms. */
struct status_info {
	char *config_path, *settings_path;
	int installed, hooks;		/* hooks: 1 installed, 0 not, -1 unreadable */
	char key_prefix[20];
	const char *url;
	int url_ok, reachable;
	long http_status;
	char err[256];
	int have_state;
	unsigned pending;
	size_t spooled;
	int64_t last_sync_ms, retry_s;
	const char *last_status;
};

static void status_gather(struct status_info *si, const struct config *c, int loaded,
			  const char *server)
{
	struct http_resp r;
	struct state s;
	char *path;

	if (loaded && c->api_key)
		snprintf(si->key_prefix, sizeof(si->key_prefix), "%.19s", c->api_key);
	si->url = server_url(loaded ? c : NULL, server);
	si->url_ok = server_url_check(si->url) == 0;
	if (si->url_ok) {
		http_global_init();
		si->reachable = http_request(si->url, "/api/v1/status", NULL, NULL, 0, &r) == 0;
		si->http_status = r.status;
		snprintf(si->err, sizeof(si->err), "%s", si->reachable ? "" : r.err);
		http_resp_release(&r);
		http_global_cleanup();
	}
	si->settings_path = loaded && c->rec.settings_path ? xstrdup(c->rec.settings_path) :
			    settings_default_path();
	si->hooks = settings_installed(si->settings_path);
	si->spooled = spool_count();
	path = state_file_path("files.bin");
	if (state_load(&s, path) == 0) {
		si->have_state = 1;
		si->pending = s.pending;
		si->last_sync_ms = s.last_sync_ms;
		si->last_status = s.last_status == 0 ? "ok" : s.last_status == EXIT_TEMPFAIL ?
				  "server unavailable, queued" : s.last_status == EXIT_REJECTED ?
				  "some sessions refused" : "failed";
		if (s.not_before_ms > time_now_ms())
			si->retry_s = (s.not_before_ms - time_now_ms() + 999) / 1000;
	}
	state_release(&s);
	free(path);
}

static void status_text(const struct status_info *si)
{
	char when[TIME_ISO_LEN + 1];

	printf("config:     %s%s\n", si->config_path, si->installed ? "" : " (not installed)");
	if (si->key_prefix[0])
		printf("api key:    %s... (mode 0600)\n", si->key_prefix);
	printf("server:     %s", si->url);
	if (!si->url_ok)
		printf(" (refused)\n");
	else if (si->reachable)
		printf(" (reachable, HTTP %ld)\n", si->http_status);
	else
		printf(" (unreachable: %s)\n", si->err);
	printf("hooks:      %s in %s\n", si->hooks == 1 ? "installed" : si->hooks == 0 ?
	       "not installed" : "unreadable", si->settings_path);
	print_tools(si->hooks == 1);
	if (!si->have_state) {
		printf("queue:      %zu hook event%s, logs not read yet\nlast sync:  never\n",
		       si->spooled, si->spooled == 1 ? "" : "s");
		return;
	}
	printf("queue:      %u session%s to upload, %zu hook event%s\n", si->pending,
	       si->pending == 1 ? "" : "s", si->spooled, si->spooled == 1 ? "" : "s");
	if (si->last_sync_ms) {
		time_format_iso(si->last_sync_ms, when);
		printf("last sync:  %s (%s)\n", when, si->last_status);
	} else {
		printf("last sync:  never\n");
	}
	if (si->retry_s)
		printf("retry:      not before %" PRId64 " s from now\n", si->retry_s);
}

static void status_json(const struct status_info *si)
{
	char when[TIME_ISO_LEN + 1];
	struct buf b = BUF_INIT;
	struct jsonw w;

	jsonw_init(&w, &b);
	jsonw_object(&w);
	jsonw_key(&w, "config");
	jsonw_string(&w, si->config_path);
	jsonw_key(&w, "installed");
	jsonw_bool(&w, si->installed);
	jsonw_key(&w, "apiKeyPrefix");
	jsonw_string(&w, si->key_prefix[0] ? si->key_prefix : NULL);
	jsonw_key(&w, "server");
	jsonw_string(&w, si->url);
	jsonw_key(&w, "serverAllowed");
	jsonw_bool(&w, si->url_ok);
	jsonw_key(&w, "reachable");
	jsonw_bool(&w, si->reachable);
	jsonw_key(&w, "httpStatus");
	if (si->reachable)
		jsonw_int(&w, si->http_status);
	else
		jsonw_null(&w);
	jsonw_key(&w, "hooks");
	jsonw_string(&w, si->hooks == 1 ? "installed" : si->hooks == 0 ? "not installed" :
		     "unreadable");
	jsonw_key(&w, "settings");
	jsonw_string(&w, si->settings_path);
	jsonw_key(&w, "pendingSessions");
	jsonw_int(&w, si->pending);
	jsonw_key(&w, "hookEvents");
	jsonw_int(&w, (int64_t)si->spooled);
	jsonw_key(&w, "lastSync");
	if (si->last_sync_ms) {
		time_format_iso(si->last_sync_ms, when);
		jsonw_string(&w, when);
	} else {
		jsonw_null(&w);
	}
	jsonw_key(&w, "lastSyncResult");
	jsonw_string(&w, si->last_sync_ms ? si->last_status : NULL);
	jsonw_key(&w, "retryInSeconds");
	jsonw_int(&w, si->retry_s);
	jsonw_end(&w);
	printf("%s\n", buf_str(&b));
	buf_release(&b);
}

int cmd_status(int argc, char **argv)
{
	struct status_info si = { 0 };
	struct config c;
	const char *server = NULL;
	int json = 0;
	int rc = server_opt(argc, argv, &server, &json, "modu-arena status [--json] [--server URL]");

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	si.config_path = config_path();
	rc = config_load(&c);
	if (rc < 0) {
		free(si.config_path);
		return EXIT_CONFIG;
	}
	si.installed = rc == 0;
	status_gather(&si, &c, rc == 0, server);
	if (json)
		status_json(&si);
	else
		status_text(&si);
	free(si.config_path);
	free(si.settings_path);
	config_release(&c);
	return EXIT_OK;
}
