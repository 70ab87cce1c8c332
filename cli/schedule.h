/*
 * schedule.h -- running sync every 15 minutes, for the tools without a
 * session-end hook
 *
 * With a systemd user instance ($XDG_RUNTIME_DIR/systemd/private exists
 * and systemctl is on PATH): the units modu-arena-sync.service and
 * modu-arena-sync.timer in ${XDG_CONFIG_HOME:-~/.config}/systemd/user,
 * enabled with systemctl --user.  Otherwise, if crontab is on PATH, one
 * line in the user's crontab, marked with SCHEDULE_CRON_MARK.  Nothing
 * runs through a shell: the programs are executed with their arguments.
 *
 * schedule_install() returns the kind installed ("systemd", "cron") or
 * NULL if neither is available (reported); schedule_remove() removes
 * exactly what that kind installed.
 */
#ifndef CLI_SCHEDULE_H
#define CLI_SCHEDULE_H

#define SCHEDULE_UNIT "modu-arena-sync"
#define SCHEDULE_CRON_MARK "# modu-arena-sync"

const char *schedule_install(const char *exe);
int schedule_remove(const char *kind);

/* What is in place now: "systemd timer", "crontab", or NULL. */
const char *schedule_active(void);

#endif
