/*
 * evaluations.c -- POST /api/v1/evaluations, GET /api/v1/evaluations and
 * GET /api/v1/evaluations/{id}
 *
 * POST stores a signed request to evaluate a project: its name, its
 * README text (at most 50,000 bytes of UTF-8) and how many files it has
 * per extension -- nothing else is accepted.  The same project (same user
 * and name) submitted again replaces its evaluation.  At most
 * ARENA_EVAL_DAILY_QUOTA (10) submissions per user and UTC day.  Answers
 * 202 with the evaluation's id; cron/evaluate-projects does the work.
 * Without a model endpoint (ARENA_EVAL_URL) nothing would ever evaluate
 * it, so POST is refused: 503 evaluation_unavailable.
 *
 * GET lists the caller's evaluations, or shows one of them: its state
 * (queued, running, done, failed), the scores and feedback when done,
 * the reason when failed.  Another user's id is the same 404 as an
 * unknown one.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "audit.h"
#include "conf.h"
#include "json.h"
#include "ratelimit.h"
#include "replay.h"
#include "serve.h"

#define README_MAX 50000
#define NAME_MAX_BYTES 255
#define EXT_MAX 200		/* distinct extensions */
#define EXT_LEN_MAX 16

#define EVAL_COLUMNS \
	"id, project_name, state, attempts, functionality, practicality," \
	" feedback, reason, to_char(submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')," \
	" to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

static const struct db_stmt stmts[] = {
	AUTH_STMT,
	AUTH_V2_STMT,
	AUDIT_STMT,
	RATELIMIT_STMT,
	REPLAY_STMT,
	{ "submit", "SELECT outcome, evaluation_id FROM arena_evaluation_submit($1, $2, $3,"
	  " $4::jsonb, $5::integer)", 5 },
	{ "one", "SELECT " EVAL_COLUMNS " FROM evaluations WHERE id = $1::uuid AND user_id = $2", 2 },
	{ "list", "SELECT " EVAL_COLUMNS " FROM evaluations WHERE user_id = $1"
	  " ORDER BY submitted_at DESC, id LIMIT 100", 1 },
	DB_STMT_END
};

static int content_type_is_json(const char *ct)
{
	static const char want[] = "application/json";
	size_t n = sizeof(want) - 1;

	if (!ct || strncasecmp(ct, want, n) != 0)
		return 0;
	ct += n;
	while (*ct == ' ')
		ct++;
	return *ct == '\0' || *ct == ';';
}

static int name_ok(const char *s, size_t n)
{
	size_t i;

	if (n < 1 || n > NAME_MAX_BYTES)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || s[i] == '/')
			return 0;
	return 1;
}

static int ext_ok(const char *k)
{
	size_t n = strlen(k), i;

	if (strcmp(k, "(none)") == 0 || strcmp(k, "(other)") == 0)
		return 1;
	if (n < 1 || n > EXT_LEN_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= '0' && k[i] <= '9') ||
		      k[i] == '_' || k[i] == '-' || k[i] == '+'))
			return 0;
	return 1;
}

/* Checks fileCounts and writes it back canonically into out; 0 or -1. */
static int counts_check(struct req *rq, const struct json *v, struct buf *out)
{
	struct jsonw w;
	const struct json *m;

	if (v->type != JSON_OBJECT) {
		req_error(rq, 422, "wrong_type", "fileCounts", "expected an object");
		return -1;
	}
	if (v->count > EXT_MAX) {
		req_error(rq, 422, "out_of_range", "fileCounts", "at most %d extensions", EXT_MAX);
		return -1;
	}
	jsonw_init(&w, out);
	jsonw_object(&w);
	for (m = v->child; m; m = m->next) {
		int64_t n;

		if (!ext_ok(m->key)) {
			req_error(rq, 422, "invalid_value", "fileCounts",
				  "an extension is 1 to %d characters of a-z 0-9 _ - +", EXT_LEN_MAX);
			return -1;
		}
		if (json_int(m, 0, 10000000, &n) != NUM_OK) {
			req_error(rq, 422, "out_of_range", "fileCounts",
				  "a count is an integer from 0 to 10000000");
			return -1;
		}
		jsonw_key(&w, m->key);
		jsonw_int(&w, n);
	}
	jsonw_end(&w);
	return 0;
}

