/*
 * job.h -- what the batch jobs in cron/ share
 *
 * A job connects to DATABASE_URL once, runs set-based SQL, prints what
 * it did on stdout and, when it fails, exactly one line on stderr
 * ("<time> <job>: <what went wrong>") and exits 1, so cron can tell and
 * mail it.  Every line starts with the UTC time in ISO 8601
 * ("2026-12-07T02:00:00.123Z"), then the job's name.
 *
 * Each job holds an advisory lock for its whole run, so two runs of the
 * same job never overlap (a second one says so and does nothing).
 */
#ifndef ARENA_JOB_H
#define ARENA_JOB_H

#include <getopt.h>
#include <stdint.h>

#include <libpq-fe.h>

/* Advisory lock keys; arena-admin migrate holds 7261001. */
#define JOB_LOCK_RANKINGS 7261002
#define JOB_LOCK_CLEANUP 7261003

struct job {
	const char *name;	/* "calculate-rankings" */
	PGconn *conn;
};

/*
 * Connects with application_name = name and statement_timeout =
 * ARENA_JOB_STATEMENT_TIMEOUT_MS (default 10 minutes).  Returns 0, or -1
 * after job_fail().
 */
int job_connect(struct job *j, const char *name);

/*
 * The options every job takes: --help (help on stdout, returns 0),
 * --version (returns 0), an unknown option (usage on stderr, returns 2);
 * else -1 and optind at the first argument.  `opts` are the job's own
 * short options and `longopts` its long ones ending with the two above;
 * `handle` takes each of its own options and returns -1 to go on or an
 * exit status.
 */
int job_options(int argc, char **argv, const char *name, const char *help,
		const char *opts, const struct option *longopts,
		int (*handle)(int opt, const char *arg));

/* Starts a line on stdout: "<time> <name>: ". */
void job_line(const struct job *j);

/* Prints "<time> <name>: <message>" on stderr; returns -1 for `return job_fail(...)`. */
int job_fail(const struct job *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Runs sql with n text parameters.  Returns a TUPLES_OK/COMMAND_OK result
 * the caller PQclear()s, or NULL after job_fail() with the server's
 * message flattened to one line.
 */
PGresult *job_exec(struct job *j, const char *sql, int n, const char *const *vals);

/*
 * Records a successful run in job_runs (schema 009) for GET /metrics:
 * its duration, and rows deleted by table as a JSON object with the
 * total of them (cleanup-data) or "{}" and 0.  A failure to record is
 * reported and otherwise ignored: the job itself succeeded.
 */
void job_record(struct job *j, int64_t duration_ms, const char *counts_json, int64_t rows);

/* job_exec() for statements whose result is not needed; 0 or -1. */
int job_run(struct job *j, const char *sql, int n, const char *const *vals);

/*
 * Parses "YYYY-MM-DD" (a real calendar date) into days since 1970-01-01;
 * returns 0 or -1.
 */
int job_parse_date(const char *s, int64_t *days);

/* Writes "YYYY-MM-DD" and a NUL to out. */
void job_format_date(int64_t days, char out[11]);

void job_close(struct job *j);

#endif
