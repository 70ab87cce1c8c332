#!/bin/sh
# bench/rankings.sh -- how long calculate-rankings takes on N users x D days
#
#	bench/rankings.sh [USERS [DAYS]]        (default 10000 90)
#
# Starts a private PostgreSQL under $ARENA_BENCH_STATE (default
# /tmp/arena-bench-rankings, wiped first), loads bench/gen-data.sql and
# times the job three ways: cold (no rankings yet: every row is written),
# warm (nothing changed since the last run: nothing is written), and after
# 1% of the users ended a new session today (what a 5-minute run sees).
# Then prints where the time goes (EXPLAIN ANALYZE of the build's steps).
# ARENA_BENCH_REUSE=1 keeps the data of the last run (generating 100k
# users takes minutes) and only clears the rankings.
set -eu
ARENA_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ARENA_ROOT/script/lib.sh"
USERS=${1:-10000}
DAYS=${2:-90}
BUILD=${ARENA_BUILD_DIR:-$ARENA_ROOT/_build}

arena_build "$BUILD"
STATE=${ARENA_BENCH_STATE:-/tmp/arena-bench-rankings}
reuse=0
if [ "${ARENA_BENCH_REUSE:-0}" = 1 ] && [ -f "$STATE/gen.out" ]; then reuse=1; else rm -rf "$STATE"; fi
arena_state_init "$STATE"
ARENA_PGPORT=$(arena_free_port)
trap 'arena_pg_stop fast' EXIT
arena_pg_start
ARENA_SCHEMA_DIR=$ARENA_ROOT/schema "$BUILD/admin/arena-admin" migrate >/dev/null

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
if [ $reuse = 0 ]; then
	t0=$(date +%s%N)
	arena_psql -v users="$USERS" -v days="$DAYS" -f "$ARENA_ROOT/bench/gen-data.sql" >"$STATE/gen.out"
	echo "generated in $(ms "$t0") ms" >>"$STATE/gen.out"
else
	arena_psql -c "TRUNCATE rankings, ranking_periods" >/dev/null
fi
read -r nusers nsessions ndaily <<EOF2
$(grep '|' "$STATE/gen.out" | tr '|' ' ' | tail -1)
EOF2
echo "data: $nusers users, $nsessions sessions, $ndaily daily_aggregates rows over $DAYS days ($(tail -1 "$STATE/gen.out"))"

run() {
	t=$(date +%s%N)
	"$BUILD/cron/calculate-rankings" >"$STATE/job.out"
	echo "$1: $(ms "$t") ms wall ($(sed 's/.* in //' "$STATE/job.out") in the job), $(arena_psql -c 'SELECT count(*) FROM rankings') ranking rows"
}
run "cold run (every row new)"
run "warm run (nothing changed)"
# 1% of the users end one more session now, through arena_ingest()
arena_psql -c "SELECT count(arena_ingest(u.id, 'claude-code', 'sid:claude-code:bench-new-' || u.n || '-' || $(date +%s),
	'bench-new-' || u.n, md5(u.n::text) || md5(u.n::text), md5(u.n::text) || md5('x'), NULL,
	now() - interval '30 minutes', now() - interval '1 minute', 1740, 'claude-sonnet-4', 3,
	50000 + u.n, 90000, 0, 0, '{}', '{}', '{}', '[]', 10, 1000, '127.0.0.1', 'bench'))
	FROM (SELECT id, substr(username, 6)::integer AS n FROM users
	      WHERE username ~ '^bench[0-9]+$' AND substr(username, 6)::integer % 100 = 7) u" >/dev/null
run "after 1% of users ingested a session"
run "warm run again"

# where the time goes: each statement of the build over 100 ms
arena_psql >"$STATE/explain.txt" 2>&1 <<'SQL' || true
LOAD 'auto_explain';
SET auto_explain.log_min_duration = 100;
SET auto_explain.log_nested_statements = on;
SET auto_explain.log_analyze = on;
SET auto_explain.log_level = notice;
SET client_min_messages = notice;
BEGIN;
SET LOCAL jit = off;
SET LOCAL work_mem = '256MB';
SELECT count(*) FROM arena_rankings_build((now() AT TIME ZONE 'UTC')::date, false);
ROLLBACK;
SQL
echo "statements over 100 ms in a warm build (full plans in $STATE/explain.txt):"
awk '/Query Text:/ { q = $0; sub(/.*Query Text: */, "", q); getline; }
     /^[A-Za-z].*actual time=/ { split($0, a, "actual time="); split(a[2], b, "[.][.]"); split(b[2], c, " ");
	printf "  %8.1f ms  %s\n", c[1], substr(q, 1, 70) }' "$STATE/explain.txt"
