/* conf.c -- configuration from the environment */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "conf.h"
#include "log.h"
#include "crypto.h"
#include "num.h"

struct conf arena_conf;

int64_t conf_int(const char *name, int64_t def, int64_t min, int64_t max)
{
	const char *s = getenv(name);
	int64_t v;

	if (!s || !*s)
		return def;
	if (num_parse_i64z(s, min, max, &v) != NUM_OK) {
		log_msg("ignoring %s='%s': want an integer in [%lld, %lld]",
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

static void load_proxies(struct conf *c)
{
	const char *s = conf_str("ARENA_TRUSTED_PROXIES", "");

	if (cidr_list_parse(s, &c->trusted_proxies))
		log_msg("ignoring ARENA_TRUSTED_PROXIES='%s': want addresses or"
			" CIDR blocks separated by commas", s);
}

static void load_secret_key(struct conf *c)
{
	const char *s = conf_str("ARENA_SECRET_KEY", NULL);
	char lower[65];
	size_t i;

	c->have_secret_key = 0;
	if (!s)
		return;
	/* never echo the value: it is a secret */
	if (strlen(s) != 64) {
		log_msg("ignoring ARENA_SECRET_KEY: want 64 hex digits");
		return;
	}
	for (i = 0; i < 64; i++)
		lower[i] = (char)tolower((unsigned char)s[i]);
	lower[64] = '\0';
	if (hex_decode(lower, 64, c->secret_key, sizeof(c->secret_key))) {
		log_msg("ignoring ARENA_SECRET_KEY: want 64 hex digits");
		return;
	}
	c->have_secret_key = 1;
}

/* ARENA_DB_PREPARE: on (named statements) or off (unnamed, for PgBouncer). */
static int load_db_prepare(void)
{
	const char *s = conf_str("ARENA_DB_PREPARE", "on");

	if (strcmp(s, "off") == 0 || strcmp(s, "0") == 0)
		return 0;
	if (strcmp(s, "on") != 0 && strcmp(s, "1") != 0)
		fprintf(stderr, "ignoring ARENA_DB_PREPARE='%.16s': want on or off\n", s);
	return 1;
}

void conf_load(void)
{
	struct conf *c = &arena_conf;

	c->database_url = conf_str("DATABASE_URL", "dbname=arena");
	c->read_database_url = conf_str("ARENA_READ_DATABASE_URL", NULL);
	if (c->read_database_url && !*c->read_database_url)
		c->read_database_url = NULL;
	c->read_max_lag_ms = conf_int("ARENA_READ_MAX_LAG_MS", 5000, 0, 86400000);
	c->statement_timeout_ms = conf_int("ARENA_STATEMENT_TIMEOUT_MS", 5000, 1, 600000);
	c->db_connect_timeout_ms = conf_int("ARENA_DB_CONNECT_TIMEOUT_MS", 2000, 10, 60000);
	c->db_prepare = load_db_prepare();
	/* 64 KiB holds a session with hundreds of slices; batches get 1 MiB */
	c->max_body = conf_int("ARENA_MAX_BODY_BYTES", 65536, 1024, 16 << 20);
	c->backfill_days = conf_int("ARENA_BACKFILL_DAYS", 90, 1, 3650);
	c->sign_window = conf_int("ARENA_SIGNATURE_WINDOW_SECONDS", 300, 10, 3600);
	c->anomaly_factor = conf_int("ARENA_ANOMALY_FACTOR", 10, 2, 1000000);
	c->max_output_tps = conf_int("ARENA_MAX_OUTPUT_TOKENS_PER_SECOND", 1000, 1, 1000000000);
	c->workers = conf_int("ARENA_WORKERS", 2, 1, 256);
	c->leaderboard_max_age = conf_int("ARENA_LEADERBOARD_MAX_AGE", 30, 0, 86400);
	c->rank_include_flagged = (int)conf_int("ARENA_RANK_INCLUDE_FLAGGED", 0, 0, 1);
	c->leaderboard_pagecache = (int)conf_int("ARENA_LEADERBOARD_PAGECACHE", 1, 0, 1);
	/*
	 * The seed's classes.  A rate-limit bucket keeps one timestamp per
	 * request it counts, so a quota is bounded to keep each row small.
	 */
	c->rate_api = conf_int("ARENA_RATE_LIMIT_API", 100, 0, 10000);
	c->rate_auth = conf_int("ARENA_RATE_LIMIT_AUTH", 10, 0, 10000);
	c->rate_sensitive = conf_int("ARENA_RATE_LIMIT_SENSITIVE", 30, 0, 10000);
	c->rate_public = conf_int("ARENA_RATE_LIMIT_PUBLIC", 200, 0, 10000);
	c->rate_window = conf_int("ARENA_RATE_LIMIT_WINDOW_SECONDS", 60, 1, 86400);
	c->rate_timeout_ms = conf_int("ARENA_RATE_LIMIT_TIMEOUT_MS", 50, 1, 10000);
	load_proxies(c);
	load_secret_key(c);
	c->version = PACKAGE_VERSION;
}
