# Benchmarks: run by hand, never by make check (see bench/README).
EXTRA_DIST += bench/README bench/gen-data.sql bench/gen-verify.sh bench/rankings.sh \
	bench/leaderboard.sh
