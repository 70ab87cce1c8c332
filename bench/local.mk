# Benchmarks: built on demand (make bench/cli-gen), never timed tests.
EXTRA_PROGRAMS = bench/cli-gen
bench_cli_gen_SOURCES = bench/cli-gen.c
bench_cli_gen_CFLAGS = $(AM_CFLAGS) -O2
CLEANFILES += bench/cli-gen
EXTRA_DIST += bench/cli-sync.sh
