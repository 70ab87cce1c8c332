/*
 * metrics.c -- GET /metrics in the Prometheus text format (version 0.0.4)
 *
 * Only for a peer on loopback or in ARENA_TRUSTED_PROXIES (REMOTE_ADDR as
 * the web server saw it, never X-Forwarded-For); anyone else gets 403.
 *
 * The request figures are every pool's shared counters (lib/metrics.h):
 * this program reads each $ARENA_METRICS_DIR/NAME.metrics file, so one
 * scrape covers all endpoints, labelled endpoint="NAME".  The jobs'
 * figures come from the job_runs table the jobs write.  Metric names:
 *
 *	arena_http_requests_total{endpoint,code}		counter
 *	arena_http_request_duration_seconds{endpoint}		histogram
 *	arena_db_errors_total{endpoint}				counter
 *	arena_db_reconnects_total{endpoint}			counter
 *	arena_rate_limited_total{endpoint,class}		counter
 *	arena_ingest_sessions_total{outcome}			counter
 *	arena_job_last_success_timestamp_seconds{job}		gauge
 *	arena_job_duration_seconds{job}				gauge
 *	arena_cleanup_last_deleted_rows{table}			gauge
 *	arena_cleanup_deleted_rows_total			counter
 *	arena_metrics_database_up				gauge
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "metrics.h"
#include "netaddr.h"
#include "serve.h"

#define MAX_POOLS 32

static const struct db_stmt stmts[] = {
	{ "jobs",
	  "SELECT job, extract(epoch FROM last_success)::numeric(20, 3), duration_ms"
	  " FROM job_runs ORDER BY job", 0 },
	{ "cleanup",
	  "SELECT c.key, c.value, j.rows_total FROM job_runs j,"
	  " jsonb_each_text(j.last_counts) c WHERE j.job = 'cleanup-data' ORDER BY c.key", 0 },
	DB_STMT_END
};

struct pools {
	const struct metrics_shm *m[MAX_POOLS];
	int n;
};

/* 1 if the web server's peer may read the metrics. */
static int allowed(struct req *rq)
{
	static struct cidr_list loopback = CIDR_LIST_INIT;
	const char *peer = req_param(rq, "REMOTE_ADDR");
	struct netaddr a;

	if (!loopback.n && cidr_list_parse("127.0.0.0/8,::1/128", &loopback))
		return 0;
	if (!peer || netaddr_parse(peer, strlen(peer), &a))
		return 0;
	return cidr_list_match(&loopback, &a) || cidr_list_match(&arena_conf.trusted_proxies, &a);
}

/*
 * 1 if s is a name that needs no escaping in a label value: a-z, 0-9, _
 * and -, ending within max bytes.  Endpoint, job and table names are
 * ours; anything else (a damaged file) is left out rather than escaped.
 */
