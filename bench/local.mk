EXTRA_PROGRAMS = bench/gen-requests
bench_gen_requests_CFLAGS = $(ARENA_CFLAGS)
bench_gen_requests_LDADD = $(ARENA_LIBS)
CLEANFILES += bench/gen-requests
EXTRA_DIST += bench/lib.sh bench/status.sh bench/ingest.sh bench/ingest.lua \
	bench/pgbench-insert.sql bench/gen-requests.c
