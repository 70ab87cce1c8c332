/* job.c -- connection, errors and dates for the batch jobs */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "job.h"
#include "timeutil.h"

static void line_start(FILE *f, const char *name)
{
	char now[TIME_ISO_LEN + 1];

	time_format_iso(time_now_ms(), now);
	fprintf(f, "%s %s: ", now, name);
}

void job_line(const struct job *j)
{
	line_start(stdout, j->name);
}

int job_options(int argc, char **argv, const char *name, const char *help,
		const char *opts, const struct option *longopts,
		int (*handle)(int opt, const char *arg))
{
	int c, rc;

	while ((c = getopt_long(argc, argv, opts, longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(help, stdout);
			return 0;
		case 'V':
			printf("%s (modu-arena) %s\n", name, arena_conf.version);
			return 0;
		case '?':
		case ':':
			fputs(help, stderr);
			return 2;
		default:
			rc = handle(c, optarg);
			if (rc >= 0)
				return rc;
		}
	}
	return -1;
}

int job_fail(const struct job *j, const char *fmt, ...)
{
	va_list ap;

	line_start(stderr, j->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* The server's message without its trailing newline or DETAIL lines. */
static const char *one_line(char *buf, size_t n, const char *msg)
{
	size_t i;

	snprintf(buf, n, "%s", msg && *msg ? msg : "unknown error");
	for (i = 0; buf[i]; i++)
		if (buf[i] == '\n' || buf[i] == '\r') {
			buf[i] = '\0';
			break;
		}
	return buf;
}

int job_connect(struct job *j, const char *name)
{
	char opts[64], line[512];
	const char *keys[] = { "dbname", "application_name", "options", NULL };
	const char *vals[] = { arena_conf.database_url, name, opts, NULL };
	/* long enough for 100k users; short enough that a hung run ends */
	int64_t timeout = conf_int("ARENA_JOB_STATEMENT_TIMEOUT_MS", 600000, 1000, 86400000);

	j->name = name;
	snprintf(opts, sizeof(opts), "-c statement_timeout=%lld", (long long)timeout);
	j->conn = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(j->conn) != CONNECTION_OK)
		return job_fail(j, "cannot connect to the database: %s",
				one_line(line, sizeof(line), PQerrorMessage(j->conn)));
	PQclear(PQexec(j->conn, "SET client_min_messages = warning"));
	return 0;
}

PGresult *job_exec(struct job *j, const char *sql, int n, const char *const *vals)
{
	PGresult *res = PQexecParams(j->conn, sql, n, NULL, vals, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);
	char line[512];

	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		return res;
	job_fail(j, "%s", one_line(line, sizeof(line),
				   PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) ?
				   PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) :
				   PQerrorMessage(j->conn)));
	PQclear(res);
	return NULL;
}

void job_record(struct job *j, int64_t duration_ms, const char *counts_json, int64_t rows)
{
	char d[24], r[24];
	const char *vals[4] = { j->name, d, counts_json, r };

	snprintf(d, sizeof(d), "%lld", (long long)duration_ms);
	snprintf(r, sizeof(r), "%lld", (long long)rows);
	job_run(j, "INSERT INTO job_runs (job, last_success, duration_ms, last_counts, rows_total)"
		" VALUES ($1, now(), $2::bigint, $3::jsonb, $4::bigint)"
		" ON CONFLICT (job) DO UPDATE SET last_success = excluded.last_success,"
		" duration_ms = excluded.duration_ms, last_counts = excluded.last_counts,"
		" rows_total = job_runs.rows_total + excluded.rows_total,"
		" runs = job_runs.runs + 1", 4, vals);
}

int job_run(struct job *j, const char *sql, int n, const char *const *vals)
{
	PGresult *res = job_exec(j, sql, n, vals);

	if (!res)
		return -1;
	PQclear(res);
	return 0;
}

int job_parse_date(const char *s, int64_t *days)
{
	int64_t y, z;
	unsigned m, d, i, mm, dd;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	if (y < 2000 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	z = days_from_civil(y, m, d);
	/* 2025-02-30 comes back as March: not a date */
	civil_from_days(z, &y, &mm, &dd);
	if (mm != m || dd != d)
		return -1;
	*days = z;
	return 0;
}

void job_format_date(int64_t days, char out[11])
{
	int64_t y;
	unsigned m, d;

	civil_from_days(days, &y, &m, &d);
	snprintf(out, 11, "%04d-%02u-%02u", (int)y, m, d);
}

void job_close(struct job *j)
{
	if (j->conn)
		PQfinish(j->conn);
	j->conn = NULL;
}
