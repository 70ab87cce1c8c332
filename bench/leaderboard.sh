#!/bin/sh
# bench/leaderboard.sh -- GET /api/leaderboard under wrk, next to nginx
# serving the same bytes as a static file, in one run
#
#	bench/leaderboard.sh [USERS [DAYS]]     (default 10000 30)
#
# One stack under $ARENA_BENCH_STATE (default /tmp/arena-bench-leaderboard):
# PostgreSQL with bench/gen-data.sql and one ranking run, the endpoint
# pools (ARENA_WORKERS per pool, default 2) and nginx.  Then
# `wrk -t2 -c32 -d10s` (ARENA_WRK_DURATION) on
#   1. /static.json: the leaderboard response saved as a file,
#   2. /api/leaderboard?period=weekly&limit=50 with no cache at all: a
#      query per request (ARENA_LEADERBOARD_PAGECACHE=0),
#   3. the same with the workers' page cache (the default) and no
#      micro-cache: what "uncached" means for the goal,
#   4. the same with nginx's micro-cache on as well,
# and the ratios to 1.
set -eu
ARENA_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ARENA_ROOT/script/lib.sh"
# the endpoint is measured, not the rate limiter (bench/ratelimit.sh does that)
ARENA_RATE_LIMIT_PUBLIC=0
export ARENA_RATE_LIMIT_PUBLIC
command -v wrk >/dev/null || arena_die "wrk is not installed (apt-get install wrk)"
BUILD=${ARENA_BUILD_DIR:-$ARENA_ROOT/_build}
DURATION=${ARENA_WRK_DURATION:-10s}
arena_build "$BUILD"
STATE=${ARENA_BENCH_STATE:-/tmp/arena-bench-leaderboard}
rm -rf "$STATE"
arena_state_init "$STATE"
ARENA_PGPORT=$(arena_free_port)
ARENA_PORT=$(arena_free_port)
trap 'arena_stop_all' EXIT
arena_pg_start
ARENA_SCHEMA_DIR=$ARENA_ROOT/schema "$BUILD/admin/arena-admin" migrate >/dev/null
arena_psql -v users="${1:-10000}" -v days="${2:-30}" -f "$ARENA_ROOT/bench/gen-data.sql" >/dev/null
"$BUILD/cron/calculate-rankings"
arena_pools_start "$BUILD/cgi-bin"
ARENA_MICROCACHE=off arena_nginx_start

URL="/api/leaderboard?period=weekly&limit=50"
curl -sf -o "$STATE/nginx/html/static.json" "$ARENA_URL$URL"
size=$(wc -c <"$STATE/nginx/html/static.json")
[ "$(curl -s "$ARENA_URL/static.json" | wc -c)" = "$size" ] || arena_die "static copy differs"

bench() {
	wrk -t2 -c32 -d"$DURATION" "$ARENA_URL$1" >"$STATE/wrk.out"
	grep -q 'Non-2xx' "$STATE/wrk.out" && { cat "$STATE/wrk.out" >&2; arena_die "errors in $1"; }
	awk '/Requests\/sec/ { print $2 }' "$STATE/wrk.out"
}
echo "wrk -t2 -c32 -d$DURATION, response $size bytes, ${ARENA_WORKERS:-2} workers per pool"
static=$(bench /static.json)
echo "static file:                            $static req/s"
arena_pools_stop
ARENA_LEADERBOARD_PAGECACHE=0 arena_pools_start "$BUILD/cgi-bin"
query=$(bench "$URL")
echo "leaderboard, a query per request:       $query req/s"
arena_pools_stop
arena_pools_start "$BUILD/cgi-bin"
uncached=$(bench "$URL")
echo "leaderboard, workers' page cache only:  $uncached req/s"
arena_nginx_stop
ARENA_MICROCACHE=on arena_nginx_start
[ "$(curl -s -D - -o /dev/null "$ARENA_URL$URL" | tr -d '\r' | sed -n 's/^X-Cache: //p')" != "" ] ||
	arena_die "micro-cache not on"
cached=$(bench "$URL")
echo "leaderboard, nginx micro-cache too:     $cached req/s"
awk -v s="$static" -v q="$query" -v u="$uncached" -v c="$cached" 'BEGIN {
	printf "query per request / static = %.2f\n", q / s
	printf "uncached (no micro-cache) / static = %.2f (goal >= 0.2)\n", u / s
	printf "micro-cached / static = %.2f (goal >= 0.8)\n", c / s }'
