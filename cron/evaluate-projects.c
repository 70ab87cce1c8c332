/*
 * evaluate-projects.c -- send queued project evaluations to the model
 *
 *	evaluate-projects
 *
 * Takes up to ARENA_EVAL_BATCH (10) queued evaluations whose time has come,
 * marks them running (one statement: claimed with a fresh token), asks
 * the model about each (evalmodel.h), and stores each outcome in one
 * statement that only applies while the row still carries this run's
 * token -- a project resubmitted meanwhile is queued again and the stale
 * answer is dropped.  Batches repeat up to ARENA_EVAL_BATCHES (10) times.
 *
 * An answer that cannot be used fails the evaluation with its reason.  A
 * transient failure (timeout, no connection, HTTP 408/429/5xx) queues it
 * again after ARENA_EVAL_BACKOFF_SECONDS (60) times 2^(attempt-1), until
 * ARENA_EVAL_MAX_ATTEMPTS (4) attempts have been made; then it fails.
 * A row left running by a run that died is queued again once it is
 * older than three request time limits.
 *
 * The model: ARENA_EVAL_API (openai, the default, or anthropic),
 * ARENA_EVAL_URL (base URL), ARENA_EVAL_MODEL, ARENA_EVAL_KEY,
 * ARENA_EVAL_TIMEOUT_SECONDS (60) per request.  Without ARENA_EVAL_URL it
 * does nothing (and the API refuses submissions).
 *
 * A session advisory lock keeps two runs from overlapping; a second run
 * says so and exits 0.  Exit status: 0 done or skipped, 1 failed (one
 * line on stderr), 2 usage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "conf.h"
#include "evalmodel.h"
#include "job.h"
#include "timeutil.h"

#define JOB_LOCK_EVALUATE 7261004

struct tally {
	int done, failed, retried, stale;
};

static const char claim_sql[] =
	"UPDATE evaluations SET state = 'running', claim = gen_random_uuid(),"
	" claimed_at = now(), attempts = attempts + 1"
	" WHERE id IN (SELECT id FROM evaluations WHERE state = 'queued'"
	"   AND next_attempt_at <= now() ORDER BY next_attempt_at, id LIMIT $1"
	"   FOR UPDATE SKIP LOCKED)"
	" RETURNING id, claim, project_name, readme, file_counts::text, attempts";

static const char done_sql[] =
	"UPDATE evaluations SET state = 'done', functionality = $3, practicality = $4,"
	" feedback = $5, model = $6, reason = NULL, claim = NULL, claimed_at = NULL,"
	" finished_at = now() WHERE id = $1 AND claim = $2";

static const char failed_sql[] =
	"UPDATE evaluations SET state = 'failed', reason = $3, claim = NULL,"
	" claimed_at = NULL, finished_at = now() WHERE id = $1 AND claim = $2";

static const char retry_sql[] =
	"UPDATE evaluations SET"
	" state = CASE WHEN attempts >= $4::integer THEN 'failed' ELSE 'queued' END,"
	" reason = CASE WHEN attempts >= $4::integer"
	"   THEN $3 || ' (gave up after ' || attempts || ' attempts)' ELSE $3 END,"
	" next_attempt_at = now() + make_interval(secs => $5::double precision"
	"   * power(2, attempts - 1)),"
	" finished_at = CASE WHEN attempts >= $4::integer THEN now() END,"
	" claim = NULL, claimed_at = NULL"
	" WHERE id = $1 AND claim = $2 RETURNING state";

static void eval_conf_load(struct eval_conf *c)
{
	const char *api = conf_str("ARENA_EVAL_API", "openai");

	c->api = strcmp(api, "anthropic") == 0 ? EVAL_ANTHROPIC : EVAL_OPENAI;
	c->url = conf_str("ARENA_EVAL_URL", "");
	c->model = conf_str("ARENA_EVAL_MODEL", "");
	c->key = conf_str("ARENA_EVAL_KEY", "");
	c->timeout_s = (long)conf_int("ARENA_EVAL_TIMEOUT_SECONDS", 60, 1, 600);
}

/* Stores one outcome; -1 on a database failure. */
static int store(struct job *j, const struct eval_conf *c, const char *id, const char *claim,
		 const struct eval_result *r, struct tally *t)
{
	char f[4], p[4], max[16], backoff[24];
	PGresult *res;

	switch (r->outcome) {
	case EVAL_DONE:
		snprintf(f, sizeof(f), "%d", r->functionality);
		snprintf(p, sizeof(p), "%d", r->practicality);
		res = job_exec(j, done_sql, 6, (const char *const[]){ id, claim, f, p,
								      r->feedback, c->model });
		if (!res)
			return -1;
		if (strcmp(PQcmdTuples(res), "1") == 0)
			t->done++;
		else
			t->stale++;
		break;
	case EVAL_FAILED:
		res = job_exec(j, failed_sql, 3, (const char *const[]){ id, claim, r->reason });
		if (!res)
			return -1;
		if (strcmp(PQcmdTuples(res), "1") == 0)
			t->failed++;
		else
			t->stale++;
		break;
	default:
		snprintf(max, sizeof(max), "%lld",
			 (long long)conf_int("ARENA_EVAL_MAX_ATTEMPTS", 4, 1, 100));
		snprintf(backoff, sizeof(backoff), "%lld",
			 (long long)conf_int("ARENA_EVAL_BACKOFF_SECONDS", 60, 0, 86400));
		res = job_exec(j, retry_sql, 5, (const char *const[]){ id, claim, r->reason,
								       max, backoff });
		if (!res)
			return -1;
		if (PQntuples(res) == 0)
			t->stale++;
		else if (strcmp(PQgetvalue(res, 0, 0), "failed") == 0)
			t->failed++;
		else
			t->retried++;
		break;
	}
	PQclear(res);
	return 0;
}

