/*
 * store.h -- what the client knows about local usage, kept between syncs
 *
 * The store holds every counted usage entry (one per deduplicated API
 * message), a set of ids already seen (tool_use blocks, prompts, edit
 * results, files touched), the sessions they belong to, and per session
 * the hash of the last body the server acknowledged.  Counting rules live
 * in store_add_usage(); everything else is bookkeeping.
 *
 * Session totals are not kept here: body.c sums the entries when it
 * builds the upload, so replacing an entry never has to undo anything.
 *
 * store_save()/store_load() persist it in one binary file in the state
 * directory; the format is private to this version and is rebuilt from
 * the transcripts when it does not match.
 */
#ifndef CLI_STORE_H
#define CLI_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "claude.h"
#include "map.h"

#define STR_NONE UINT32_MAX
#define HOUR_MS 3600000LL

enum tool_type { TOOL_CLAUDE, TOOL_CODEX, TOOL_GEMINI, TOOL_OPENCODE, TOOL_CRUSH, TOOL_N };

/* session flags */
#define SESS_DIRTY	1u	/* changed since the server last acknowledged it */
#define SESS_PARKED	2u	/* outside the upload window; not retried */
#define SESS_REJECTED	4u	/* the server refused the body whose hash is acked */

/*
 * Token counts come from logs anyone could have edited: they are added
 * with saturation, never past INT64_MAX (counts are never negative).
 * The server refuses such a session; the client does not overflow.
 */
static inline int64_t tok_add(int64_t a, int64_t b)
{
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

struct usage {
	uint64_t msg, req;	/* hashes of message.id and requestId */
	uint32_t session, model;
	uint32_t next;		/* next entry with the same msg hash, or UINT32_MAX */
	int32_t hour;		/* hours since the epoch */
	uint8_t has_msg, has_req, sidechain, has_speed;
	uint32_t pad;
	int64_t tok[TOK_N];
};

struct session {
	uint32_t tool, id, project, flags;
	int64_t start_ms, end_ms, turns;
	int64_t added, deleted, files_modified, files_created;
	unsigned char acked[32];	/* SHA-256 of the acknowledged body */
};

struct toolcount {
	uint32_t session, name;
	int64_t count;
};

struct store {
	char **str;
	uint32_t nstr, capstr;
	struct u64map strmap;		/* hash of text -> string index */

	struct session *sess;
	uint32_t nsess, capsess;
	struct u64map sessmap;		/* hash of tool+id -> session index */

	struct usage *use;
	uint32_t nuse, capuse;
	struct u64map msgmap;		/* msg hash -> first usage index */

	struct toolcount *tc;
	uint32_t ntc, captc;
	struct u64map tcmap;		/* session<<32|name -> toolcount index */

	struct u64map seen;		/* set of ids (values unused) */
	int changed;			/* anything to save */
};

void store_init(struct store *st);
void store_release(struct store *st);

uint32_t store_str(struct store *st, const char *s, size_t n);
uint32_t store_session(struct store *st, enum tool_type tool, const char *id, size_t n);
void store_dirty(struct store *st, uint32_t session);

/* Adds an entry under the counting rules (see store.c); 1 if it counted
 * (new, or replacing a smaller copy), 0 if it was a duplicate. */
int store_add_usage(struct store *st, const struct usage *u);

/* 1 if key was already in the seen set; otherwise adds it and returns 0. */
int store_seen(struct store *st, uint64_t key);

void store_tool(struct store *st, uint32_t session, const char *name, size_t n);
/* Widens the session's time span to include ms. */
void store_touch(struct store *st, uint32_t session, int64_t ms);

/* Forgets what a session counted (for logs re-read as a whole). */
void store_reset_session(struct store *st, uint32_t session);

int store_save(const struct store *st, const char *path);
/* 0 loaded, 1 no (usable) file: st is then empty, -1 error. */
int store_load(struct store *st, const char *path);

#endif
