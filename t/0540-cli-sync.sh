#!/bin/sh
# 0540-cli-sync.sh -- uploads against a stand-in server that keeps the
# ingestion contract: signed batches, nothing re-sent when nothing
# changed, an offline queue that loses nothing (down, 503, 429 with
# Retry-After), and a hook firing after every turn that ends with exactly
# the right totals on the server.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
. "$top_srcdir/t/lib/cli.sh"
cli_home
capture_start
ma install --api-key "$KEY" --server "$CAP_URL" >/dev/null
ok $? "installed"
P=$HOME/.claude/projects/-home-dev-CANARYPATH
mkdir -p "$P"
sa=5a000000-0000-4000-8000-00000000000a
sb=5a000000-0000-4000-8000-00000000000b
sc=5a000000-0000-4000-8000-00000000000c
cc_user "$P/$sa.jsonl" $sa ua1 3000 "CANARY_PROMPT a"
cc_asst "$P/$sa.jsonl" $sa ma1 ra1 2990 100 10 1000 5000 toolu_a1 Read
cc_user "$P/$sb.jsonl" $sb ub1 2000 "CANARY_PROMPT b"
cc_asst "$P/$sb.jsonl" $sb mb1 rb1 1990 200 20 2000 6000
cc_user "$P/$sc.jsonl" $sc uc1 1000 "CANARY_PROMPT c"
cc_asst "$P/$sc.jsonl" $sc mc1 rc1 990 300 30 3000 7000

posts() { grep -c "^POST /api/v1/sessions/batch" "$CAP_LOG" 2>/dev/null || echo 0; }
want=$(ma sync --dry-run --json 2>/dev/null | jq -c 'sort_by(.sessionId) | map([.sessionId, .inputTokens, .outputTokens, .cacheCreationTokens, .cacheReadTokens])')

ma sync --quiet
is $? 0 "sync uploads"
is "$(posts)" 1 "three sessions in one signed batch"
got=$(accepted_latest | jq -c 'sort_by(.sessionId) | map([.sessionId, .inputTokens, .outputTokens, .cacheCreationTokens, .cacheReadTokens])')
is "$got" "$want" "the server holds exactly what the dry run showed"
like "$(cat "$CAP_LOG")" "Authorization: MODU-HMAC-SHA256 KeyId=" "requests are signed with v2"
unlike "$(cat "$CAP_LOG")" "$KEY" "the API key itself is never sent"
like "$(cat "$CAP_LOG")" "Content-Type: application/json" "as JSON"

out=$(ma sync 2>&1)
is $? 0 "a second sync"
like "$out" "Everything is up to date" "finds nothing to do"
is "$(posts)" 1 "and sends nothing"

