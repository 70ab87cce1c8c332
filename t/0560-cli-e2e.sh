#!/bin/sh
# 0560-cli-e2e.sh -- the client against the real stack (PostgreSQL,
# nginx, the sessions endpoint): transcripts to stored sessions and the
# aggregates rankings are built from; an offline queue that delivers
# everything once when the server is back; a hook firing after every turn
# that ends with exactly the session's totals stored, never more.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
. "$top_srcdir/t/lib/cli.sh"
arena_up
admin user add alice >/dev/null
KEY=$(admin key issue alice)
srv_T=$T
cli_home
trap 'cli_cleanup; T=$srv_T; arena_cleanup' EXIT

ago_of() { echo $(( $(date +%s) - $(date -u -d "$1" +%s) )); }
today=$(date -u +%F)
d1=$(date -u -d "$today -1 day" +%F)
d2=$(date -u -d "$today -2 day" +%F)
P=$HOME/.claude/projects/-home-dev-CANARYPATH
mkdir -p "$P"
sa=e2e00000-0000-4000-8000-00000000000a
sb=e2e00000-0000-4000-8000-00000000000b
A=$P/$sa.jsonl
# session a: crosses midnight, streams, two models, a sub-agent replaying
cc_user "$A" $sa ua1 "$(ago_of "$d2 23:30")" "CANARY_PROMPT a"
cc_asst "$A" $sa ma1 ra1 "$(ago_of "$d2 23:31")" 10 5 100 1000
cc_asst "$A" $sa ma1 ra1 "$(ago_of "$d2 23:31")" 10 50 100 1000 toolu_1 Read
cc_asst "$A" $sa ma2 ra2 "$(ago_of "$d1 00:20")" 20 60 200 2000 toolu_2 Edit
sed -i '$ s/claude-sonnet-4-5/claude-opus-4-1/' "$A"
mkdir -p "$P/$sa/subagents"
cc_asst "$P/$sa/subagents/agent-x.jsonl" $sa ma2 rz "$(ago_of "$d1 00:21")" 900 900 0 0
sed -i 's/"type":"assistant"/"type":"assistant","isSidechain":true/' "$P/$sa/subagents/agent-x.jsonl"
cc_asst "$P/$sa/subagents/agent-x.jsonl" $sa mx1 rx1 "$(ago_of "$d1 00:22")" 3 4 5 6
sed -i '$ s/"type":"assistant"/"type":"assistant","isSidechain":true/' "$P/$sa/subagents/agent-x.jsonl"
# session b: resumed from a, with a copy of a's first message
B=$P/$sb.jsonl
sed -n 2p "$A" | sed "s/$sa/$sb/" >"$B"
cc_user "$B" $sb ub1 "$(ago_of "$d1 09:00")" "CANARY_PROMPT b"
cc_asst "$B" $sb mb1 rb1 "$(ago_of "$d1 09:01")" 7 8 9 10

ma install --api-key "$KEY" --server "$ARENA_URL" >/dev/null
is $? 0 "install against the real server"
want=$(ma sync --dry-run --json 2>/dev/null)
is "$(printf %s "$want" | jq -c 'sort_by(.sessionId) | map([.inputTokens, .outputTokens, .cacheCreationTokens, .cacheReadTokens])')" \
	'[[33,114,305,3006],[7,8,9,10]]' "the client's count: streaming kept once, the replay dropped, the copy not repeated"
ma sync --quiet
is $? 0 "sync uploads to the sessions endpoint"
db() { arena_psql -c "$1"; }
is "$(db "SELECT string_agg(client_session_id || ':' || input_tokens || '/' || output_tokens || '/' || cache_creation_tokens || '/' || cache_read_tokens || ':' || turn_count, ' ' ORDER BY client_session_id) FROM sessions")" \
	"$sa:33/114/305/3006:1 $sb:7/8/9/10:1" "stored sessions equal the client's count"
is "$(db "SELECT string_agg(day || '=' || input_tokens || '/' || output_tokens, ' ' ORDER BY day) FROM daily_aggregates")" \
	"$d2=10/50 $d1=30/72" "the session crossing midnight lands on both days"
is "$(db "SELECT sum(input_tokens) || '/' || sum(output_tokens) || '/' || sum(cache_creation_tokens) || '/' || sum(cache_read_tokens) || ':' || sum(session_count) FROM user_totals")" \
	"40/122/314/3016:2" "the user's totals"
is "$(db "SELECT model_usage->'claude-opus-4-1'->>'outputTokens' FROM sessions WHERE client_session_id = '$sa'")" 60 \
	"per-model usage stored"
is "$(db "SELECT tool_usage::text FROM sessions WHERE client_session_id = '$sa'")" '{"Edit": 1, "Read": 1}' \
	"tool usage stored"

