/*
 * sources.h -- where each tool keeps its logs
 *
 * Claude Code: every entry of CLAUDE_CONFIG_DIR (comma-separated; a
 * config directory holding projects/, or the projects/ directory itself;
 * "~/" expanded), or if it is unset ${XDG_CONFIG_HOME:-~/.config}/claude
 * and ~/.claude; each projects/ tree is walked for .jsonl files, sub-agent
 * files included.  Codex CLI: ${CODEX_HOME:-~/.codex} (comma-separated),
 * sessions/ and then archived_sessions/, rollout-NNN.jsonl; an archived
 * copy of a file also present under sessions/ is skipped.  Gemini CLI:
 * ${GEMINI_DATA_DIR:-~/.gemini/tmp}/PROJECT/chats/NAME.json and NAME.jsonl.
 * OpenCode: ${OPENCODE_DATA_DIR:-${XDG_DATA_HOME:-~/.local/share}/opencode}
 * (comma-separated), the database opencode.db, or without one the older
 * tree storage/message/SESSION/MESSAGE.json.  Crush: every data directory
 * in ${XDG_DATA_HOME:-~/.local/share}/crush/projects.json (or the
 * comma-separated CRUSH_DATA_DIRS instead), DIR/crush.db.
 * Symbolic links inside the trees are not followed; the same root reached
 * twice is walked once.
 */
#ifndef CLI_SOURCES_H
#define CLI_SOURCES_H

#include <stddef.h>
#include <sys/stat.h>

#include "store.h"

struct logfile {
	char *path;
	const char *rel;	/* path below its root (points into path) */
	enum tool_type tool;
	int is_db;		/* a SQLite database; st sums it and its -wal */
	struct stat st;
};

struct loglist {
	struct logfile *v;
	size_t n, cap;
	int warned;
};

/* Finds every log file of every tool, Claude Code's sorted by path. */
void sources_find(struct loglist *l);
void loglist_release(struct loglist *l);

#endif