/* One batch; returns how many were claimed, or -1. */
static int batch(struct job *j, const struct eval_conf *c, struct tally *t)
{
	char limit[16];
	PGresult *res;
	int i, n;

	snprintf(limit, sizeof(limit), "%lld", (long long)conf_int("ARENA_EVAL_BATCH", 10, 1, 1000));
	res = job_exec(j, claim_sql, 1, (const char *const[]){ limit });
	if (!res)
		return -1;
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		struct eval_project p = { PQgetvalue(res, i, 2), PQgetvalue(res, i, 3),
					  PQgetvalue(res, i, 4) };
		struct eval_result r;
		int rc;

		eval_project_run(c, &p, &r);
		rc = store(j, c, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), &r, t);
		eval_result_release(&r);
		if (rc) {
			PQclear(res);
			return -1;
		}
	}
	PQclear(res);
	return n;
}

static int run(struct job *j, const struct eval_conf *c, struct tally *t)
{
	char lock[32], stale[24];
	PGresult *res;
	int b, n;

	snprintf(lock, sizeof(lock), "%d", JOB_LOCK_EVALUATE);
	res = job_exec(j, "SELECT pg_try_advisory_lock($1::bigint)", 1, (const char *const[]){ lock });
	if (!res)
		return -1;
	n = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!n) {
		printf("%s: another run is in progress; nothing done\n", j->name);
		return 1;
	}
	/* rows a dead run left running */
	snprintf(stale, sizeof(stale), "%ld", c->timeout_s * 3 + 30);
	if (job_run(j, "UPDATE evaluations SET state = 'queued', claim = NULL, claimed_at = NULL,"
		    " reason = 'interrupted; queued again', next_attempt_at = now()"
		    " WHERE state = 'running' AND claimed_at < now() - make_interval(secs => $1::integer)",
		    1, (const char *const[]){ stale }))
		return -1;
	for (b = 0; b < conf_int("ARENA_EVAL_BATCHES", 10, 1, 1000); b++) {
		n = batch(j, c, t);
		if (n < 0)
			return -1;
		if (n == 0)
			break;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct job j = { "evaluate-projects", NULL };
	struct eval_conf c;
	struct tally t = { 0 };
	char err[160];
	int64_t t0;
	int rc;

	if (argc != 1) {
		fputs("usage: evaluate-projects\n", stderr);
		return 2;
	}
	conf_load();
	eval_conf_load(&c);
	if (!*c.url) {
		printf("%s: no model endpoint (ARENA_EVAL_URL); nothing done\n", j.name);
		return 0;
	}
	if (eval_conf_check(&c, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", j.name, err);
		return 1;
	}
	t0 = time_mono_ms();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (job_connect(&j, j.name)) {
		job_close(&j);
		curl_global_cleanup();
		return 1;
	}
	rc = run(&j, &c, &t);
	job_close(&j);
	curl_global_cleanup();
	if (rc < 0)
		return 1;
	if (rc == 0)
		printf("%s: %d done, %d failed, %d queued again, %d superseded in %" PRId64 " ms\n",
		       j.name, t.done, t.failed, t.retried, t.stale, time_mono_ms() - t0);
	return 0;
}
