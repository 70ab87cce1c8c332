#!/bin/sh
# 0520-cli-install.sh -- install and uninstall on a home with a rich
# settings.json: the key checked, the config private and atomic, the
# hooks added once, everything else kept, uninstall undoing exactly that.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
. "$top_srcdir/t/lib/cli.sh"
cli_home
capture_start
S=$HOME/.claude/settings.json
mkdir -p "$HOME/.claude"
cat >"$S" <<'J'
{
  "model": "opus",
  "cleanupPeriodDays": 90,
  "bigNumber": 12345678901234567890,
  "ratio": 1.50,
  "text": "h\u00e9llo \u2603 <tag> & \"quoted\" \\ back",
  "permissions": {"allow": ["Bash(git status:*)", "Read(~/.zshrc)"], "deny": []},
  "env": {"CLAUDE_CODE_ENABLE_TELEMETRY": "1"},
  "statusLine": {"type": "command", "command": "ccusage statusline"},
  "hooks": {
    "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "echo pre"}]}],
    "Stop": [{"hooks": [{"type": "command", "command": "notify-send done", "timeout": 5}]}]
  },
  "emptyObject": {},
  "emptyArray": []
}
J
chmod 0640 "$S"
cp "$S" "$CLI_T/original.json"

out=$(ma install --api-key "$KEY" --server "$CAP_URL")
is $? 0 "install succeeds"
like "$out" "API key accepted for tester" "the key was checked with the server"
grep -q "GET /api/v1/verify" "$CAP_LOG"
ok $? "through /api/v1/verify"
C=$XDG_CONFIG_HOME/modu-arena/config.json
is "$(stat -c %a "$XDG_CONFIG_HOME/modu-arena")" 700 "config directory is 0700"
is "$(stat -c %a "$C")" 600 "config file is 0600"
is "$(jq -r .apiKey "$C")" "$KEY" "the key is in the config"
is "$(jq -r .serverUrl "$C")" "$CAP_URL" "and the server"
is "$(ls "$XDG_CONFIG_HOME/modu-arena")" "config.json" "no temporary files left behind"
cmd="'$top_builddir/cli/modu-arena' hook"
cmd=$(jq -r '.hooks.SessionEnd[0].hooks[0].command' "$S")
like "$cmd" "modu-arena' hook" "SessionEnd runs modu-arena hook"
is "$(jq -r '.hooks.SessionEnd[0].hooks[0].timeout' "$S")" 10 "with an explicit short timeout"
is "$(jq -r '.hooks.Stop | length' "$S")" 2 "Stop keeps the user's hook and gains ours"
is "$(jq -r '.hooks.Stop[1].hooks[0].command' "$S")" "$cmd" "Stop runs the same command"
is "$(jq -S 'del(.hooks.SessionEnd) | .hooks.Stop |= .[:1]' "$S")" "$(jq -S . "$CLI_T/original.json")" \
	"every other setting is unchanged"
grep -q '"bigNumber": 12345678901234567890,' "$S"
ok $? "a number beyond 2^64 keeps its digits"
grep -q '"ratio": 1.50,' "$S"
ok $? "a number keeps its exact text"
is "$(stat -c %a "$S")" 640 "the file keeps its mode"

cp "$S" "$CLI_T/after1.json"
ma install --api-key "$KEY" --server "$CAP_URL" >/dev/null
cmp -s "$S" "$CLI_T/after1.json"
ok $? "installing again changes nothing"

ma status >"$CLI_T/status" 2>&1
like "$(cat "$CLI_T/status")" "hooks:      installed" "status sees the hooks"
like "$(cat "$CLI_T/status")" "(reachable, HTTP 200)" "status reaches the server"
unlike "$(cat "$CLI_T/status")" "$KEY" "status never prints the whole key"

out=$(ma uninstall)
is $? 0 "uninstall succeeds"
is "$(jq -S . "$S")" "$(jq -S . "$CLI_T/original.json")" "uninstall restores the settings exactly"
ok "$([ ! -e "$C" ] && [ ! -e "$XDG_CONFIG_HOME/modu-arena" ] && echo 0 || echo 1)" "the config is gone"
ok "$([ ! -e "$STATE" ] && echo 0 || echo 1)" "and the state directory"

# nothing there before: install creates, uninstall removes
rm -f "$S"
ma install --api-key "$KEY" --server "$CAP_URL" >/dev/null
ok $? "install without a settings.json"
is "$(jq -c '.hooks | keys' "$S")" '["SessionEnd","Stop"]' "creates one with our hooks"
# the user adds something afterwards: it stays
jq '.model = "sonnet"' "$S" >"$S.x" && mv "$S.x" "$S"
ma uninstall >/dev/null
is "$(jq -c . "$S")" '{"model":"sonnet"}' "uninstall leaves what the user added since"
rm -f "$S"
ma install --api-key "$KEY" --server "$CAP_URL" >/dev/null
ma uninstall >/dev/null
ok "$([ ! -e "$S" ] && echo 0 || echo 1)" "and removes a file that only held our hooks"

# refusals
printf '{"model": "opus",}\n' >"$S"
cp "$S" "$CLI_T/bad.json"
err=$(ma install --api-key "$KEY" --server "$CAP_URL" 2>&1)
is $? 1 "install refuses a settings.json that is not valid JSON"
like "$err" "not valid JSON" "and says so"
cmp -s "$S" "$CLI_T/bad.json"
ok $? "the file is untouched"
ok "$([ ! -e "$C" ] && echo 0 || echo 1)" "and no config was written"
printf '{"hooks": []}\n' >"$S"
ma install --api-key "$KEY" --server "$CAP_URL" >/dev/null 2>&1
is $? 1 "a hooks member that is not an object is refused too"
rm -f "$S"

err=$(ma install --api-key "$KEY" --server http://example.org 2>&1)
is $? 2 "plain http:// to another host is refused"
like "$err" "refusing plain http://" "with a clear message"
lines=$(grep -c . "$CAP_LOG")
ma install --api-key "$KEY" --server ftp://127.0.0.1/ >/dev/null 2>&1
is $? 2 "other schemes are refused"
err=$(ma install --api-key modu_arena_0123abcd_00000000000000000000000000000000 --server "$CAP_URL" 2>&1)
is $? 3 "a key the server refuses fails with exit code 3"
like "$err" "refused the API key" "and says so in one line"
ma install --api-key nonsense --server "$CAP_URL" >/dev/null 2>&1
is $? 2 "something that is not a key is a usage error"
MODU_ARENA_API_URL=$CAP_URL ma install --api-key "$KEY" >/dev/null
is $? 0 "MODU_ARENA_API_URL is the server when --server is not given"
is "$(jq -r .serverUrl "$C")" "$CAP_URL" "and is remembered"
kill "$CAP_PID"; wait "$CAP_PID" 2>/dev/null; CAP_PID=
err=$(ma install --api-key "$KEY" --server "$CAP_URL" 2>&1)
is $? 4 "an unreachable server is exit code 4"
ma uninstall >/dev/null

ma --version | grep -q '^modu-arena [0-9]'
ok $? "--version"
ma --help | grep -q 'sync'
ok $? "--help lists the commands"
ma frobnicate >/dev/null 2>&1
is $? 2 "an unknown command is a usage error"
done_testing
