#!/bin/sh
# 1110-pgbouncer.sh -- the pools behind a real PgBouncer in transaction
# mode with ARENA_DB_PREPARE=off: fewer server connections than workers,
# so a statement prepared on one would be missing on the next; ingestion
# (v1 and v2, 20 signed copies at once), the leaderboard JSON
# and page, rank and profiles all answer through it, and one request as
# plain CGI too.  Stopping PgBouncer makes the status degraded: the
# traffic went through it.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
command -v pgbouncer >/dev/null || skip_all "pgbouncer not installed (Debian package pgbouncer)"
ARENA_WORKERS=3 ARENA_MICROCACHE=off
export ARENA_WORKERS ARENA_MICROCACHE
arena_up
PRIMARY_URL=$DATABASE_URL
admin() { DATABASE_URL=$PRIMARY_URL "$top_builddir/admin/arena-admin" "$@"; }

# --- PgBouncer: 2 server connections for 4 pools of 3 workers
PGB=$T/pgbouncer
mkdir -p "$PGB"
PGB_PORT=$(arena_free_port)
printf '"postgres" ""\n' >"$PGB/users.txt"
cat >"$PGB/pgbouncer.ini" <<EOF
[databases]
arena = host=$ARENA_RUN port=$ARENA_PGPORT dbname=arena
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGB_PORT
unix_socket_dir =
auth_type = trust
auth_file = $PGB/users.txt
admin_users = postgres
pool_mode = transaction
default_pool_size = 2
max_client_conn = 200
logfile = $PGB/pgbouncer.log
pidfile = $PGB/pgbouncer.pid
EOF
[ "$(id -u)" = 0 ] && chown -R "$(arena_run_user)" "$PGB"
pgb_start() {
	arena_as_user pgbouncer -d "$PGB/pgbouncer.ini" >>"$PGB/start.log" 2>&1 ||
		{ cat "$PGB/start.log" "$PGB/pgbouncer.log" 2>/dev/null | sed 's/^/# /'; echo "Bail out! pgbouncer did not start"; exit 1; }
	i=0
	until psql -h 127.0.0.1 -p "$PGB_PORT" -U postgres -d arena -qAtc 'SELECT 1' >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -gt 100 ] && { echo "Bail out! pgbouncer does not answer"; exit 1; }
		sleep 0.05
	done
}
pgb_stop() {
	[ -f "$PGB/pgbouncer.pid" ] || return 0
	pid=$(cat "$PGB/pgbouncer.pid")
	kill -TERM "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
}
trap 'pgb_stop; arena_cleanup' EXIT
# the statement timeout is the database's setting behind a pooler
arena_psql -c "ALTER DATABASE arena SET statement_timeout = '5s'"
pgb_start
pgb() { psql -h 127.0.0.1 -p "$PGB_PORT" -U postgres -d "${2:-arena}" -qAtc "$1"; }

is "$(pgb 'SHOW CONFIG' pgbouncer | awk -F'|' '$1 == "pool_mode" { print $2 }')" transaction "PgBouncer runs in transaction mode"
is "$(pgb 'SHOW statement_timeout')" 5s "the statement timeout comes from the database"

# --- the pools through PgBouncer
arena_pools_stop
DATABASE_URL="host=127.0.0.1 port=$PGB_PORT dbname=arena user=postgres"
ARENA_DB_PREPARE=off
export DATABASE_URL ARENA_DB_PREPARE
arena_pools_start "$top_builddir/cgi-bin"

# (the global stats, not status: its 80 ms budget is for a busy machine's
# connect too tight to assert on)
for i in 1 2 3 4 5 6; do
	req GET /api/stats/global
	printf '%s\n' "$code" >>"$T/status"
done
is "$(sort -u "$T/status")" 200 "global stats through PgBouncer: six times 200"

admin user add alice >/dev/null && admin user add bob >/dev/null
KEY=$(admin key issue alice)
BOBKEY=$(admin key issue bob)
NOW=$(date +%s)
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%S.000Z; }
H=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
F=$T/body.json
good() {
	printf '{"sessionHash":"%s","sessionId":"%s","startedAt":"%s","endedAt":"%s","inputTokens":%s,"outputTokens":%s,"cacheCreationTokens":10,"cacheReadTokens":100,"modelName":"claude-sonnet-4-20250514","turnCount":3,"toolUsage":{"Read":2},"codeMetrics":{"linesAdded":10,"linesDeleted":2,"filesModified":1,"filesCreated":0}}' \
		"$H" "$1" "$(iso $((NOW - 7200)))" "$(iso $((NOW - 3600)))" "$2" "$3" >"$F"
}

