# lib.sh -- a private stack for benchmarks (built on script/lib.sh).
# Sets BENCH (state dir), ARENA_URL, DATABASE_URL; stops it all on exit.
ARENA_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ARENA_ROOT/script/lib.sh"
BUILD=${ARENA_BUILD:-$ARENA_ROOT/_build}
ARENA_EXTRA_PACKAGES="wrk"

bench_up() {
	arena_deps
	arena_build "$BUILD"
	BENCH=$(mktemp -d /tmp/arena-bench.XXXXXX)
	trap bench_down EXIT
	trap 'exit 1' INT TERM
	arena_state_init "$BENCH"
	ARENA_PGPORT=$(arena_free_port)
	ARENA_PORT=$(arena_free_port)
	arena_pg_start
	ARENA_SCHEMA_DIR=$ARENA_ROOT/schema "$BUILD/admin/arena-admin" migrate >/dev/null
	arena_pools_start "$BUILD/cgi-bin"
	arena_nginx_start || arena_die "nginx did not start"
	head -c "${STATIC_BYTES:-300}" /dev/zero | tr '\0' 'x' >"$BENCH/nginx/html/static.json"
}

bench_down() {
	arena_stop_all
	case ${ARENA_RUN:-} in /tmp/arena-run-*) rm -rf "$ARENA_RUN" ;; esac
	rm -rf "$BENCH"
}

# wrk_rps OUTPUT: the Requests/sec figure of a wrk run's output
wrk_rps() { sed -n 's/^Requests\/sec: *//p' "$1"; }
