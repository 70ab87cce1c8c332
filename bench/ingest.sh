#!/bin/sh
# ingest.sh -- signed session uploads replayed by wrk (32 connections,
# 10 s) against pgbench running the equivalent single-row insert on the
# same database, in the same run.  Every upload is a distinct, freshly
# signed session of one of 100 users.
set -eu
. "$(dirname "$0")/lib.sh"
USERS=${BENCH_USERS:-100}
COUNT=${BENCH_REQUESTS:-150000}
D=${BENCH_SECONDS:-10}
bench_up
make -C "$BUILD" -s bench/gen-requests >/dev/null
for i in $(seq 1 $USERS); do
	"$BUILD/admin/arena-admin" user add "bench$i" >/dev/null
	"$BUILD/admin/arena-admin" key issue "bench$i"
done >"$BENCH/keys"
"$BUILD/bench/gen-requests" "$BENCH/keys" "$COUNT" >"$BENCH/requests.tsv"
wrk -t2 -c32 -d${D}s --latency -s "$ARENA_ROOT/bench/ingest.lua" "$ARENA_URL" \
	-- "$BENCH/requests.tsv" 2 >"$BENCH/wrk.out"
created=$(arena_psql -c "SELECT count(*) FROM sessions")

arena_psql -c "CREATE TABLE bench_insert (id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id integer NOT NULL, identity text NOT NULL, input_tokens bigint NOT NULL,
	output_tokens bigint NOT NULL, cache_creation_tokens bigint NOT NULL,
	cache_read_tokens bigint NOT NULL, ended_at timestamptz NOT NULL, tool_usage jsonb NOT NULL,
	UNIQUE (user_id, identity))"
pgbench -n -h "$ARENA_RUN" -p "$ARENA_PGPORT" -U postgres -c 32 -j 2 -T "$D" -M prepared \
	-f "$ARENA_ROOT/bench/pgbench-insert.sql" arena >"$BENCH/pgbench.out" 2>&1

# simple protocol: pgbench cannot prepare this statement; PL/pgSQL
# caches the plans inside arena_ingest() either way
pgbench -n -h "$ARENA_RUN" -p "$ARENA_PGPORT" -U postgres -c 32 -j 2 -T "$D" -M simple \
	-f "$ARENA_ROOT/bench/pgbench-ingest.sql" arena >"$BENCH/pgbench-ingest.out" 2>&1

w=$(wrk_rps "$BENCH/wrk.out")
q=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$BENCH/pgbench-ingest.out" | head -1)
p=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$BENCH/pgbench.out" | head -1)
echo "ingest (wrk -t2 -c32 -d${D}s, $USERS users): $w req/s, $(sed -n 's/^p50/p50/p' "$BENCH/wrk.out"), $(sed -n 's/^not-201 //p' "$BENCH/wrk.out") not 201, $created sessions stored"
echo "pgbench single-row insert (-c32 -j2 -T$D -M prepared): $p tps"
echo "pgbench arena_ingest() directly (-c32 -j2 -T$D -M simple): $q tps"
awk -v a="$w" -v b="$p" -v c="$q" 'BEGIN {
	printf "ratio ingest/pgbench single-row insert: %.2f\n", a / b
	printf "ratio ingest/pgbench same transaction:  %.2f\n", a / c }'
