/*
 * conf.h -- configuration from the environment
 *
 * Read once per process by conf_load(); every variable, its default and
 * its meaning is listed in the README.  A malformed value is reported on
 * stderr and the default is used, so a typo cannot take the service down,
 * but it is never silently reinterpreted.
 */
#ifndef ARENA_CONF_H
#define ARENA_CONF_H

#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"

struct conf {
	const char *database_url;	/* DATABASE_URL */
	const char *read_database_url;	/* ARENA_READ_DATABASE_URL, or NULL */
	int64_t read_max_lag_ms;	/* ARENA_READ_MAX_LAG_MS */
	int64_t statement_timeout_ms;	/* ARENA_STATEMENT_TIMEOUT_MS */
	int64_t db_connect_timeout_ms;	/* ARENA_DB_CONNECT_TIMEOUT_MS */
	int db_prepare;			/* ARENA_DB_PREPARE: 0 = unnamed statements */
	int64_t max_body;		/* ARENA_MAX_BODY_BYTES */
	int64_t backfill_days;		/* ARENA_BACKFILL_DAYS */
	int64_t sign_window;		/* ARENA_SIGNATURE_WINDOW_SECONDS */
	int64_t anomaly_factor;		/* ARENA_ANOMALY_FACTOR */
	int64_t max_output_tps;		/* ARENA_MAX_OUTPUT_TOKENS_PER_SECOND */
	int64_t workers;		/* ARENA_WORKERS */
	int64_t leaderboard_max_age;	/* ARENA_LEADERBOARD_MAX_AGE */
	int rank_include_flagged;	/* ARENA_RANK_INCLUDE_FLAGGED */
	int leaderboard_pagecache;	/* ARENA_LEADERBOARD_PAGECACHE */
	/* requests per window for each rate-limit class; 0 turns it off */
	int64_t rate_api;		/* ARENA_RATE_LIMIT_API */
	int64_t rate_auth;		/* ARENA_RATE_LIMIT_AUTH */
	int64_t rate_sensitive;		/* ARENA_RATE_LIMIT_SENSITIVE */
	int64_t rate_public;		/* ARENA_RATE_LIMIT_PUBLIC */
	int64_t rate_window;		/* ARENA_RATE_LIMIT_WINDOW_SECONDS */
	int64_t rate_timeout_ms;	/* ARENA_RATE_LIMIT_TIMEOUT_MS */
	struct cidr_list trusted_proxies;	/* ARENA_TRUSTED_PROXIES */
	/* ARENA_SECRET_KEY: seals the v2 signing secrets in the database */
	unsigned char secret_key[32];
	int have_secret_key;
	const char *version;
};

/* The process-wide configuration; conf_load() fills it. */
extern struct conf arena_conf;

void conf_load(void);

/* Reads an integer variable within [min, max], else the default. */
int64_t conf_int(const char *name, int64_t def, int64_t min, int64_t max);
const char *conf_str(const char *name, const char *def);

#endif
