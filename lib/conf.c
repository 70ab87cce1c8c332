/* conf.c -- configuration from the environment */
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "conf.h"
#include "num.h"

struct conf arena_conf;

int64_t conf_int(const char *name, int64_t def, int64_t min, int64_t max)
{
	const char *s = getenv(name);
	int64_t v;

	if (!s || !*s)
		return def;
	if (num_parse_i64z(s, min, max, &v) != NUM_OK) {
		fprintf(stderr, "ignoring %s='%s': want an integer in [%lld, %lld]\n",
			name, s, (long long)min, (long long)max);
		return def;
	}
	return v;
}

const char *conf_str(const char *name, const char *def)
{
	const char *s = getenv(name);

	return s && *s ? s : def;
}

void conf_load(void)
{
	struct conf *c = &arena_conf;

	c->database_url = conf_str("DATABASE_URL", "dbname=arena");
	c->statement_timeout_ms = conf_int("ARENA_STATEMENT_TIMEOUT_MS", 5000, 1, 600000);
	c->db_connect_timeout_ms = conf_int("ARENA_DB_CONNECT_TIMEOUT_MS", 2000, 10, 60000);
	/* 64 KiB holds a session with hundreds of slices; batches get 1 MiB */
	c->max_body = conf_int("ARENA_MAX_BODY_BYTES", 65536, 1024, 16 << 20);
	c->backfill_days = conf_int("ARENA_BACKFILL_DAYS", 90, 1, 3650);
	c->sign_window = conf_int("ARENA_SIGNATURE_WINDOW_SECONDS", 300, 10, 3600);
	c->anomaly_factor = conf_int("ARENA_ANOMALY_FACTOR", 10, 2, 1000000);
	c->max_output_tps = conf_int("ARENA_MAX_OUTPUT_TOKENS_PER_SECOND", 1000, 1, 1000000000);
	c->workers = conf_int("ARENA_WORKERS", 2, 1, 256);
	c->leaderboard_max_age = conf_int("ARENA_LEADERBOARD_MAX_AGE", 30, 0, 86400);
	c->rank_include_flagged = (int)conf_int("ARENA_RANK_INCLUDE_FLAGGED", 0, 0, 1);
	c->version = PACKAGE_VERSION;
}