good s1 1000 500
post /api/v1/sessions "$F"
is "$code" 201 "v1-signed upload through PgBouncer: 201"
TS=$((LAST_TS + 1)) post /api/v1/sessions "$F"
is "$code $(jv .duplicate)" "200 true" "the same session again: 200 duplicate"
good s1 2000 900
post /api/v1/sessions "$F"
is "$code $(jv .updated)" "200 true" "a cumulative update: 200 updated"
good s2 300 100
auth=$("$top_builddir/t/arena-sign-v2" "$BOBKEY" POST /api/v1/sessions "" now "pgbouncer-nonce-0000000001" "$F")
req POST /api/v1/sessions -H 'Content-Type: application/json' -H "Authorization: $auth" --data-binary @"$F"
is "$code" 201 "v2-signed upload through PgBouncer: 201"

# twenty distinct signed copies at once: exactly one row
good par 7 7
pids=
for i in $(seq 1 20); do
	a=$("$top_builddir/t/arena-sign-v2" "$KEY" POST /api/v1/sessions "" now "pgb-concurrent-$i-00000000" "$F")
	curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' -H "Authorization: $a" \
		--data-binary @"$F" "$ARENA_URL/api/v1/sessions" >>"$T/par" &
	pids="$pids $!"
done
wait $pids
is "$(sort "$T/par" | uniq -c | awk '{printf "%s:%s ", $2, $1}')" "200:19 201:1 " \
	"20 signed copies at once through PgBouncer: one 201, 19 duplicates"
is "$(arena_psql -c "SELECT count(*) FROM sessions WHERE client_session_id = 'par'")" 1 "exactly one row stored"
is "$(arena_psql -c "SELECT input_tokens, output_tokens, session_count FROM user_totals u JOIN users ON users.id = u.user_id WHERE username = 'alice'")" \
	"2007|907|2" "alice's totals count each session once"

# the jobs connect to PostgreSQL itself, as the README says
DATABASE_URL=$PRIMARY_URL "$top_builddir/cron/calculate-rankings" >/dev/null 2>"$T/rank.err"
rc=$?
sed 's/^/# /' "$T/rank.err"
is "$rc" 0 "calculate-rankings beside PgBouncer"

req GET '/api/leaderboard?period=all_time'
is "$code" 200 "leaderboard through PgBouncer"
is "$(jv '[.data[].username] | join(",")')" "alice,bob" "both users ranked, alice first"
req GET /api/v1/rank -H "X-API-Key: $KEY"
is "$code $(jv .rankings.allTime.position) $(jv .stats.totalTokens)" "200 1 2914" "rank through PgBouncer"
req GET /api/users/alice
is "$code $(jv .username)" "200 alice" "profile JSON through PgBouncer"
req GET /users/bob
is "$code" 200 "profile page through PgBouncer"
req GET /
is "$code" 200 "board page through PgBouncer"
like "$body" alice "and it lists alice"

# one request as plain CGI through PgBouncer
out=$(env -i PATH="$PATH" DATABASE_URL="$DATABASE_URL" ARENA_DB_PREPARE=off \
	REQUEST_METHOD=GET REQUEST_URI=/api/leaderboard QUERY_STRING=period=all_time \
	SCRIPT_NAME=/api/leaderboard REMOTE_ADDR=127.0.0.1 "$top_builddir/cgi-bin/leaderboard" 2>/dev/null)
like "$out" "Status: 200" "plain CGI through PgBouncer: 200"
like "$out" '"username":"alice"' "with the board"

n=$(pgb 'SHOW STATS' pgbouncer | awk -F'|' '$1 == "arena" { print $3 }')
[ "${n:-0}" -gt 30 ]
ok $? "PgBouncer counted the transactions (${n:-0})"

# --- without PgBouncer the pools have no database
pgb_stop
req GET /api/v1/status
is "$code $(jv .database)" "503 down" "PgBouncer stopped: status degraded"
req GET /api/stats/global
is "$code" 503 "and the global stats unavailable"
pgb_start
req GET /api/stats/global
is "$code" 200 "PgBouncer back: the stats answer again"
done_testing