out=$(ma sync 2>&1)
like "$out" "Everything is up to date" "a re-sync sends nothing"
is "$(db "SELECT max(revision) FROM sessions")" 1 "and changes nothing on the server"

# offline: nginx stops; a turn is added to a, a session c begins
arena_nginx_stop
cc_user "$A" $sa ua2 60 "CANARY_PROMPT a2"
cc_asst "$A" $sa ma3 ra3 50 1 1 1 1
sc=e2e00000-0000-4000-8000-00000000000c
cc_asst "$P/$sc.jsonl" $sc mc1 rc1 40 2 2 2 2
ma sync >/dev/null 2>&1
is $? 4 "with the server down, sync says so and keeps the work"
like "$(ma status)" "2 sessions to upload" "two sessions queued"
arena_nginx_start || arena_die "nginx did not restart"
ma sync --quiet
is $? 0 "back up, the queue is delivered"
is "$(db "SELECT count(*) FROM sessions")" 3 "every session stored once"
is "$(db "SELECT input_tokens || ':' || turn_count || ':' || revision FROM sessions WHERE client_session_id = '$sa'")" \
	"34:2:2" "the grown session replaced its totals, not added to them"
is "$(db "SELECT sum(input_tokens) || '/' || sum(session_count) FROM user_totals")" "43/3" "the user's totals moved by exactly the difference"

# per-turn: the Stop hook after each of 8 turns, then SessionEnd
sd=e2e00000-0000-4000-8000-00000000000d
D=$P/$sd.jsonl
tin=0 tout=0
for t in 1 2 3 4 5 6 7 8; do
	cc_user "$D" $sd "ud$t" $((900 - t * 60)) "CANARY_PROMPT d$t"
	cc_asst "$D" $sd "md$t" "rd$t" $((890 - t * 60)) $((t * 11)) 1 $((t * 100)) $((t * 1000))
	cc_asst "$D" $sd "md$t" "rd$t" $((890 - t * 60)) $((t * 11)) $((t * 7)) $((t * 100)) $((t * 1000)) "toolu_d$t" Bash
	tin=$((tin + t * 11)); tout=$((tout + t * 7))
	printf '{"session_id":"%s","transcript_path":"%s","hook_event_name":"Stop"}' $sd "$D" | ma hook
	i=0
	while [ $i -lt 200 ] && { [ -s "$STATE/spool.jsonl" ] || ! flock -n "$STATE/lock" true; }; do
		sleep 0.05; i=$((i + 1))
	done
done
printf '{"session_id":"%s","transcript_path":"%s","hook_event_name":"SessionEnd"}' $sd "$D" | ma hook
i=0
while [ $i -lt 200 ] && { [ -s "$STATE/spool.jsonl" ] || ! flock -n "$STATE/lock" true; }; do
	sleep 0.05; i=$((i + 1))
done
is "$(db "SELECT input_tokens || '/' || output_tokens || ':' || turn_count || ':' || (tool_usage->>'Bash') FROM sessions WHERE client_session_id = '$sd'")" \
	"$tin/$tout:8:8" "after a hook per turn the server holds exactly the session's totals"
ok "$([ "$(db "SELECT revision FROM sessions WHERE client_session_id = '$sd'")" -ge 2 ] && echo 0 || echo 1)" \
	"updated in place along the way"
is "$(db "SELECT count(*) FROM sessions")" 4 "one row for it, however many hooks fired"
is "$(db "SELECT (SELECT sum(input_tokens) FROM sessions) = (SELECT sum(input_tokens) FROM user_totals)")" t \
	"the user's totals still equal the sum of the sessions"
is "$(cat "$STATE/sync.log" 2>/dev/null)" "" "background syncs reported nothing wrong"
n=$(db "SELECT count(*) FROM security_audit_log WHERE event_type = 'hmac_signature_invalid'")
is "$n" 0 "every request's signature was valid"

# ... and on to the leaderboard: transcripts -> sync -> server -> ranking
"$top_builddir/cron/calculate-rankings" >/dev/null
is $? 0 "the ranking job runs on what the client uploaded"
# the long per-turn session is over ten times the user's average, so it is
# flagged and, by default, left out of rankings
want=$(db "SELECT sum(input_tokens + output_tokens) FROM sessions WHERE NOT flagged")
n=$(db "SELECT count(*) FROM sessions WHERE NOT flagged")
req GET "/api/leaderboard?period=all_time"
is "$code $(jv '.data[0].username') $(jv '.data[0].totalTokens') $(jv '.data[0].sessionCount')" \
	"200 alice $want $n" "the all-time leaderboard shows exactly the uploaded, unflagged totals"
out=$(ma rank --json)
is "$(printf '%s' "$out" | jq -r '.username + " " + (.stats.totalTokens | tostring) + " " + (.rankings.allTime.position | tostring)')" \
	"alice $want 1" "modu-arena rank reads the same from /api/v1/rank (signed with v2)"
done_testing
