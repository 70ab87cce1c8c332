/*
 * sqlro.h -- opening another program's SQLite store without disturbing it
 *
 * The database is opened read-only through a "file:" URI (mode=ro, never
 * immutable, so the reader still honours the writer's locks and WAL),
 * with a busy timeout: the tool writing it is never locked out, and a
 * write in progress only delays us.  Reads should run inside
 * sqlro_begin()/sqlro_end() to see one consistent snapshot.
 */
#ifndef CLI_SQLRO_H
#define CLI_SQLRO_H

#include <sqlite3.h>

/* NULL (reported) if the file cannot be opened as a database. */
sqlite3 *sqlro_open(const char *path);
void sqlro_close(sqlite3 *db);

/* A read transaction (shared lock only); 0 on success. */
int sqlro_begin(sqlite3 *db);
void sqlro_end(sqlite3 *db);

/* Prepares sql; NULL (reported, naming path) if the schema does not fit. */
sqlite3_stmt *sqlro_prepare(sqlite3 *db, const char *path, const char *sql);

/* Column text as a NUL-terminated string ("" for NULL). */
const char *sqlro_text(sqlite3_stmt *s, int col);

#endif