/* The body: exactly projectName, readme, fileCounts.  0 or -1 (answered). */
static int body_check(struct req *rq, const struct json *root, const struct json **name,
		      const struct json **readme, struct buf *counts)
{
	const struct json *m, *fc;

	if (root->type != JSON_OBJECT) {
		req_error(rq, 422, "not_an_object", NULL, "the body must be a JSON object");
		return -1;
	}
	for (m = root->child; m; m = m->next)
		if (strcmp(m->key, "projectName") && strcmp(m->key, "readme") &&
		    strcmp(m->key, "fileCounts")) {
			req_error(rq, 422, "unknown_field", json_key_is_plain(m->key) ? m->key : NULL,
				  "unknown field");
			return -1;
		}
	*name = json_get(root, "projectName");
	*readme = json_get(root, "readme");
	fc = json_get(root, "fileCounts");
	if (!*name || !*readme || !fc) {
		req_error(rq, 422, "missing_field", !*name ? "projectName" : !*readme ? "readme" :
			  "fileCounts", "required field is missing");
		return -1;
	}
	if ((*name)->type != JSON_STRING || !name_ok((*name)->str, (*name)->len)) {
		req_error(rq, 422, "invalid_value", "projectName",
			  "a project name is 1 to %d bytes, without control characters or /",
			  NAME_MAX_BYTES);
		return -1;
	}
	if ((*readme)->type != JSON_STRING || (*readme)->len > README_MAX ||
	    strlen((*readme)->str) != (*readme)->len) {
		req_error(rq, 422, "invalid_value", "readme",
			  "the README is a string of at most %d bytes, without NUL", README_MAX);
		return -1;
	}
	return counts_check(rq, fc, counts);
}

static void handle_post(struct req *rq, struct db *db)
{
	struct user u;
	struct json_status st;
	const struct json *root, *name, *readme;
	struct buf counts = BUF_INIT;
	char quota[16];
	PGresult *res;
	struct jsonw *w;

	if (!*conf_str("ARENA_EVAL_URL", "")) {
		req_error(rq, 503, "evaluation_unavailable", NULL,
			  "this server has no model endpoint configured; evaluations are off");
		return;
	}
	if (!content_type_is_json(req_param(rq, "CONTENT_TYPE"))) {
		req_error(rq, 415, "unsupported_media_type", "Content-Type",
			  "send the body as application/json");
		return;
	}
	if (req_read_body(rq, README_MAX * 6 + 65536) ||
	    auth_request(rq, db, &u, AUTH_SIGNED) != AUTH_OK)
		return;
	root = json_parse(rq->a, rq->body, rq->body_len, &st);
	if (!root) {
		char msg[160];

		req_error(rq, 400, json_error_code(st.error), NULL, "%s",
			  json_error_message(&st, msg, sizeof(msg)));
		return;
	}
	if (body_check(rq, root, &name, &readme, &counts))
		goto out;
	snprintf(quota, sizeof(quota), "%lld",
		 (long long)conf_int("ARENA_EVAL_DAILY_QUOTA", 10, 1, 1000));
	res = db_run(db, "submit", 5, (const char *const[]){ u.id, name->str, readme->str,
							      buf_str(&counts), quota });
	if (!res) {
		req_error(rq, 503, "service_unavailable", NULL,
			  "the database is unavailable; retry shortly");
		goto out;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "quota") == 0) {
		req_add_header(rq, "Retry-After", "3600");
		req_error(rq, 429, "evaluation_quota", NULL,
			  "at most %s evaluations a day; try again tomorrow (UTC)", quota);
	} else {
		w = req_json(rq, 202);
		jsonw_object(w);
		jsonw_key(w, "success");
		jsonw_bool(w, 1);
		jsonw_key(w, "id");
		jsonw_string(w, PQgetvalue(res, 0, 1));
		jsonw_key(w, "state");
		jsonw_string(w, "queued");
		jsonw_end(w);
	}
	PQclear(res);
