#!/bin/sh
# 0510-cli-count.sh -- what sync counts: every rule on hand-computed
# fixtures (t/fixtures/cli/README), log roots, the upload window, and
# incremental re-reads that see appended, torn and rewritten lines.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
. "$top_srcdir/t/lib/cli.sh"
cli_home
cli_fixtures

out=$(ma sync --dry-run --json --since 2025-01-01 2>/dev/null)
ok $? "dry run on the fixtures"
is "$(printf %s "$out" | jq -S 'map(del(.sessionHash, .anonymousProjectId))')" \
	"$(jq -S . "$FIX/expected.json")" "every session equals its hand-computed summary"
is "$(printf %s "$out" | jq length)" 5 "five sessions: three Claude Code, one Codex, one Gemini"
is "$(printf %s "$out" | jsum inputTokens)" 3655 "input tokens overall"
is "$(printf %s "$out" | jsum cacheReadTokens)" 2554 "cache-read tokens overall"
s1=0a1b2c3d-0000-4000-8000-000000000001
is "$(printf %s "$out" | jq -r ".[] | select(.sessionId == \"$s1\") | .sessionHash")" \
	"$(sha256 "modu-arena:claude-code:$s1")" "sessionHash is a stable hash of tool and id"
is "$(printf %s "$out" | jq -r ".[] | select(.sessionId == \"$s1\") | .anonymousProjectId")" \
	"$(sha256 ":claude-code:-home-dev-CANARYPATH-alpha" | cut -c1-32)" \
	"anonymousProjectId hashes the project directory"
bad=$(printf %s "$out" | jq '[.[] | . as $s | select(([.slices[].inputTokens] | add) != $s.inputTokens or
	([.slices[].outputTokens] | add) != $s.outputTokens or
	([.slices[].cacheCreationTokens] | add) != $s.cacheCreationTokens or
	([.slices[].cacheReadTokens] | add) != $s.cacheReadTokens)] | length')
is "$bad" 0 "slices add up to the totals in every session"
is "$(printf %s "$out" | jq -r '.[0].slices | map(.hourStart) | join(" ")')" \
	"2025-03-10T23:00:00.000Z 2025-03-11T00:00:00.000Z" "a session crossing midnight is sliced by hour"

# the same again reads nothing and says the same
err=$(ma sync --dry-run --since 2025-01-01 2>&1 >/dev/null)
like "$err" "Read 0 bytes from 0 of 7 log files" "a re-sync of unchanged logs reads nothing"
out2=$(ma sync --dry-run --json --since 2025-01-01 2>/dev/null)
is "$out2" "$out" "and yields the same bodies"

# the server keeps 90 days: older sessions are not sent without --since
is "$(ma sync --dry-run --json 2>/dev/null)" "[]" "sessions older than the upload window are left out"

