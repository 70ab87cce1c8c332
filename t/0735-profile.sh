#!/bin/sh
# 0735-profile.sh -- GET /api/users/{username}: users loaded through the
# batch endpoint with known models, tools, slices and code metrics, times
# relative to now; every number compared with SQL over the raw sessions
# and with what the data says by hand (a ledger kept by this script, read
# with date(1) and awk, never with the server's code).  Then the hours in
# other time zones, privacy, bad input, and retention: cleanup-data
# deletes old sessions and the profile stays the same.
. "$top_srcdir/t/lib/harness.sh"
. "$top_srcdir/t/lib/sessions.sh"
ARENA_ANOMALY_FACTOR=1000000
ARENA_BACKFILL_DAYS=500		# sessions up to 410 days old, for retention
export ARENA_ANOMALY_FACTOR ARENA_BACKFILL_DAYS
arena_up

NOW=$(date +%s)
H=3600
D=86400
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
hr() { echo $(($1 / H * H)); }
day_of() { echo $(($1 / D)); }
LEDGER=$T/ledger		# user kind epoch tokens: kind t = tokens, s = a session ended

# add USER SID END DURATION TOOL IN OUT CC CR EXTRA [SLICES]
# queues one session; EXTRA is more JSON members (or ""), SLICES
# "epoch:in:out[:cache read] ..." (default: one slice at the hour it
# ended).  The
# ledger records what a profile must count, flagged sessions excepted
# (FLAGGED=1 in the environment of the call).
add() {
	u=$1 sid=$2 end=$3 dur=$4 tool=$5 in=$6 out=$7 cc=$8 cr=$9
	shift 9
	extra=$1 slices=${2:-}
	j="{\"sessionHash\":\"$(printf %064d 0)\",\"sessionId\":\"$sid\",\"toolType\":\"$tool\""
	j="$j,\"endedAt\":\"$(iso "$end")\",\"durationSeconds\":$dur,\"inputTokens\":$in"
	j="$j,\"outputTokens\":$out,\"cacheCreationTokens\":$cc,\"cacheReadTokens\":$cr"
	[ -n "$extra" ] && j="$j,$extra"
	if [ -n "$slices" ]; then
		sj=
		for s in $slices; do
			IFS=: read -r e si so scr <<EOF
$s
EOF
			sj="$sj${sj:+,}{\"hourStart\":\"$(iso "$e")\",\"inputTokens\":$si,\"outputTokens\":$so"
			sj="$sj,\"cacheReadTokens\":${scr:-0}}"
			[ "${FLAGGED:-0}" = 1 ] || echo "$u t $e $((si + so))" >>"$LEDGER"
		done
		j="$j,\"slices\":[$sj]"
	else
		[ "${FLAGGED:-0}" = 1 ] || echo "$u t $(hr "$end") $((in + out))" >>"$LEDGER"
	fi
	# sessions are kept by the hour they ended in
	[ "${FLAGGED:-0}" = 1 ] || echo "$u s $(hr "$end") 1" >>"$LEDGER"
	echo "$j}" >>"$T/q.$u"
}

