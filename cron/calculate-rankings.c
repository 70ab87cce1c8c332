/*
 * calculate-rankings.c -- rank everyone for the current and the
 * just-closed day, ISO week and month, and for all time
 *
 *	calculate-rankings [--today YYYY-MM-DD]
 *
 * The work is one call of arena_rankings_build() (schema/003-rankings.sql):
 * set-based SQL over the aggregates ingestion maintains.  It runs in one
 * transaction that also holds an advisory lock, so readers see the old
 * rankings or the new ones and never a mix, and two runs never overlap:
 * a second run finds the lock taken, says so and exits 0 (the first one
 * is doing the same work).  Running it twice gives the same rankings.
 *
 * --today ranks as of another UTC day (a backfill, or a test); the
 * default is the current UTC day.  ARENA_RANK_INCLUDE_FLAGGED=1 counts
 * flagged sessions too; ARENA_RANK_WORK_MEM_MB (default 256) is the
 * memory its sorts may use before they spill to disk.
 *
 * Exit status: 0 done or skipped, 1 failed (one line on stderr), 2 usage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "job.h"
#include "log.h"
#include "timeutil.h"

#define MS_PER_DAY 86400000

static const char help[] =
	"usage: calculate-rankings [--today YYYY-MM-DD]\n"
	"Ranks every period of the day (default today in UTC) and the weeks and\n"
	"months it belongs to, from the aggregates in DATABASE_URL.\n"
	"  --today DATE   rank as if today were DATE\n"
	"  -h, --help     this text\n"
	"  -V, --version  the version\n";

static int usage(void)
{
	fputs(help, stderr);
	return 2;
}

static const char *today_arg;

static int take_option(int opt, const char *arg)
{
	(void)opt;
	today_arg = arg;
	return -1;
}

static int run(struct job *j, const char *today)
{
	const char *vals[2] = { today, arena_conf.rank_include_flagged ? "true" : "false" };
	char lock[32], work_mem[32];
	PGresult *res;
	int i;

	snprintf(lock, sizeof(lock), "%d", JOB_LOCK_RANKINGS);
	snprintf(work_mem, sizeof(work_mem), "%lldMB",
		 (long long)conf_int("ARENA_RANK_WORK_MEM_MB", 256, 4, 65536));
	if (job_run(j, "BEGIN", 0, NULL))
		return -1;
	/* the lock ends with the transaction, whatever becomes of this process */
	res = job_exec(j, "SELECT pg_try_advisory_xact_lock($1::bigint)", 1,
		       (const char *const[]){ lock });
	if (!res)
		return -1;
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
		PQclear(res);
		job_line(j);
		printf("another run is in progress; nothing done\n");
		return 1;
	}
	PQclear(res);
	/*
	 * One large query: compiling it with JIT costs more than it saves,
	 * and its sorts and hashes should stay in memory.
	 */
	if (job_run(j, "SET LOCAL jit = off", 0, NULL) ||
	    job_run(j, "SELECT set_config('work_mem', $1, true)", 1,
		    (const char *const[]){ work_mem }))
		return -1;
	res = job_exec(j, "SELECT period_type, period_start, participants"
		       " FROM arena_rankings_build($1::date, $2::boolean)"
		       " ORDER BY period_start DESC, period_type", 2, vals);
	if (!res)
		return -1;
	if (job_run(j, "COMMIT", 0, NULL)) {
		PQclear(res);
		return -1;
	}
	job_line(j);
	printf("as of %s%s:", today,
	       arena_conf.rank_include_flagged ? " (flagged sessions included)" : "");
	for (i = 0; i < PQntuples(res); i++)
		printf("%s %s %s=%s", i ? "," : "", PQgetvalue(res, i, 0),
		       PQgetvalue(res, i, 1), PQgetvalue(res, i, 2));
	PQclear(res);
	return 0;
}

int main(int argc, char **argv)
{
	struct job j = { "calculate-rankings", NULL };
	char today[11];
	int64_t days, t0;
	int rc;

	static const struct option longopts[] = {
		{ "today", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};

	log_init(j.name);
	conf_load();
	rc = job_options(argc, argv, j.name, help, "hV", longopts, take_option);
	if (rc >= 0)
		return rc;
	if (optind != argc)
		return usage();
	if (today_arg) {
		if (job_parse_date(today_arg, &days))
			return usage();
	} else {
		days = time_now_ms() / MS_PER_DAY;
	}
	job_format_date(days, today);

	t0 = time_mono_ms();
	if (job_connect(&j, j.name)) {
		job_close(&j);
		return 1;
	}
	rc = run(&j, today);
	if (rc == 0)
		job_record(&j, time_mono_ms() - t0, "{}", 0);
	job_close(&j);
	if (rc < 0)
		return 1;
	if (rc == 0)
		printf(" in %" PRId64 " ms\n", time_mono_ms() - t0);
	return 0;
}
