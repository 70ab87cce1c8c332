/*
 * pagecache.h -- public pages a worker keeps until it is told they changed
 *
 * A public read that every reader sees alike (the leaderboard) need not
 * cost a query each time.  A worker keeps the bodies it built, keyed by
 * the request's parameters, and serves them again until PostgreSQL
 * notifies PAGECACHE_CHANNEL: the worker LISTENs on its own connection,
 * and whatever changes the data NOTIFYs inside the changing transaction,
 * so the news arrives exactly with the commit.  Every page is dropped on
 * news, when the connection is new (news may have been missed in
 * between), and after PAGECACHE_TTL_MS regardless.
 *
 * One cache per process, PAGECACHE_SLOTS pages at most; pages are
 * malloc'd and live across requests.
 */
#ifndef ARENA_PAGECACHE_H
#define ARENA_PAGECACHE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "db.h"
#include "req.h"

#define PAGECACHE_CHANNEL "arena_board"
#define PAGECACHE_SLOTS 64
#define PAGECACHE_TTL_MS 10000	/* a bound on staleness if news were lost */
#define PAGECACHE_ETAG_LEN 34	/* a quoted 32-digit tag */

struct cached_page {
	char *key;		/* NULL when the slot is empty */
	struct buf body;
	char etag[PAGECACHE_ETAG_LEN + 1];
	int64_t born_ms;
};

/*
 * Listens if this connection does not yet, and takes in any news.
 * Returns 0 when cached pages may be served, -1 when the database cannot
 * be reached (serve nothing from the cache; the query will say why).
 */
int pagecache_sync(struct db *db);

/* The page cached under key, or NULL. */
const struct cached_page *pagecache_get(const char *key);

/* Keeps a copy of body and etag under key, replacing what was there. */
void pagecache_put(const char *key, const char *body, size_t len, const char *etag);

/* Drops every page. */
void pagecache_clear(void);

/* The tag of a body: its SHA-256, 32 hex digits, quoted. */
void pagecache_etag(const char *body, size_t len, char tag[PAGECACHE_ETAG_LEN + 1]);

/* 1 if an If-None-Match list names tag (weak comparison, as RFC 9110 says). */
int etag_matches(const char *inm, const char *tag);

/*
 * Headers every public 200 and 304 carries: ETag and Cache-Control
 * public, max-age=ARENA_LEADERBOARD_MAX_AGE; the answer becomes a 304
 * without a body when If-None-Match names the tag.
 */
void pagecache_finish(struct req *rq, const char *tag);

#endif