upload() {
	for f in "$T"/q.*; do
		uu=${f##*/q.}
		{ printf '{"sessions":['; paste -sd, "$f" | tr -d '\n'; printf ']}'; } >"$T/batch.json"
		KEY=$(sess_key "$uu")
		post /api/v1/sessions/batch "$T/batch.json"
		if [ "$code" != 200 ] || [ "$(jv '.summary.rejected + .summary.unavailable + .summary.conflict')" != 0 ]; then
			echo "Bail out! sessions of $uu refused: $code $(printf %s "$body" | head -c 600)"
			exit 1
		fi
		rm -f "$f"
	done
}

for u in alice mover vtie vtie2 vthird vhalf notool othertool hidden old; do
	admin user add "$u" --avatar-url "https://avatars.example.org/$u" >/dev/null
done

# alice: four sessions over 200 days, three tools, five models (one unnamed)
A1=$((NOW - 2 * H))
add alice a1 $A1 3600 claude-code 1500000 2100000 300000 5000000 \
	'"turnCount":10,"modelUsage":{"claude-sonnet-4-5-20250929":{"inputTokens":1000000,"outputTokens":2000000,"cacheCreationTokens":300000,"cacheReadTokens":4000000},"claude-opus-4-1-20250805":{"inputTokens":500000,"outputTokens":100000,"cacheReadTokens":1000000}},"toolUsage":{"Read":10,"Grep":5,"Edit":6,"Write":3,"Bash":4,"TodoWrite":2},"codeMetrics":{"linesAdded":120,"linesDeleted":30,"filesModified":4,"filesCreated":2}'
A2=$((NOW - 3 * D))
add alice a2 $A2 7200 codex 2000000 500000 0 800000 \
	'"turnCount":5,"modelName":"gpt-5-codex","toolUsage":{"Bash":6,"Read":2},"codeMetrics":{"linesAdded":30,"linesDeleted":15}' \
	"$(($(hr $A2) - H)):1200000:200000:300000 $(hr $A2):800000:300000:500000"
add alice a3 $((NOW - D)) 600 gemini 100000 50000 0 0 ''
add alice a4 $((NOW - 200 * D)) 600 claude-code 700000 300000 0 0 \
	'"turnCount":2,"modelName":"claude-3-5-haiku-20241022","toolUsage":{"Task":1}'
# 100,000 output tokens a second: flagged, and counted nowhere on the profile
FLAGGED=1 add alice a5 $((NOW - 5 * H)) 10 claude-code 10 1000000 0 0 \
	'"modelName":"claude-opus-4-5","toolUsage":{"Write":100},"codeMetrics":{"linesAdded":9999}'

add vtie v1 $((NOW - H)) 60 claude-code 10 10 0 0 '"toolUsage":{"Read":1,"Write":1}'
add vtie2 v1 $((NOW - H)) 60 claude-code 10 10 0 0 '"toolUsage":{"Write":1,"Edit":2,"Bash":2}'
add vthird v1 $((NOW - H)) 60 claude-code 10 10 0 0 '"toolUsage":{"Grep":1,"Write":1,"Bash":1}'
add vhalf v1 $((NOW - H)) 60 claude-code 10 10 0 0 '"toolUsage":{"Write":1,"WebFetch":7}'
add notool v1 $((NOW - H)) 60 claude-code 10 10 0 0 ''
add othertool v1 $((NOW - H)) 60 claude-code 10 10 0 0 '"toolUsage":{"TodoWrite":5}'
add hidden v1 $((NOW - H)) 60 claude-code 5000 10000 0 0 '"toolUsage":{"Read":1}'
for a in 410 395 100 10; do
	add old "o$a" $((NOW - a * D)) 600 claude-code $((a * 100)) $((a * 10)) 0 0 '"toolUsage":{"Read":1}'
done

# mover: its session is sent, then re-sent with its slices in other hours
M0=$(hr $((NOW - 5 * H)))
add mover m1 $((M0 + 2 * H)) 7200 claude-code 300 30 0 0 '' "$M0:100:10 $((M0 + H)):200:20"
upload
grep -v '^mover ' "$LEDGER" >"$T/l2" && mv "$T/l2" "$LEDGER"
add mover m1 $((M0 + 4 * H)) 14400 claude-code 300 30 0 0 '' "$((M0 + 3 * H)):300:30"
upload
admin user privacy hidden on >/dev/null
"$top_builddir/cron/calculate-rankings" >/dev/null || echo "Bail out! calculate-rankings failed"

n=$(arena_psql -c "SELECT count(*) FROM sessions WHERE flagged")
is "$n" 1 "one session flagged (the output rate)"
n=$(arena_psql -c "SELECT revision FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'mover'")
is "$n" 2 "mover's session was replaced"

# ---- what ingestion keeps equals what the stored sessions say --------
n=$(arena_psql -c "
	WITH want AS (
		SELECT user_id, hs, flagged, sum(i) AS i, sum(o) AS o, sum(n) AS n FROM (
			SELECT s.user_id, t.hour_start AS hs, s.flagged, t.input_tokens AS i,
			       t.output_tokens AS o, 0 AS n
			FROM token_usage t JOIN sessions s ON s.id = t.session_id
			UNION ALL
			SELECT user_id, date_trunc('hour', ended_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
			       flagged, 0, 0, 1 FROM sessions) x GROUP BY 1, 2, 3),
	have AS (SELECT user_id, hour_start AS hs, flagged, input_tokens::numeric AS i,
		output_tokens::numeric AS o, session_count::numeric AS n FROM user_hourly
		WHERE input_tokens <> 0 OR output_tokens <> 0 OR session_count <> 0)
	SELECT count(*) FROM ((TABLE want EXCEPT TABLE have) UNION ALL (TABLE have EXCEPT TABLE want)) d")
is "$n" 0 "user_hourly equals a recomputation from the sessions and slices"
n=$(arena_psql -c "SELECT count(*) FROM user_hourly h JOIN users u ON u.id = h.user_id
	WHERE u.username = 'mover' AND h.hour_start IN ('$(iso $M0)', '$(iso $((M0 + H)))')
	AND (h.input_tokens <> 0 OR h.output_tokens <> 0 OR h.session_count <> 0)")
is "$n" 0 "the replaced version's hours are emptied"
n=$(arena_psql -c "
	WITH want AS (SELECT s.user_id, s.flagged, m.model, sum(m.i) AS i, sum(m.o) AS o,
		sum(m.cc) AS cc, sum(m.cr) AS cr, count(*) AS n
		FROM sessions s CROSS JOIN LATERAL arena_session_models(s) m GROUP BY 1, 2, 3),
	have AS (SELECT user_id, flagged, model::text, input_tokens::numeric, output_tokens::numeric,
		cache_creation_tokens::numeric, cache_read_tokens::numeric, session_count::bigint
		FROM user_model_totals WHERE session_count <> 0)
	SELECT count(*) FROM ((TABLE want EXCEPT TABLE have) UNION ALL (TABLE have EXCEPT TABLE want)) d")
is "$n" 0 "user_model_totals equals a recomputation from the sessions"
n=$(arena_psql -c "
	WITH want AS (SELECT s.user_id, s.flagged, e.key AS tool, sum(e.value::bigint) AS n
		FROM sessions s CROSS JOIN LATERAL jsonb_each_text(s.tool_usage) e GROUP BY 1, 2, 3),
	have AS (SELECT user_id, flagged, tool_name::text, uses::numeric FROM user_tool_totals WHERE uses <> 0)
	SELECT count(*) FROM ((TABLE want EXCEPT TABLE have) UNION ALL (TABLE have EXCEPT TABLE want)) d")
is "$n" 0 "user_tool_totals equals a recomputation from the sessions"
n=$(arena_psql -c "
	WITH want AS (SELECT user_id, flagged, tool_type::text, sum(input_tokens) AS i,
		sum(output_tokens) AS o, sum(cache_creation_tokens) AS cc, sum(cache_read_tokens) AS cr,
		count(*) AS n FROM sessions GROUP BY 1, 2, 3),
	have AS (SELECT user_id, flagged, tool_type::text, input_tokens::numeric, output_tokens::numeric,
		cache_creation_tokens::numeric, cache_read_tokens::numeric, session_count::bigint
		FROM user_tool_type_totals WHERE session_count <> 0)
	SELECT count(*) FROM ((TABLE want EXCEPT TABLE have) UNION ALL (TABLE have EXCEPT TABLE want)) d")
is "$n" 0 "user_tool_type_totals equals a recomputation from the sessions"

# ---- alice, field by field ----------------------------------------------
req GET /api/users/alice
is "$code" 200 "alice: 200"
like "$(header Content-Type)" "application/json" "JSON"
ALICE=$body
is "$(jv '[.username, .avatarUrl, .isPrivate] | map(tostring) | join(" ")')" \
	"alice https://avatars.example.org/alice false" "name, avatar, not private"
joined=$(arena_psql -c "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM users WHERE username = 'alice'")
is "$(jv .joinedAt)" "$joined" "joinedAt is the account's creation"

# by hand: unflagged a1..a4
is "$(jv .stats.totalTokens)" $((3600000 + 2500000 + 150000 + 1000000)) "totalTokens = input + output of the unflagged sessions"
is "$(jv .stats.totalSessions)" 4 "4 sessions (the flagged one left out)"
sq() {	# a sum over alice's unflagged stored sessions
	arena_psql -c "SELECT coalesce(sum($1), 0) FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE u.username = '${2:-alice}' AND NOT s.flagged"
}
is "$(jv .stats.totalTokens)" "$(sq 'input_tokens + output_tokens')" "totalTokens equals SQL over the sessions"
is "$(jv '[.tokenBreakdown.inputTokens, .tokenBreakdown.outputTokens, .tokenBreakdown.cacheCreationTokens, .tokenBreakdown.cacheReadTokens] | map(tostring) | join(" ")')" \
	"$(sq input_tokens) $(sq output_tokens) $(sq cache_creation_tokens) $(sq cache_read_tokens)" \
	"token breakdown equals SQL"
is "$(jv .tokenBreakdown.totalTokens)" $((4300000 + 2950000 + 300000 + 5800000)) "breakdown total: all four kinds"
is "$(jv .stats.cacheTokens)" 6100000 "cacheTokens = creation + read"
# by hand from the price table: sonnet 3+30+1.125+1.2, opus 4.1 7.5+7.5+1.5,
# gpt-5 2.5+5+0.1, haiku 3.5 0.56+1.2, unnamed (gemini) as sonnet 0.3+0.75
is "$(jv .tokenBreakdown.estimatedCost)" 62.24 "estimated cost: 62.235 rounds half up to 62.24"
is "$(jv .tokenBreakdown.cacheEfficiency)" 95.1 "cache efficiency: 5.8M / 6.1M = 95.08 %"
is "$(jv '[.modelUsage[] | .modelName + "=" + (.estimatedCost|tostring)] | join(" ")')" \
	"claude-sonnet-4-5-20250929=35.33 gpt-5-codex=7.6 claude-3-5-haiku-20241022=1.76 claude-opus-4-1-20250805=16.5" \
	"models by tokens, each priced"
is "$(jv '[.modelUsage[] | (.totalTokens|tostring) + ":" + (.sessionCount|tostring) + ":" + (.percentage|tostring)] | join(" ")')" \
	"3000000:1:42.3 2500000:1:35.2 1000000:1:14.1 600000:1:8.5" \
	"model tokens, sessions and share of 7.1M (by hand)"
m=$(arena_psql -c "SELECT string_agg(m.model || '=' || (m.i + m.o), ' ' ORDER BY m.i + m.o DESC)
	FROM sessions s JOIN users u ON u.id = s.user_id CROSS JOIN LATERAL arena_session_models(s) m
	WHERE u.username = 'alice' AND NOT s.flagged")
is "$(jv '[.modelUsage[] | .modelName + "=" + (.totalTokens|tostring)] | join(" ")')" "$m" "models equal SQL over the sessions"

is "$(jv '[.codeMetrics.linesAdded, .codeMetrics.linesDeleted, .codeMetrics.filesModified, .codeMetrics.filesCreated] | map(tostring) | join(" ")')" \
	"150 45 4 2" "code metrics (the flagged 9999 lines left out)"
is "$(jv .codeMetrics.linesAdded)" "$(sq "(code_metrics->>'linesAdded')::bigint")" "linesAdded equals SQL"
is "$(jv .codeMetrics.productivity) $(jv .codeMetrics.refactorRatio)" "8.8 0.3" \
	"lines added per turn 150/17 = 8.8, deleted/added 45/150 = 0.3"
is "$(jv .stats.avgSessionSeconds) $(jv .vibeStyle.avgSessionDuration)" "3000 3000" \
	"average session: (3600 + 7200 + 600 + 600) / 4 s"
is "$(jv .stats.avgTurnsPerSession)" 4.3 "average turns 17 / 4 = 4.25 -> 4.3"

is "$(jv '[.toolUsage[] | .toolName + ":" + (.count|tostring) + ":" + (.percentage|tostring)] | join(" ")')" \
	"Read:12:30.8 Bash:10:25.6 Edit:6:15.4 Grep:5:12.8 Write:3:7.7 TodoWrite:2:5.1 Task:1:2.6" \
	"tools: counts and shares of 39 calls"
t=$(arena_psql -c "SELECT string_agg(k || ':' || n, ' ' ORDER BY n DESC, k COLLATE \"C\") FROM (
	SELECT e.key AS k, sum(e.value::bigint) AS n FROM sessions s JOIN users u ON u.id = s.user_id
	CROSS JOIN LATERAL jsonb_each_text(s.tool_usage) e WHERE u.username = 'alice' AND NOT s.flagged
	GROUP BY e.key) x")
is "$(jv '[.toolUsage[] | .toolName + ":" + (.count|tostring)] | join(" ")')" "$t" "tools equal SQL, most used first"
is "$(jv .totalToolCalls)" 39 "39 tool calls"
# Explorer Read+Grep 17, Creator Write 3, Refactorer Edit 6, Automator Bash+Task 11, of 39
is "$(jv '.vibeStyle.styleScores | [.explorer, .creator, .refactorer, .automator] | map(tostring) | join(" ")')" \
	"44 8 15 28" "style scores round(100 x category / 39)"
is "$(jv .vibeStyle.primaryStyle)" Explorer "primary style: Explorer"

is "$(jv '[.agentBreakdown[] | .toolType + ":" + (.tokens|tostring) + ":" + (.sessions|tostring) + ":" + (.percentage|tostring)] | join(" ")')" \
	"claude-code:4600000:2:63.4 codex:2500000:1:34.5 gemini:150000:1:2.1" "agents: tokens, sessions, share"
is "$(jv '.agentBreakdown[0].displayName')" "Claude Code" "agents have display names"

# ---- days: the heatmap and streaks --------------------------------------
today=$(day_of "$NOW")
dow=$(date -u -d "@$NOW" +%w)
first=$((today - dow - 52 * 7))
is "$(jv .heatmap.start)" "$(date -u -d "@$((first * D))" +%F)" "the heatmap starts on the Sunday 52 weeks before this week"
is "$(jv .heatmap.end)" "$(date -u -d "@$NOW" +%F)" "and ends today"
is "$(jv .heatmap.days)" $((today - first + 1)) "53 weeks of cells up to today"
is "$(date -u -d "$(jv .heatmap.start)" +%w)" 0 "the first cell is a Sunday"
# by hand from the ledger: tokens per UTC day of alice
awk -v D=$D '$1 == "alice" && $2 == "t" { t[int($3 / D)] += $4 } END { for (d in t) print d, t[d] }' \
	"$LEDGER" | sort -n >"$T/days"
want=$(while read -r d t; do [ "$d" -ge $first ] && printf '%s=%s ' "$(date -u -d "@$((d * D))" +%F)" "$t"; done <"$T/days")
is "$(jv '[.dailyActivity[] | .date + "=" + (.tokens|tostring)] | join(" ")') " "$want" "daily tokens by hand"
s=$(arena_psql -c "SELECT string_agg(d || '=' || n, ' ' ORDER BY d) FROM (
	SELECT to_char(t.hour_start AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS d,
	       sum(t.input_tokens + t.output_tokens) AS n
	FROM token_usage t JOIN sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id
	WHERE u.username = 'alice' AND NOT s.flagged GROUP BY 1) x")
is "$(jv '[.dailyActivity[] | .date + "=" + (.tokens|tostring)] | join(" ")')" "$s" "daily tokens equal SQL over the slices"
max=$(sort -k2 -n "$T/days" | tail -1 | cut -d' ' -f2)
total=$(awk -v f=$first '$1 >= f { s += $2 } END { print s }' "$T/days")
is "$(jv .heatmap.totalTokens) $(jv .heatmap.activeDays) $(jv .heatmap.maxTokens)" \
	"$total $(awk -v f=$first '$1 >= f' "$T/days" | wc -l) $max" "tokens in the last year, active days, busiest day"
lv=$(awk -v m=$max -v D=$D '{ r = $2 / m; l = r < 0.25 ? 1 : r < 0.5 ? 2 : r < 0.75 ? 3 : 4; printf "%s ", l }' "$T/days")
is "$(jv '[.dailyActivity[] | .level | tostring] | join(" ")') " "$lv" "intensity levels by quarters of the busiest day"
# streak by hand: the run of session days through today or yesterday
awk -v D=$D '$1 == "alice" && $2 == "s" { print int($3 / D) }' "$LEDGER" | sort -nu >"$T/sdays"
cur=0
d=$today
grep -qx "$d" "$T/sdays" || d=$((today - 1))
while grep -qx "$d" "$T/sdays"; do cur=$((cur + 1)); d=$((d - 1)); done
longest=$(awk 'NR == 1 || $1 != p + 1 { r = 0 } { r++; if (r > m) m = r; p = $1 } END { print m }' "$T/sdays")
is "$(jv .streak.currentStreak) $(jv .streak.longestStreak)" "$cur $longest" "current and longest streak by hand"
is "$(jv .streak.lastActiveDate)" "$(date -u -d "@$A1" +%F)" "last active day: the newest session's"

# ---- rankings and score ---------------------------------------------------
r=$(arena_psql -F' ' -c "SELECT r.period_type, r.rank_position, p.participants, r.composite_score::numeric(12,2)
	FROM rankings r JOIN users u ON u.id = r.user_id
	JOIN (SELECT DISTINCT ON (period_type) * FROM ranking_periods
	      WHERE period_start <= (now() AT TIME ZONE 'UTC')::date ORDER BY period_type, period_start DESC) p
	  ON p.period_type = r.period_type AND p.period_start = r.period_start
	WHERE u.username = 'alice' ORDER BY 1")
got=$(printf %s "$body" | jq -r '.rankings | [["all_time", .allTime], ["daily", .daily], ["monthly", .monthly], ["weekly", .weekly]][] | select(.[1] != null) | "\(.[0]) \(.[1].position) \(.[1].totalParticipants) \(.[1].compositeScore)"' |
	awk '{ printf "%s %s %s %.2f\n", $1, $2, $3, $4 }')
is "$got" "$r" "rankings per period with their participant counts equal SQL"
is "$(jv .rankings.allTime.totalParticipants)" "$(arena_psql -c "SELECT participants FROM ranking_periods WHERE period_type = 'all_time'")" \
	"all-time participants"
is "$(jv .stats.currentRank)" "$(jv .rankings.allTime.position)" "currentRank is the all-time place"
want=$(printf '%s %s %s %s\n' 4300000 2950000 4 "$(jv .rankings.allTime.streak)" | "$top_builddir/t/score-calc")
is "$(jv .stats.compositeScore) $(jv .tier)" "$(printf '%s' "$want" | awk '{ printf "%g %s", $1, $2 }')" \
	"composite score and tier as lib/score.c computes them from the totals"
is "$(jv .rankings.allTime.streak)" "$(jv .streak.currentStreak)" "the ranking's streak is the current streak"

# ---- hours and weekdays in time zones -----------------------------------
# hand_clock USER ZONE: "hour:tokens:sessions ..." then "dow:tokens:sessions ..."
hand_clock() {
	: >"$T/clock"
	grep "^$1 " "$LEDGER" | while read -r _ k e n; do
		echo "$k $(TZ=$2 date -d "@$e" '+%-H %w') $n" >>"$T/clock"
	done
	awk '{ if ($1 == "t") { ht[$2] += $4; dt[$3] += $4 } else { hs[$2] += $4; ds[$3] += $4 } }
	END { for (h = 0; h < 24; h++) printf "%d:%d:%d ", h, ht[h], hs[h]; printf "\n";
	      for (d = 0; d < 7; d++) printf "%d:%d:%d ", d, dt[d], ds[d]; printf "\n" }' "$T/clock"
}
json_clock() {
	printf %s "$body" | jq -r '([.hourlyActivity[] | "\(.hour):\(.tokens):\(.sessions)"] | join(" ")) + " ",
		([.dayOfWeekActivity[] | "\(.dayOfWeek):\(.tokens):\(.sessions)"] | join(" ")) + " "'
}
sql_clock() {
	arena_psql -c "WITH x AS (
		SELECT t.hour_start AS at, t.input_tokens + t.output_tokens AS n, 0 AS s
		FROM token_usage t JOIN sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id
		WHERE u.username = '$1' AND NOT s.flagged
		UNION ALL SELECT date_trunc('hour', s.ended_at), 0, 1 FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE u.username = '$1' AND NOT s.flagged)
	SELECT (SELECT string_agg(h || ':' || coalesce(sum_n, 0) || ':' || coalesce(sum_s, 0), ' ' ORDER BY h)
		FROM generate_series(0, 23) h LEFT JOIN (SELECT extract(hour FROM at AT TIME ZONE '$2')::int AS k,
			sum(n) AS sum_n, sum(s) AS sum_s FROM x GROUP BY 1) a ON a.k = h) || ' ',
	       (SELECT string_agg(d || ':' || coalesce(sum_n, 0) || ':' || coalesce(sum_s, 0), ' ' ORDER BY d)
		FROM generate_series(0, 6) d LEFT JOIN (SELECT extract(dow FROM at AT TIME ZONE '$2')::int AS k,
			sum(n) AS sum_n, sum(s) AS sum_s FROM x GROUP BY 1) a ON a.k = d) || ' '" | tr '|' '\n'
}
for z in UTC Asia/Seoul America/New_York Asia/Kolkata; do
	for u in alice mover; do
		if [ $z = UTC ]; then req GET "/api/users/$u"; else req GET "/api/users/$u?tz=$z"; fi
		is "$code $(jv .timeZone)" "200 $z" "$u in $z: 200"
		got=$(json_clock)
		is "$got" "$(hand_clock $u $z)" "$u: 24 hours and 7 weekdays in $z by hand (date(1) and the zone files)"
		is "$got" "$(sql_clock $u $z)" "$u: the same from SQL over the raw slices"
	done
done
req GET "/api/users/alice?tz=Asia/Seoul"
seoul=$(jv '[.hourlyActivity[].tokens] | map(tostring) | join(" ")')
req GET "/api/users/alice"
utc=$(jv '[.hourlyActivity[].tokens] | .[15:] + .[:15] | map(tostring) | join(" ")')
is "$seoul" "$utc" "Seoul is UTC shifted by 9 hours"
req GET "/api/users/alice?tz=America/New_York"
ny=$(printf %s "$body" | jq -c 'del(.hourlyActivity, .dayOfWeekActivity, .timeZone)')
req GET "/api/users/alice"
is "$ny" "$(printf %s "$body" | jq -c 'del(.hourlyActivity, .dayOfWeekActivity, .timeZone)')" \
	"the zone changes only the hours and weekdays"
is "$(jv '[.hourlyActivity[].sessions] | add') $(jv '[.dayOfWeekActivity[].sessions] | add')" "4 4" \
	"every session in one hour and one weekday"
is "$(jv '[.dayOfWeekActivity[].dayName] | join(",")')" "Sunday,Monday,Tuesday,Wednesday,Thursday,Friday,Saturday" \
	"weekdays from 0 = Sunday"
n=$(printf %s "$body" | jq '[.dayOfWeekActivity[] | select(.sessions > 0) | .avgTokensPerSession == ((.tokens / .sessions) + 0.5 | floor)] | all')
is "$n" true "avgTokensPerSession rounds tokens / sessions"

# ---- vibe style ------------------------------------------------------------
vibe() {	# sets V to "primary explorer,creator,refactorer,automator"
	req GET "/api/users/$1"
	V="$(jv .vibeStyle.primaryStyle) $(jv '.vibeStyle.styleScores | [.explorer, .creator, .refactorer, .automator] | map(tostring) | join(",")')"
}
vibe vtie
is "$V" "Explorer 50,50,0,0" "a tie goes to the earlier style (Explorer before Creator)"
vibe vtie2
is "$V" "Refactorer 0,20,40,40" "Refactorer before Automator on a tie"
vibe vthird
is "$V" "Explorer 33,33,0,33" "thirds round down, the tie to Explorer"
vibe vhalf
is "$V" "Explorer 88,13,0,0" "12.5 rounds half up to 13, 87.5 to 88; WebFetch is exploring"
vibe notool
is "$V" "null 0,0,0,0" "no tool calls: no primary style"
is "$(jv .totalToolCalls) $(jv '.toolUsage | length')" "0 0" "and no tools"
vibe othertool
is "$V" "null 0,0,0,0" "only other tools: no primary style"
is "$(jv .totalToolCalls)" 5 "those calls still count as tool calls"

# ---- privacy and unknown users --------------------------------------------
req GET /api/users/hidden
c1=$code b1=$(printf %s "$body" | jq -cS 'del(.requestId)') h1=$(printf '%s\n' "$headers" | grep -iv '^x-request-id\|^date\|^ratelimit:' | sort)
req GET /api/users/nobody-here
c2=$code b2=$(printf %s "$body" | jq -cS 'del(.requestId)') h2=$(printf '%s\n' "$headers" | grep -iv '^x-request-id\|^date\|^ratelimit:' | sort)
is "$c1 $c2" "404 404" "a private user and an unknown one: 404"
is "$b1" "$b2" "the same body"
is "$h1" "$h2" "the same headers"
unlike "$b1" hidden "the name is not echoed"
req GET /api/users/hidden?tz=Asia/Seoul
is "$code" 404 "a zone does not uncover a private user"

# ---- bad input: 4xx JSON, never echoed ---------------------------------
bad() {	# bad PATH NAME [curl args]: a 4xx JSON error
	p=$1 name=$2
	shift 2
	req GET "$p" --path-as-is "$@"
	ok $(case $code in 4??) [ "$(jv .success)" = false ] && echo 0 || echo 1 ;; *) echo 1 ;; esac) \
		"$name: $code, a JSON error ($(jv .error.code))"
	unlike "$body" "<script" "$name: not reflected"
}
bad '/api/users/al%00ice' "an encoded NUL"
bad '/api/users/../users/alice' "a dot segment"
bad '/api/users/..%2Fetc%2Fpasswd' "an encoded ../"
bad '/api/users/%3Cscript%3Ealert(1)%3C%2Fscript%3E' "markup"
bad '/api/users/<script>x</script>' "raw markup"
bad "/api/users/$(head -c 10240 /dev/zero | tr '\0' a)" "10 KB of name"
bad '/api/users/%FF%FE' "invalid UTF-8"
bad '/api/users/alice?<script>=1' "a markup parameter name"
req GET '/api/users/abcdefghijabcdefghijabcdefghijabcdefghij'
is "$code $(jv .error.code) $(jv .error.field)" "400 invalid_username username" "40 characters: no user can have it"
req GET '/api/users/-alice'
is "$code $(jv .error.code)" "400 invalid_username" "a leading dash"
req GET '/api/users/'
is "$code $(jv .error.code)" "400 invalid_username" "no name at all"
req GET '/api/users/alice/more'
is "$code $(jv .error.code)" "400 invalid_username" "more path"
req GET '/api/users/alice?sort=x'
is "$code $(jv .error.code) $(jv .error.field)" "400 unknown_parameter sort" "unknown parameter: 400 naming it"
req GET '/api/users/alice?tz=UTC&tz=UTC'
is "$code $(jv .error.code) $(jv .error.field)" "400 duplicate_parameter tz" "repeated tz"
for z in Mars/Olympus_Mons 'Asia%2F..%2F..%2Fetc' '%3Cb%3E' UTC%2B9 'asia/seoul' EST5EDT%2B1; do
	req GET "/api/users/alice?tz=$z"
	is "$code $(jv .error.code) $(jv .error.field)" "400 invalid_time_zone tz" "tz=$z: 400 unknown zone"
	unlike "$body" "$z" "tz=$z not echoed"
done
req GET "/api/users/alice?tz="
is "$code $(jv .error.code)" "400 invalid_time_zone" "an empty zone"
req GET "/api/users/alice?tz=Asia/Seoul%00"
is "$code $(jv .error.code)" "400 invalid_query" "a zone with a NUL: the query is refused"
req GET '/api/users/nobody?tz=Mars/Base'
is "$code" 400 "the zone is checked before the user is looked up"
req POST /api/users/alice
is "$code" 405 "POST: 405"
req HEAD /api/users/alice -I
is "$code" 200 "HEAD: 200"
plog=$ARENA_STATE/log/profile.log
n=$(grep -c ' /api/users/[^ ]* 200 ' "$plog")
ok $([ "${n:-0}" -gt 10 ] && echo 0 || echo 1) "the profile pool logs its requests ($n answered 200)"
is "$(grep -c ' 5[0-9][0-9] [0-9]*ms ' "$plog")" 0 "and it answered no 5xx"

# ---- the page, in four languages, against the JSON and SQL -----------------
# xp XPATH: the string value; xv XPATH: the values of the attributes selected
xp() { printf '%s' "$page" | xmllint --html --xpath "$1" - 2>/dev/null; }
xv() { printf '%s' "$page" | xmllint --html --xpath "$1" - 2>/dev/null | sed -n 's/^ *[a-z-]*="\(.*\)"$/\1/p' | tr '\n' ' '; }
datev() { xp "string(//*[@id='$1']//data[${2:-1}]/@value)"; }
num_eq() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 == b + 0 && a != "" && b != "") }'; }
date_in() {	# date_in LANG EPOCH: the date as the page writes it
	case $1 in
	en) date -u -d "@$2" '+%b %-d, %Y' ;;
	ko) date -u -d "@$2" '+%Y. %-m. %-d.' ;;
	*) date -u -d "@$2" '+%Y年%-m月%-d日' ;;
	esac
}
req GET /api/users/alice
J=$body
jq_() { printf %s "$J" | jq -r "$1"; }
joined_s=$(arena_psql -c "SELECT extract(epoch FROM created_at)::bigint FROM users WHERE username = 'alice'")
for lang in en ko ja zh; do
	pre=/$lang
	[ $lang = en ] && pre=
	req GET "$pre/users/alice"
	page=$body
	is "$code $(header Content-Type)" "200 text/html; charset=utf-8" "$lang: the page is HTML"
	is "$(xp 'string(/html/@lang)') $(header Content-Language)" "$lang $lang" "$lang: <html lang> and Content-Language"
	like "$(header Content-Security-Policy)" "script-src 'self'" "$lang: the strict CSP"
	is "$(xp 'count(//@style)') $(xp 'count(//script[not(@src)])') $(xp "count(//@*[starts-with(name(), 'on')])")" \
		"0 0 0" "$lang: no style attributes, inline scripts or event handlers"
	is "$(xp 'string(//h1)')" alice "$lang: the name as the heading"
	like "$(xp "string(//meta[@property='og:title']/@content)")" alice "$lang: og:title names the user"
	like "$(xp "string(//meta[@property='og:url']/@content)")" "$pre/users/alice" "$lang: og:url is this page"
	is "$(xp "string(//meta[@name='twitter:title']/@content)")" "$(xp 'string(//title)')" "$lang: twitter:title"
	is "$(xp "count(//link[@rel='alternate'][@hreflang])")" 5 "$lang: four hreflang alternates and x-default"
	like "$(xp "string(//time[@id='joined'])")" "$(date_in $lang "$joined_s")" "$lang: joined, as a date of the language"
	is "$(xp "string(//*[@id='tier']/@data-tier)")" "$(jq_ .tier)" "$lang: the tier"
	got="$(datev f-tokens) $(datev f-sessions) $(datev f-streak) $(datev f-longest)"
	is "$got" "$(jq_ '"\(.stats.totalTokens) \(.stats.totalSessions) \(.streak.currentStreak) \(.streak.longestStreak)"')" \
		"$lang: lifetime tokens, sessions, streaks as in the JSON"
	is "$(xp "string(//dd[@id='f-tokens']/data)")" "$(jq_ .stats.totalTokens | sed -E ':a;s/^([0-9]+)([0-9]{3})/\1,\2/;ta')" \
		"$lang: tokens grouped by thousands"
	num_eq "$(datev f-score)" "$(jq_ .stats.compositeScore)"
	ok $? "$lang: composite score $(datev f-score)"
	for k in daily:daily weekly:weekly monthly:monthly all_time:allTime; do
		got="$(xp "string(//*[@id='rank-${k%%:*}']/data[@class='position']/@value)")"
		got="$got $(xp "string(//*[@id='rank-${k%%:*}']/data[@class='participants']/@value)")"
		is "$got" "$(jq_ ".rankings.${k#*:} | \"\(.position) \(.totalParticipants)\"")" "$lang: ${k%%:*} rank and participants"
	done
	is "$(datev year-tokens) $(datev year-active)" "$(jq_ '"\(.heatmap.totalTokens) \(.heatmap.activeDays)"')" \
		"$lang: tokens in the last year, active days"
	H="//svg[contains(@class,'heatmap')]"
	is "$(xp "count($H//rect[@data-date])") $(xp "count($H//rect[@data-date]/title)")" \
		"$(jq_ .heatmap.days) $(jq_ .heatmap.days)" "$lang: one cell per day, each with its title"
	is "$(xp "string(($H//rect[@data-date])[1]/@data-date)") $(xp "string(($H//rect[@data-date])[last()]/@data-date)")" \
		"$(jq_ .heatmap.start) $(jq_ .heatmap.end)" "$lang: from the first Sunday to today"
	num_eq "$(xp "sum($H//rect/@data-tokens)")" "$(jq_ .heatmap.totalTokens)"
	ok $? "$lang: the cells add up to the year's tokens"
	cells=$(printf '%s' "$page" | xmllint --html --xpath "$H//rect[@data-tokens!='0']" - 2>/dev/null |
		sed -n 's/.*class="heat\([0-4]\)".*data-date="\([^"]*\)" data-tokens="\([0-9]*\)".*/\2=\3:\1/p' | tr '\n' ' ')
	is "$cells" "$(jq_ '[.dailyActivity[] | select(.tokens > 0) | "\(.date)=\(.tokens):\(.level)"] | join(" ")') " \
		"$lang: the active cells: dates, tokens and intensity as in the JSON"
	is "$(xp "count($H//rect[@data-tokens='0'][not(contains(@class, 'heat0'))])")" 0 "$lang: empty days are level 0"
	is "$(xp "count((//table[@class='sr-only'])[1]/tbody/tr)")" "$(jq_ .heatmap.activeDays)" \
		"$lang: the heatmap's hidden table lists the active days"
	is "$(xv "//svg[contains(@class,'hours')]//rect/@data-value")" "$(jq_ '[.hourlyActivity[].tokens | tostring] | join(" ")') " \
		"$lang: 24 hour bars as in the JSON"
	is "$(xv "//svg[contains(@class,'weekdays')]//rect/@data-value")" "$(jq_ '[.dayOfWeekActivity[].tokens | tostring] | join(" ")') " \
		"$lang: 7 weekday bars, Sunday first"
	is "$(xp "count(//svg[@role='img'])") $(xp "count(//svg[@role='img']/title)") $(xp "count(//svg[@role='img']/following-sibling::table[1][@class='sr-only'])")" \
		"8 8 8" "$lang: 8 charts, each with a title and a hidden table after it"
	is "$(xp "count(//svg[@role='img']//rect[not(title)])")" 0 "$lang: every bar and cell has a title"
	got="$(datev t-input) $(datev t-output) $(datev t-cache-write) $(datev t-cache-read) $(datev t-cost) $(datev t-cache-eff)"
	is "$got" "$(jq_ '.tokenBreakdown | "\(.inputTokens) \(.outputTokens) \(.cacheCreationTokens) \(.cacheReadTokens) \(.estimatedCost) \(.cacheEfficiency)"')" \
		"$lang: token breakdown, cost and cache efficiency as in the JSON"
	is "$(xv "//section[@id='models']//rect/@data-value")" "$(jq_ '[.modelUsage[].totalTokens | tostring] | join(" ")') " "$lang: model bars"
	is "$(xp "string(//section[@id='models']//svg/g[1]/text[1])")" "$(jq_ '.modelUsage[0].modelName')" "$lang: the first model's name"
	is "$(xv "//section[@id='agents']//rect/@data-value")" "$(jq_ '[.agentBreakdown[].tokens | tostring] | join(" ")') " "$lang: agent bars"
	is "$(xv "//section[@id='tools']//rect/@data-value")" "$(jq_ '[.toolUsage[].count | tostring] | join(" ")') " "$lang: tool bars, top 10"
	got="$(datev c-added) $(datev c-deleted) $(datev c-modified) $(datev c-created) $(datev c-per-turn) $(datev c-ratio)"
	want=$(jq_ '.codeMetrics | "\(.linesAdded) \(.linesDeleted) \(.filesModified) \(.filesCreated) \(.productivity) \(.refactorRatio)"')
	is "$(echo $got | awk '{ $6 += 0; print }')" "$want" "$lang: code metrics as in the JSON"
	is "$(xp "string(//*[@id='vibe-primary']/@data-style)") $(xv "//section[@id='vibe']//rect/@data-value")" \
		"$(jq_ '.vibeStyle | "\(.primaryStyle) \(.styleScores.explorer) \(.styleScores.creator) \(.styleScores.refactorer) \(.styleScores.automator) "')" \
		"$lang: vibe style and scores"
	is "$(datev h-session) $(datev h-turns)" "$(jq_ '"\(.stats.avgSessionSeconds) \(.stats.avgTurnsPerSession)"')" \
		"$lang: average session and turns"
	is "$(datev f-tokens)" "$(sq 'input_tokens + output_tokens')" "$lang: tokens equal SQL over the sessions"
done
req GET /ko/users/alice
page=$body
is "$(xp "string(//dd[@id='rank-all_time'])")" "$(jq_ '"\(.rankings.allTime.totalParticipants)명 중 \(.rankings.allTime.position)위"')" \
	"ko: the rank reads in Korean word order"
like "$(xp "string(//span[@id='year-tokens'])")" "지난 1년간 토큰" "ko: the year's total in Korean"
req GET /ja/users/alice
page=$body
like "$(xp "string(//svg[contains(@class,'heatmap')]/text[contains(., '月')][1])")" "月" "ja: month names in Japanese"

for z in Asia/Seoul America/New_York; do
	req GET "/api/users/alice?tz=$z"
	J=$body
	req GET "/zh/users/alice?tz=$z"
	page=$body
	is "$code $(xv "//svg[contains(@class,'hours')]//rect/@data-value")" \
		"200 $(jq_ '[.hourlyActivity[].tokens | tostring] | join(" ")') " "zh, $z: the hours as the JSON in that zone"
	is "$(xv "//svg[contains(@class,'weekdays')]//rect/@data-value")" \
		"$(jq_ '[.dayOfWeekActivity[].tokens | tostring] | join(" ")') " "zh, $z: the weekdays"
	is "$(xp "string(//input[@id='tz']/@value)")" "$z" "zh, $z: the form keeps the zone"
	like "$(xp "string(//a[@hreflang='en']/@href)")" "tz%3D" "zh, $z: the language links keep the zone"
done

# private and unknown: the same 404 page, in the page's language
for lang in en ko ja zh; do
	pre=/$lang
	[ $lang = en ] && pre=
	req GET "$pre/users/hidden"
	c1=$code p1=$(printf %s "$body" | sed 's/hidden/NAME/g')
	req GET "$pre/users/nobody-here"
	c2=$code p2=$(printf %s "$body" | sed 's/nobody-here/NAME/g')
	is "$c1 $c2" "404 404" "$lang: private and unknown users are 404 pages"
	is "$p1" "$p2" "$lang: the same page but for the address"
	page=$body
	is "$(xp 'string(/html/@lang)') $(header Content-Type)" "$lang text/html; charset=utf-8" "$lang: in the visitor's language"
done
# bad input on pages: a 4xx page in the page's language, nothing echoed raw
badpage() {	# badpage PATH LANG STATUS NAME
	req GET "$1" --path-as-is
	page=$body
	is "$code $(xp 'string(/html/@lang)')" "$3 $2" "$4: $3 page in $2"
	unlike "$body" "<script>" "$4: not reflected"
}
badpage '/ko/users/not.a.name' ko 400 "a dot in the name"
badpage "/ja/users/$(head -c 60 /dev/zero | tr '\0' a)" ja 400 "60 characters"
badpage '/zh/users/alice?tz=Mars/Olympus_Mons' zh 400 "an unknown zone"
badpage '/users/alice?%3Cscript%3E=1' en 400 "a markup parameter"
badpage '/ko/users/alice?tz=a&tz=b' ko 400 "a repeated zone"
badpage '/ja/users/alice?tz=%00' ja 400 "a NUL in the query"
req GET '/ko/users/alice?%3Cscript%3E=1'
page=$body
like "$(xp 'string(//p[@class="problem"])')" "<script>" "ko: the unknown parameter is named, as text"
unlike "$body" "<script>" "and escaped in the markup"
badpage '/users/%3Cscript%3E' en 400 "an escaped name"
badpage '/ja/users/%FF%FE' ja 400 "invalid UTF-8"
badpage '/ko/users/a//b' ko 400 "a double slash"
badpage '/zh/users/./alice' zh 400 "a dot segment"
ok $([ -n "$(xp 'string(//p[@class="problem"])')" ] && echo 0 || echo 1) "the page says what is wrong"
req GET '/api/users/%3Cb%3E'
is "$code $(header Content-Type)" "400 application/json; charset=utf-8" "under /api/ the same is a JSON 400"
for p in '/users/%3Cscript%3E' '/ko/users/al%00ice' '/ja/users/%FF%FE' "/zh/users/$(head -c 10240 /dev/zero | tr '\0' a)" \
	'/users/../api/users/alice'; do
	req GET "$p" --path-as-is
	ok $(case $code in 4??) echo 0 ;; *) echo 1 ;; esac) "$(printf %.40s "$p"): $code"
	unlike "$body" "<script>" "$(printf %.40s "$p"): not reflected"
done

# ---- retention: sessions go, the profile stays ------------------------------
snap() {
	for u in alice old mover vhalf; do
		req GET "/api/users/$u?tz=America/New_York"
		printf '%s\n' "$body"
		req GET "/ko/users/$u?tz=America/New_York"
		printf '%s\n' "$body"
	done | md5sum
}
before=$(snap)
days_old=$(arena_psql -c "SELECT count(*) FROM daily_aggregates d JOIN users u ON u.id = d.user_id WHERE u.username = 'old'")
is "$days_old" 4 "old has 4 days of totals"
out=$(ARENA_BACKFILL_DAYS=90 "$top_builddir/cron/cleanup-data")
is $? 0 "cleanup-data with the default retention"
like "$out" "sessions: 4 deleted" "the sessions older than 90 days are deleted"
n=$(arena_psql -c "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'old'")
is "$n" 1 "old keeps its 10-day-old session only"
n=$(arena_psql -c "SELECT string_agg(((now() AT TIME ZONE 'UTC')::date - day)::text, ' ' ORDER BY day)
	FROM daily_aggregates d JOIN users u ON u.id = d.user_id WHERE u.username = 'old'")
is "$n" "395 100 10" "per-day totals: 395 days kept (400 by default), 410 deleted"
is "$(snap)" "$before" "every profile is the same after cleanup (hours, models, tools, heatmap)"
req GET /api/users/old
is "$(jv '[.dailyActivity[].tokens] | map(tostring) | join(" ")')" "11000 1100" \
	"old's heatmap still shows the day 100 days ago"
is "$(jv .stats.totalSessions) $(jv '[.hourlyActivity[].sessions] | add')" "4 4" \
	"lifetime sessions and hours still count the deleted sessions"

done_testing
