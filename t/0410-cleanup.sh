#!/bin/sh
# 0410-cleanup.sh -- retention deletes raw rows and changes no history:
# the all-time ranking, lifetime totals and past months are the same
# before and after cleanup-data, and so are the API's answers.
. "$top_srcdir/t/lib/harness.sh"
. "$top_srcdir/t/lib/sessions.sh"
ARENA_ANOMALY_FACTOR=1000000
export ARENA_ANOMALY_FACTOR
arena_up

cleanup() {
	ARENA_RETAIN_SESSIONS_DAYS=62 ARENA_BACKFILL_DAYS=62 ARENA_RETAIN_DAILY_DAYS=62 \
		ARENA_RETAIN_BREAKDOWN_DAYS=62 ARENA_CLEANUP_BATCH=7 "$top_builddir/cron/cleanup-data"
}
rankings() { "$top_builddir/cron/calculate-rankings" "$@" >/dev/null; }
# Every date is taken from one instant read at the start, so a run that
# crosses midnight lays its data out consistently; the checks after the
# cleanup compare with the cutoffs the job itself announced.
NOW=$(date -u +%s)
ago() { date -u -d "@$((NOW - $1 * 86400))" +%F; }
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
MONTH0=$(date -u -d "@$NOW" +%Y-%m-01)

for k in 1 2 3 4 5 6 7 8 9 10; do admin user add "u$k" >/dev/null; done
# 85 days of sessions up to yesterday (so every one has ended, whatever
# the hour), with a gap every third day so no streak reaches back to what
# retention removes
for k in 1 2 3 4 5 6 7 8 9 10; do
	for d in $(seq 85 -1 0); do
		[ $(( (d + k) % 3 )) = 0 ] && continue
		sess "u$k" "s$k-$d" "$(iso $((NOW - (d + 1) * 86400 - k * 60)))" $((1000 * k + d)) $((1500 * k + 7 * d))
	done
done
# a session across midnight 70 days ago: slices on two old days
M70=$(( (NOW / 86400 - 70) * 86400 ))	# midnight, UTC, 70 days ago
sess u1 night "$(iso $((M70 + 1800)))" 300 500 3600 \
	"[{\"hourStart\":\"$(iso $((M70 - 3600)))\",\"inputTokens\":100,\"outputTokens\":200},{\"hourStart\":\"$(iso $M70)\",\"inputTokens\":200,\"outputTokens\":300}]"
load_sessions
U3KEY=$(admin key regenerate u3)
# audit rows from long ago, and the daily rankings of 40 and 35 days ago
arena_psql -c "INSERT INTO security_audit_log (event_type, created_at)
	SELECT 'session_created', now() - interval '200 days' FROM generate_series(1, 20)" >/dev/null
rankings --today "$(ago 40)"
rankings --today "$(ago 35)"
# as of the day the data was laid out, here and when recomputed below: a
# run that crosses midnight would otherwise rank a new day, whose streaks
# rightly differ
rankings --today "$(ago 0)"

snapshot() {
	arena_psql -c "SELECT string_agg(x, E'\n' ORDER BY x) FROM (
		SELECT 'rank ' || u.username || ' ' || concat_ws(' ', r.period_type, r.period_start,
			r.rank_position, r.total_tokens, r.input_tokens, r.output_tokens, r.cache_tokens,
			r.composite_score, r.session_count, r.efficiency_score, r.streak) AS x
		FROM rankings r JOIN users u ON u.id = r.user_id
		WHERE r.period_type = 'all_time'
		   OR (r.period_type = 'monthly' AND r.period_start < '$MONTH0')
		UNION ALL
		SELECT 'total ' || u.username || ' ' || t::text FROM user_totals t JOIN users u ON u.id = t.user_id
		UNION ALL
		SELECT 'month ' || u.username || ' ' || m::text FROM monthly_aggregates m
		JOIN users u ON u.id = m.user_id) s"
}
board() { req GET '/api/leaderboard?period=all_time&limit=100'; printf %s "$body" | jq -c 'del(.lastUpdated)'; }
# the current month's entry is compared only while it is still the month
# the data was laid out in
mine() {
	req GET /api/v1/rank -H "X-API-Key: $U3KEY"
	drop='del(.lastUpdated) | del(.rankings.daily) | del(.rankings.weekly)'
	[ "$(date -u +%Y-%m-01)" = "$MONTH0" ] || drop="$drop | del(.rankings.monthly)"
	printf %s "$body" | jq -c "$drop"
}