out:
	buf_release(&counts);
}

static void text_or_null(struct jsonw *w, const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		jsonw_null(w);
	else
		jsonw_string(w, PQgetvalue(res, row, col));
}

static void write_eval(struct jsonw *w, const PGresult *res, int row)
{
	int done = strcmp(PQgetvalue(res, row, 2), "done") == 0;

	jsonw_object(w);
	jsonw_key(w, "id");
	jsonw_string(w, PQgetvalue(res, row, 0));
	jsonw_key(w, "projectName");
	jsonw_string(w, PQgetvalue(res, row, 1));
	jsonw_key(w, "state");
	jsonw_string(w, PQgetvalue(res, row, 2));
	jsonw_key(w, "attempts");
	jsonw_int(w, db_int(res, row, 3));
	jsonw_key(w, "result");
	if (done) {
		int64_t f = db_int(res, row, 4), p = db_int(res, row, 5);

		jsonw_object(w);
		jsonw_key(w, "functionality");
		jsonw_int(w, f);
		jsonw_key(w, "practicality");
		jsonw_int(w, p);
		jsonw_key(w, "score");
		jsonw_int(w, f + p);
		jsonw_key(w, "passed");
		jsonw_bool(w, f + p >= 5);
		jsonw_key(w, "feedback");
		jsonw_string(w, PQgetvalue(res, row, 6));
		jsonw_end(w);
	} else {
		jsonw_null(w);
	}
	jsonw_key(w, "reason");
	text_or_null(w, res, row, 7);
	jsonw_key(w, "submittedAt");
	text_or_null(w, res, row, 8);
	jsonw_key(w, "finishedAt");
	text_or_null(w, res, row, 9);
	jsonw_end(w);
}

static int uuid_ok(const char *s)
{
	size_t i;

	if (strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? s[i] != '-' :
		    !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static void handle_get(struct req *rq, struct db *db)
{
	static const char base[] = "/api/v1/evaluations";
	const char *id = rq->path + sizeof(base) - 1;
	struct user u;
	PGresult *res;
	struct jsonw *w;
	int i;

	if (req_read_body(rq, 0) || auth_request(rq, db, &u, AUTH_KEY_OR_V2) != AUTH_OK)
		return;
	if (*id == '/') {
		id++;
		if (!uuid_ok(id)) {
			req_error(rq, 404, "not_found", NULL, "no such evaluation");
			return;
		}
		res = db_run(db, "one", 2, (const char *const[]){ id, u.id });
	} else {
		res = db_run(db, "list", 1, (const char *const[]){ u.id });
	}
	if (!res) {
		req_error(rq, 503, "service_unavailable", NULL,
			  "the database is unavailable; retry shortly");
		return;
	}
	if (*id && PQntuples(res) == 0) {
		req_error(rq, 404, "not_found", NULL, "no such evaluation");
	} else {
		w = req_json(rq, 200);
		jsonw_object(w);
		jsonw_key(w, "success");
		jsonw_bool(w, 1);
		if (*id) {
			jsonw_key(w, "evaluation");
			write_eval(w, res, 0);
		} else {
			jsonw_key(w, "evaluations");
			jsonw_array(w);
			for (i = 0; i < PQntuples(res); i++)
				write_eval(w, res, i);
			jsonw_end(w);
		}
		jsonw_end(w);
	}
	PQclear(res);
}

static void handle_evaluations(struct req *rq, struct db *db)
{
	if (strcmp(rq->method, "POST") == 0) {
		if (strcmp(rq->path, "/api/v1/evaluations") != 0)
			req_error(rq, 404, "not_found", NULL, "no such route");
		else
			handle_post(rq, db);
	} else {
		handle_get(rq, db);
	}
}

static const struct endpoint evaluations_endpoint = {
	.name = "evaluations",
	.allow = "GET, POST",
	.stmts = stmts,
	.handle = handle_evaluations,
};

SERVE_MAIN(evaluations_endpoint)
