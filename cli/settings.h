/*
 * settings.h -- our hooks in Claude Code's settings.json
 *
 * The file is read with the strict reader (a file that is not valid
 * JSON, or whose root or "hooks" is not an object, is refused and left
 * untouched), changed in memory, and written back atomically with its
 * mode kept, in the layout Claude Code itself writes (two-space indent).
 * Every other member, and the text of every number, is preserved.
 *
 * Install adds, under hooks.SessionEnd and hooks.Stop, one group
 * {"hooks":[{"type":"command","command":CMD,"timeout":N}]} unless a hook
 * running "modu-arena hook" is already there (then its command is
 * brought up to date): running it twice changes nothing.  It records in
 * c what it created.  Uninstall removes our hook entries, the groups
 * left empty by that, and the containers install created if they are
 * empty again; it deletes the file if install created it and nothing
 * else is left in it.
 */
#ifndef CLI_SETTINGS_H
#define CLI_SETTINGS_H

#include "cfg.h"

#define HOOK_TIMEOUT 10		/* seconds; the hook itself takes milliseconds */

/* ~/.claude/settings.json, or in the first CLAUDE_CONFIG_DIR entry. */
char *settings_default_path(void);

/* Checks, without writing, that path is absent or editable: 0 or -1. */
int settings_check(const char *path);

/* 0, or -1 (reported) with nothing written. */
int settings_install(const char *path, const char *command, struct cfg_record *rec);
int settings_uninstall(const char *path, const char *command, const struct cfg_record *rec);

/* 1 if our hook is registered for every event, 0 if not, -1 unreadable. */
int settings_installed(const char *path);

#endif
