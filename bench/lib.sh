# lib.sh -- a private stack for benchmarks (built on script/lib.sh).
# Sets BENCH (state dir), ARENA_URL, DATABASE_URL; stops it all on exit.
ARENA_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ARENA_ROOT/script/lib.sh"
BUILD=${ARENA_BUILD:-$ARENA_ROOT/_build}
ARENA_EXTRA_PACKAGES="wrk"

bench_up() {
	# a benchmark from one address and a few users is one big flood to the
	# rate limiter; its own cost is measured by bench/ratelimit.sh
	: "${ARENA_RATE_LIMIT_API:=0}" "${ARENA_RATE_LIMIT_AUTH:=0}" "${ARENA_RATE_LIMIT_PUBLIC:=0}"
	export ARENA_RATE_LIMIT_API ARENA_RATE_LIMIT_AUTH ARENA_RATE_LIMIT_PUBLIC
	arena_deps
	arena_build "$BUILD"
	BENCH=$(mktemp -d /tmp/arena-bench.XXXXXX)
	trap bench_down EXIT
	trap 'exit 1' INT TERM
	arena_stack_up "$BENCH" "$BUILD"
	head -c "${STATIC_BYTES:-300}" /dev/zero | tr '\0' 'x' >"$BENCH/nginx/html/static.json"
}

bench_down() {
	arena_stop_all
	case ${ARENA_RUN:-} in /tmp/arena-run-*) rm -rf "$ARENA_RUN" ;; esac
	rm -rf "$BENCH"
}

# wrk_rps OUTPUT: the Requests/sec figure of a wrk run's output
wrk_rps() { sed -n 's/^Requests\/sec: *//p' "$1"; }
