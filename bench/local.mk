# Benchmarks: run by hand, never by make check (see bench/README).
EXTRA_PROGRAMS = bench/gen-requests
bench_gen_requests_CFLAGS = $(ARENA_CFLAGS)
bench_gen_requests_LDADD = $(ARENA_LIBS)
CLEANFILES += bench/gen-requests
EXTRA_DIST += bench/lib.sh bench/status.sh bench/ingest.sh bench/ingest.lua \
	bench/pgbench-insert.sql bench/gen-requests.c
EXTRA_DIST += bench/README bench/gen-data.sql bench/gen-verify.sh bench/rankings.sh \
	bench/leaderboard.sh
