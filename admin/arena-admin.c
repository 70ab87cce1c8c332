/*
 * arena-admin.c -- operator's tool: schema migrations, users, API keys
 *
 *	arena-admin migrate
 *	arena-admin user add NAME [--github-id ID] [--github-username U] [--avatar-url URL]
 *	arena-admin user privacy NAME on|off
 *	arena-admin user delete NAME
 *	arena-admin user rename NAME NEW-NAME
 *	arena-admin user list [--json]
 *	arena-admin key issue|regenerate|revoke NAME
 *	arena-admin key list [NAME] [--json]
 *	arena-admin audit [--user U] [--event E] [--since T] [--limit N] [--json]
 *
 * Options are parsed with getopt_long (--limit 5 or --limit=5, anywhere
 * on the line) and checked before the database is touched.  Variables
 * missing from the environment are read from the configuration file
 * (--env FILE, default SYSCONFDIR/modu-arena/arena.env, KEY=value lines).
 * It talks to DATABASE_URL.  A new key is printed once on stdout and
 * never stored: only its SHA-256 and public prefix go to the database.
 * Exit status: 0 done, 1 failed (one line on stderr), 2 usage.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "config.h"

#include "apikey.h"
#include "buf.h"
#include "conf.h"
#include "crypto.h"
#include "jsonw.h"
#include "num.h"
#include "profile.h"
#include "timeutil.h"

static PGconn *conn;

/* The options of the command line, parsed before anything else. */
enum {
	OPT_JSON = 1 << 0,
	OPT_GITHUB_ID = 1 << 1,
	OPT_GITHUB_USERNAME = 1 << 2,
	OPT_AVATAR_URL = 1 << 3,
	OPT_USER = 1 << 4,
	OPT_EVENT = 1 << 5,
	OPT_SINCE = 1 << 6,
	OPT_LIMIT = 1 << 7,
};

static struct {
	unsigned seen;		/* OPT_* given */
	int json;
	const char *github_id, *github_username, *avatar_url;
	const char *user, *event, *limit, *env;
	char since[TIME_ISO_LEN + 1];
} opt;

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("arena-admin: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static const char usage_text[] =
	"usage: arena-admin [--env FILE] COMMAND [ARGS]\n"
	"       arena-admin migrate\n"
	"       arena-admin user add NAME [--github-id ID] [--github-username U] [--avatar-url URL]\n"
	"       arena-admin user privacy NAME on|off\n"
	"       arena-admin user delete NAME\n"
	"       arena-admin user rename NAME NEW-NAME\n"
	"       arena-admin user list [--json]\n"
	"       arena-admin key issue|regenerate|revoke NAME\n"
	"       arena-admin key list [NAME] [--json]\n"
	"       arena-admin audit [--user U] [--event E] [--since T] [--limit N] [--json]\n"
	"         T is an RFC 3339 time or an age such as 30m, 12h, 7d\n"
	"       arena-admin --help | --version\n"
	"Variables not in the environment come from FILE (default " ARENA_SYSCONFDIR
	"/modu-arena/arena.env).\n"
	"Exit status: 0 done, 1 failed, 2 usage.  See arena-admin(8).\n";

/* A usage error: the synopsis on stderr, exit status 2. */
static int usage(void)
{
	fputs(usage_text, stderr);
	return 2;
}

static int usage_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("arena-admin: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'arena-admin --help'.\n", stderr);
	return 2;
}

static int connect_db(void)
{
	const char *keys[] = { "dbname", "application_name", NULL };
	const char *vals[] = { arena_conf.database_url, "arena-admin", NULL };

	conn = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(conn) != CONNECTION_OK)
		return fail("cannot connect to the database: %s", PQerrorMessage(conn));
	PQclear(PQexec(conn, "SET client_min_messages = warning"));
	return 0;
}

/* Runs a parameterised statement; returns the result or NULL after reporting. */
static PGresult *run(const char *sql, int n, const char *const *vals)
{
	PGresult *res = PQexecParams(conn, sql, n, NULL, vals, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);

	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);

		fail("%s", msg ? msg : PQerrorMessage(conn));
		PQclear(res);
		return NULL;
	}
	return res;
}

static int run_ok(const char *sql, int n, const char *const *vals)
{
	PGresult *res = run(sql, n, vals);

	if (!res)
		return -1;
	PQclear(res);
	return 0;
}

