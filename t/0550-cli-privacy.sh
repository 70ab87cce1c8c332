#!/bin/sh
# 0550-cli-privacy.sh -- only numbers leave the machine.  Every byte the
# client sends (install, sync, status, rank, verify) is captured by a
# stand-in server; the fixtures are full of CANARY strings in prompts,
# code, paths, tool inputs and outputs, and none may appear.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
. "$top_srcdir/t/lib/cli.sh"
cli_home
cli_fixtures
capture_start
ma install --api-key "$KEY" --server "$CAP_URL" >/dev/null
sid=c4a40000-0000-4000-8000-000000000001
P=$HOME/.claude/projects/-home-dev-CANARYPATH-secretproject
mkdir -p "$P"
cc_user "$P/$sid.jsonl" $sid u1 300 "CANARY_PROMPT my password is hunter2"
cc_asst "$P/$sid.jsonl" $sid m1 r1 290 5 6 7 8 toolu_1 Bash
printf '{"session_id":"%s","transcript_path":"%s/%s.jsonl","hook_event_name":"SessionEnd","prompt":"CANARY_HOOK"}' \
	$sid "$P" $sid | ma hook
sleep 0.5
ma sync --since 2025-01-01 --quiet
ok $? "sync of every fixture"
ma status >/dev/null
ma rank >/dev/null
ma verify >/dev/null
n=$(grep -c "sessionId" "$CAP_LOG")
ok "$([ "$n" -ge 1 ] && echo 0 || echo 1)" "the capture holds the uploads"
is "$(jq -s 'map(.sessionId) | unique | length' "$CAP_ACCEPTED")" 6 "all six sessions were sent"
for canary in CANARY CANARYPATH hunter2 /home/dev secret.c secret.rs NEW_CANARY "$HOME" \
		-home-dev- abc123hash gpt-5-codex:/ .jsonl transcript; do
	c=$(grep -c -F -- "$canary" "$CAP_LOG")
	is "$c" 0 "nothing sent contains '$canary'"
done
bytes=$(wc -c <"$CAP_LOG")
echo "# $bytes bytes captured"
# what a body may hold: only the documented fields
keys=$(jq -s -c '[.[] | keys[]] | unique' "$CAP_ACCEPTED")
is "$keys" '["anonymousProjectId","cacheCreationTokens","cacheReadTokens","codeMetrics","durationSeconds","endedAt","inputTokens","modelName","modelUsage","outputTokens","sessionHash","sessionId","slices","startedAt","toolType","toolUsage","turnCount"]' \
	"bodies hold only the documented fields"
done_testing
