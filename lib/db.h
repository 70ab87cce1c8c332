/*
 * db.h -- the worker's one PostgreSQL connection
 *
 * Each process holds one PGconn, opened lazily on first use (so a worker
 * starts and answers 503 while the database is down) with a bounded
 * connect time, DATABASE_URL as the base and our session settings
 * (statement_timeout, application_name) layered on top, so PQreset keeps
 * them.  Every statement is named and prepared from the table given to
 * db_init(), once per connection.
 *
 * With ARENA_DB_PREPARE=off nothing is prepared and nothing is set at
 * connect: each statement of the table is sent unnamed with its
 * parameters (parse, bind and execute in one round trip), which is what a
 * pooler in transaction mode such as PgBouncer 1.18 can route, since the
 * next statement may land on another server connection.  The statement
 * timeout then belongs on the role or database (ALTER ROLE ... SET
 * statement_timeout), and no session state (LISTEN) is relied on.
 *
 * db_run() survives a server that went away: when the connection is bad
 * and no transaction was open it reconnects, re-prepares and retries once.
 * Inside a transaction it does not retry (the transaction is gone); the
 * caller answers 503 and the client's retry is absorbed by idempotency.
 */
#ifndef ARENA_DB_H
#define ARENA_DB_H

#include <stdint.h>

#include <libpq-fe.h>

struct db_stmt {
	const char *name;
	const char *sql;
	int nparams;
};

#define DB_STMT_END { NULL, NULL, 0 }

struct db {
	PGconn *conn;
	const struct db_stmt *stmts;	/* terminated by DB_STMT_END */
	const char *app_name;
	const char *url;		/* NULL: DATABASE_URL */
	char sqlstate[6];		/* of the last failure, "" if none */
	int64_t last_complaint;		/* rate-limits connect-failure logs */
	uint64_t connects;		/* successful connects so far: a change
					   means a new session (LISTENs are gone) */
};

void db_init(struct db *db, const char *app_name, const struct db_stmt *stmts);

/*
 * Connects (within timeout_ms) and prepares if there is no good
 * connection.  Returns 0, or -1 after logging (at most every 10 s).
 */
int db_ensure(struct db *db, int64_t timeout_ms);

/*
 * Executes prepared statement `name` with n text parameters (NULL = SQL
 * NULL).  Returns a result whose status is TUPLES_OK or COMMAND_OK, which
 * the caller PQclear()s; or NULL after logging, with db->sqlstate set
 * ("08006" when the connection could not be had).
 */
PGresult *db_run(struct db *db, const char *name, int n, const char *const *vals);

/* Runs a parameterless command such as "BEGIN"; returns 0 or -1. */
int db_command(struct db *db, const char *sql);

/*
 * Like db_run() but gives up after timeout_ms, cancelling the query; used
 * by the health check, which must answer quickly whatever the database
 * does.  Returns 0 if the statement succeeded.
 */
int db_ping(struct db *db, const char *name, int64_t timeout_ms);

/*
 * Like db_run() but gives up after timeout_ms (connecting included),
 * cancelling the query, for checks that must not hold a request up when
 * the database hangs.  Outside a transaction only: inside one it is
 * db_run().
 */
PGresult *db_run_bounded(struct db *db, const char *name, int n,
			 const char *const *vals, int64_t timeout_ms);

/* The integer in a result cell; 0 when it is NULL or not an integer. */
int64_t db_int(const PGresult *res, int row, int col);

/* 1 if the error was the connection's, not the statement's. */
int db_failed_connection(const struct db *db);

void db_close(struct db *db);

#endif
