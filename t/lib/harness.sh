# harness.sh -- TAP helpers and a private server stack for shell tests.
#
#	. "$top_srcdir/t/lib/harness.sh"
#	arena_up            # PostgreSQL + pools + nginx, stopped on exit
#	req GET /api/v1/status            # sets $code, $body, $headers
#	is "$code" 200 "status answers"
#	done_testing

: "${top_srcdir:?run through make check, or set top_srcdir}"
: "${top_builddir:=$top_srcdir/_build}"
export top_srcdir top_builddir
ARENA_ROOT=$top_srcdir
. "$top_srcdir/script/lib.sh" || { echo "Bail out! cannot read script/lib.sh"; exit 1; }

tap_n=0
tap_fail=0

ok() {		# ok CONDITION-STATUS NAME
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_fail=$((tap_fail + 1))
	fi
}

is() {		# is GOT WANT NAME
	tap_n=$((tap_n + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $tap_n - $3"
	else
		echo "not ok $tap_n - $3"
		echo "#   got:  '$1'"
		echo "#   want: '$2'"
		tap_fail=$((tap_fail + 1))
	fi
}

like() {	# like GOT SUBSTRING NAME
	case $1 in
	*"$2"*) ok 0 "$3" ;;
	*) ok 1 "$3"; echo "#   '$1'"; echo "#   does not contain '$2'" ;;
	esac
}

unlike() {
	case $1 in
	*"$2"*) ok 1 "$3"; echo "#   '$1' contains '$2'" ;;
	*) ok 0 "$3" ;;
	esac
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

done_testing() {
	echo "1..$tap_n"
	[ $tap_fail = 0 ]
}

# The JSON value at a jq path of $body (jq is a test dependency).
jv() { printf '%s' "$body" | jq -r "$1" 2>/dev/null; }

T=
ARENA_INSTANCES=
arena_cleanup() {
	[ -n "$T" ] || return 0
	for i in $ARENA_INSTANCES; do arena_instance_stop "$i"; done
	arena_stop_all
	[ -n "${ARENA_RUN:-}" ] && case $ARENA_RUN in /tmp/arena-run-*) rm -rf "$ARENA_RUN" ;; esac
	[ -n "${ARENA_KEEP:-}" ] || rm -rf "$T"
}

# Starts a private stack under a fresh temporary directory.
arena_up() {
	command -v nginx >/dev/null || skip_all "nginx not installed"
	[ -d /usr/lib/postgresql ] || skip_all "PostgreSQL not installed"
	command -v jq >/dev/null || skip_all "jq not installed"
	T=$(mktemp -d /tmp/arena-t.XXXXXX)
	trap arena_cleanup EXIT
	trap 'exit 1' INT TERM
	ARENA_PG_FSYNC=off
	# the seed's quotas would turn the functional tests' bursts into 429s;
	# the tests of the limits themselves set the quotas they check
	: "${ARENA_RATE_LIMIT_API:=10000}" "${ARENA_RATE_LIMIT_AUTH:=10000}"
	: "${ARENA_RATE_LIMIT_PUBLIC:=10000}" "${ARENA_RATE_LIMIT_SENSITIVE:=10000}"
	export ARENA_RATE_LIMIT_API ARENA_RATE_LIMIT_AUTH ARENA_RATE_LIMIT_PUBLIC ARENA_RATE_LIMIT_SENSITIVE
	ARENA_SCHEMA_DIR=$top_srcdir/schema
	export ARENA_SCHEMA_DIR
	arena_stack_up "$T" "$top_builddir"
}

# Starts a second app instance (pools + nginx) on the same database, as
# another app host would be; sets ARENA_URL_B.  Variables given as
# NAME=value arguments apply to that instance only.
arena_up_second() {
	dir=$T/second
	env "$@" sh -c '. "$top_srcdir/script/lib.sh"; ARENA_ROOT=$top_srcdir; arena_instance_start "$1" "$2"' \
		sh "$dir" "$top_builddir/cgi-bin" || arena_die "second instance did not start"
	ARENA_INSTANCES="$ARENA_INSTANCES $dir"
	ARENA_URL_B=$(cat "$dir/url")
}

admin() { "$top_builddir/admin/arena-admin" "$@"; }

# req METHOD PATH [curl args...]: sets code, body, headers.
req() {
	m=$1 p=$2
	shift 2
	hdr=$T/resp.headers
	body=$(curl -s -X "$m" -D "$hdr" -o - -w '\n%{http_code}' "$@" "$ARENA_URL$p")
	code=${body##*
}
	body=${body%
*}
	headers=$(tr -d '\r' <"$hdr")
}

# The value of a response header from the last req.
header() { printf '%s\n' "$headers" | sed -n "s/^$1: //Ip" | head -1; }

# post PATH FILE [curl args...]: a signed POST of FILE's bytes with $KEY,
# stamped now (or $TS).  Sets code, body, headers like req.
post() {
	pp=$1 pf=$2
	shift 2
	pts=${TS:-$(date +%s)}
	LAST_TS=$pts
	psig=$("$top_builddir/t/arena-sign" "$KEY" "$pts" <"$pf")
	req POST "$pp" -H 'Content-Type: application/json' -H "X-API-Key: $KEY" \
		-H "X-Timestamp: $pts" -H "X-Signature: $psig" --data-binary @"$pf" "$@"
}

# A fingerprint of everything ingestion stores (audit log excluded).
stored() {
	arena_psql -c "SELECT md5(
		coalesce((SELECT string_agg(s::text, '|' ORDER BY id) FROM sessions s), '') ||
		coalesce((SELECT string_agg(t::text, '|' ORDER BY session_id, hour_start) FROM token_usage t), '') ||
		coalesce((SELECT string_agg(d::text, '|' ORDER BY user_id, day, flagged) FROM daily_aggregates d), '') ||
		coalesce((SELECT string_agg(m::text, '|' ORDER BY user_id, month, flagged) FROM monthly_aggregates m), '') ||
		coalesce((SELECT string_agg(u::text, '|' ORDER BY user_id, flagged) FROM user_totals u), ''))"
}