# appended lines: a new message, and a streaming rewrite of an old one
f2=$HOME/.claude/projects/-home-dev-CANARYPATH-alpha/0a1b2c3d-0000-4000-8000-000000000002.jsonl
sz=$(wc -c <"$f2")
cat >>"$f2" <<'L'
{"type":"assistant","sessionId":"0a1b2c3d-0000-4000-8000-000000000002","version":"1.0.81","message":{"id":"msg_F","model":"claude-sonnet-4-5","usage":{"input_tokens":100,"cache_creation_input_tokens":300,"cache_read_input_tokens":400,"output_tokens":250}},"requestId":"req_F","uuid":"a-0102","timestamp":"2025-03-12T10:00:30.000Z"}
{"type":"assistant","sessionId":"0a1b2c3d-0000-4000-8000-000000000002","version":"1.0.81","message":{"id":"msg_N","model":"claude-opus-4-1","usage":{"input_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}},"requestId":"req_N","uuid":"a-0103","timestamp":"2025-03-12T11:00:00.000Z"}
L
err=$(ma sync --dry-run --since 2025-01-01 2>&1 >/dev/null)
n=$(( $(wc -c <"$f2") - sz ))
like "$err" "Read $n bytes from 1 of 7 log files" "only the appended bytes are read"
s2=$(ma sync --dry-run --json --since 2025-01-01 2>/dev/null | jq -c '.[] | select(.sessionId | endswith("0002")) | [.inputTokens, .outputTokens, .endedAt, (.slices | length)]')
is "$s2" '[101,251,"2025-03-12T11:00:00.000Z",2]' "the rewrite replaced its message, the new one added"

# a line still being written is not counted until it is complete
printf '%s' '{"type":"assistant","sessionId":"0a1b2c3d-0000-4000-8000-000000000002","version":"1.0.81","message":{"id":"msg_P","model":"claude-sonnet-4-5","usage":{"input_tokens":7,"output_tokens":' >>"$f2"
s2=$(ma sync --dry-run --json --since 2025-01-01 2>/dev/null | jq -c '.[] | select(.sessionId | endswith("0002")) | .inputTokens')
is "$s2" 101 "a torn last line counts for nothing"
printf '%s\n' '7}},"requestId":"req_P","uuid":"a-0104","timestamp":"2025-03-12T11:00:01.000Z"}' >>"$f2"
s2=$(ma sync --dry-run --json --since 2025-01-01 2>/dev/null | jq -c '.[] | select(.sessionId | endswith("0002")) | .inputTokens')
is "$s2" 108 "once completed it counts, once"

# a file replaced by a rewritten copy is read again without counting twice
cp "$f2" "$f2.new" && mv "$f2.new" "$f2"
s2=$(ma sync --dry-run --json --since 2025-01-01 2>/dev/null | jq -c '.[] | select(.sessionId | endswith("0002")) | [.inputTokens, .turnCount]')
is "$s2" '[108,1]' "a replaced file is re-read and deduplicated"

# the state lost: everything is read again, with the same result
rm -f "$STATE/index.bin"
s2=$(ma sync --dry-run --json --since 2025-01-01 2>/dev/null | jq -c 'map(.inputTokens) | add')
is "$s2" 3663 "losing the store means reading everything again, same totals"

# log roots: CLAUDE_CONFIG_DIR lists several, a projects/ dir or its parent
mkdir -p "$CLI_T/other/projects/p"
cp "$FIX/claude/projects/-home-dev-beta/"*.jsonl "$CLI_T/other/projects/p/"
rm -rf "$STATE"
n=$(CLAUDE_CONFIG_DIR="$HOME/.claude/projects, $CLI_T/other" CODEX_HOME=/none GEMINI_DATA_DIR=/none \
	ma sync --dry-run --json --since 2025-01-01 2>/dev/null | jq -c 'map(.sessionId[-4:]) | sort')
is "$n" '["0001","0002","0003"]' "CLAUDE_CONFIG_DIR: a comma list, both forms, one message counted once"
rm -rf "$STATE"
mkdir -p "$XDG_CONFIG_HOME/claude/projects/q"
cp "$FIX/claude/projects/-home-dev-beta/"*.jsonl "$XDG_CONFIG_HOME/claude/projects/q/"
rm -rf "$HOME/.claude/projects/-home-dev-beta"
n=$(ma sync --dry-run --json --since 2025-01-01 2>/dev/null | jq -c '[.[] | select(.toolType == "claude-code") | .sessionId[-4:]] | sort')
is "$n" '["0001","0002","0003"]' "the default roots: ~/.config/claude/projects and ~/.claude/projects"
n=$(CLAUDE_CONFIG_DIR=$CLI_T/none ma sync --dry-run --json --since 2025-01-01 2>&1 >/dev/null)
like "$n" "no projects directory in CLAUDE_CONFIG_DIR" "an unusable CLAUDE_CONFIG_DIR is reported"

# usage errors
ma sync --since yesterday >/dev/null 2>&1
is $? 2 "a bad --since is a usage error"
ma sync --json >/dev/null 2>&1
is $? 2 "--json needs --dry-run"
ma sync >/dev/null 2>&1
is $? 3 "sync without install says so"
err=$(ma sync 2>&1)
is "$(printf "%s\n" "$err" | wc -l)" 1 "in one line"
done_testing
