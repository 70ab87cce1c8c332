#!/bin/sh
# 1003-cron-env.sh -- the one configuration file read the way the cron
# file reads it.  Each line of the cron file this build installs is run
# as cron would run it (sh -c, an empty environment), with the file and
# logger swapped for test ones: the jobs see DATABASE_URL and the other
# variables (set -a exports them), rank and clean the real database; a
# line does nothing once its systemd timer is enabled or while no
# database is configured; cleanup's quarter-hour check runs it once a
# day at 02:00 UTC on a host in Asia/Seoul or America/New_York.
# arena-admin reads the same file.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
arena_up
admin user add cronuser >/dev/null

CRON=$top_builddir/cron/modu-arena.cron
var() { sed -n "s|^$1 = ||p" "$top_builddir/Makefile" | head -1; }
prefix=$(var prefix)
sysconf=$(var sysconfdir | sed "s|\${prefix}|$prefix|")
cronbin=$(var libexecdir | sed "s|\${exec_prefix}|$prefix|")/modu-arena/cron
user=$(var SERVICE_USER)

ENVF=$T/arena.env
cat >"$ENVF" <<E
# a comment, as in the shipped file
DATABASE_URL='$DATABASE_URL'
ARENA_RETAIN_SESSIONS_DAYS=120
ARENA_JOB_STATEMENT_TIMEOUT_MS=60000
E
: >"$T/syslog"

# the command of the cron line running $1, with the test's paths
line() {
	l=$(grep -v '^#' "$CRON" | grep "$1")
	set -f; set -- $l; set +f
	is "$6" "$user" "the $1 line runs as $user" >&2
	printf '%s\n' "$l" | cut -f3- |
		sed -e "s|$sysconf/modu-arena/arena.env|$ENVF|g" -e "s|$cronbin/|$top_builddir/cron/|g" \
			-e "s|/etc/systemd/system/timers.target.wants/|$T/wants/|g" \
			-e "s/logger -t modu-arena/cat >>$(printf '%s' "$T/syslog" | sed 's/[\/&]/\\&/g')/"
}
# cron's empty environment, keeping only libfaketime's clock (and, in a
# sanitizer build, leave for ASan to come after libfaketime)
as_cron() { env -i PATH=/usr/bin:/bin HOME=/ LD_PRELOAD="${LD_PRELOAD:-}" FAKETIME="${FAKETIME:-}" \
	FAKETIME_DONT_FAKE_MONOTONIC=1 TZ="${TZ:-}" \
	ASAN_OPTIONS="verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
	sh -c "$1" 2>>"$T/cron.err"; }

rank=$(line calculate-rankings 2>/dev/null)
clean=$(line cleanup-data 2>/dev/null)
line calculate-rankings >/dev/null 2>"$T/tap"; cat "$T/tap"
line cleanup-data >/dev/null 2>"$T/tap"; cat "$T/tap"
like "$rank" "set -a; . $ENVF; set +a;" "the rankings line exports the file's variables"
like "$clean" "set -a; . $ENVF; set +a;" "and so does the cleanup line"
like "$(grep -v '^#' "$CRON" | grep calculate-rankings | cut -f1)" "*/5 * * * *" "rankings every 5 minutes"
like "$(grep -v '^#' "$CRON" | grep cleanup-data | cut -f1)" "0,15,30,45 * * * *" "cleanup looked at every quarter hour"
unlike "$(grep -v '^#' "$CRON")" "CRON_TZ" "no CRON_TZ (Debian's cron ignores it)"

# without set -a, KEY=value lines set shell variables only: what went wrong before
seen=$(env -i PATH=/usr/bin:/bin sh -c ". '$ENVF'; sh -c 'echo \${DATABASE_URL:-unset}'")
is "$seen" unset "sourced without set -a, a child process does not see DATABASE_URL"
seen=$(env -i PATH=/usr/bin:/bin sh -c "set -a; . '$ENVF'; set +a; sh -c 'echo \${ARENA_RETAIN_SESSIONS_DAYS:-unset}'")
is "$seen" 120 "sourced with set -a, it does"

# the rankings line, as cron runs it
as_cron "$rank"
is "$?" 0 "the rankings line succeeds"
is "$(cat "$T/cron.err")" "" "and writes nothing on stderr (cron would mail it)"
like "$(cat "$T/syslog")" "calculate-rankings: as of $(date -u +%F)" "the job saw DATABASE_URL and ranked today"
like "$(head -1 "$T/syslog")" "$(date -u +%Y-%m-%dT)" "its line starts with the UTC time"

# the timer enabled: the cron line does nothing
mkdir -p "$T/wants"; touch "$T/wants/modu-arena-rankings.timer"
: >"$T/syslog"
as_cron "$rank"
is "$?:$(cat "$T/syslog")" "0:" "with modu-arena-rankings.timer enabled the cron line does nothing"
rm -f "$T/wants/modu-arena-rankings.timer"

# no database configured yet: nothing, and no mail
cp "$ENVF" "$T/env.full"
grep -v DATABASE_URL "$T/env.full" >"$ENVF"
: >"$T/cron.err"
as_cron "$rank"
is "$?:$(cat "$T/syslog")$(cat "$T/cron.err")" "0:" "with no DATABASE_URL the line does nothing and says nothing"
cp "$T/env.full" "$ENVF"

# cleanup: --at 02:00 runs in the quarter hour from 02:00 UTC only, whatever TZ
day=$(date -u +%F)
for zone in Asia/Seoul America/New_York UTC; do
	for at in "02:00:30" "02:14:30" "02:15:30" "01:59:30" "14:00:30"; do
		: >"$T/syslog"
		(arena_faketime "$day $at"; TZ=$zone; export TZ; as_cron "$clean")
		got=$(grep -c 'cleanup-data: done:' "$T/syslog")
		case $at in 02:0*|02:14*) want=1 ;; *) want=0 ;; esac
		is "$got" "$want" "cleanup line at $at UTC on a host in $zone: $([ "$want" = 1 ] && echo runs || echo nothing)"
	done
done
is "$(cat "$T/cron.err")" "" "no error from the cleanup runs"
(arena_faketime "$day 02:05:00"; TZ=Asia/Seoul; export TZ; as_cron "$clean")
# (the cut-off is the database's now(), which runs on the real clock)
like "$(grep 'cleanup-data: sessions:' "$T/syslog")" "older than $(date -u -d '-120 days' +%F)" \
	"the job read ARENA_RETAIN_SESSIONS_DAYS=120 from the file"

# arena-admin reads the same file when the environment lacks a variable
out=$(env -u DATABASE_URL "$top_builddir/admin/arena-admin" --env "$ENVF" user list 2>&1)
like "$out" "cronuser" "arena-admin --env FILE finds DATABASE_URL in the file"
env -u DATABASE_URL "$top_builddir/admin/arena-admin" --env "$T/none.env" user list >/dev/null 2>&1
is $? 1 "a missing --env file is an error"

done_testing
