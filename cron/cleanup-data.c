/*
 * cleanup-data.c -- retention: delete raw rows past their age
 *
 *	cleanup-data
 *
 * What goes, and when (days, each configurable):
 *   sessions and their token_usage slices   ARENA_RETAIN_SESSIONS_DAYS        90
 *   daily_aggregates (per-user day totals:
 *   the profile's heatmap and streaks)      ARENA_RETAIN_DAILY_DAYS          400
 *   the per-day model, tool and tool-type
 *   breakdowns                              ARENA_RETAIN_BREAKDOWN_DAYS       90
 *   daily rankings                          ARENA_RETAIN_DAILY_RANKINGS_DAYS  30
 *   security_audit_log                      ARENA_RETAIN_AUDIT_DAYS          180
 *
 * History does not change: ingestion already rolled every session into
 * monthly_aggregates, user_totals, the hourly totals and the lifetime
 * model, tool and tool-type totals, which are never deleted, and the
 * all-time ranking and the profile read those.  So rows are simply deleted, never
 * "un-applied" from the aggregates (arena_apply_session(-1) would erase
 * them from history).
 *
 * Deletes are batched and set-based: each statement removes at most
 * ARENA_CLEANUP_BATCH rows (default 5000) picked through an index and
 * commits on its own, so no lock is held for long and ingestion goes on.
 * Prints one line per table with the rows deleted and the time taken.
 *
 * Exit status: 0 done or skipped (another run holds the lock), 1 failed
 * (one line on stderr).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "conf.h"
#include "job.h"
#include "log.h"
#include "timeutil.h"

/*
 * The oldest day a ranking reads: last month's streak ends at most 31
 * days ago and scores up to 30 days before that.  Shorter daily retention
 * would change rankings that are still being recomputed.
 */
#define DAILY_DAYS_MIN 62

/* One kind of row: $1 = cutoff, $2 = batch size; deletes at most $2 rows. */
struct target {
	const char *name;
	const char *cutoff;	/* which of the cutoffs below: "raw", "day", ... */
	const char *sql;	/* returns one row: rows deleted [, extra rows] */
};

static const struct target targets[] = {
	/* the session's slices go with it in the same statement */
	{ "sessions", "raw",
	  "WITH s AS (SELECT id FROM sessions WHERE ended_at < $1::timestamptz"
	  "           ORDER BY ended_at LIMIT $2::integer),"
	  " t AS (DELETE FROM token_usage u USING s WHERE u.session_id = s.id RETURNING 1),"
	  " d AS (DELETE FROM sessions x USING s WHERE x.id = s.id RETURNING 1)"
	  " SELECT (SELECT count(*) FROM d), (SELECT count(*) FROM t)" },
	{ "daily_aggregates", "day",
	  "WITH d AS (DELETE FROM daily_aggregates WHERE ctid = ANY(ARRAY("
	  "  SELECT ctid FROM daily_aggregates WHERE day < $1::date LIMIT $2::integer))"
	  "  RETURNING 1) SELECT count(*) FROM d" },
	{ "daily_model_usage", "breakdown",
	  "WITH d AS (DELETE FROM daily_model_usage WHERE ctid = ANY(ARRAY("
	  "  SELECT ctid FROM daily_model_usage WHERE day < $1::date LIMIT $2::integer))"
	  "  RETURNING 1) SELECT count(*) FROM d" },
	{ "daily_tool_usage", "breakdown",
	  "WITH d AS (DELETE FROM daily_tool_usage WHERE ctid = ANY(ARRAY("
	  "  SELECT ctid FROM daily_tool_usage WHERE day < $1::date LIMIT $2::integer))"
	  "  RETURNING 1) SELECT count(*) FROM d" },
	{ "daily_tool_type_usage", "breakdown",
	  "WITH d AS (DELETE FROM daily_tool_type_usage WHERE ctid = ANY(ARRAY("
	  "  SELECT ctid FROM daily_tool_type_usage WHERE day < $1::date LIMIT $2::integer))"
	  "  RETURNING 1) SELECT count(*) FROM d" },
	{ "rankings (daily)", "ranking",
	  "WITH d AS (DELETE FROM rankings WHERE ctid = ANY(ARRAY("
	  "  SELECT ctid FROM rankings WHERE period_type = 'daily'"
	  "  AND period_start < $1::date LIMIT $2::integer)) RETURNING 1)"
	  " SELECT count(*) FROM d" },
	{ "ranking_periods (daily)", "ranking",
	  "WITH d AS (DELETE FROM ranking_periods WHERE ctid = ANY(ARRAY("
	  "  SELECT ctid FROM ranking_periods WHERE period_type = 'daily'"
	  "  AND period_start < $1::date LIMIT $2::integer)) RETURNING 1)"
	  " SELECT count(*) FROM d" },
	{ "security_audit_log", "audit",
	  "WITH d AS (DELETE FROM security_audit_log WHERE ctid = ANY(ARRAY("
	  "  SELECT ctid FROM security_audit_log WHERE created_at < $1::timestamptz"
	  "  LIMIT $2::integer)) RETURNING 1) SELECT count(*) FROM d" },
};