before=$(snapshot)
board_before=$(board)
mine_before=$(mine)
old_sessions=$(arena_psql -c "SELECT count(*) FROM sessions WHERE ended_at < now() - interval '62 days'")
ok $([ "$old_sessions" -gt 50 ] && echo 0 || echo 1) "there are old sessions to delete ($old_sessions)"
n=$(arena_psql -c "SELECT count(*) FROM rankings WHERE period_type = 'daily'
	AND period_start < (now() AT TIME ZONE 'UTC')::date - 30")
ok $([ "$n" -gt 0 ] && echo 0 || echo 1) "there are old daily rankings to delete ($n)"
# what was there, to compare with what the job says it removed
arena_psql -c "CREATE TABLE pre_sessions AS SELECT id, ended_at FROM sessions" >/dev/null
for tb in daily_aggregates daily_model_usage daily_tool_usage daily_tool_type_usage; do
	arena_psql -c "CREATE TABLE pre_$tb AS SELECT day FROM $tb" >/dev/null
done

day_before=$(date -u +%F)
out=$(cleanup)
is $? 0 "cleanup-data succeeds"
day_after=$(date -u +%F)
# "cleanup-data: TABLE: N deleted ... older than CUTOFF in B batches, T ms"
cutoff() { printf '%s\n' "$out" | sed -n "s/^[^ ]* cleanup-data: $1: .* older than \(.*\) in [0-9]* batches.*/\1/p"; }
raw=$(cutoff sessions) day=$(cutoff daily_aggregates) rday=$(cutoff 'rankings (daily)')
ok $([ "$day" = "$(date -u -d "$day_before -62 days" +%F)" ] ||
	[ "$day" = "$(date -u -d "$day_after -62 days" +%F)" ] && echo 0 || echo 1) \
	"the daily cutoff is today (UTC) less 62 days ($day)"
ok $([ "$rday" = "$(date -u -d "$day +32 days" +%F)" ] && echo 0 || echo 1) \
	"the daily-ranking cutoff is 30 days back on the same day ($rday)"
want=$(arena_psql -c "SELECT count(*) FROM pre_sessions WHERE ended_at < '$raw'::timestamptz")
ok $([ "$want" -ge "$old_sessions" ] && echo 0 || echo 1) "the session cutoff is at least 62 days back ($raw)"
like "$out" "sessions: $want deleted" "it logs the sessions deleted"
like "$out" "batches" "in batches"
like "$out" "security_audit_log: 20 deleted" "old audit rows deleted"
like "$out" " ms" "and the time taken"
like "$out" "done:" "and a total"

n=$(arena_psql -c "SELECT count(*) FROM sessions WHERE ended_at < '$raw'::timestamptz")
is "$n" 0 "no session older than the retention left"
n=$(arena_psql -c "SELECT count(*) FROM pre_sessions p LEFT JOIN sessions s USING (id)
	WHERE p.ended_at >= '$raw'::timestamptz AND s.id IS NULL")
is "$n" 0 "younger sessions kept"
n=$(arena_psql -c "SELECT count(*) FROM token_usage t LEFT JOIN sessions s ON s.id = t.session_id WHERE s.id IS NULL")
is "$n" 0 "no slice outlives its session"
for tb in daily_aggregates daily_model_usage daily_tool_usage daily_tool_type_usage; do
	n=$(arena_psql -c "SELECT count(*) FROM $tb WHERE day < '$day'")
	is "$n" 0 "$tb: nothing older than 62 days"
	n=$(arena_psql -c "SELECT (SELECT count(*) FROM pre_$tb WHERE day >= '$day') -
		(SELECT count(*) FROM $tb WHERE day >= '$day')")
	is "$n" 0 "$tb: recent days kept"
done
n=$(arena_psql -c "SELECT count(*) FROM rankings WHERE period_type = 'daily'
	AND period_start < '$rday'")
is "$n" 0 "daily rankings older than 30 days deleted"
n=$(arena_psql -c "SELECT count(*) FROM ranking_periods WHERE period_type = 'daily'
	AND period_start < '$rday'")
is "$n" 0 "and their periods"
n=$(arena_psql -c "SELECT count(*) FROM rankings WHERE period_type = 'weekly'
	AND period_start < '$rday'")
ok $([ "$n" -gt 0 ] && echo 0 || echo 1) "old weekly rankings are kept"
n=$(arena_psql -c "SELECT count(*) FROM security_audit_log WHERE created_at > now() - interval '1 day'")
ok $([ "$n" -gt 0 ] && echo 0 || echo 1) "recent audit rows kept"

# history is unchanged, also after the rankings are computed again
is "$(snapshot)" "$before" "lifetime totals, months and rankings untouched by cleanup"
rankings --today "$(ago 0)"
is "$(snapshot)" "$before" "all-time and past-month rankings the same when recomputed"
is "$(board)" "$board_before" "the all-time leaderboard reads the same"
is "$(mine)" "$mine_before" "a user's all-time rank, month and lifetime stats read the same"

# a second run removes only what aged past its cutoffs since the first
# (nothing, unless an hour or midnight turned in between)
raw1=$raw day1=$day
out=$(cleanup)
raw=$(cutoff sessions) day=$(cutoff daily_aggregates)
n=$(arena_psql -c "SELECT count(*) FROM pre_sessions
	WHERE ended_at >= '$raw1'::timestamptz AND ended_at < '$raw'::timestamptz")
like "$out" "sessions: $n deleted" "a second cleanup deletes no session twice ($n aged since)"
n=$(arena_psql -c "SELECT count(*) FROM pre_daily_aggregates WHERE day >= '$day1' AND day < '$day'")
like "$out" "daily_aggregates: $n deleted" "nor a day twice ($n aged since)"

# refusals: a retention the rest of the system cannot live with
err=$(ARENA_RETAIN_SESSIONS_DAYS=30 "$top_builddir/cron/cleanup-data" 2>&1 >/dev/null)
is $? 1 "sessions kept shorter than the backfill window: refused"
like "$err" "ARENA_BACKFILL_DAYS" "saying why"
err=$(ARENA_RETAIN_DAILY_DAYS=20 "$top_builddir/cron/cleanup-data" 2>&1 >/dev/null)
is $? 1 "daily rows kept shorter than rankings read: refused"
is "$(printf '%s\n' "$err" | wc -l)" 1 "one line on stderr"

done_testing