static int label_safe(const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	return n > 0 && n < max && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

static int by_name(const void *a, const void *b)
{
	const struct metrics_shm *const *x = a, *const *y = b;

	return strcmp((*x)->endpoint, (*y)->endpoint);
}

static void load_pools(struct pools *p)
{
	const char *dir = conf_str("ARENA_METRICS_DIR", NULL);
	struct dirent *e;
	DIR *d;

	p->n = 0;
	if (!dir || !*dir || !(d = opendir(dir)))
		return;
	while ((e = readdir(d)) && p->n < MAX_POOLS) {
		size_t len = strlen(e->d_name);
		char path[4096];

		if (len < 9 || strcmp(e->d_name + len - 8, ".metrics") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (!(p->m[p->n] = metrics_map_file(path)))
			continue;
		if (label_safe(p->m[p->n]->endpoint, sizeof(p->m[p->n]->endpoint)))
			p->n++;
		else
			metrics_unmap(p->m[p->n]);
	}
	closedir(d);
	qsort(p->m, (size_t)p->n, sizeof(p->m[0]), by_name);
}

#define LOAD(x) ((unsigned long long)atomic_load_explicit(&(x), memory_order_relaxed))

static void head(struct buf *b, const char *name, const char *type, const char *help)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void write_requests(struct buf *b, const struct pools *p)
{
	int i, s;

	head(b, "arena_http_requests_total", "counter", "Requests answered, by endpoint and status.");
	for (i = 0; i < p->n; i++)
		for (s = 0; s < METRICS_STATUSES; s++) {
			unsigned long long v = LOAD(p->m[i]->requests[s]);

			if (!v)
				continue;
			if (metrics_statuses[s])
				buf_printf(b, "arena_http_requests_total{endpoint=\"%s\",code=\"%d\"} %llu\n",
					   p->m[i]->endpoint, metrics_statuses[s], v);
			else
				buf_printf(b, "arena_http_requests_total{endpoint=\"%s\",code=\"other\"} %llu\n",
					   p->m[i]->endpoint, v);
		}
}

static void write_latency(struct buf *b, const struct pools *p)
{
	const char *n = "arena_http_request_duration_seconds";
	int i, k;

	head(b, n, "histogram", "Time from the request's start to its response, by endpoint.");
	for (i = 0; i < p->n; i++) {
		const struct metrics_shm *m = p->m[i];
		unsigned long long cum = 0;

		for (k = 0; k < METRICS_BUCKETS; k++) {
			cum += LOAD(m->latency[k]);
			buf_printf(b, "%s_bucket{endpoint=\"%s\",le=\"%s\"} %llu\n", n, m->endpoint,
				   metrics_bucket_le[k], cum);
		}
		cum += LOAD(m->latency[METRICS_BUCKETS]);
		buf_printf(b, "%s_bucket{endpoint=\"%s\",le=\"+Inf\"} %llu\n", n, m->endpoint, cum);
		buf_printf(b, "%s_sum{endpoint=\"%s\"} %.6f\n", n, m->endpoint,
			   (double)LOAD(m->latency_sum_us) / 1e6);
		buf_printf(b, "%s_count{endpoint=\"%s\"} %llu\n", n, m->endpoint, cum);
	}
}

static void write_errors(struct buf *b, const struct pools *p)
{
	static const char *const classes[4] = { "api", "auth", "sensitive", "public" };
	unsigned long long ingest[MI_COUNT] = { 0 };
	int i, k;

	head(b, "arena_db_errors_total", "counter", "Failed statements and connects, by endpoint.");
	for (i = 0; i < p->n; i++)
		buf_printf(b, "arena_db_errors_total{endpoint=\"%s\"} %llu\n", p->m[i]->endpoint,
			   LOAD(p->m[i]->db_errors));
	head(b, "arena_db_reconnects_total", "counter", "Connections opened again after one was lost.");
	for (i = 0; i < p->n; i++)
		buf_printf(b, "arena_db_reconnects_total{endpoint=\"%s\"} %llu\n", p->m[i]->endpoint,
			   LOAD(p->m[i]->db_reconnects));
	head(b, "arena_rate_limited_total", "counter", "Requests refused with 429, by endpoint and class.");
	for (i = 0; i < p->n; i++)
		for (k = 0; k < 4; k++)
			if (LOAD(p->m[i]->ratelimited[k]))
				buf_printf(b, "arena_rate_limited_total{endpoint=\"%s\",class=\"%s\"} %llu\n",
					   p->m[i]->endpoint, classes[k], LOAD(p->m[i]->ratelimited[k]));
	for (i = 0; i < p->n; i++)
		for (k = 0; k < MI_COUNT; k++)
			ingest[k] += LOAD(p->m[i]->ingest[k]);
	head(b, "arena_ingest_sessions_total", "counter", "Uploaded sessions, by outcome.");
	for (k = 0; k < MI_COUNT; k++)
		buf_printf(b, "arena_ingest_sessions_total{outcome=\"%s\"} %llu\n",
			   metrics_ingest_names[k], ingest[k]);
}

/* The jobs' figures; 0, or -1 when the database did not answer. */
static int write_jobs(struct buf *b, struct db *db)
{
	PGresult *jobs = db_run(db, "jobs", 0, NULL), *clean;
	int i;

	if (!jobs)
		return -1;
	clean = db_run(db, "cleanup", 0, NULL);
	if (!clean) {
		PQclear(jobs);
		return -1;
	}
	head(b, "arena_job_last_success_timestamp_seconds", "gauge",
	     "When each batch job last finished without error.");
	for (i = 0; i < PQntuples(jobs); i++)
		if (label_safe(PQgetvalue(jobs, i, 0), 64))
			buf_printf(b, "arena_job_last_success_timestamp_seconds{job=\"%s\"} %s\n",
			   PQgetvalue(jobs, i, 0), PQgetvalue(jobs, i, 1));
	head(b, "arena_job_duration_seconds", "gauge", "How long each job's last successful run took.");
	for (i = 0; i < PQntuples(jobs); i++)
		if (label_safe(PQgetvalue(jobs, i, 0), 64))
			buf_printf(b, "arena_job_duration_seconds{job=\"%s\"} %.3f\n", PQgetvalue(jobs, i, 0),
			   (double)db_int(jobs, i, 2) / 1000.0);
	head(b, "arena_cleanup_last_deleted_rows", "gauge", "Rows the last cleanup deleted, by table.");
	for (i = 0; i < PQntuples(clean); i++)
		if (label_safe(PQgetvalue(clean, i, 0), 64))
			buf_printf(b, "arena_cleanup_last_deleted_rows{table=\"%s\"} %lld\n",
			   PQgetvalue(clean, i, 0), (long long)db_int(clean, i, 1));
	head(b, "arena_cleanup_deleted_rows_total", "counter", "Rows deleted by every cleanup so far.");
	buf_printf(b, "arena_cleanup_deleted_rows_total %lld\n",
		   PQntuples(clean) ? (long long)db_int(clean, 0, 2) : 0LL);
	PQclear(jobs);
	PQclear(clean);
	return 0;
}

static void handle_metrics(struct req *rq, struct db *db)
{
	struct pools p;
	int i, up;

	if (!allowed(rq)) {
		req_error(rq, 403, "forbidden", NULL, "metrics are served to loopback and trusted proxies only");
		return;
	}
	if (*rq->query) {
		req_error(rq, 400, "unknown_parameter", NULL, "this endpoint takes no query parameters");
		return;
	}
	rq->status = 200;
	rq->content_type = "text/plain; version=0.0.4; charset=utf-8";
	buf_reset(&rq->out);
	load_pools(&p);
	write_requests(&rq->out, &p);
	write_latency(&rq->out, &p);
	write_errors(&rq->out, &p);
	for (i = 0; i < p.n; i++)
		metrics_unmap(p.m[i]);
	up = write_jobs(&rq->out, db) == 0;
	head(&rq->out, "arena_metrics_database_up", "gauge",
	     "1 if the database answered this scrape's queries.");
	buf_printf(&rq->out, "arena_metrics_database_up %d\n", up);
}

static const struct endpoint metrics_endpoint = {
	.name = "metrics",
	.allow = "GET, HEAD",
	.stmts = stmts,
	.handle = handle_metrics,
};

SERVE_MAIN(metrics_endpoint)
