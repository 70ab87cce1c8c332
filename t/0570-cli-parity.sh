#!/bin/sh
# 0570-cli-parity.sh -- per-day totals of Codex, Gemini CLI and OpenCode
# logs equal ccusage's on the same files (its answers are kept in
# t/fixtures/parity, see the README there).
#
# One difference is on purpose: reasoning tokens.  ccusage counts them in
# its total and prices them as output, but for Gemini CLI (thoughts) and
# OpenCode (reasoning) its outputTokens column leaves them out; we add
# them to output, since the server has no reasoning column and prices
# output.  So for those two, input and both caches must be equal, our
# output must be ccusage's output plus the reasoning, and our total
# (input + output + caches) must equal ccusage's totalTokens.  Codex
# already counts reasoning inside output: there every column is equal.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
. "$top_srcdir/t/lib/cli.sh"
cli_home
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
PAR=$top_srcdir/t/fixtures/parity
mkdir -p "$HOME/.codex" "$HOME/.gemini" "$HOME/.local/share/opencode"
cp -R "$PAR/codex/sessions" "$HOME/.codex/"
cp -R "$PAR/gemini/tmp" "$HOME/.gemini/"
sqlite3 "$HOME/.local/share/opencode/opencode.db" <"$PAR/opencode/opencode.sql"

out=$(ma sync --dry-run --json --since 2025-01-01 2>/dev/null)
ok $? "dry run over the three tools"

# ours: per tool and UTC day, from the hourly slices of every session
days() {
	printf '%s' "$out" | jq -S --arg t "$1" '[.[] | select(.toolType == $t) | .slices[]] |
		group_by(.hourStart[0:10]) | map({date: .[0].hourStart[0:10],
		inputTokens: (map(.inputTokens) | add), outputTokens: (map(.outputTokens) | add),
		cacheReadTokens: (map(.cacheReadTokens) | add),
		cacheCreationTokens: (map(.cacheCreationTokens) | add)})'
}
theirs() { jq -S '.daily | sort_by(.date)' "$PAR/ccusage-$1.json"; }

for t in codex gemini opencode; do
	mine=$(days "$t")
	ref=$(theirs "$t")
	is "$(printf %s "$mine" | jq -c 'map(.date)')" "$(printf %s "$ref" | jq -c 'map(.date)')" \
		"$t: the same days as ccusage"
	for f in inputTokens cacheReadTokens cacheCreationTokens; do
		is "$(printf %s "$mine" | jq -c "map(.$f)")" "$(printf %s "$ref" | jq -c "map(.$f)")" \
			"$t: $f per day equal ccusage's"
	done
	is "$(printf %s "$mine" | jq -c 'map(.inputTokens + .outputTokens + .cacheReadTokens + .cacheCreationTokens)')" \
		"$(printf %s "$ref" | jq -c 'map(.totalTokens)')" "$t: total tokens per day equal ccusage's"
done
is "$(days codex | jq -c 'map(.outputTokens)')" "$(theirs codex | jq -c 'map(.outputTokens)')" \
	"codex: output per day equals ccusage's (reasoning is inside it)"
# the reasoning in the fixtures, by day: Gemini 50 and 250, OpenCode 50 and 256
is "$(days gemini | jq -c 'map(.outputTokens)')" \
	"$(theirs gemini | jq -c 'map(.outputTokens) | [.[0] + 50, .[1] + 250]')" \
	"gemini: output is ccusage's output plus the thoughts"
is "$(days opencode | jq -c 'map(.outputTokens)')" \
	"$(theirs opencode | jq -c 'map(.outputTokens) | [.[0] + 50, .[1] + 256]')" \
	"opencode: output is ccusage's output plus the reasoning"
is "$(printf %s "$out" | jq -c '[.[] | select(.toolType == "opencode") | .sessionId] | sort')" \
	'["ses_oc1","ses_oc2"]' "opencode: a sub-agent session is its own session"
is "$(printf %s "$out" | jq -c '.[] | select(.sessionId == "ses_oc1") | [.turnCount, .startedAt, .endedAt]')" \
	'[2,"2025-03-11T00:00:00.000Z","2025-03-12T00:02:00.000Z"]' \
	"opencode: user messages are turns; the span runs from the first to the last message"
done_testing
