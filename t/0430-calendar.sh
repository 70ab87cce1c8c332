#!/bin/sh
# 0430-calendar.sh -- the periods, streaks and ingestion window as the
# real clock sees them, whatever the instant: sessions are laid out
# around "now" (this day, yesterday, the edges of this week and month and
# of the ones before), calculate-rankings runs without --today, and every
# period it built is compared with an oracle computed here from the
# sessions' end times with date(1).  script/test runs this test at the
# instants of README "Tests at another instant" (midnight, an ISO week 53,
# a leap day) as well as at the real time.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
. "$top_srcdir/t/lib/sessions.sh"
ARENA_ANOMALY_FACTOR=1000000
export ARENA_ANOMALY_FACTOR
arena_up

NOW=$(date -u +%s)
D0=$(date -u -d "@$NOW" +%F)
S=$((NOW - $(date -u -d "$D0" +%s)))	# seconds since midnight
ep() { date -u -d "$1" +%s; }		# epoch of a UTC date-time
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
monday() { date -u -d "$1 -$(( $(date -u -d "$1" +%u) - 1 )) days" +%F; }
W0=$(monday "$D0")
M0=$(date -u -d "$D0" +%Y-%m-01)
echo "# now $(iso "$NOW"), week of $W0, month of $M0"

# Each session: user, end (epoch), tokens.  Its tokens are its own, so a
# period's total says which sessions it counted.
LIST=$T/sessions
: >"$LIST"
n=0
add() {
	n=$((n + 1))
	echo "$1 $2 $((1000 * n + 1))" >>"$LIST"
	sess "$1" "c$n" "$(iso "$2")" $((1000 * n)) 1 60
}
JUST=$((NOW - (S < 20 ? S : 20)))	# this day, already over
for u in now streak gap week prevweek month prevmonth yest; do admin user add "$u" >/dev/null; done
add now "$JUST"
add yest "$(ep "$D0 -1 day 12:00")"
for i in 4 3 2 1; do add streak "$(ep "$D0 -$i days 12:00")"; done
add streak "$JUST"
add gap "$(ep "$D0 -3 days 12:00")"
add gap "$(ep "$D0 -1 day 12:00")"
add week "$(ep "$W0")"				# the first second of this week
add prevweek "$(( $(ep "$W0") - 1 ))"		# the last second of the one before
add month "$(ep "$M0")"
add prevmonth "$(( $(ep "$M0") - 1 ))"
load_sessions

before=$(date -u +%F)
out=$("$top_builddir/cron/calculate-rankings")
is $? 0 "calculate-rankings runs on the real clock"
after=$(date -u +%F)
D=$(printf '%s\n' "$out" | sed -n 's/^calculate-rankings: as of \([0-9-]*\).*/\1/p')
ok $([ "$D" = "$before" ] || [ "$D" = "$after" ] && echo 0 || echo 1) "it ranks as of today, UTC ($D)"

# oracle PERIOD_START PERIOD_END: "user tokens" of the sessions ending in
# [start, end), by user
oracle() {
	awk -v a="$(ep "$1")" -v b="$(ep "$2")" '$2 >= a && $2 < b { t[$1] += $3 }
		END { for (u in t) print u, t[u] }' "$LIST" | sort
}
ranked() {
	arena_psql -c "SELECT u.username || ' ' || r.total_tokens FROM rankings r
		JOIN users u ON u.id = r.user_id
		WHERE r.period_type = '$1' AND r.period_start = '$2' ORDER BY 1" | sort
}
W=$(monday "$D")
M=$(date -u -d "$D" +%Y-%m-01)
check() {	# check TYPE START END
	got=$(ranked "$1" "$2")
	want=$(oracle "$2" "$3")
	is "$got" "$want" "$1 $2: the sessions that ended in [$2, $3)"
	is "$(arena_psql -c "SELECT period_end || ' ' || participants FROM ranking_periods
		WHERE period_type = '$1' AND period_start = '$2'")" \
		"$3 $(printf '%s\n' "$want" | grep -c .)" "$1 $2: its end and participants"
}
check daily "$D" "$(date -u -d "$D +1 day" +%F)"
check daily "$(date -u -d "$D -1 day" +%F)" "$D"
check weekly "$W" "$(date -u -d "$W +7 days" +%F)"
check weekly "$(date -u -d "$W -7 days" +%F)" "$W"
check monthly "$M" "$(date -u -d "$M +1 month" +%F)"
check monthly "$(date -u -d "$M -1 month" +%F)" "$M"
is "$(ranked all_time 1970-01-01)" "$(oracle 1970-01-01 2100-01-01)" "all_time: every session"
is "$(arena_psql -c "SELECT count(DISTINCT (period_type, period_start)) FROM ranking_periods")" 7 \
	"seven periods: two days, two weeks, two months, all time"

