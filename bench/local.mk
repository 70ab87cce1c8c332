# Benchmarks: built on demand (make bench/NAME), never timed tests.
EXTRA_PROGRAMS = bench/gen-requests bench/cli-gen
bench_gen_requests_CFLAGS = $(ARENA_CFLAGS)
bench_gen_requests_LDADD = $(ARENA_LIBS)
bench_cli_gen_SOURCES = bench/cli-gen.c
bench_cli_gen_CFLAGS = $(AM_CFLAGS) -O2
CLEANFILES += bench/gen-requests bench/cli-gen
EXTRA_DIST += bench/lib.sh bench/status.sh bench/ingest.sh bench/ingest.lua \
	bench/pgbench-insert.sql bench/pgbench-ingest.sql bench/gen-requests.c bench/cli-sync.sh
EXTRA_DIST += bench/ratelimit.sh bench/xff.lua
EXTRA_DIST += bench/README bench/gen-data.sql bench/gen-verify.sh bench/rankings.sh \
	bench/leaderboard.sh bench/pages.sh bench/users.lua
