#!/bin/sh
# 0320-ingest-fault.sh -- PostgreSQL restarts (fast and immediate) in the
# middle of a stream of submissions.  The client retries until it gets a
# 2xx, re-signing each time.  Afterwards every acknowledged session is
# stored, none twice, and the aggregates agree with the sessions.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
arena_up

admin user add dana >/dev/null
KEY=$(admin key issue dana)
N=${ARENA_FAULT_SESSIONS:-120}
F=$T/body.json
END=$(date -u -d "@$(( $(date +%s) - 600 ))" +%Y-%m-%dT%H:%M:%S.000Z)

restarter() {
	for mode in fast immediate fast immediate; do
		sleep 0.7
		arena_as_user "$(arena_pg_bindir)/pg_ctl" -D "$ARENA_STATE/pg" -m $mode -w -t 30 \
			-l "$ARENA_STATE/log/postgresql.log" restart >/dev/null 2>&1
		echo "restart $mode" >>"$T/restarts"
	done
}
restarter &
rpid=$!

acked=0 failures=0 gaveup=0
for i in $(seq 1 $N); do
	printf '{"sessionHash":"%064x","sessionId":"f%d","endedAt":"%s","inputTokens":%d,"outputTokens":%d}' \
		"$i" "$i" "$END" $((1000 + i)) $((10 + i)) >"$F"
	tries=0
	while :; do
		post /api/v1/sessions "$F" --max-time 20
		case $code in
		200|201) echo "f$i" >>"$T/acked"; acked=$((acked + 1)); break ;;
		esac
		failures=$((failures + 1))
		tries=$((tries + 1))
		[ $tries -lt 200 ] || { gaveup=$((gaveup + 1)); break; }
		sleep 0.1
	done
done
wait $rpid
echo "# $(wc -l <"$T/restarts") restarts, $failures failed attempts retried"
is "$(wc -l <"$T/restarts" | tr -d ' ')" 4 "the database was restarted four times during the stream"
ok $([ $failures -gt 0 ] && echo 0 || echo 1) "some submissions failed while it was down ($failures)"
is "$gaveup" 0 "every session was eventually acknowledged"
is "$(arena_psql -c "SELECT count(*), count(DISTINCT client_session_id) FROM sessions")" "$N|$N" "no acknowledged session lost, none stored twice"
want=$(awk -v n=$N 'BEGIN { for (i = 1; i <= n; i++) { a += 1000 + i; b += 10 + i }; printf "%d|%d|%d", a, b, n }')
is "$(arena_psql -c "SELECT input_tokens, output_tokens, session_count FROM user_totals")" "$want" "lifetime totals count each session exactly once"
is "$(arena_psql -c "SELECT sum(input_tokens), sum(output_tokens), sum(session_count) FROM daily_aggregates")" "$want" "daily aggregates count each session exactly once"
is "$(grep -c ' 5[0-9][0-9] ' "$ARENA_STATE/log/sessions.log" | sed 's/^[1-9][0-9]*$/some/')" some "failures were answered 5xx, never 2xx"

done_testing
