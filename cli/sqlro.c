/* sqlro.c -- opening another program's SQLite store without disturbing it */
#include <stdlib.h>
#include <string.h>

#include "sqlro.h"
#include "util.h"

#define SQLRO_BUSY_MS 3000

/* The path percent-encoded for a "file:" URI. */
static char *file_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path), i, o = 0;
	char *u = xmalloc(n * 3 + 40);

	memcpy(u, "file:", 5);
	o = 5;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];

		if (c == '?' || c == '#' || c == '%' || c < 0x21 || c >= 0x7f) {
			u[o++] = '%';
			u[o++] = hex[c >> 4];
			u[o++] = hex[c & 15];
		} else {
			u[o++] = (char)c;
		}
	}
	strcpy(u + o, "?mode=ro&immutable=0");
	return u;
}

sqlite3 *sqlro_open(const char *path)
{
	sqlite3 *db = NULL;
	char *uri = file_uri(path);
	int rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);

	free(uri);
	if (rc != SQLITE_OK) {
		warn("cannot open '%s': %s", path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, SQLRO_BUSY_MS);
	/* refuse any write, even one asked for by mistake */
	sqlite3_exec(db, "PRAGMA query_only = 1", NULL, NULL, NULL);
	return db;
}

void sqlro_close(sqlite3 *db)
{
	sqlite3_close(db);
}

int sqlro_begin(sqlite3 *db)
{
	return sqlite3_exec(db, "BEGIN DEFERRED", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

void sqlro_end(sqlite3 *db)
{
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
}

sqlite3_stmt *sqlro_prepare(sqlite3 *db, const char *path, const char *sql)
{
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		warn("cannot read '%s': %s", path, sqlite3_errmsg(db));
		return NULL;
	}
	return s;
}

const char *sqlro_text(sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	return t ? (const char *)t : "";
}
