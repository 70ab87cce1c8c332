/* metrics.c -- counters shared by every worker of a pool */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "metrics.h"

const int metrics_statuses[METRICS_STATUSES] = {
	200, 201, 204, 301, 302, 303, 304, 400, 401, 403,
	404, 405, 409, 413, 415, 422, 429, 500, 503, 0
};

/* in microseconds, and the same as Prometheus' le labels */
static const int64_t bucket_us[METRICS_BUCKETS] = {
	1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
	1000000, 2500000, 5000000
};
const char *const metrics_bucket_le[METRICS_BUCKETS] = {
	"0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5",
	"1", "2.5", "5"
};
const char *const metrics_ingest_names[MI_COUNT] = {
	"created", "updated", "duplicate", "conflict", "rejected"
};

static struct metrics_shm *shm;

static struct metrics_shm *map_anonymous(void)
{
	void *p = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* The pool's file, made or reset to our layout; NULL on failure. */
static struct metrics_shm *map_file(const char *dir, const char *endpoint)
{
	char path[4096];
	struct stat st;
	void *p;
	int fd;

	snprintf(path, sizeof(path), "%s/%s.metrics", dir, endpoint);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || fstat(fd, &st) != 0) {
		fprintf(stderr, "%s: metrics: cannot open %s\n", endpoint, path);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if ((size_t)st.st_size != sizeof(*shm) && ftruncate(fd, 0) == 0)
		(void)ftruncate(fd, sizeof(*shm));
	p = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

void metrics_open(const char *endpoint)
{
	const char *dir = conf_str("ARENA_METRICS_DIR", NULL);

	if (shm)
		return;
	if (dir && *dir)
		shm = map_file(dir, endpoint);
	if (!shm)
		shm = map_anonymous();
	if (shm && shm->magic != METRICS_MAGIC) {
		memset(shm, 0, sizeof(*shm));
		snprintf(shm->endpoint, sizeof(shm->endpoint), "%s", endpoint);
		shm->magic = METRICS_MAGIC;
	}
}

#define ADD(field) atomic_fetch_add_explicit(&(field), 1, memory_order_relaxed)

void metrics_request(int status, int64_t micros)
{
	int i, b;

	if (!shm)
		return;
	for (i = 0; i < METRICS_STATUSES - 1 && metrics_statuses[i] != status; i++)
		;
	ADD(shm->requests[i]);
	for (b = 0; b < METRICS_BUCKETS && micros > bucket_us[b]; b++)
		;
	ADD(shm->latency[b]);
	atomic_fetch_add_explicit(&shm->latency_sum_us, (uint64_t)(micros > 0 ? micros : 0),
				  memory_order_relaxed);
}

void metrics_db_error(void)
{
	if (shm)
		ADD(shm->db_errors);
}

void metrics_db_reconnect(void)
{
	if (shm)
		ADD(shm->db_reconnects);
}

void metrics_ratelimited(enum rl_class cls)
{
	if (shm && (unsigned)cls < 4)
		ADD(shm->ratelimited[cls]);
}

void metrics_ingest(enum metrics_ingest outcome)
{
	if (shm && (unsigned)outcome < MI_COUNT)
		ADD(shm->ingest[outcome]);
}

const struct metrics_shm *metrics_map_file(const char *path)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || (size_t)st.st_size != sizeof(struct metrics_shm)) {
		close(fd);
		return NULL;
	}
	p = mmap(NULL, sizeof(struct metrics_shm), PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return NULL;
	if (((const struct metrics_shm *)p)->magic != METRICS_MAGIC) {
		munmap(p, sizeof(struct metrics_shm));
		return NULL;
	}
	return p;
}

void metrics_unmap(const struct metrics_shm *m)
{
	if (m)
		munmap((void *)m, sizeof(*m));
}
