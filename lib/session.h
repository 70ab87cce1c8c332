/*
 * session.h -- one uploaded session: the schema, checked strictly
 *
 * session_parse() takes the JSON object a client sent and either fills a
 * struct session with normalised values or says, with an HTTP status, a
 * stable error code and the field's path, why it was refused.  Nothing
 * from the request reaches the database except through this struct: the
 * JSON columns are re-serialised here in canonical form, and
 * content_hash is SHA-256 of the whole canonical session, so a resend of
 * the same content is recognised whatever its whitespace or key order.
 *
 * Business maxima (each also documented in the README):
 */
#ifndef ARENA_SESSION_H
#define ARENA_SESSION_H

#include <stdint.h>

#include "arena.h"
#include "json.h"

#define SESSION_TOKENS_MAX	1000000000000LL	/* per count and for the four summed */
#define SESSION_DURATION_MAX	7776000		/* 90 days, in seconds */
#define SESSION_TURNS_MAX	1000000
#define SESSION_TOOL_USES_MAX	10000000	/* per tool name */
#define SESSION_TOOLS_MAX	200		/* distinct tool names */
#define SESSION_MODELS_MAX	50		/* entries in modelUsage */
#define SESSION_SLICES_MAX	2400		/* hourly slices: 100 days */
#define SESSION_CODE_MAX	1000000000LL	/* each code metric */
#define SESSION_FUTURE_MS	(5 * 60 * 1000)	/* endedAt may be this far ahead */

struct session {
	const char *tool_type;		/* "claude-code" when not sent */
	const char *client_session_id;	/* sessionId, or NULL */
	char session_hash[65];		/* lowercase hex */
	const char *identity;		/* "sid:<tool>:<id>" or "hash:<hash>" */
	const char *project;		/* anonymousProjectId, or NULL */
	const char *model;		/* modelName, or NULL */
	int64_t started_ms, ended_ms;
	int64_t duration_seconds;
	int64_t turns;
	int64_t input, output, cache_creation, cache_read;
	/* canonical JSON, for the database */
	const char *tool_usage_json;	/* {"Name":n,...} sorted by name */
	const char *code_metrics_json;	/* all four metrics */
	const char *model_usage_json;	/* {"model":{...}} sorted by model */
	const char *slices_json;	/* [{"h":iso,"i","o","cc","cr"}] by hour */
	char content_hash[65];
};

struct session_error {
	int status;			/* 400 or 422 */
	const char *code;		/* stable snake_case */
	const char *field;		/* path such as "slices[2].hourStart" */
	const char *message;		/* never echoes input */
};

/*
 * Validates v (any JSON value) as a session received at now_ms, with
 * endedAt allowed back to backfill_days before now.  Returns 0 and fills
 * *s (strings in a), or -1 and fills *err.
 */
int session_parse(struct arena *a, const struct json *v, int64_t now_ms,
		  int64_t backfill_days, struct session *s, struct session_error *err);

#endif