# offline: the server answers 503; a turn is added and a session begins
capture_mode 503
cc_asst "$P/$sa.jsonl" $sa ma2 ra2 500 1 2 3 4
sd=5a000000-0000-4000-8000-00000000000d
cc_asst "$P/$sd.jsonl" $sd md1 rd1 400 7 7 7 7
err=$(ma sync 2>&1)
is $? 4 "a 503 is exit code 4"
like "$err" "will retry later" "said in one line"
like "$(ma status)" "queue:      2 sessions to upload" "status shows what is queued"
# down altogether
kill "$CAP_PID"; wait "$CAP_PID" 2>/dev/null; CAP_PID=
err=$(ma sync 2>&1)
is $? 4 "a server that is down is exit code 4 too"
like "$err" "cannot reach" "and says it cannot reach it"
like "$(ma status)" "2 sessions to upload" "still queued"
# back up (a new process: it forgets what it held, the client does not)
port=${CAP_URL##*:}
mv "$CAP_ACCEPTED" "$CLI_T/accepted.before"
capture_start
sed -i "s|\"serverUrl\": *\"[^\"]*\"|\"serverUrl\":\"$CAP_URL\"|" "$XDG_CONFIG_HOME/modu-arena/config.json"
ma sync --quiet
is $? 0 "the next sync, server up, succeeds"
is "$(accepted_latest | jq -c 'map(.sessionId[-1:]) | sort')" '["a","d"]' "exactly the two queued sessions arrive"
is "$(accepted_latest | jq -c '.[] | select(.sessionId | endswith("a")) | [.inputTokens, .outputTokens]')" \
	"[101,12]" "with their cumulative totals"
like "$(ma status)" "0 sessions to upload" "the queue is empty"

# 429 with Retry-After: stop, wait as told, then go on
capture_mode 429
cc_asst "$P/$sb.jsonl" $sb mb2 rb2 300 5 5 5 5
n=$(grep -c . "$CAP_LOG")
ma sync >/dev/null 2>&1
is $? 4 "429 is exit code 4"
n2=$(grep -c "^POST" "$CAP_LOG")
ma sync >/dev/null 2>&1
is $? 4 "right after, the client waits as the server asked"
is "$(grep -c "^POST" "$CAP_LOG")" "$n2" "without sending anything"
capture_mode ""
sleep 1.1
ma sync --quiet
is $? 0 "after Retry-After it uploads"
is "$(accepted_latest | jq -c '.[] | select(.sessionId | endswith("b")) | .inputTokens')" 205 "the queued change arrived"

# a key the server refuses: exit 3, nothing lost
cc_asst "$P/$sc.jsonl" $sc mc2 rc2 200 1 1 1 1
capture_mode 401
ma sync >/dev/null 2>&1
is $? 3 "a refused key is exit code 3"
capture_mode ""
ma sync --quiet
is "$(accepted_latest | jq -c '.[] | select(.sessionId | endswith("c")) | .inputTokens')" 301 "and the change is still sent later"

# per-turn cumulative scenario: the Stop hook fires after each of 12 turns
se=5a000000-0000-4000-8000-00000000000e
F=$P/$se.jsonl
tin=0 tout=0 tcc=0 tcr=0
for t in 1 2 3 4 5 6 7 8 9 10 11 12; do
	ago=$((1200 - t * 60))
	cc_user "$F" $se "ue$t" $ago "CANARY_PROMPT turn $t"
	# streaming writes the message twice, the second with the final output
	cc_asst "$F" $se "me$t" "re$t" $ago $((t * 10)) 1 $((t * 100)) $((t * 1000))
	cc_asst "$F" $se "me$t" "re$t" $ago $((t * 10)) $((t * 3)) $((t * 100)) $((t * 1000)) "toolu_e$t" Bash
	tin=$((tin + t * 10)); tout=$((tout + t * 3)); tcc=$((tcc + t * 100)); tcr=$((tcr + t * 1000))
	printf '{"session_id":"%s","transcript_path":"%s","hook_event_name":"Stop"}' $se "$F" | ma hook
	# let that turn's background sync finish before the next turn
	i=0
	while [ $i -lt 100 ] && { [ -s "$STATE/spool.jsonl" ] || ! flock -n "$STATE/lock" true; }; do
		sleep 0.05; i=$((i + 1))
	done
done
printf '{"session_id":"%s","transcript_path":"%s","hook_event_name":"SessionEnd","reason":"other"}' $se "$F" | ma hook
sleep 0.5
i=0
while [ $i -lt 100 ] && ! flock -n "$STATE/lock" true; do sleep 0.05; i=$((i + 1)); done
ma sync --quiet
got=$(accepted_latest | jq -c ".[] | select(.sessionId == \"$se\") | [.inputTokens, .outputTokens, .cacheCreationTokens, .cacheReadTokens, .turnCount, .toolUsage.Bash]")
is "$got" "[$tin,$tout,$tcc,$tcr,12,12]" "after 12 turns the server holds exactly the session's totals"
is "$(grep -c "\"sessionId\":\"$se\"" "$CAP_ACCEPTED")" \
	"$(grep "\"sessionId\":\"$se\"" "$CAP_ACCEPTED" | sort -u | wc -l)" "each upload of it was a new cumulative state"
ok "$([ "$(grep -c "\"sessionId\":\"$se\"" "$CAP_ACCEPTED")" -ge 2 ] && echo 0 || echo 1)" "it was updated along the way"

# verify, rank
out=$(ma verify)
is $? 0 "verify"
like "$out" "user tester" "verify names the user"
out=$(ma rank)
is $? 0 "rank"
like "$out" "#1 of 3" "rank shows the daily position"
is "$(ma rank --json | jq -r .tier)" Silver "rank --json passes the server's document"
capture_mode 401
ma verify >/dev/null 2>&1
is $? 3 "verify with a refused key is exit code 3"
capture_mode ""
like "$(ma status)" "last sync:" "status shows the last sync"
done_testing
