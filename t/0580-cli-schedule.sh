#!/bin/sh
# 0580-cli-schedule.sh -- tools without a session-end hook are tracked by
# a systemd user timer, or a crontab line where there is no systemd user
# instance; uninstall removes exactly that; status lists every tool.
#
# crontab and systemctl are stand-ins from t/lib/cli.sh (first on PATH):
# they record what they are given, so the real user's crontab and
# systemd instance are never touched.  The real crontab(1) of Debian's
# cron writes a system-wide spool and cannot be pointed at a private one.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
. "$top_srcdir/t/lib/cli.sh"
cli_home
capture_start
UNITS=$XDG_CONFIG_HOME/systemd/user
# re GOT ERE NAME: some line of GOT matches the extended regular expression
re() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then ok 0 "$3"
	else ok 1 "$3"; echo "#   no line of '$1'"; echo "#   matches /$2/"; fi
}

# no systemd user instance: a crontab line, the user's own lines kept
printf '# my jobs\n0 3 * * * /usr/bin/backup --quiet\n' >"$CRON_TAB"
ma install --api-key "$KEY" --server "$CAP_URL" >"$CLI_T/out" 2>&1
ok $? "install without systemd"
like "$(cat "$CLI_T/out")" "every 15 minutes (crontab)" "install says how other tools are tracked"
is "$(grep -c 'modu-arena-sync' "$CRON_TAB")" 1 "one crontab line"
is "$(grep modu-arena-sync "$CRON_TAB")" "*/15 * * * * '$top_builddir/cli/modu-arena' sync --quiet # modu-arena-sync" \
	"every 15 minutes, this program's sync"
like "$(head -2 "$CRON_TAB")" "0 3 * * * /usr/bin/backup --quiet" "the user's own lines are kept"
ok "$( [ ! -e "$UNITS" ] && echo 0 || echo 1)" "no systemd units written"
ma install --api-key "$KEY" --server "$CAP_URL" >/dev/null 2>&1
is "$(grep -c 'modu-arena-sync' "$CRON_TAB")" 1 "installing again does not add a second line"

st=$(ma status 2>&1)
for t in claude-code codex gemini opencode crush; do
	like "$st" "  $t " "status lists $t"
done
re "$st" "claude-code +not found +tracked by hook \+ crontab, 0 sessions seen" "Claude Code: hook and crontab"
re "$st" "codex +not found +tracked by crontab, 0 sessions seen" "Codex: crontab"

# logs found and counted show up in status
cli_fixtures
ma sync --dry-run --since 2025-01-01 >/dev/null 2>&1
st=$(ma status 2>&1)
re "$st" "claude-code +found \(5 log files\) +tracked by hook \+ crontab, 3 sessions seen" \
	"status: Claude Code found, its sessions counted"
re "$st" "gemini +found \(1 log file\) +tracked by crontab, 1 session seen" "status: Gemini CLI"

ma uninstall >/dev/null 2>&1
ok $? "uninstall"
is "$(cat "$CRON_TAB")" "$(printf '# my jobs\n0 3 * * * /usr/bin/backup --quiet')" \
	"uninstall removes exactly our line"
st=$(ma status 2>&1)
re "$st" "codex +found \(1 log file\) +tracked by manual sync only" "after uninstall nothing runs sync"

# with a systemd user instance: a user timer
export XDG_RUNTIME_DIR=$CLI_T/run
mkdir -p "$XDG_RUNTIME_DIR/systemd"
: >"$XDG_RUNTIME_DIR/systemd/private"
: >"$CLI_T/systemctl.log"
cp "$CRON_TAB" "$CLI_T/tab.before"
ma install --api-key "$KEY" --server "$CAP_URL" >"$CLI_T/out" 2>&1
ok $? "install with a systemd user instance"
like "$(cat "$CLI_T/out")" "systemd user timer modu-arena-sync.timer" "install says so"
like "$(cat "$UNITS/modu-arena-sync.timer")" "OnUnitActiveSec=15min" "the timer runs every 15 minutes"
like "$(cat "$UNITS/modu-arena-sync.service")" "ExecStart=\"$top_builddir/cli/modu-arena\" sync --quiet" \
	"the service runs this program's sync"
is "$(cat "$CLI_T/systemctl.log")" "$(printf -- '--user daemon-reload\n--user enable --now modu-arena-sync.timer')" \
	"systemctl --user reloads and enables the timer"
is "$(cat "$CRON_TAB")" "$(cat "$CLI_T/tab.before")" "the crontab is left alone"
re "$(ma status 2>&1)" "codex +found \(1 log file\) +tracked by systemd timer" "status: the timer"
: >"$CLI_T/systemctl.log"
ma uninstall >/dev/null 2>&1
ok $? "uninstall"
is "$(cat "$CLI_T/systemctl.log")" "$(printf -- '--user disable --now modu-arena-sync.timer\n--user daemon-reload')" \
	"the timer is disabled"
ok "$( [ ! -e "$UNITS/modu-arena-sync.timer" ] && [ ! -e "$UNITS/modu-arena-sync.service" ] && echo 0 || echo 1)" \
	"both units are removed"

# neither: install works, says so
unset XDG_RUNTIME_DIR
rm "$CLI_T/bin/crontab"
ma install --api-key "$KEY" --server "$CAP_URL" >"$CLI_T/out" 2>&1
ok $? "install without systemd or crontab"
like "$(cat "$CLI_T/out")" "neither a systemd user instance nor crontab" "and says what is not tracked"
done_testing
