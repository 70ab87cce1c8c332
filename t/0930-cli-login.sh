#!/bin/sh
# modu-arena login end to end: the client asks the real stack for a code,
# a signed-in browser approves it on /device, the client gets its key and
# sets itself up exactly as install --api-key does.
. "$top_srcdir/t/lib/harness.sh"
. "$top_srcdir/t/lib/accounts.sh"
. "$top_srcdir/t/lib/cli.sh"
ARENA_DEVICE_POLL_SECONDS=1
export ARENA_DEVICE_POLL_SECONDS
accounts_up
cli_home
# both helpers set an EXIT trap: stop the stack, the stand-in and the home
trap 'kill $GH_PID 2>/dev/null; cli_cleanup; arena_cleanup' EXIT
unset DISPLAY WAYLAND_DISPLAY

# login_run: starts the client in the background; sets LOGIN_PID, OUT
login_run() {
	OUT=$CLI_T/login.out
	: >"$OUT"
	ma login --server "$ARENA_URL" --no-browser "$@" >"$OUT" 2>"$CLI_T/login.err" &
	LOGIN_PID=$!
	i=0
	until grep -q 'enter the code' "$OUT"; do
		i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.1
	done
	UC=$(sed -n 's/^and enter the code \(.*\)$/\1/p' "$OUT")
}

login_run
like "$(cat "$OUT")" "open $ARENA_URL/device" "login prints the address"
ok "$(printf %s "$UC" | grep -Eq '^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$'; echo $?)" \
	"and the code to type there"
is "$(arena_psql -c "SELECT device_name IS NOT NULL FROM device_codes")" t "the request names this machine"

signin
me POST /device -H "Origin: $ARENA_URL" --data-urlencode "csrf=$CSRF" --data-urlencode "user_code=$UC" \
	--data-urlencode action=approve
is "$code" 200 "the browser approves the code"
wait $LOGIN_PID
is "$?" 0 "login finishes once approved"
like "$(cat "$OUT")" "Signed in as octo-test." "and says who"
like "$(cat "$OUT")" "Configuration written to" "then configures itself as install does"
cfg=$XDG_CONFIG_HOME/modu-arena/config.json
ok "$([ -n "$cfg" ]; echo $?)" "a configuration file exists"
KEY=$(jq -r .apiKey "$cfg")
ok "$(printf %s "$KEY" | grep -Eq '^modu_arena_[0-9a-f]{8}_[0-9a-f]{32}$'; echo $?)" "holding the new key"
is "$(stat -c %a "$cfg")" 600 "readable by its owner only"
like "$(cat "$HOME/.claude/settings.json" 2>/dev/null)" "hook" "the Claude Code hooks are registered"
ma verify >"$CLI_T/verify.out" 2>&1
is "$?" 0 "modu-arena verify accepts the key"
req GET /api/v1/verify -H "X-API-Key: $KEY"
is "$(jv .username)" octo-test "the key belongs to the approving user"
unlike "$(cat "$T/log/"*.log "$T/nginx/error.log" 2>/dev/null)" "$KEY" "the key is in no log (so in no URL)"

# denied on the site: login fails, nothing configured anew
rm -f "$cfg"
login_run
me POST /device -H "Origin: $ARENA_URL" --data-urlencode "csrf=$CSRF" --data-urlencode "user_code=$UC" \
	--data-urlencode action=deny
wait $LOGIN_PID
is "$?" 3 "a denied login exits 3"
like "$(cat "$CLI_T/login.err")" "denied" "and says so"
ok "$([ ! -e "$cfg" ]; echo $?)" "no configuration written"

# a server without the device flow
ma login --server "http://127.0.0.1:1" --no-browser >/dev/null 2>"$CLI_T/err"
is "$?" 4 "an unreachable server: exit 4"

done_testing
