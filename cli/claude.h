/*
 * claude.h -- one line of a Claude Code transcript, reduced to numbers
 *
 * cc_parse_line() reads a JSONL line and keeps only what counting needs:
 * the usage entry (with ccusage's acceptance rules: the "usage":{ marker,
 * the fields it refuses as null, the types it requires, the
 * agent-progress wrapper), the tool_use blocks, whether the line is a
 * real user prompt, the tool_result ids, and the line counts of an edit
 * result.  Nothing in struct cc_line owns memory: the jstr spans point
 * into the line, which must outlive it.  Prompt text, code and tool
 * inputs are skipped without being copied anywhere.
 *
 * It never fails: a malformed line simply yields kind CC_OTHER and no
 * usage, which is how the counting rules treat it.
 */
#ifndef CLI_CLAUDE_H
#define CLI_CLAUDE_H

#include <stddef.h>
#include <stdint.h>

#include "jcur.h"

#define CC_MAX_TOOLS 64		/* tool_use blocks kept per line */
#define CC_MAX_RESULTS 64	/* tool_result ids kept per line */

enum cc_kind { CC_OTHER, CC_ASSISTANT, CC_USER };
enum { TOK_IN, TOK_OUT, TOK_CC, TOK_CR, TOK_N };

struct cc_tool {
	struct jstr id, name;
};

struct cc_line {
	enum cc_kind kind;
	int has_ts;
	int64_t ts_ms;			/* the line's timestamp */
	struct jstr session_id, uuid;	/* n == 0 when absent */
	int is_sidechain, is_meta;

	/* a countable usage entry (direct or agent-progress) */
	int usage_ok;
	int64_t usage_ts_ms;
	struct jstr msg_id, req_id, model;
	int has_msg_id, has_req_id, has_model;
	int usage_sidechain, fast, has_speed;
	int64_t tok[TOK_N];

	size_t ntools;
	struct cc_tool tools[CC_MAX_TOOLS];

	int is_prompt;			/* a real user prompt */
	size_t nresults;
	struct jstr results[CC_MAX_RESULTS];	/* tool_use_id of results */

	int has_edit;			/* toolUseResult with a file change */
	int created;
	struct jstr file_path;
	int64_t added, deleted;
};

void cc_parse_line(const char *line, size_t n, struct cc_line *out);

#endif