# a run of five days ending on the day of the last session
is "$(arena_psql -c "SELECT streak FROM rankings r JOIN users u ON u.id = r.user_id
	WHERE u.username = 'streak' AND r.period_type = 'daily'
	AND r.period_start = '$(date -u -d "@$JUST" +%F)'")" 5 "streak: five days in a row"
is "$(arena_psql -c "SELECT streak FROM rankings r JOIN users u ON u.id = r.user_id
	WHERE u.username = 'gap' AND r.period_type = 'daily'
	AND r.period_start = '$(date -u -d "$D0 -1 day" +%F)'")" 1 "streak: a gap ends the run"

# the board answers with the periods that contain today
for p in daily:"$D":"$(date -u -d "$D +1 day" +%F)" weekly:"$W":"$(date -u -d "$W +7 days" +%F)" \
	monthly:"$M":"$(date -u -d "$M +1 month" +%F)"; do
	IFS=: read -r pt ps pe <<EOF
$p
EOF
	req GET "/api/leaderboard?period=$pt&limit=100"
	is "$(jv .periodStart) $(jv .periodEnd)" "${ps}T00:00:00.000Z ${pe}T00:00:00.000Z" "the $pt board's bounds"
	is "$(jv '[.data[] | .username + " " + (.totalTokens | tostring)] | sort | join(",")')" \
		"$(oracle "$ps" "$pe" | paste -sd,)" "the $pt board's rows"
done

# the ingestion window around now: 5 minutes into the future, 90 days back
admin user add window >/dev/null
KEY=$(admin key issue window)
one() {	# one ENDED_EPOCH: posts one session ending then
	F=$T/one.json
	printf '{"sessionHash":"%064d","endedAt":"%s","inputTokens":5,"outputTokens":5}' \
		"$1" "$(iso "$1")" >"$F"
	post /api/v1/sessions "$F"
}
now=$(date -u +%s)
one $((now + 240)); is "$code" 201 "an end 4 minutes ahead is accepted"
one $((now + 420)); is "$code $(jv .error.code)" "422 invalid_time" "an end 7 minutes ahead is refused"
one $((now - 89 * 86400)); is "$code" 201 "an end 89 days back is accepted"
one $((now - 91 * 86400)); is "$code $(jv .error.code)" "422 invalid_time" "an end 91 days back is refused"

# the client's window: it reads back 89 days
. "$top_srcdir/t/lib/cli.sh"
srv_T=$T
cli_home
trap 'cli_cleanup; T=$srv_T; arena_cleanup' EXIT
P=$HOME/.claude/projects/-home-dev-window
mkdir -p "$P"
sid=cal00000-0000-4000-8000-00000000000
for age in 88 90; do
	cc_user "$P/$sid$age.jsonl" "$sid$age" u$age $((age * 86400)) hello
	cc_asst "$P/$sid$age.jsonl" "$sid$age" m$age r$age $((age * 86400 - 60)) $age 1 0 0
done
is "$(ma sync --dry-run --json 2>/dev/null | jq -c 'map(.inputTokens)')" '[88]' \
	"the client counts a session of 88 days ago and not one of 90"

done_testing