struct cutoffs {
	char raw[64], day[16], breakdown[16], ranking[16], audit[64];
};

static const char *cutoff_of(const struct cutoffs *c, const char *which)
{
	if (strcmp(which, "raw") == 0)
		return c->raw;
	if (strcmp(which, "day") == 0)
		return c->day;
	if (strcmp(which, "breakdown") == 0)
		return c->breakdown;
	if (strcmp(which, "ranking") == 0)
		return c->ranking;
	return c->audit;
}

/* The cutoffs as the database's clock sees them, once for the whole run. */
static int get_cutoffs(struct job *j, const int64_t days[5], struct cutoffs *c)
{
	char s[5][24];
	const char *vals[5] = { s[0], s[1], s[2], s[3], s[4] };
	PGresult *res;
	int i;

	for (i = 0; i < 5; i++)
		snprintf(s[i], sizeof(s[i]), "%" PRId64, days[i]);
	res = job_exec(j, "SELECT now() - make_interval(days => $1::integer),"
		       " (now() AT TIME ZONE 'UTC')::date - $2::integer,"
		       " (now() AT TIME ZONE 'UTC')::date - $3::integer,"
		       " now() - make_interval(days => $4::integer),"
		       " (now() AT TIME ZONE 'UTC')::date - $5::integer", 5, vals);
	if (!res)
		return -1;
	snprintf(c->raw, sizeof(c->raw), "%s", PQgetvalue(res, 0, 0));
	snprintf(c->day, sizeof(c->day), "%s", PQgetvalue(res, 0, 1));
	snprintf(c->ranking, sizeof(c->ranking), "%s", PQgetvalue(res, 0, 2));
	snprintf(c->audit, sizeof(c->audit), "%s", PQgetvalue(res, 0, 3));
	snprintf(c->breakdown, sizeof(c->breakdown), "%s", PQgetvalue(res, 0, 4));
	PQclear(res);
	return 0;
}

/* Deletes one kind of row batch by batch; returns the rows deleted or -1. */
static int64_t clean(struct job *j, const struct target *t, const char *cutoff,
		     int64_t batch)
{
	char b[24];
	const char *vals[2] = { cutoff, b };
	int64_t total = 0, extra = 0, batches = 0, n, t0 = time_mono_ms();

	snprintf(b, sizeof(b), "%" PRId64, batch);
	do {
		PGresult *res = job_exec(j, t->sql, 2, vals);

		if (!res)
			return -1;
		n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		if (PQnfields(res) > 1)
			extra += strtoll(PQgetvalue(res, 0, 1), NULL, 10);
		PQclear(res);
		total += n;
		batches++;
	} while (n >= batch);
	job_line(j);
	printf("%s: %" PRId64 " deleted", t->name, total);
	if (strcmp(t->name, "sessions") == 0)
		printf(" (and %" PRId64 " token_usage slices)", extra);
	printf(" older than %s in %" PRId64 " batches, %" PRId64 " ms\n", cutoff, batches,
	       time_mono_ms() - t0);
	return total + extra;
}

static const char help[] =
	"usage: cleanup-data [--at HH:MM]\n"
	"Deletes raw rows older than their retention (ARENA_RETAIN_*) from\n"
	"DATABASE_URL; totals, rankings and profiles keep their history.\n"
	"  --at HH:MM     do nothing unless the UTC time is within the quarter hour\n"
	"                 from HH:MM (for a cron started every 15 minutes in any\n"
	"                 time zone)\n"
	"  -h, --help     this text\n"
	"  -V, --version  the version\n";

