/*
 * metrics.h -- counters shared by every worker of a pool, for /metrics
 *
 * Each endpoint binary keeps its counters in one small file,
 * $ARENA_METRICS_DIR/NAME.metrics, mapped MAP_SHARED: the supervisor maps
 * it before forking, so its workers add to the same memory with relaxed
 * atomics, and a plain CGI process maps the same file for its one
 * request.  cgi-bin/metrics reads every pool's file and writes the
 * Prometheus text format; the jobs' figures come from the database.
 * Without ARENA_METRICS_DIR the counters live in anonymous shared memory
 * and nobody reads them.  A file of another layout is started afresh.
 *
 *	metrics_open("leaderboard");	// once, before fork
 *	metrics_request(200, 3);	// after each response (lib/serve.c)
 */
#ifndef ARENA_METRICS_H
#define ARENA_METRICS_H

#include <stdatomic.h>
#include <stdint.h>

#include "ratelimit.h"

#define METRICS_MAGIC 0x4d41524dU	/* layout version 1 */
#define METRICS_STATUSES 20
#define METRICS_BUCKETS 12

enum metrics_ingest {
	MI_CREATED,
	MI_UPDATED,
	MI_DUPLICATE,
	MI_CONFLICT,
	MI_REJECTED,
	MI_COUNT
};

struct metrics_shm {
	uint32_t magic;
	char endpoint[32];
	_Atomic uint64_t requests[METRICS_STATUSES];	/* by metrics_statuses[] */
	_Atomic uint64_t latency[METRICS_BUCKETS + 1];	/* per bucket, +Inf last */
	_Atomic uint64_t latency_sum_us;
	_Atomic uint64_t db_errors;
	_Atomic uint64_t db_reconnects;
	_Atomic uint64_t ratelimited[4];		/* by enum rl_class */
	_Atomic uint64_t ingest[MI_COUNT];
};

/* The status codes counted one by one; the last slot is "other". */
extern const int metrics_statuses[METRICS_STATUSES];
/* The histogram's upper bounds in seconds, as Prometheus writes them. */
extern const char *const metrics_bucket_le[METRICS_BUCKETS];
extern const char *const metrics_ingest_names[MI_COUNT];

/* Maps this endpoint's counters; later calls do nothing. */
void metrics_open(const char *endpoint);

void metrics_request(int status, int64_t micros);
void metrics_db_error(void);
void metrics_db_reconnect(void);
void metrics_ratelimited(enum rl_class cls);
void metrics_ingest(enum metrics_ingest outcome);

/* Maps file path read-only for the reader; NULL if it is not ours. */
const struct metrics_shm *metrics_map_file(const char *path);
void metrics_unmap(const struct metrics_shm *m);

#endif
