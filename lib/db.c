/* db.c -- the worker's one PostgreSQL connection */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "conf.h"
#include "db.h"
#include "metrics.h"
#include "num.h"
#include "timeutil.h"

void db_init(struct db *db, const char *app_name, const struct db_stmt *stmts)
{
	memset(db, 0, sizeof(*db));
	db->app_name = app_name;
	db->stmts = stmts;
}

static void complain(struct db *db, const char *what, const char *detail)
{
	int64_t now = time_mono_ms();

	if (db->last_complaint && now - db->last_complaint < 10000)
		return;
	db->last_complaint = now;
	log_msg("%s: %s", what, detail);
}

static void set_state(struct db *db, const PGresult *res, const char *fallback)
{
	const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	metrics_db_error();
	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", st ? st : fallback);
}

/* Waits for the socket to be ready until deadline; 0 ready, -1 timeout. */
static int wait_socket(PGconn *conn, int for_write, int64_t deadline)
{
	struct pollfd pfd;
	int64_t left;
	int r;

	pfd.fd = PQsocket(conn);
	pfd.events = for_write ? POLLOUT : POLLIN;
	for (;;) {
		left = deadline - time_mono_ms();
		if (left <= 0)
			return -1;
		r = poll(&pfd, 1, (int)left);
		if (r > 0)
			return 0;
		if (r == 0)
			return -1;
		if (errno != EINTR)
			return -1;
	}
}

/* The statement of the table called name, or NULL. */
static const struct db_stmt *find_stmt(const struct db *db, const char *name)
{
	const struct db_stmt *s;

	for (s = db->stmts; s && s->name; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

/* Runs statement name: prepared, or unnamed with ARENA_DB_PREPARE=off. */
static PGresult *exec_stmt(struct db *db, const char *name, int n, const char *const *vals)
{
	const struct db_stmt *s;

	if (arena_conf.db_prepare)
		return PQexecPrepared(db->conn, name, n, vals, NULL, NULL, 0);
	s = find_stmt(db, name);
	if (!s)
		return PQmakeEmptyPGresult(db->conn, PGRES_FATAL_ERROR);
	return PQexecParams(db->conn, s->sql, n, NULL, vals, NULL, NULL, 0);
}

/* Sends statement name without waiting; 1 if sent, as PQsendQuery*. */
static int send_stmt(struct db *db, const char *name, int n, const char *const *vals)
{
	const struct db_stmt *s;

	if (arena_conf.db_prepare)
		return PQsendQueryPrepared(db->conn, name, n, vals, NULL, NULL, 0);
	s = find_stmt(db, name);
	return s && PQsendQueryParams(db->conn, s->sql, n, NULL, vals, NULL, NULL, 0);
}

static int prepare_all(struct db *db)
{
	const struct db_stmt *s;

	if (!arena_conf.db_prepare)
		return 0;

	for (s = db->stmts; s && s->name; s++) {
		PGresult *res = PQprepare(db->conn, s->name, s->sql, s->nparams, NULL);

		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			complain(db, s->name, PQresultErrorMessage(res));
			set_state(db, res, "XX000");
			PQclear(res);
			return -1;
		}
		PQclear(res);
	}
	return 0;
}

static int connect_bounded(struct db *db, int64_t timeout_ms)
{
	char opts[64];
	const char *keys[] = { "dbname", "application_name", "options", NULL };
	const char *vals[] = { db->url ? db->url : arena_conf.database_url, db->app_name, opts, NULL };
	int64_t deadline = time_mono_ms() + timeout_ms;
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;

	snprintf(opts, sizeof(opts), "-c statement_timeout=%lld",
		 (long long)arena_conf.statement_timeout_ms);
	/* a pooler refuses startup options: the timeout is the role's then */
	if (!arena_conf.db_prepare)
		keys[2] = NULL;
	if (db->conn) {
		PQfinish(db->conn);
		db->conn = NULL;
	}
	/* later keywords override what DATABASE_URL says */
	db->conn = PQconnectStartParams(keys, vals, 1);
	if (!db->conn || PQstatus(db->conn) == CONNECTION_BAD)
		goto failed;
	while (st != PGRES_POLLING_OK) {
		if (st == PGRES_POLLING_FAILED)
			goto failed;
		if (wait_socket(db->conn, st == PGRES_POLLING_WRITING, deadline)) {
			complain(db, "connect", "timed out");
			metrics_db_error();
			PQfinish(db->conn);
			db->conn = NULL;
			strcpy(db->sqlstate, "08001");
			return -1;
		}
		st = PQconnectPoll(db->conn);
	}
	if (prepare_all(db)) {
		PQfinish(db->conn);
		db->conn = NULL;
		return -1;
	}
	if (db->connects++)
		metrics_db_reconnect();
	return 0;
failed:
	metrics_db_error();
	complain(db, "connect", db->conn ? PQerrorMessage(db->conn) : "out of memory");
	if (db->conn)
		PQfinish(db->conn);
	db->conn = NULL;
	strcpy(db->sqlstate, "08001");
	return -1;
}

int db_ensure(struct db *db, int64_t timeout_ms)
{
	if (db->conn && PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	if (db->conn)
		metrics_db_error();	/* a connection found lost */
	return connect_bounded(db, timeout_ms);
}

int db_failed_connection(const struct db *db)
{
	return strncmp(db->sqlstate, "08", 2) == 0 || strncmp(db->sqlstate, "57P", 3) == 0;
}

PGresult *db_run(struct db *db, const char *name, int n, const char *const *vals)
{
	int attempt;

	db->sqlstate[0] = '\0';
	for (attempt = 0; attempt < 2; attempt++) {
		PGresult *res;
		ExecStatusType st;
		int in_tx;

		if (db_ensure(db, arena_conf.db_connect_timeout_ms))
			return NULL;
		in_tx = PQtransactionStatus(db->conn) != PQTRANS_IDLE;
		res = exec_stmt(db, name, n, vals);
		st = PQresultStatus(res);
		if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
			return res;
		if (PQstatus(db->conn) != CONNECTION_BAD) {
			/* an SQL error: retrying would fail the same way */
			set_state(db, res, "XX000");
			log_msg("%s: %s", name,
				PQresultErrorMessage(res));
			PQclear(res);
			return NULL;
		}
		set_state(db, res, "08006");
		if (!db_failed_connection(db))
			strcpy(db->sqlstate, "08006");
		PQclear(res);
		complain(db, name, PQerrorMessage(db->conn));
		PQfinish(db->conn);
		db->conn = NULL;
		if (in_tx)
			return NULL;	/* the transaction died with the connection */
	}
	return NULL;
}

int db_command(struct db *db, const char *sql)
{
	PGresult *res;
	ExecStatusType st;

	if (db_ensure(db, arena_conf.db_connect_timeout_ms))
		return -1;
	res = PQexec(db->conn, sql);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		set_state(db, res, "08006");
		log_msg("%s: %s", sql, PQerrorMessage(db->conn));
		PQclear(res);
		if (PQstatus(db->conn) == CONNECTION_BAD) {
			PQfinish(db->conn);
			db->conn = NULL;
		}
		return -1;
	}
	PQclear(res);
	return 0;
}

/* How long a cancelled statement may take to end before the connection
 * is given up: keeping it spares a reconnect (and a LISTEN) per timeout. */
#define CANCEL_DRAIN_MS 100

/* Cancels the running statement and reads its end; 0 if the connection
 * is still good for the next statement, -1 if it must be dropped. */
static int cancel_and_drain(struct db *db)
{
	int64_t deadline = time_mono_ms() + CANCEL_DRAIN_MS;
	PGcancel *c = PQgetCancel(db->conn);
	char err[256];
	PGresult *res;
	int ok;

	if (!c)
		return -1;
	ok = PQcancel(c, err, sizeof(err));
	PQfreeCancel(c);
	if (!ok)
		return -1;
	for (;;) {
		if (!PQconsumeInput(db->conn))
			return -1;
		if (!PQisBusy(db->conn)) {
			res = PQgetResult(db->conn);
			if (!res)
				break;
			PQclear(res);
			continue;
		}
		if (wait_socket(db->conn, 0, deadline))
			return -1;
	}
	return PQstatus(db->conn) == CONNECTION_OK &&
	       PQtransactionStatus(db->conn) == PQTRANS_IDLE ? 0 : -1;
}

/*
 * One bounded attempt of db_run_bounded(): the result, or NULL with
 * *broken set when the connection itself failed or the deadline passed.
 */
static PGresult *run_once(struct db *db, const char *name, int n, const char *const *vals,
			  int64_t deadline, int *broken)
{
	PGresult *res, *good = NULL;

	*broken = 0;
	if (!send_stmt(db, name, n, vals))
		goto broken;
	for (;;) {
		if (!PQconsumeInput(db->conn))
			goto broken;
		if (!PQisBusy(db->conn))
			break;
		if (wait_socket(db->conn, 0, deadline)) {
			complain(db, name, "timed out");
			if (cancel_and_drain(db))
				goto broken;	/* start afresh next time */
			metrics_db_error();
			strcpy(db->sqlstate, "57014");
			return NULL;
		}
	}
	while ((res = PQgetResult(db->conn))) {
		ExecStatusType st = PQresultStatus(res);

		if (!good && (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)) {
			good = res;
			continue;
		}
		if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
			set_state(db, res, "XX000");
			log_msg("%s: %s", name, PQresultErrorMessage(res));
		}
		PQclear(res);
	}
	if (PQstatus(db->conn) == CONNECTION_BAD) {
		PQclear(good);
		goto broken;
	}
	return good;
broken:
	metrics_db_error();
	*broken = 1;
	PQfinish(db->conn);
	db->conn = NULL;
	strcpy(db->sqlstate, "08006");
	return NULL;
}