static void admin_audit(const char *user_id, const char *event, const char *details)
{
	const char *vals[3] = { user_id, event, details };

	run_ok("INSERT INTO security_audit_log (user_id, event_type, user_agent, details)"
	       " VALUES ($1, $2, 'arena-admin', $3::jsonb)", 3, vals);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "r");
	char tmp[8192];
	size_t n;

	if (!f)
		return -1;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_add(b, tmp, n);
	fclose(f);
	buf_grow(b, 0);
	if (!b->s)
		buf_adds(b, "");
	return 0;
}

static int cmd_migrate(void)
{
	const char *dir = conf_str("ARENA_SCHEMA_DIR", ARENA_PKGDATADIR "/schema");
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t count = 0, i;
	int rc = 0, applied = 0;

	if (!d)
		return fail("cannot open schema directory '%s': %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (len < 5 || strcmp(e->d_name + len - 4, ".sql") != 0 ||
		    e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		names = realloc(names, (count + 1) * sizeof(*names));
		if (!names || !(names[count] = strdup(e->d_name)))
			abort();
		count++;
	}
	closedir(d);
	qsort(names, count, sizeof(*names), cmp_names);

	/* two operators migrating at once take turns */
	if (run_ok("SELECT pg_advisory_lock(7261001)", 0, NULL) ||
	    run_ok("CREATE TABLE IF NOT EXISTS schema_migrations ("
		   " version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
		   0, NULL)) {
		rc = 1;
		goto out;
	}
	for (i = 0; i < count && rc == 0; i++) {
		const char *vals[1] = { names[i] };
		PGresult *res = run("SELECT 1 FROM schema_migrations WHERE version = $1", 1, vals);
		struct buf sql = BUF_INIT;
		char *path;

		if (!res) {
			rc = 1;
			break;
		}
		if (PQntuples(res) > 0) {
			PQclear(res);
			continue;
		}
		PQclear(res);
		if (asprintf(&path, "%s/%s", dir, names[i]) < 0)
			abort();
		if (read_file(path, &sql)) {
			rc = fail("cannot read '%s': %s", path, strerror(errno));
			free(path);
			break;
		}
		free(path);
		/* each migration is applied whole or not at all */
		if (run_ok("BEGIN", 0, NULL)) {
			rc = 1;
		} else {
			PGresult *r = PQexec(conn, sql.s);

			if (PQresultStatus(r) != PGRES_COMMAND_OK &&
			    PQresultStatus(r) != PGRES_TUPLES_OK) {
				rc = fail("migration '%s' failed: %s", names[i],
					  PQresultErrorMessage(r));
				PQclear(r);
				run_ok("ROLLBACK", 0, NULL);
			} else {
				PQclear(r);
				if (run_ok("INSERT INTO schema_migrations (version) VALUES ($1)", 1, vals) ||
				    run_ok("COMMIT", 0, NULL))
					rc = 1;
				else {
					printf("applied %s\n", names[i]);
					applied++;
				}
			}
		}
		buf_release(&sql);
	}
	if (rc == 0 && applied == 0)
		printf("schema is up to date\n");
out:
	run_ok("SELECT pg_advisory_unlock(7261001)", 0, NULL);
	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* Looks a user up by name; returns its id (malloc'd) or NULL after reporting. */
static char *user_id(const char *name)
{
	const char *vals[1] = { name };
	PGresult *res = run("SELECT id FROM users WHERE username = $1", 1, vals);
	char *id;

	if (!res)
		return NULL;
	if (PQntuples(res) != 1) {
		PQclear(res);
		fail("no user '%s'", name);
		return NULL;
	}
	id = strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return id;
}

/* 1 if the user exists, else 0 after reporting it (or the database error). */
static int user_id_exists(const char *name)
{
	char *id = user_id(name);

	free(id);
	return id != NULL;
}

static int cmd_user_add(int argc, char **argv)
{
	const char *vals[4] = { argv[0], opt.github_id, opt.github_username, opt.avatar_url };
	PGresult *res;

	(void)argc;
	res = run("INSERT INTO users (username, github_id, github_username, avatar_url)"
		  " VALUES ($1, $2, $3, $4) RETURNING id", 4, vals);
	if (!res)
		return 1;
	printf("created user %s (%s)\n", argv[0], PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static int cmd_user_privacy(int argc, char **argv)
{
	const char *vals[2];
	char *id;
	int on;

	(void)argc;
	on = strcmp(argv[1], "on") == 0;
	id = user_id(argv[0]);
	if (!id)
		return 1;
	vals[0] = id;
	vals[1] = on ? "t" : "f";
	if (run_ok("UPDATE users SET privacy_mode = $2, updated_at = now() WHERE id = $1", 2, vals)) {
		free(id);
		return 1;
	}
	admin_audit(id, "privacy_mode_changed", on ? "{\"privacyMode\":true}" : "{\"privacyMode\":false}");
	printf("privacy mode %s for %s\n", on ? "on" : "off", argv[0]);
	free(id);
	return 0;
}

/*
 * Deletes a user and everything stored about them, as DELETE /api/me
 * does (the same stored function); the audit log keeps one row.
 */
static int cmd_user_delete(int argc, char **argv)
{
	const char *vals[1];
	PGresult *res;
	char *id;
	int done;

	(void)argc;
	id = user_id(argv[0]);
	if (!id)
		return 1;
	vals[0] = id;
	res = run("SELECT arena_delete_user($1, NULL, 'arena-admin', 'arena-admin')", 1, vals);
	free(id);
	if (!res)
		return 1;
	done = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (!done)
		return fail("no user '%s'", argv[0]);
	printf("deleted user %s and all their data\n", argv[0]);
	return 0;
}

static int cmd_user_list(int argc, char **argv)
{
	int json = opt.json;
	PGresult *res;
	int i;

	(void)argc;
	(void)argv;
	res = run("SELECT u.username, u.id, u.privacy_mode, k.key_prefix,"
		  " to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
		  " u.github_username"
		  " FROM users u LEFT JOIN LATERAL (SELECT key_prefix FROM api_keys"
		  " WHERE user_id = u.id AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1) k ON true"
		  " ORDER BY u.username", 0, NULL);
	if (!res)
		return 1;
	if (json) {
		struct buf b = BUF_INIT;
		struct jsonw w;

		jsonw_init(&w, &b);
		jsonw_array(&w);
		for (i = 0; i < PQntuples(res); i++) {
			jsonw_object(&w);
			jsonw_key(&w, "username");
			jsonw_string(&w, PQgetvalue(res, i, 0));
			jsonw_key(&w, "id");
			jsonw_string(&w, PQgetvalue(res, i, 1));
			jsonw_key(&w, "privacyMode");
			jsonw_bool(&w, PQgetvalue(res, i, 2)[0] == 't');
			jsonw_key(&w, "apiKeyPrefix");
			jsonw_string(&w, PQgetisnull(res, i, 3) ? NULL : PQgetvalue(res, i, 3));
			jsonw_key(&w, "createdAt");
			jsonw_string(&w, PQgetvalue(res, i, 4));
			jsonw_key(&w, "githubUsername");
			jsonw_string(&w, PQgetisnull(res, i, 5) ? NULL : PQgetvalue(res, i, 5));
			jsonw_end(&w);
		}
		jsonw_end(&w);
		printf("%s\n", buf_str(&b));
		buf_release(&b);
	} else {
		for (i = 0; i < PQntuples(res); i++)
			printf("%-24s %-36s %-7s %s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
			       PQgetvalue(res, i, 2)[0] == 't' ? "private" : "public",
			       PQgetisnull(res, i, 3) ? "(no key)" : PQgetvalue(res, i, 3));
	}
	PQclear(res);
	return 0;
}

/* 1 if a live key already has this public prefix (v2 names keys by it),
 * 0 if not, -1 if the database failed (reported). */
static int prefix_taken(const char *prefix)
{
	const char *vals[1] = { prefix };
	PGresult *res = run("SELECT 1 FROM api_keys WHERE key_prefix = $1 AND revoked_at IS NULL",
			    1, vals);
	int taken;

	if (!res)
		return -1;
	taken = PQntuples(res) > 0;
	PQclear(res);
	return taken;
}

/* Inserts a fresh key for user id; prints it; returns 0 or 1. */
static int insert_key(const char *id, char prefix[APIKEY_PREFIX_LEN + 1])
{
	struct apikey_new k;
	const char *vals[4];
	int tries = 0, taken;

	if (!arena_conf.have_secret_key)
		fputs("arena-admin: warning: ARENA_SECRET_KEY is not set; this key can sign"
		      " with v1 only until it is regenerated with one\n", stderr);
	/* 32-bit prefixes collide now and then: draw again rather than share one */
	do {
		if (apikey_mint(&k))
			return fail("no randomness available for a key");
		taken = prefix_taken(k.prefix);
		if (taken < 0) {
			apikey_mint_wipe(&k);
			return 1;
		}
	} while (taken && ++tries < 8);
	if (tries == 8) {
		apikey_mint_wipe(&k);
		return fail("could not find a free key prefix");
	}
	vals[0] = id;
	vals[1] = k.hash_hex;
	vals[2] = k.prefix;
	vals[3] = k.sealed_hex[0] ? k.sealed_hex : NULL;
	if (run_ok("INSERT INTO api_keys (user_id, key_hash, key_prefix, signing_secret)"
		   " VALUES ($1, decode($2, 'hex'), $3, decode($4, 'hex'))", 4, vals)) {
		apikey_mint_wipe(&k);
		return 1;
	}
	memcpy(prefix, k.prefix, sizeof(k.prefix));
	printf("%s\n", k.key);
	apikey_mint_wipe(&k);
	return 0;
}

static int cmd_key(const char *verb, const char *name)
{
	char *id = user_id(name);
	char prefix[APIKEY_PREFIX_LEN + 1], *details;
	const char *vals[1];
	PGresult *res;
	int rc = 1, had;

	if (!id)
		return 1;
	vals[0] = id;
	if (run_ok("BEGIN", 0, NULL))
		goto out;
	res = run("UPDATE api_keys SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL"
		  " RETURNING key_prefix", 1, vals);
	if (!res)
		goto rollback;
	had = PQntuples(res) > 0;
	if (had && strcmp(verb, "issue") == 0) {
		PQclear(res);
		fail("'%s' already has an active key; use 'key regenerate'", name);
		goto rollback;
	}
	if (!had && strcmp(verb, "revoke") == 0) {
		PQclear(res);
		fail("'%s' has no active key", name);
		goto rollback;
	}
	if (strcmp(verb, "revoke") == 0) {
		if (asprintf(&details, "{\"keyPrefix\":\"%s\"}", PQgetvalue(res, 0, 0)) < 0)
			abort();
		PQclear(res);
		admin_audit(id, "api_key_revoked", details);
		free(details);
		if (run_ok("COMMIT", 0, NULL))
			goto out;
		fprintf(stderr, "revoked the key of %s\n", name);
		rc = 0;
		goto out;
	}
	PQclear(res);
	if (insert_key(id, prefix))
		goto rollback;
	if (asprintf(&details, "{\"keyPrefix\":\"%s\"}", prefix) < 0)
		abort();
	admin_audit(id, strcmp(verb, "issue") == 0 ? "api_key_generated" : "api_key_regenerated",
		    details);
	free(details);
	if (run_ok("COMMIT", 0, NULL))
		goto out;
	rc = 0;
	goto out;
rollback:
	run_ok("ROLLBACK", 0, NULL);
out:
	free(id);
	return rc;
}

/* "2026-01-01T00:00:00Z" or an age "30s", "15m", "12h", "7d" into ISO text; 0 or -1. */
static int parse_since(const char *s, char out[TIME_ISO_LEN + 1])
{
	size_t n = strlen(s);
	int64_t ms, v, unit;

	if (time_parse_rfc3339(s, n, &ms) == 0) {
		time_format_iso(ms, out);
		return 0;
	}
	if (n < 2)
		return -1;
	switch (s[n - 1]) {
	case 's': unit = 1000; break;
	case 'm': unit = 60 * 1000; break;
	case 'h': unit = 3600 * 1000; break;
	case 'd': unit = 86400 * 1000; break;
	default: return -1;
	}
	if (num_parse_i64(s, n - 1, 0, 3650LL * 86400 * 1000 / unit, &v) != NUM_OK)
		return -1;
	time_format_iso(time_now_ms() - v * unit, out);
	return 0;
}

static void print_audit_json(PGresult *res)
{
	struct buf b = BUF_INIT;
	struct jsonw w;
	int i;

	jsonw_init(&w, &b);
	jsonw_array(&w);
	for (i = 0; i < PQntuples(res); i++) {
		int64_t id = 0;

		num_parse_i64z(PQgetvalue(res, i, 0), 0, INT64_MAX, &id);
		jsonw_object(&w);
		jsonw_key(&w, "id");
		jsonw_int(&w, id);
		jsonw_key(&w, "createdAt");
		jsonw_string(&w, PQgetvalue(res, i, 1));
		jsonw_key(&w, "event");
		jsonw_string(&w, PQgetvalue(res, i, 2));
		jsonw_key(&w, "username");
		jsonw_string(&w, PQgetisnull(res, i, 3) ? NULL : PQgetvalue(res, i, 3));
		jsonw_key(&w, "ipAddress");
		jsonw_string(&w, PQgetisnull(res, i, 4) ? NULL : PQgetvalue(res, i, 4));
		jsonw_key(&w, "userAgent");
		jsonw_string(&w, PQgetisnull(res, i, 5) ? NULL : PQgetvalue(res, i, 5));
		jsonw_key(&w, "details");
		jsonw_raw(&w, PQgetvalue(res, i, 6));	/* jsonb text is valid JSON */
		jsonw_end(&w);
	}
	jsonw_end(&w);
	printf("%s\n", buf_str(&b));
	buf_release(&b);
}

static int cmd_audit(int argc, char **argv)
{
	const char *vals[4] = { NULL, opt.event, opt.seen & OPT_SINCE ? opt.since : NULL,
				opt.limit ? opt.limit : "100" };
	int json = opt.json, i;
	PGresult *res;
	char *id = NULL;

	(void)argc;
	(void)argv;
	if (opt.user) {
		if (!(id = user_id(opt.user)))
			return 1;
		vals[0] = id;
	}
	/* the newest N that match, shown oldest first like any log */
	res = run("SELECT * FROM (SELECT a.id,"
		  " to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
		  " a.event_type, u.username, a.ip_address, a.user_agent, a.details::text"
		  " FROM security_audit_log a LEFT JOIN users u ON u.id = a.user_id"
		  " WHERE ($1::uuid IS NULL OR a.user_id = $1::uuid)"
		  " AND ($2::text IS NULL OR a.event_type = $2)"
		  " AND ($3::timestamptz IS NULL OR a.created_at >= $3::timestamptz)"
		  " ORDER BY a.id DESC LIMIT $4::int) t ORDER BY id", 4, vals);
	free(id);
	if (!res)
		return 1;
	if (json) {
		print_audit_json(res);
	} else {
		for (i = 0; i < PQntuples(res); i++)
			printf("%s %-22s %-16s %-15s %s\n", PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
			       PQgetisnull(res, i, 3) ? "-" : PQgetvalue(res, i, 3),
			       PQgetisnull(res, i, 4) ? "-" : PQgetvalue(res, i, 4),
			       PQgetvalue(res, i, 6));
	}
	PQclear(res);
	return 0;
}

/* Renames a user; their sessions, keys and rankings follow the id. */
static int cmd_user_rename(int argc, char **argv)
{
	const char *vals[2] = { argv[0], argv[1] };
	char *id, *details;
	PGresult *res;

	(void)argc;
	id = user_id(argv[0]);
	if (!id)
		return 1;
	vals[0] = id;
	res = run("UPDATE users SET username = $2, updated_at = now() WHERE id = $1", 2, vals);
	if (!res) {
		free(id);
		return 1;
	}
	PQclear(res);
	if (asprintf(&details, "{\"from\":\"%s\",\"to\":\"%s\"}", argv[0], argv[1]) < 0)
		abort();
	admin_audit(id, "username_changed", details);
	free(details);
	free(id);
	printf("renamed user %s to %s\n", argv[0], argv[1]);
	return 0;
}

/* The keys of one user or of everyone: prefixes and times, never a key. */
static int cmd_key_list(int argc, char **argv)
{
	const char *vals[1] = { argc ? argv[0] : NULL };
	PGresult *res;
	int i, j;
	static const char *const names[] = { "username", "keyPrefix", "createdAt", "lastUsedAt",
					     "revokedAt" };

	res = run("SELECT u.username, k.key_prefix,"
		  " to_char(k.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
		  " to_char(k.last_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
		  " to_char(k.revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
		  " FROM api_keys k JOIN users u ON u.id = k.user_id"
		  " WHERE $1::text IS NULL OR u.username = $1"
		  " ORDER BY u.username, k.created_at, k.key_prefix", 1, vals);
	if (!res)
		return 1;
	if (argc && PQntuples(res) == 0 && !user_id_exists(argv[0])) {
		PQclear(res);
		return 1;
	}
	if (opt.json) {
		struct buf b = BUF_INIT;
		struct jsonw w;

		jsonw_init(&w, &b);
		jsonw_array(&w);
		for (i = 0; i < PQntuples(res); i++) {
			jsonw_object(&w);
			for (j = 0; j < 5; j++) {
				jsonw_key(&w, names[j]);
				jsonw_string(&w, PQgetisnull(res, i, j) ? NULL : PQgetvalue(res, i, j));
			}
			jsonw_end(&w);
		}
		jsonw_end(&w);
		printf("%s\n", buf_str(&b));
		buf_release(&b);
	} else {
		for (i = 0; i < PQntuples(res); i++)
			printf("%-24s %-19s %s used %s %s\n", PQgetvalue(res, i, 0),
			       PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
			       PQgetisnull(res, i, 3) ? "never" : PQgetvalue(res, i, 3),
			       PQgetisnull(res, i, 4) ? "active" : "revoked");
	}
	PQclear(res);
	return 0;
}

static int cmd_key_issue(int argc, char **argv)
{
	(void)argc;
	return cmd_key("issue", argv[0]);
}

static int cmd_key_regenerate(int argc, char **argv)
{
	(void)argc;
	return cmd_key("regenerate", argv[0]);
}

static int cmd_key_revoke(int argc, char **argv)
{
	(void)argc;
	return cmd_key("revoke", argv[0]);
}

static int cmd_migrate_args(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cmd_migrate();
}

/* A command: its words, how many arguments it takes, which options. */
struct command {
	const char *word1, *word2;
	int min_args, max_args;
	unsigned opts;
	int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
	{ "migrate", NULL, 0, 0, 0, cmd_migrate_args },
	{ "user", "add", 1, 1, OPT_GITHUB_ID | OPT_GITHUB_USERNAME | OPT_AVATAR_URL, cmd_user_add },
	{ "user", "privacy", 2, 2, 0, cmd_user_privacy },
	{ "user", "delete", 1, 1, 0, cmd_user_delete },
	{ "user", "rename", 2, 2, 0, cmd_user_rename },
	{ "user", "list", 0, 0, OPT_JSON, cmd_user_list },
	{ "key", "issue", 1, 1, 0, cmd_key_issue },
	{ "key", "regenerate", 1, 1, 0, cmd_key_regenerate },
	{ "key", "revoke", 1, 1, 0, cmd_key_revoke },
	{ "key", "list", 0, 1, OPT_JSON, cmd_key_list },
	{ "audit", NULL, 0, 0, OPT_USER | OPT_EVENT | OPT_SINCE | OPT_LIMIT | OPT_JSON, cmd_audit },
};

/*
 * Sets each KEY=value of the configuration file that the environment
 * does not already have.  A missing default file is no error; a missing
 * --env file is.  Values may be quoted with '...' or "...".
 */
static int load_env_file(const char *path, int must_exist)
{
	FILE *f = fopen(path, "r");
	char line[4096];

	if (!f) {
		if (!must_exist && (errno == ENOENT || errno == EACCES))
			return 0;
		return fail("cannot read %s: %s", path, strerror(errno));
	}
	while (fgets(line, sizeof(line), f)) {
		char *k = line, *v, *end;
		size_t n;

		while (*k == ' ' || *k == '\t')
			k++;
		if (*k == '#' || *k == '\n' || !*k || !(v = strchr(k, '=')))
			continue;
		*v++ = '\0';
		n = strlen(v);
		while (n && (v[n - 1] == '\n' || v[n - 1] == '\r'))
			v[--n] = '\0';
		if (n >= 2 && (v[0] == '\'' || v[0] == '"') && v[n - 1] == v[0]) {
			v[n - 1] = '\0';
			v++;
		}
		for (end = k; *end; end++)
			if (!(*end == '_' || (*end >= 'A' && *end <= 'Z') || (*end >= 'a' && *end <= 'z') ||
			      (end > k && *end >= '0' && *end <= '9')))
				break;
		if (*end || end == k)
			continue;
		setenv(k, v, 0);
	}
	fclose(f);
	return 0;
}

static const struct option long_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "env", required_argument, NULL, 'e' },
	{ "json", no_argument, NULL, 'j' },
	{ "github-id", required_argument, NULL, 'g' },
	{ "github-username", required_argument, NULL, 'G' },
	{ "avatar-url", required_argument, NULL, 'a' },
	{ "user", required_argument, NULL, 'u' },
	{ "event", required_argument, NULL, 'E' },
	{ "since", required_argument, NULL, 's' },
	{ "limit", required_argument, NULL, 'l' },
	{ NULL, 0, NULL, 0 }
};

/* Parses the options into opt; returns -1 to go on, else an exit status. */
static int parse_options(int argc, char **argv)
{
	int64_t limit;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hV", long_options, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case 'V':
			printf("arena-admin (modu-arena) %s\n", PACKAGE_VERSION);
			return 0;
		case 'e': opt.env = optarg; break;
		case 'j': opt.seen |= OPT_JSON; opt.json = 1; break;
		case 'g': opt.seen |= OPT_GITHUB_ID; opt.github_id = optarg; break;
		case 'G': opt.seen |= OPT_GITHUB_USERNAME; opt.github_username = optarg; break;
		case 'a': opt.seen |= OPT_AVATAR_URL; opt.avatar_url = optarg; break;
		case 'u': opt.seen |= OPT_USER; opt.user = optarg; break;
		case 'E': opt.seen |= OPT_EVENT; opt.event = optarg; break;
		case 's':
			opt.seen |= OPT_SINCE;
			if (parse_since(optarg, opt.since))
				return usage_msg("bad --since '%s': want an RFC 3339 time or an age like 12h",
						 optarg);
			break;
		case 'l':
			opt.seen |= OPT_LIMIT;
			if (num_parse_i64z(optarg, 1, 100000, &limit) != NUM_OK)
				return usage_msg("bad --limit '%s': want 1 to 100000", optarg);
			opt.limit = optarg;
			break;
		case ':':
			return usage_msg("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_msg("unknown option '%s'", argv[optind - 1]);
		}
	}
	return -1;
}

/* Finds the command of the words left after the options; NULL after usage(). */
static const struct command *find_command(int argc, char **argv, int *skip)
{
	size_t i;

	if (argc < 1) {
		usage();
		return NULL;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct command *c = &commands[i];
		int words = c->word2 ? 2 : 1, n = argc - words;

		if (strcmp(argv[0], c->word1) || (c->word2 && (argc < 2 || strcmp(argv[1], c->word2))))
			continue;
		if (n < c->min_args || n > c->max_args) {
			usage_msg("wrong number of arguments for '%s%s%s'", c->word1,
				  c->word2 ? " " : "", c->word2 ? c->word2 : "");
			return NULL;
		}
		if (opt.seen & ~c->opts) {
			usage_msg("an option given does not apply to '%s%s%s'", c->word1,
				  c->word2 ? " " : "", c->word2 ? c->word2 : "");
			return NULL;
		}
		*skip = words;
		return c;
	}
	usage_msg("unknown command '%s%s%s'", argv[0], argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
	return NULL;
}

/* The arguments a command checks before the database is touched. */
static int check_args(const struct command *c, char **args)
{
	if (c->run == cmd_user_privacy && strcmp(args[1], "on") && strcmp(args[1], "off"))
		return usage_msg("privacy mode is 'on' or 'off', not '%s'", args[1]);
	if (c->run == cmd_user_rename && !profile_username_ok(args[1]))
		return usage_msg("'%s' is not a valid user name: 1 to 39 letters, digits, _ or -,"
				 " starting with a letter or digit", args[1]);
	if (c->run == cmd_user_add && !profile_username_ok(args[0]))
		return usage_msg("'%s' is not a valid user name: 1 to 39 letters, digits, _ or -,"
				 " starting with a letter or digit", args[0]);
	return 0;
}

int main(int argc, char **argv)
{
	const struct command *c;
	int rc, skip;

	rc = parse_options(argc, argv);
	if (rc >= 0)
		return rc;
	c = find_command(argc - optind, argv + optind, &skip);
	if (!c)
		return 2;
	if (check_args(c, argv + optind + skip))
		return 2;
	if (load_env_file(opt.env ? opt.env : ARENA_SYSCONFDIR "/modu-arena/arena.env", !!opt.env))
		return 1;
	conf_load();
	if (connect_db()) {
		PQfinish(conn);
		return 1;
	}
	rc = c->run(argc - optind - skip, argv + optind + skip);
	PQfinish(conn);
	return rc;
}
