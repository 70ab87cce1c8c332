/* replica.c -- public reads from a streaming standby */
#include <stddef.h>

#include "conf.h"
#include "replica.h"
#include "timeutil.h"

/* What the lag check may take, connecting included. */
#define REPLICA_CHECK_MS 200
/* How long a standby that could not be reached is left alone. */
#define REPLICA_RETRY_MS 1000

static struct db reader;
static int reader_ready;
static int64_t retry_at;

struct db *replica_db(struct db *primary)
{
	PGresult *res;
	int64_t lag;

	if (!arena_conf.read_database_url)
		return primary;
	if (!reader_ready) {
		db_init(&reader, primary->app_name, primary->stmts);
		reader.url = arena_conf.read_database_url;
		reader_ready = 1;
	}
	if (retry_at && time_mono_ms() < retry_at)
		return primary;
	res = db_run_bounded(&reader, "replica_lag", 0, NULL, REPLICA_CHECK_MS);
	if (!res) {
		db_close(&reader);
		retry_at = time_mono_ms() + REPLICA_RETRY_MS;
		return primary;
	}
	retry_at = 0;
	lag = db_int(res, 0, 0);
	PQclear(res);
	return lag > arena_conf.read_max_lag_ms ? primary : &reader;
}