PGresult *db_run_bounded(struct db *db, const char *name, int n, const char *const *vals,
			 int64_t timeout_ms)
{
	int64_t deadline = time_mono_ms() + timeout_ms;
	int had_conn = db->conn != NULL, broken;
	PGresult *res;

	db->sqlstate[0] = '\0';
	if (db->conn && PQtransactionStatus(db->conn) != PQTRANS_IDLE)
		return db_run(db, name, n, vals);	/* a cancel would kill the caller's transaction */
	if (db_ensure(db, timeout_ms))
		return NULL;
	res = run_once(db, name, n, vals, deadline, &broken);
	if (res)
		return res;
	/* a connection from before a server restart fails once: retry fresh */
	if (!broken || !had_conn || time_mono_ms() >= deadline)
		return NULL;
	if (db_ensure(db, deadline - time_mono_ms()))
		return NULL;
	return run_once(db, name, n, vals, deadline, &broken);
}

int db_ping(struct db *db, const char *name, int64_t timeout_ms)
{
	PGresult *res = db_run_bounded(db, name, 0, NULL, timeout_ms);
	int ok = res && PQresultStatus(res) == PGRES_TUPLES_OK;

	PQclear(res);
	return ok ? 0 : -1;
}

int64_t db_int(const PGresult *res, int row, int col)
{
	int64_t v = 0;

	if (num_parse_i64z(PQgetvalue(res, row, col), INT64_MIN, INT64_MAX, &v) != NUM_OK)
		return 0;
	return v;
}

void db_close(struct db *db)
{
	if (db->conn)
		PQfinish(db->conn);
	db->conn = NULL;
}
