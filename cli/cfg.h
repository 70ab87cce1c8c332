/*
 * cfg.h -- the client's configuration file
 *
 * $XDG_CONFIG_HOME/modu-arena/config.json (default ~/.config/...), in a
 * directory of mode 0700, the file 0600, always replaced atomically.  It
 * holds the API key, the server URL chosen at install, the salt of the
 * project hashes, and what install changed in Claude Code's settings so
 * that uninstall can undo exactly that.
 */
#ifndef CLI_CFG_H
#define CLI_CFG_H

#define HOOK_EVENTS 2	/* SessionEnd, Stop */

/* What install changed in Claude Code's settings. */
struct cfg_record {
	char *settings_path;
	char *hook_command;
	int created_file, created_hooks;
	int created_event[HOOK_EVENTS];
	char *schedule;		/* "systemd", "cron" or NULL: see schedule.h */
};

struct config {
	char *api_key;
	char *server_url;
	char *salt;
	struct cfg_record rec;
};

extern const char *const hook_events[HOOK_EVENTS];

char *config_path(void);
/* 0 loaded, 1 there is none, -1 unreadable or invalid (reported). */
int config_load(struct config *c);
int config_save(const struct config *c);
void config_release(struct config *c);

/*
 * The server URL: opt (--server), else MODU_ARENA_API_URL, else the
 * installed one (c may be NULL), else the configure-time default.
 */
const char *server_url(const struct config *c, const char *opt);

/* 0 if url is https://, or http:// to a loopback host; else -1 (reported). */
int server_url_check(const char *url);

#endif