static int64_t at_minute = -1;	/* --at, minutes after 00:00 UTC */

/* Two decimal digits ("02"); 1, or 0 if they are not. */
static int digits2(const char *s, int64_t *v)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return 0;
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	return 1;
}

static int take_option(int opt, const char *arg)
{
	int64_t h, m;

	(void)opt;
	if (strlen(arg) != 5 || arg[2] != ':' || !digits2(arg, &h) || !digits2(arg + 3, &m) ||
	    h > 23 || m > 59) {
		fprintf(stderr, "cleanup-data: --at wants HH:MM (UTC), not '%s'\n", arg);
		return 2;
	}
	at_minute = h * 60 + m;
	return -1;
}

/* 1 if now (UTC) is within [at, at + 15 minutes), across midnight too. */
static int due(int64_t at)
{
	int64_t now = time_now_ms() / 60000 % 1440;

	return (now - at + 1440) % 1440 < 15;
}

int main(int argc, char **argv)
{
	struct job j = { "cleanup-data", NULL };
	struct cutoffs c;
	struct buf counts = BUF_INIT;
	int64_t days[5], batch, total = 0, n, t0;
	char lock[32];
	PGresult *res;
	size_t i;
	int rc = 1;

	static const struct option longopts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};

	log_init(j.name);
	conf_load();
	rc = job_options(argc, argv, j.name, help, "hV", longopts, take_option);
	if (rc >= 0)
		return rc;
	if (optind != argc) {
		fputs(help, stderr);
		return 2;
	}
	rc = 1;
	if (at_minute >= 0 && !due(at_minute))
		return 0;
	days[0] = conf_int("ARENA_RETAIN_SESSIONS_DAYS", 90, 1, 36500);
	days[1] = conf_int("ARENA_RETAIN_DAILY_DAYS", 400, 1, 36500);
	days[2] = conf_int("ARENA_RETAIN_DAILY_RANKINGS_DAYS", 30, 1, 36500);
	days[3] = conf_int("ARENA_RETAIN_AUDIT_DAYS", 180, 1, 36500);
	days[4] = conf_int("ARENA_RETAIN_BREAKDOWN_DAYS", 90, 1, 36500);
	batch = conf_int("ARENA_CLEANUP_BATCH", 5000, 1, 1000000);
	/*
	 * A client may resend a session up to the backfill window after it
	 * ended; if the stored one were gone by then it would count twice.
	 */
	if (days[0] < arena_conf.backfill_days) {
		job_fail(&j, "ARENA_RETAIN_SESSIONS_DAYS (%" PRId64 ") is shorter than"
			 " ARENA_BACKFILL_DAYS (%" PRId64 "): resent sessions would count twice",
			 days[0], arena_conf.backfill_days);
		return 1;
	}
	if (days[1] < DAILY_DAYS_MIN) {
		job_fail(&j, "ARENA_RETAIN_DAILY_DAYS (%" PRId64 ") is below %d: rankings"
			 " still read that far back", days[1], DAILY_DAYS_MIN);
		return 1;
	}

	t0 = time_mono_ms();
	if (job_connect(&j, j.name))
		goto out;
	snprintf(lock, sizeof(lock), "%d", JOB_LOCK_CLEANUP);
	res = job_exec(&j, "SELECT pg_try_advisory_lock($1::bigint)", 1,
		       (const char *const[]){ lock });
	if (!res)
		goto out;
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
		PQclear(res);
		job_line(&j);
		printf("another run is in progress; nothing done\n");
		rc = 0;
		goto out;
	}
	PQclear(res);
	if (get_cutoffs(&j, days, &c))
		goto out;
	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		n = clean(&j, &targets[i], cutoff_of(&c, targets[i].cutoff), batch);
		if (n < 0)
			goto out;
		total += n;
		buf_printf(&counts, "%s\"%s\":%" PRId64, i ? "," : "{", targets[i].name, n);
	}
	buf_adds(&counts, "}");
	job_record(&j, time_mono_ms() - t0, buf_str(&counts), total);
	job_line(&j);
	printf("done: %" PRId64 " rows deleted in %" PRId64 " ms\n", total,
	       time_mono_ms() - t0);
	rc = 0;
out:
	buf_release(&counts);
	/* closing the connection releases the lock */
	job_close(&j);
	return rc;
}
