#!/bin/sh
# bench/gen-verify.sh -- the bulk load writes what ingestion would
#
#	bench/gen-verify.sh [USERS [DAYS]]      (default 300 40)
#
# Loads bench/gen-data.sql, keeps the aggregates it wrote, rebuilds every
# aggregate from the stored sessions with arena_apply_session() (what
# arena_ingest() calls for each session) and compares the two, table by
# table.  Exits 0 when they are identical.
set -eu
ARENA_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ARENA_ROOT/script/lib.sh"
BUILD=${ARENA_BUILD_DIR:-$ARENA_ROOT/_build}
arena_build "$BUILD"
STATE=${ARENA_BENCH_STATE:-/tmp/arena-bench-verify}
rm -rf "$STATE"
arena_state_init "$STATE"
ARENA_PGPORT=$(arena_free_port)
ARENA_PG_FSYNC=off
trap 'arena_pg_stop fast' EXIT
arena_pg_start
ARENA_SCHEMA_DIR=$ARENA_ROOT/schema "$BUILD/admin/arena-admin" migrate >/dev/null
arena_psql -v users="${1:-300}" -v days="${2:-40}" -f "$ARENA_ROOT/bench/gen-data.sql" >/dev/null

tables="daily_aggregates monthly_aggregates user_totals daily_model_usage daily_tool_usage daily_tool_type_usage
	user_hourly user_model_totals user_tool_totals user_tool_type_totals"
for t in $tables; do
	arena_psql -c "CREATE TABLE bulk_$t AS SELECT * FROM $t" >/dev/null
done
arena_psql -c "TRUNCATE $(echo $tables | tr ' ' ',')" >/dev/null
arena_psql -c "SELECT count(*) FROM (SELECT arena_apply_session(s, 1) FROM sessions s ORDER BY s.id) x" >/dev/null
status=0
for t in $tables; do
	n=$(arena_psql -c "SELECT (SELECT count(*) FROM (TABLE bulk_$t EXCEPT ALL TABLE $t) a)
		+ (SELECT count(*) FROM (TABLE $t EXCEPT ALL TABLE bulk_$t) b)")
	rows=$(arena_psql -c "SELECT count(*) FROM $t")
	echo "$t: $rows rows, $n differ"
	[ "$n" = 0 ] || status=1
done
[ $status = 0 ] && echo "the bulk load equals ingestion's aggregates" || echo "MISMATCH"
exit $status
