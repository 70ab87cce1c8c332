#!/bin/sh
# ratelimit.sh -- what the shared rate limiter costs per request.
#
# Starts a private stack, then runs wrk on GET /api/v1/status with the
# public-read limiter off and on (clients spread over 65536 addresses, see
# xff.lua), and pgbench on the limiter's statement alone: one hot bucket
# (every call counted, most refused) and many cold ones.
#	bench/ratelimit.sh [SECONDS]      (needs wrk and pgbench)
set -eu
top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
top_builddir=${top_builddir:-$top_srcdir/_build}
export top_srcdir top_builddir
D=${1:-10}
. "$top_srcdir/t/lib/harness.sh"
ARENA_TRUSTED_PROXIES=127.0.0.1
export ARENA_TRUSTED_PROXIES

run() {		# run LABEL: one wrk run against the current stack
	wrk -t2 -c32 -d"${D}s" --latency -s "$top_srcdir/bench/xff.lua" "$ARENA_URL/api/v1/status" >"$T/wrk" 2>&1
	printf '%-28s %10s req/s  p50 %s  p99 %s  non-2xx %s\n' "$1" \
		"$(sed -n 's/^Requests\/sec: *//p' "$T/wrk")" \
		"$(awk '$1 == "50%" {print $2}' "$T/wrk")" "$(awk '$1 == "99%" {print $2}' "$T/wrk")" \
		"$(sed -n 's/^ *Non-2xx or 3xx responses: *//p' "$T/wrk" | grep . || echo 0)"
}

ARENA_RATE_LIMIT_PUBLIC=0
export ARENA_RATE_LIMIT_PUBLIC
arena_up
run "status, limiter off"
arena_pools_stop
ARENA_RATE_LIMIT_PUBLIC=200
arena_pools_start "$top_builddir/cgi-bin"
run "status, limiter on"

cat >"$T/hot.sql" <<'SQL'
SELECT * FROM rate_limit_hit('bench:hot', 100, 60000, true);
SQL
cat >"$T/cold.sql" <<'SQL'
\set n random(1, 1000000)
SELECT * FROM rate_limit_hit('bench:' || :n, 100, 60000, true);
SQL
for f in hot cold; do
	pgbench -n -h "$ARENA_RUN" -p "$ARENA_PGPORT" -U postgres -c 8 -j 2 -T "$D" -f "$T/$f.sql" arena \
		2>/dev/null | awk -v f="$f" '/latency average/ {l=$4} /^tps/ {t=$3} END {printf "pgbench %-20s %10.0f tps  avg %s ms\n", f " bucket(s)", t, l}'
done
