#!/bin/sh
# status.sh -- GET /api/v1/status next to nginx serving a static file of
# the same size, in the same run: wrk -t2 -c32 -d10s each.
set -eu
. "$(dirname "$0")/lib.sh"
bench_up
size=$(curl -s "$ARENA_URL/api/v1/status" | wc -c)
STATIC_BYTES=$size
head -c "$size" /dev/zero | tr '\0' 'x' >"$BENCH/nginx/html/static.json"
D=${BENCH_SECONDS:-10}
wrk -t2 -c32 -d${D}s --latency "$ARENA_URL/static.json" >"$BENCH/static.out"
wrk -t2 -c32 -d${D}s --latency "$ARENA_URL/api/v1/status" >"$BENCH/status.out"
s=$(wrk_rps "$BENCH/static.out"); a=$(wrk_rps "$BENCH/status.out")
grep -q 'Non-2xx' "$BENCH/status.out" && echo "warning: non-2xx answers" && grep 'Non-2xx' "$BENCH/status.out"
echo "static file ($size bytes): $s req/s"
echo "/api/v1/status:           $a req/s ($(grep -A0 ' 99%' "$BENCH/status.out" | awk '{print $2}') p99)"
awk -v a="$a" -v s="$s" 'BEGIN { printf "ratio status/static: %.2f\n", a / s }'
