#!/bin/sh
# 1004-manners.sh -- command-line manners.  Every installed program
# answers --help and --version on stdout with status 0; a bad option is
# status 2 on stderr.  arena-admin parses with getopt_long and refuses a
# usage error (status 2) before it connects -- with no database at all;
# then, on the real stack, user rename, key list, user delete.  The
# client: hook --help prints help and records nothing, status --json and
# verify --json against the server.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
. "$top_srcdir/t/lib/cli.sh"
B=$top_builddir
ADMIN=$B/admin/arena-admin
W=$(mktemp -d /tmp/arena-manners.XXXXXX)

# --- --help and --version everywhere, with no database and no server
progs=
for e in $ARENA_ENDPOINTS; do progs="$progs cgi-bin/$e"; done
progs="$progs cron/calculate-rankings cron/cleanup-data admin/arena-admin cli/modu-arena"
for p in $progs; do
	name=${p##*/}
	out=$(env -u GATEWAY_INTERFACE DATABASE_URL="host=/nonexistent dbname=x" "$B/$p" --help 2>"$W/err"); rc=$?
	is "$rc:$(cat "$W/err")" "0:" "$name --help: status 0, nothing on stderr"
	like "$out" "usage: " "$name --help: usage on stdout"
	out=$(env DATABASE_URL="host=/nonexistent dbname=x" "$B/$p" --version 2>/dev/null); rc=$?
	is "$rc" 0 "$name --version: status 0"
	like "$out" "0.1.0" "$name --version names the version"
	env DATABASE_URL="host=/nonexistent dbname=x" "$B/$p" --no-such-option >/dev/null 2>"$W/err"
	is "$?" 2 "$name --no-such-option: status 2"
	unlike "$(cat "$W/err")" "connect" "$name: refused before any connection"
done

# --- arena-admin: usage errors before the database
noDB() { env DATABASE_URL="host=/nonexistent dbname=x" "$ADMIN" --env /dev/null "$@"; }
for args in "" "frobnicate" "user" "user add" "user add 'bad name'" "user rename a" \
	"user rename a 'b c'" "user privacy a maybe" "user delete" "key list a b" \
	"audit --limit=0" "audit --limit x" "audit --since yesterday" "audit --json --bogus" \
	"user list --limit 5" "migrate extra" "key issue" "audit --user"; do
	eval "noDB $args" >"$W/out" 2>"$W/err"
	rc=$?
	is "$rc" 2 "arena-admin $args: usage error, status 2"
	unlike "$(cat "$W/err")" "cannot connect" "arena-admin $args: refused before connecting"
	is "$(cat "$W/out")" "" "arena-admin $args: nothing on stdout"
done
noDB audit --limit=5 --json >/dev/null 2>"$W/err"
like "$(cat "$W/err")" "cannot connect" "--limit=5 is accepted (then it needs the database)"
rm -rf "$W"

# --- on the real stack
arena_up
admin user add alice >/dev/null
admin user add bob >/dev/null
KEY=$(admin key issue alice)
admin key regenerate alice >/dev/null
BOBKEY=$(admin key issue bob)

# key list: prefixes and times, never a key
out=$(admin key list --json)
is "$(printf '%s' "$out" | jq length)" 3 "key list --json: all three keys"
is "$(printf '%s' "$out" | jq -r '[.[] | select(.username == "alice")] | map(.revokedAt != null) | sort | join(",")')" \
	"false,true" "alice has one revoked key and one live one"
is "$(admin key list bob --json | jq -r '.[0].keyPrefix')" "$(printf %s "$BOBKEY" | cut -c1-19)" \
	"key list NAME: that user's prefix"
unlike "$out$(admin key list)" "$(printf %s "$BOBKEY" | cut -c21-)" "no key's secret part is printed"
is "$(admin key list --json bob | jq length)" 1 "options after or before the name"
admin key list nobody >/dev/null 2>&1
is $? 1 "key list of an unknown user: status 1"

# user rename: sessions and keys follow
out=$(admin user rename bob robert)
is "$?" 0 "user rename"
like "$out" "renamed user bob to robert" "says what it did"
is "$(admin user list --json | jq -r '[.[].username] | sort | join(",")')" "alice,robert" "the list shows the new name"
is "$(admin key list robert --json | jq -r '.[0].keyPrefix')" "$(printf %s "$BOBKEY" | cut -c1-19)" \
	"the key followed the user"
admin user rename robert alice >/dev/null 2>&1
is $? 1 "renaming onto a taken name fails (status 1)"
admin user rename nobody x >/dev/null 2>&1
is $? 1 "renaming an unknown user fails"
is "$(admin audit --event username_changed --json | jq -r '.[0].details.to')" robert "the audit log has the rename"

# the client: status --json and verify --json against this server
srv_T=$T
cli_home
trap 'cli_cleanup; T=$srv_T; arena_cleanup' EXIT
ma install --api-key "$BOBKEY" --server "$ARENA_URL" >/dev/null 2>&1
body=$(ma status --json)
is "$?" 0 "modu-arena status --json"
is "$(jv .installed):$(jv .reachable)" "true:true" "installed, server reachable"
# (200, or 503 when the status check's database budget runs out on a loaded machine)
is "$(jv .httpStatus | grep -c '^[25]0[03]$')" 1 "the status endpoint's HTTP status ($(jv .httpStatus))"
is "$(jv .apiKeyPrefix)" "$(printf %s "$BOBKEY" | cut -c1-19)" "the key's prefix, not the key"
unlike "$body" "$(printf %s "$BOBKEY" | cut -c21-)" "never the key's secret"
is "$(jv .server)" "$ARENA_URL" "the server"
body=$(ma verify --json)
is "$?" 0 "modu-arena verify --json"
is "$(jv .valid):$(jv .username)" "true:robert" "the server's answer: valid, user robert"
ma status --jsonx >/dev/null 2>&1
is $? 2 "status with a bad option: status 2"

# hook --help prints help and records nothing
out=$(printf '{"hook_event_name":"Stop","session_id":"s"}' | ma hook --help)
is "$?" 0 "hook --help: status 0"
like "$out" "usage: modu-arena hook" "hook --help prints help"
is "$(find "$STATE" -type f 2>/dev/null | grep -c spool)" 0 "and records no event"
printf '{"hook_event_name":"Stop","session_id":"s"}' | ma hook >/dev/null 2>&1
ok $([ "$(ma status --json | jq .hookEvents)" -ge 0 ] && echo 0 || echo 1) "status --json counts hook events"

# user delete (the shared deletion): the user and their keys are gone
out=$(admin user delete robert)
is "$?" 0 "user delete"
is "$(admin user list --json | jq -r '[.[].username] | join(",")')" "alice" "robert is gone"
is "$(admin key list --json | jq -r '[.[].username] | unique | join(",")')" "alice" "and so are his keys"
body=$(ma verify --json 2>/dev/null)
is "$?" 3 "the deleted user's key no longer verifies (status 3)"

done_testing
