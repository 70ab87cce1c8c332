/*
 * body.h -- the session bodies the client uploads
 *
 * One body per session, in the API's camelCase fields, always with the
 * session's cumulative totals (never a delta) and a stable sessionId, so
 * a body sent again only ever replaces what the server holds.  Only
 * numbers, model and tool names, times and opaque hashes are written:
 * the project appears as anonymousProjectId, a salted hash of its
 * directory; no path, prompt, code or tool input ever reaches a body.
 *
 * Names are made to fit the API's alphabet (other characters become '-'
 * or '_') and lengths; durationSeconds and turnCount are capped at the
 * API's maxima; slices are left out for a session active in more than
 * 2400 distinct hours.
 */
#ifndef CLI_BODY_H
#define CLI_BODY_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define BODY_MAX_SLICES 2400
#define BODY_MAX_MODELS 50
#define BODY_MAX_TOOLS 200
#define BODY_MAX_DURATION 7776000	/* the server's maxima */
#define BODY_MAX_TURNS 1000000

struct body {
	uint32_t session;
	char *json;		/* malloc'd, NUL-terminated */
	size_t len;
	unsigned char hash[32];	/* SHA-256 of json */
	int64_t end_ms;
	int64_t tokens;		/* sum of the four counts */
};

struct bodies {
	struct body *v;
	size_t n;
};

/*
 * Builds the bodies of the sessions for which want[session] is nonzero,
 * skipping sessions without a single token.  salt keys the project hash.
 */
void body_build(const struct store *st, const unsigned char *want, const char *salt,
		struct bodies *out);
void bodies_release(struct bodies *b);

/* The API's name of a tool type ("claude-code", ...). */
const char *tool_type_name(enum tool_type t);

#endif
