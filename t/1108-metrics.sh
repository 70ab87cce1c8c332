#!/bin/sh
# 1108-metrics.sh -- GET /metrics: promtool check metrics passes; every
# series once; requests by endpoint and status summed over three workers
# exactly; the latency histogram's count equals the requests; ingest
# outcomes, rate-limit refusals by class (as many as the client saw), reconnects after a database
# restart, the jobs' last success and cleanup counts; 403 to a peer that
# is neither loopback nor a trusted proxy.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
ARENA_WORKERS=3 ARENA_RATE_LIMIT_AUTH=2 ARENA_MICROCACHE=off
export ARENA_WORKERS ARENA_RATE_LIMIT_AUTH ARENA_MICROCACHE
arena_up
. "$top_srcdir/t/lib/hosting.sh"
F=$T/body.json
PROMTOOL=$(command -v promtool || echo /usr/bin/promtool)

# metric NAME{LABELS}: its value in the last scrape, or "none"
metric() { awk -v k="$1" '$1 == k { v = $2 } END { print v == "" ? "none" : v }' "$T/m"; }
scrape() { curl -s -D "$T/mh" -o "$T/m" "$ARENA_URL/metrics"; }

# --- thirty status requests at once, over three workers
pids=
for i in $(seq 1 30); do
	curl -s -o /dev/null "$ARENA_URL/api/v1/status" &
	pids="$pids $!"
done
wait $pids

# --- ingest outcomes: 2 created, 1 updated, 1 duplicate, 1 conflict, 1 rejected
admin user add alice >/dev/null
KEY=$(admin key issue alice)
hosting_session a 100 10; post /api/v1/sessions "$F"
hosting_session b 100 10; post /api/v1/sessions "$F"
TS=$((LAST_TS + 1)) post /api/v1/sessions "$F"
is "$(jv .duplicate)" true "a duplicate"
hosting_session b 200 20; post /api/v1/sessions "$F"
is "$(jv .updated)" true "an update"
hosting_session b 50 5; post /api/v1/sessions "$F"
is "$code" 409 "a conflict"
printf '{"sessionHash":"nothex"}' >"$F"; post /api/v1/sessions "$F"
is "$code" 422 "a rejected session"

# --- six failed logins against a quota of two: some refused
for i in 1 2 3 4 5 6; do
	curl -s -o /dev/null -w '%{http_code}\n' -H 'X-API-Key: modu_arena_0000000_00000000000000000000000000000000' \
		"$ARENA_URL/api/v1/verify" >>"$T/lb"
done
REFUSED=$(grep -c 429 "$T/lb")
[ "$REFUSED" -ge 2 ]
ok $? "failed logins past the quota are refused ($(sort "$T/lb" | uniq -c | awk '{printf "%s:%s ", $2, $1}'))"

# --- the jobs
"$top_builddir/cron/calculate-rankings" >/dev/null 2>&1
ok $? "calculate-rankings"
"$top_builddir/cron/cleanup-data" >/dev/null 2>&1
ok $? "cleanup-data"

scrape
is "$(sed -n 's/^HTTP[^ ]* \([0-9]*\).*/\1/p' "$T/mh" | tr -d '\r')" 200 "GET /metrics from loopback: 200"
like "$(tr -d '\r' <"$T/mh")" "Content-Type: text/plain; version=0.0.4" "the text format's content type"
if [ -x "$PROMTOOL" ]; then
	"$PROMTOOL" check metrics <"$T/m" >"$T/promtool" 2>&1
	rc=$?
	sed 's/^/# promtool: /' "$T/promtool"
	is "$rc" 0 "promtool check metrics passes"
else
	ok 1 "promtool check metrics passes (promtool not installed: Debian package prometheus)"
fi
is "$(grep -v '^#' "$T/m" | awk '{print $1}' | sort | uniq -d)" "" "every series appears once"
is "$(tail -c 1 "$T/m" | od -An -c | tr -d ' ')" '\n' "the last line ends with a newline"

