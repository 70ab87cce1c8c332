# cli.sh -- helpers for the command-line client's shell tests.
#
#	. "$top_srcdir/t/lib/harness.sh"
#	. "$top_srcdir/t/lib/cli.sh"
#	cli_home            # a private HOME, XDG dirs and log roots
#	ma sync --dry-run   # runs the built modu-arena there
#	capture_start       # a stand-in server: $CAP_URL, $CAP_LOG, $CAP_ACCEPTED

FIX=$top_srcdir/t/fixtures/cli
MA=$top_builddir/cli/modu-arena
KEY=modu_arena_0123abcd_0123456789abcdef0123456789abcdef

CLI_T=
CAP_PID=
cli_cleanup() {
	[ -n "$CAP_PID" ] && kill "$CAP_PID" 2>/dev/null && wait "$CAP_PID" 2>/dev/null
	[ -n "$CLI_T" ] && [ -z "${ARENA_KEEP:-}" ] && rm -rf "$CLI_T"
	return 0
}

# A fresh, empty home with everything the client looks at inside it.
cli_home() {
	command -v jq >/dev/null || skip_all "jq not installed"
	CLI_T=$(mktemp -d /tmp/arena-cli.XXXXXX)
	trap cli_cleanup EXIT
	trap 'exit 1' INT TERM
	HOME=$CLI_T/home
	XDG_CONFIG_HOME=$HOME/.config
	XDG_STATE_HOME=$HOME/.local/state
	mkdir -p "$HOME"
	export HOME XDG_CONFIG_HOME XDG_STATE_HOME
	unset CLAUDE_CONFIG_DIR CODEX_HOME GEMINI_DATA_DIR MODU_ARENA_API_URL
	unset OPENCODE_DATA_DIR CRUSH_DATA_DIRS XDG_DATA_HOME XDG_RUNTIME_DIR
	STATE=$XDG_STATE_HOME/modu-arena
	cli_standins
}

# Stand-ins for crontab(1) and systemctl(1), first on PATH, so that
# install never touches the real user's crontab or systemd instance:
# crontab keeps its table in $CRON_TAB and both log their arguments
# (one call a line) in $CLI_T/crontab.log and $CLI_T/systemctl.log.
cli_standins() {
	mkdir -p "$CLI_T/bin"
	CRON_TAB=$CLI_T/crontab.table
	cat >"$CLI_T/bin/crontab" <<EOF2
#!/bin/sh
echo "\$*" >>"$CLI_T/crontab.log"
case "\$1" in
-l) [ -f "$CRON_TAB" ] || { echo "no crontab for \$(id -un)" >&2; exit 1; }
    cat "$CRON_TAB" ;;
-)  cat >"$CRON_TAB.new" && mv "$CRON_TAB.new" "$CRON_TAB" ;;
*)  exit 2 ;;
esac
EOF2
	cat >"$CLI_T/bin/systemctl" <<EOF2
#!/bin/sh
echo "\$*" >>"$CLI_T/systemctl.log"
EOF2
	chmod +x "$CLI_T/bin/crontab" "$CLI_T/bin/systemctl"
	PATH=$CLI_T/bin:$PATH
	export PATH
}

# Copies the fixture trees into the home, where the tools keep them.
cli_fixtures() {
	mkdir -p "$HOME/.claude" "$HOME/.codex" "$HOME/.gemini"
	cp -R "$FIX/claude/projects" "$HOME/.claude/"
	cp -R "$FIX/codex/sessions" "$HOME/.codex/"
	cp -R "$FIX/gemini/tmp" "$HOME/.gemini/"
}

ma() { "$MA" "$@"; }

sha256() { printf '%s' "$1" | sha256sum | cut -c1-64; }

# Starts the stand-in server; $1 = the API key it accepts.
capture_start() {
	CAP_LOG=$CLI_T/capture.log
	CAP_ACCEPTED=$CLI_T/accepted.jsonl
	CAP_MODE=$CLI_T/mode
	: >"$CAP_MODE"
	rm -f "$CLI_T/port"
	"$top_builddir/t/capture-server" --port-file "$CLI_T/port" --log "$CAP_LOG" \
		--accepted "$CAP_ACCEPTED" --mode-file "$CAP_MODE" --key "${1:-$KEY}" &
	CAP_PID=$!
	i=0
	while [ ! -s "$CLI_T/port" ]; do
		i=$((i + 1))
		[ $i -gt 200 ] && { echo "Bail out! capture server did not start"; exit 1; }
		sleep 0.02
	done
	CAP_URL=http://127.0.0.1:$(cat "$CLI_T/port")
}

capture_mode() { printf '%s\n' "$1" >"$CAP_MODE"; }

# The latest accepted body of each session, as a JSON array.
accepted_latest() {
	[ -s "$CAP_ACCEPTED" ] || { echo '[]'; return; }
	jq -s 'group_by(.toolType + ":" + .sessionId) | map(last)' "$CAP_ACCEPTED"
}

# Transcript lines with times relative to now ($1 = seconds ago).
iso_ago() { date -u -d "@$(( $(date +%s) - $1 ))" +%Y-%m-%dT%H:%M:%S.000Z; }

# cc_user FILE SESSION UUID SECONDS_AGO TEXT
cc_user() {
	printf '{"type":"user","sessionId":"%s","version":"1.0.90","cwd":"/home/dev/CANARYPATH","message":{"role":"user","content":"%s"},"uuid":"%s","timestamp":"%s"}\n' \
		"$2" "$5" "$3" "$(iso_ago "$4")" >>"$1"
}

# cc_asst FILE SESSION MSG REQ SECONDS_AGO IN OUT CC CR [TOOL_ID TOOL_NAME]
cc_asst() {
	content='[{"type":"text","text":"CANARY_ANSWER"}]'
	[ -n "${10:-}" ] && content='[{"type":"tool_use","id":"'${10}'","name":"'${11}'","input":{"command":"CANARY_CMD /home/dev/CANARYPATH"}}]'
	printf '{"type":"assistant","sessionId":"%s","version":"1.0.90","cwd":"/home/dev/CANARYPATH","message":{"id":"%s","role":"assistant","model":"claude-sonnet-4-5","content":%s,"usage":{"input_tokens":%s,"output_tokens":%s,"cache_creation_input_tokens":%s,"cache_read_input_tokens":%s}},"requestId":"%s","uuid":"%s-%s","timestamp":"%s"}\n' \
		"$2" "$3" "$content" "$6" "$7" "$8" "$9" "$4" "$3" "$4" "$(iso_ago "$5")" >>"$1"
}

# Sum of a token field over the sessions of a JSON array on stdin.
jsum() { jq "map(.$1) | add // 0"; }
