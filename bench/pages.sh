#!/bin/sh
# bench/pages.sh -- the web pages under wrk, each next to nginx serving a
# static file of the same size, in one run
#
#	bench/pages.sh [USERS [DAYS [YEAR_USERS]]]     (default 10000 90 USERS)
#
# The data of bench/rankings.sh (bench/gen-data.sql: USERS users x DAYS
# days, one ranking run), in which users bench1 .. bench<YEAR_USERS> (at
# most 10000 by default) have 365 days of history instead, for the
# profiles.  One stack under $ARENA_BENCH_STATE (default
# /tmp/arena-bench-pages): PostgreSQL, the pools (ARENA_WORKERS each,
# default 2) and nginx; ARENA_BENCH_REUSE=1 keeps the data of the last run
# made with the same arguments (100k users take minutes to generate).
# Then `wrk -t2 -c32 -d10s` (ARENA_WRK_DURATION) on
#   1. /static.json holding the leaderboard page's bytes,
#   2. the leaderboard page / with no cache at all: a query per request
#      (ARENA_LEADERBOARD_PAGECACHE=0, micro-cache off), for reference,
#   3. / with the workers' page cache (the default) and nginx's
#      micro-cache off: what "no nginx cache" means for the goal,
#   4. the same with the micro-cache on,
#   5. /static.json holding a profile page's bytes,
#   6. the profile pages with no cache at all, each request for another
#      user with a year of activity (bench/users.lua),
# and the ratios to the static file.  The rate limits are off: the pages
# are measured, not the limiter (bench/ratelimit.sh does that).
set -eu
ARENA_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ARENA_ROOT/script/lib.sh"
ARENA_RATE_LIMIT_API=0 ARENA_RATE_LIMIT_AUTH=0 ARENA_RATE_LIMIT_PUBLIC=0
export ARENA_RATE_LIMIT_API ARENA_RATE_LIMIT_AUTH ARENA_RATE_LIMIT_PUBLIC
ARENA_EXTRA_PACKAGES=wrk arena_deps
USERS=${1:-10000}
DAYS=${2:-90}
YEAR_USERS=${3:-$([ "$USERS" -lt 10000 ] && echo "$USERS" || echo 10000)}
BUILD=${ARENA_BUILD_DIR:-$ARENA_ROOT/_build}
DURATION=${ARENA_WRK_DURATION:-10s}
top_builddir=$BUILD
export top_builddir
arena_build "$BUILD"

STATE=${ARENA_BENCH_STATE:-/tmp/arena-bench-pages}
args="$USERS $DAYS $YEAR_USERS"
reuse=0
if [ "${ARENA_BENCH_REUSE:-0}" = 1 ] && [ "$(cat "$STATE/gen.args" 2>/dev/null)" = "$args" ]; then
	reuse=1
else
	rm -rf "$STATE"
fi
arena_state_init "$STATE"
ARENA_PGPORT=$(arena_free_port)
ARENA_PORT=$(arena_free_port)
trap 'arena_stop_all' EXIT
arena_pg_start
ARENA_SCHEMA_DIR=$ARENA_ROOT/schema "$BUILD/admin/arena-admin" migrate >/dev/null
if [ $reuse = 0 ]; then
	t0=$(date +%s)
	arena_psql -v users="$USERS" -v days="$DAYS" -v year_users="$YEAR_USERS" \
		-f "$ARENA_ROOT/bench/gen-data.sql" >"$STATE/gen.out"
	echo "$args" >"$STATE/gen.args"
	echo "generated in $(($(date +%s) - t0)) s" >>"$STATE/gen.out"
fi
"$BUILD/cron/calculate-rankings" >/dev/null
read -r nusers nsessions ndaily <<EOF
$(grep '|' "$STATE/gen.out" | tr '|' ' ' | tail -1)
EOF
echo "data: $nusers users, $nsessions sessions, $ndaily daily rows; bench1..bench$YEAR_USERS with a year ($(tail -1 "$STATE/gen.out"))"