n=$(awk '/^arena_http_requests_total\{endpoint="status",/ { s += $2 } END { print s + 0 }' "$T/m")
is "$n" 30 "30 status requests counted once each over three workers"
is "$(metric 'arena_http_request_duration_seconds_count{endpoint="status"}')" 30 "and 30 in its histogram"
is "$(metric 'arena_http_request_duration_seconds_bucket{endpoint="status",le="+Inf"}')" 30 "+Inf bucket = count"
is "$(metric 'arena_http_requests_total{endpoint="verify",code="429"}')" "$REFUSED" "each 429 of verify counted"
is "$(metric 'arena_rate_limited_total{endpoint="verify",class="auth"}')" "$REFUSED" "as a refusal in class auth"
is "$(metric 'arena_http_requests_total{endpoint="sessions",code="201"}')" 2 "two 201s of sessions"
for o in created:2 updated:1 duplicate:1 conflict:1 rejected:1; do
	is "$(metric "arena_ingest_sessions_total{outcome=\"${o%:*}\"}")" "${o#*:}" "ingest outcome ${o%:*}: ${o#*:}"
done
last=$(metric 'arena_job_last_success_timestamp_seconds{job="calculate-rankings"}')
now=$(date +%s)
awk -v l="$last" -v n="$now" 'BEGIN { exit !(l > n - 120 && l <= n + 5) }'
ok $? "the ranking job's last success is now ($last)"
like "$(metric 'arena_job_duration_seconds{job="calculate-rankings"}')" . "the ranking job's duration"
is "$(metric 'arena_cleanup_last_deleted_rows{table="sessions"}')" 0 "cleanup counts by table (nothing old to delete)"
is "$(metric arena_cleanup_deleted_rows_total)" 0 "and in total"
is "$(metric arena_metrics_database_up)" 1 "the database answered"

# --- a database restart: the workers reconnect (the leaderboard waits
# for a connection up to ARENA_DB_CONNECT_TIMEOUT_MS; status only 80 ms)
for i in 1 2 3 4 5 6 7 8 9; do curl -s -o /dev/null "$ARENA_URL/api/leaderboard"; done
scrape
before=$(metric 'arena_db_reconnects_total{endpoint="leaderboard"}')
arena_pg_stop fast
arena_pg_start
arena_psql -c 'SELECT 1' >/dev/null
ok $? "PostgreSQL restarted"
for i in 1 2 3 4 5 6 7 8 9; do curl -s -o /dev/null -w '%{http_code} ' "$ARENA_URL/api/leaderboard"; done >"$T/after-restart"
echo "# the leaderboard after the restart: $(cat "$T/after-restart")"
scrape
after=$(metric 'arena_db_reconnects_total{endpoint="leaderboard"}')
[ "$after" -gt "$before" ] 2>/dev/null
ok $? "reconnects of the leaderboard counted after a restart ($before -> $after)"
[ "$(metric 'arena_db_errors_total{endpoint="leaderboard"}')" -ge 1 ] 2>/dev/null
ok $? "and the lost connections as database errors"

# --- who may read
cgi() {
	env -i PATH="$PATH" DATABASE_URL="$DATABASE_URL" ARENA_METRICS_DIR="$ARENA_RUN" "$@" \
		REQUEST_METHOD=GET REQUEST_URI=/metrics "$top_builddir/cgi-bin/metrics" 2>/dev/null | head -1 | tr -d '\r'
}
is "$(cgi REMOTE_ADDR=192.0.2.7)" "Status: 403 Forbidden" "a peer that is not loopback: 403"
is "$(cgi REMOTE_ADDR=192.0.2.7 HTTP_X_FORWARDED_FOR=127.0.0.1)" "Status: 403 Forbidden" "X-Forwarded-For does not help"
is "$(cgi REMOTE_ADDR=192.0.2.7 ARENA_TRUSTED_PROXIES=192.0.2.0/24)" "Status: 200 OK" "a trusted proxy: 200"
is "$(cgi REMOTE_ADDR=::1)" "Status: 200 OK" "::1: 200"
done_testing