arena_pools_start "$BUILD/cgi-bin"
ARENA_MICROCACHE=off arena_nginx_start

# static FILE: nginx serves FILE's bytes as /static.json
static() {
	cp "$1" "$STATE/nginx/html/static.json"
	chmod 0644 "$STATE/nginx/html/static.json"
	[ "$(curl -s "$ARENA_URL/static.json" | wc -c)" = "$(wc -c <"$1")" ] || arena_die "static copy differs"
}
# bench PATH [LUA ARG]: requests per second; an error ends the run,
# except in the reference run (lenient=1), where it is reported
lenient=0
bench() {
	p=$1
	if [ $# -gt 1 ]; then
		wrk -t2 -c32 -d"$DURATION" -s "$2" "$ARENA_URL$p" -- "$3" >"$STATE/wrk.out"
	else
		wrk -t2 -c32 -d"$DURATION" "$ARENA_URL$p" >"$STATE/wrk.out"
	fi
	if grep -q 'Non-2xx\|Socket errors' "$STATE/wrk.out"; then
		[ $lenient = 1 ] || { cat "$STATE/wrk.out" >&2; arena_die "errors in $p"; }
		grep 'Non-2xx\|Socket errors' "$STATE/wrk.out" | sed 's/^ */  (/; s/$/)/' >&2
	fi
	awk '/Requests\/sec/ { print $2 }' "$STATE/wrk.out"
}
page() {
	curl -sf -o "$2" "$ARENA_URL$1" || arena_die "GET $1 failed"
	grep -q '<html lang="en"' "$2" || arena_die "GET $1 is no English page"
}

page / "$STATE/board.html"
page /users/bench1 "$STATE/profile.html"
bsize=$(wc -c <"$STATE/board.html")
psize=$(wc -c <"$STATE/profile.html")
echo "wrk -t2 -c32 -d$DURATION, ${ARENA_WORKERS:-2} workers per pool;" \
	"board page $bsize bytes, profile page of bench1 $psize bytes"

static "$STATE/board.html"
bstatic=$(bench /static.json)
echo "static file of the board's size:         $bstatic req/s"
arena_pools_stop
ARENA_LEADERBOARD_PAGECACHE=0 arena_pools_start "$BUILD/cgi-bin"
lenient=1
query=$(bench /)
lenient=0
echo "board page /, a query per request:       $query req/s"
arena_pools_stop
arena_pools_start "$BUILD/cgi-bin"
board=$(bench /)
echo "board page /, no nginx cache:            $board req/s"
arena_nginx_stop
ARENA_MICROCACHE=on arena_nginx_start
[ -n "$(curl -s -D - -o /dev/null "$ARENA_URL/" | tr -d '\r' | sed -n 's/^X-Cache: //Ip')" ] ||
	arena_die "the micro-cache is not on for /"
cached=$(bench /)
echo "board page /, nginx micro-cache:         $cached req/s"
arena_nginx_stop
ARENA_MICROCACHE=off arena_nginx_start

static "$STATE/profile.html"
pstatic=$(bench /static.json)
echo "static file of a profile's size:         $pstatic req/s"
profile=$(bench / "$ARENA_ROOT/bench/users.lua" "$YEAR_USERS")
echo "profile pages, another user each time:   $profile req/s"

awk -v bs="$bstatic" -v q="$query" -v b="$board" -v c="$cached" -v ps="$pstatic" -v p="$profile" 'BEGIN {
	printf "board, a query per request / static = %.2f\n", q / bs
	printf "board, no nginx cache / static = %.2f (goal >= 0.2)\n", b / bs
	printf "board, micro-cache / static    = %.2f (goal >= 0.8)\n", c / bs
	printf "profile, no cache / static     = %.3f (goal >= 0.05)\n", p / ps }'
