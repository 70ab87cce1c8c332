#!/bin/sh
# 0400-rankings.sh -- calculate-rankings on 35 users with known numbers,
# read back through GET /api/leaderboard and GET /api/v1/rank.
#
# The reference day is Thursday 2026-07-02: its ISO week (Mon 06-29 to
# Sun 07-05) crosses from June into July, yesterday is 07-01, last week is
# 06-22..06-28 and last month is June.  Scores marked "by hand" were
# worked out from the formula in lib/score.h.
. "$top_srcdir/t/lib/harness.sh"
. "$top_srcdir/t/lib/sessions.sh"
# sizes vary a lot on purpose: only the output-rate rule flags here
ARENA_ANOMALY_FACTOR=1000000
ARENA_BACKFILL_DAYS=3650	# the reference week lies in the past
export ARENA_ANOMALY_FACTOR ARENA_BACKFILL_DAYS
arena_up

D=2026-07-02
day() { date -u -d "$D $1 days" +%F; }	# day -3 = three days before D
# at DAY SECONDS: the instant SECONDS after the start of DAY (UTC)
at() { date -u -d "@$(( $(date -u -d "$1" +%s) + $2 ))" +%Y-%m-%dT%H:%M:%SZ; }
rankings() { "$top_builddir/cron/calculate-rankings" --today "$D"; }
# row PERIOD START USER: position|total tokens|sessions|streak|score
row() {
	arena_psql -c "SELECT r.rank_position, r.total_tokens, r.session_count, r.streak,
		r.composite_score::numeric(12, 2) FROM rankings r JOIN users u ON u.id = r.user_id
		WHERE r.period_type = '$1' AND r.period_start = '$2' AND u.username = '$3'"
}
participants() {
	arena_psql -c "SELECT participants FROM ranking_periods
		WHERE period_type = '$1' AND period_start = '$2'"
}

for u in marathon diamond plat tie1 tie2 tie3 edge_jun edge_jul late early night streak_y \
	streak_gap private cheat onlyflag old; do
	admin user add "$u" --avatar-url "https://avatars.example.org/$u" >/dev/null
done
for k in $(seq 1 18); do admin user add "f$k" >/dev/null; done
admin user privacy private on >/dev/null

# 40 days in a row up to D, 1e9 tokens in all: Diamond
for i in $(seq 39 -1 0); do
	sess diamond "d$i" "$(at "$(day -$i)" 43200)" 5000000 20000000 21600
done
# 70 days in a row: a run longer than the 63 days the masks hold
for i in $(seq 69 -1 0); do sess marathon "m$i" "$(at "$(day -$i)" 21600)" 10 10; done
# 06-28..07-02, 1e7 tokens: Platinum
for i in $(seq 4 -1 0); do sess plat "p$i" "$(at "$(day -$i)" 43200)" 200000 1800000 3600; done
for u in tie1 tie2 tie3; do sess $u "$u" "$(at "$D" 32400)" 1000 1500; done
# the month boundary, one second apart, inside the current week
sess edge_jun ej 2026-06-30T23:59:59Z 2000 1000
sess edge_jul el 2026-07-01T00:00:00Z 2000 1000
# the day boundary
sess late lt 2026-07-01T23:59:59Z 3000 3000
sess early ea 2026-07-02T00:00:00Z 3000 3000
# a session across midnight: tokens on both days, the session on the second
sess night n1 2026-07-02T00:30:00Z 400 600 3600 \
	'[{"hourStart":"2026-07-01T23:00:00Z","inputTokens":100,"outputTokens":200},{"hourStart":"2026-07-02T00:00:00Z","inputTokens":300,"outputTokens":400}]'
# ended yesterday: the streak still counts today
for d in 2026-06-29 2026-06-30 2026-07-01; do sess streak_y "y$d" "$(at "$d" 28800)" 1000 1500; done
# broken: last active 06-30
for d in 2026-06-27 2026-06-28 2026-06-30; do sess streak_gap "g$d" "$(at "$d" 28800)" 1000 1500; done
sess private pr "$(at "$D" 36000)" 50000 100000
# 10,000 output tokens a second is no model: flagged
sess cheat c1 "$(at "$D" 36000)" 1000 1000
sess cheat c2 "$(at "$D" 39600)" 10 100000 10
sess onlyflag o1 "$(at "$D" 39600)" 10 50000 5
sess old o1 2026-06-15T12:00:00Z 10 5
for k in $(seq 1 18); do sess "f$k" "f$k" "$(at "$D" $(( (10 + k % 10) * 3600 )))" $((1000 * k)) $((700 * k)); done
load_sessions
TIE_KEY=$(admin key regenerate tie1)
PRIV_KEY=$(admin key regenerate private)
OLD_KEY=$(admin key regenerate old)
n=$(arena_psql -c "SELECT count(*) FROM sessions WHERE flagged")
is "$n" 2 "two sessions flagged by the output-rate rule"

out=$(rankings)
is $? 0 "calculate-rankings succeeds"
like "$out" "as of $D" "it reports the day it ranked as of"

# --- participants: users with any activity in the period, flagged left out
is "$(participants daily 2026-07-02)" 28 "today: 28 participants"
is "$(participants daily 2026-07-01)" 7 "yesterday: 7 participants"
is "$(participants weekly 2026-06-29)" 33 "this week (crossing into July): 33 participants"
is "$(participants weekly 2026-06-22)" 4 "last week: 4 participants"
is "$(participants monthly 2026-07-01)" 31 "July: 31 participants"
is "$(participants monthly 2026-06-01)" 7 "June: 7 participants"
is "$(participants all_time 1970-01-01)" 34 "all time: 34 participants (onlyflag has only a flagged session)"

# --- period boundaries
ok $([ -n "$(row weekly 2026-06-29 edge_jun)" ] && [ -n "$(row weekly 2026-06-29 edge_jul)" ] &&
	echo 0 || echo 1) "06-30 23:59:59 and 07-01 00:00:00 are both in the week of 06-29"
ok $([ -n "$(row monthly 2026-06-01 edge_jun)" ] && [ -z "$(row monthly 2026-07-01 edge_jun)" ] &&
	echo 0 || echo 1) "06-30 23:59:59 counts in June only"
ok $([ -n "$(row monthly 2026-07-01 edge_jul)" ] && [ -z "$(row monthly 2026-06-01 edge_jul)" ] &&
	echo 0 || echo 1) "07-01 00:00:00 counts in July only"
ok $([ -n "$(row daily 2026-07-01 late)" ] && [ -z "$(row daily 2026-07-02 late)" ] &&
	echo 0 || echo 1) "07-01 23:59:59 is yesterday's"
ok $([ -n "$(row daily 2026-07-02 early)" ] && [ -z "$(row daily 2026-07-01 early)" ] &&
	echo 0 || echo 1) "07-02 00:00:00 is today's"
is "$(row daily 2026-07-01 night | cut -d'|' -f2-5)" "300|0|0|349.14" \
	"across midnight: 300 tokens and no session on the first day (by hand: 349.14)"
is "$(row daily 2026-07-02 night | cut -d'|' -f2-4)" "700|1|1" \
	"across midnight: 700 tokens and the session on the second day"
is "$(row weekly 2026-06-29 diamond | cut -d'|' -f2-5)" "100000000|4|40|766.60" \
	"diamond this week: 4 days, 1e8 tokens (by hand: 766.60)"

# --- scores and tiers by hand
is "$(row all_time 1970-01-01 diamond)" "1|1000000000|40|40|867.52" \
	"diamond: first, 40-day streak, 867.52 (by hand: 360 + 250 + 107.52 + 150)"
is "$(row all_time 1970-01-01 plat | cut -d'|' -f2-5)" "10000000|5|5|606.88" \
	"plat: 606.88 (by hand: 280 + 250 + 51.88 + 25)"
is "$(row all_time 1970-01-01 tie1 | cut -d'|' -f5)" "348.49" "tie1: 348.49 (by hand)"
is "$(row all_time 1970-01-01 cheat | cut -d'|' -f2-5)" "2000|1|1|282.12" \
	"cheat: the flagged session is left out (by hand: 282.12)"

# --- streaks
is "$(row all_time 1970-01-01 streak_y | cut -d'|' -f4)" 3 "a streak that ended yesterday still counts today"
is "$(row all_time 1970-01-01 streak_gap | cut -d'|' -f4)" 0 "a broken streak is 0 today"
is "$(row weekly 2026-06-22 streak_gap | cut -d'|' -f4)" 2 "last week's streak ends on its Sunday: 2"
is "$(row monthly 2026-06-01 streak_gap | cut -d'|' -f4)" 1 "June's streak ends on 06-30: 1"
is "$(row monthly 2026-06-01 diamond | cut -d'|' -f4)" 38 "diamond on 06-30: 38 days"
is "$(row weekly 2026-06-22 diamond | cut -d'|' -f4)" 36 "diamond on 06-28: 36 days"
is "$(row daily 2026-07-01 diamond | cut -d'|' -f4)" 39 "diamond yesterday: 39 days"
is "$(row daily 2026-07-01 night | cut -d'|' -f4)" 0 "tokens without a session make no streak day"
is "$(row all_time 1970-01-01 marathon | cut -d'|' -f4)" 70 "a 70-day streak (older days read as gaps and islands)"
is "$(row monthly 2026-06-01 marathon | cut -d'|' -f4)" 68 "the same run on 06-30: 68 days"
is "$(row weekly 2026-06-22 marathon | cut -d'|' -f4)" 66 "and on 06-28: 66 days"
is "$(row all_time 1970-01-01 edge_jun | cut -d'|' -f4)" 0 "edge_jun: last session two days ago, streak 0"
is "$(row all_time 1970-01-01 edge_jul | cut -d'|' -f4)" 1 "edge_jul: yesterday, streak 1"

# --- the SQL scores are lib/score.c's, row for row
arena_psql -F' ' -c "SELECT input_tokens, output_tokens, session_count, streak FROM rankings
	ORDER BY period_type, period_start, user_id" | "$top_builddir/t/score-calc" >"$T/c.txt"
arena_psql -F' ' -c "SELECT composite_score::numeric(12, 2), CASE
	WHEN composite_score >= 800 THEN 'Diamond' WHEN composite_score >= 600 THEN 'Platinum'
	WHEN composite_score >= 400 THEN 'Gold' WHEN composite_score >= 200 THEN 'Silver'
	ELSE 'Bronze' END FROM rankings ORDER BY period_type, period_start, user_id" >"$T/sql.txt"
is "$(wc -l <"$T/c.txt")" "$(arena_psql -c 'SELECT count(*) FROM rankings')" "score-calc scored every row"
cmp -s "$T/c.txt" "$T/sql.txt"
ok $? "every stored score equals score_compute() for the same inputs"
n=$(arena_psql -c "SELECT count(*) FROM rankings WHERE composite_score <> round(composite_score, 2)")
is "$n" 0 "scores have two decimals"

# --- competition ranking: 1 + the number of strictly better scores
n=$(arena_psql -c "SELECT count(*) FROM rankings r WHERE r.rank_position <> 1 + (SELECT count(*)
	FROM rankings q WHERE q.period_type = r.period_type AND q.period_start = r.period_start
	AND q.composite_score > r.composite_score)")
is "$n" 0 "every position is 1 + the number of better scores"
t=$(arena_psql -c "SELECT string_agg(DISTINCT r.rank_position::text, ',') FROM rankings r
	JOIN users u ON u.id = r.user_id WHERE r.period_type = 'all_time' AND u.username LIKE 'tie_'")
n=$(arena_psql -c "SELECT count(*) FROM rankings WHERE period_type = 'all_time' AND rank_position = $t")
is "$n" 3 "three users with equal numbers share one all-time place"
n=$(arena_psql -c "SELECT min(rank_position) FROM rankings WHERE period_type = 'all_time'
	AND rank_position > $t")
is "$n" $((t + 3)) "the place after a three-way tie is 3 further on (1, 2, 2, 4)"
is "$(row all_time 1970-01-01 late | cut -d'|' -f1,5)" "$(row all_time 1970-01-01 early | cut -d'|' -f1,5)" \
	"07-01 23:59:59 and 07-02 00:00:00: equal numbers, equal place all-time"
is "$(row all_time 1970-01-01 old | cut -d'|' -f5)" 130.73 "old: 130.73, Bronze (by hand: 48.16 + 62.5 + 20.07)"

# --- idempotent: a second run changes nothing, not even updated_at
before=$(arena_psql -c "SELECT md5(string_agg(r::text, ',' ORDER BY period_type, period_start, user_id)) FROM rankings r")
rankings >/dev/null
is $? 0 "a second run succeeds"
after=$(arena_psql -c "SELECT md5(string_agg(r::text, ',' ORDER BY period_type, period_start, user_id)) FROM rankings r")
is "$after" "$before" "a second run rewrites nothing"

# --- the leaderboard
req GET '/api/leaderboard?period=all_time&limit=100'
is "$code" 200 "leaderboard 200"
is "$(jv .pagination.total)" 34 "total: 34"
is "$(jv '.data | length')" 34 "all 34 on one page of 100"
is "$(jv '.data[0].username')" diamond "diamond first"
is "$(jv '.data[0].tier')" Diamond "tier Diamond"
is "$(jv '.data[0].compositeScore')" 867.52 "compositeScore as a number"
is "$(jv '.data[0].totalTokens')" 1000000000 "totalTokens = input + output"
is "$(jv '.data[0].streak')" 40 "streak 40"
is "$(jv '.data[0].efficiencyScore')" 1 "efficiencyScore: the efficiency term"
is "$(jv '.data[0].avatarUrl')" https://avatars.example.org/diamond "avatarUrl"
is "$(jv '[.data[].tier] | unique | sort | join(",")')" "Bronze,Diamond,Gold,Platinum,Silver" \
	"all five tiers on the board"
is "$(jv '[.data[].rank] == ([.data[].rank] | sort)')" true "ranks never go down the page"
is "$(jv '[.data[].compositeScore] == ([.data[].compositeScore] | sort | reverse)')" true \
	"scores never go up the page"
is "$(jv '.periodStart')" 1970-01-01T00:00:00.000Z "all_time periodStart"
is "$(jv '.periodEnd')" null "all_time has no end"
like "$(jv '.lastUpdated')" "T" "lastUpdated"
is "$(header Access-Control-Allow-Origin)" "*" "public: CORS"

# privacy: the place stays, the identity goes
p=$(jv '.data[] | select(.isPrivate) | [.rank, .userId, .username, .avatarUrl, .totalTokens] | map(tostring) | join(" ")')
prank=$(row all_time 1970-01-01 private | cut -d'|' -f1)
is "$p" "$prank null Anonymous #$prank null 150000" "a private user is 'Anonymous #<rank>' with no id or avatar"
unlike "$body" '"private"' "the private user's name is nowhere in the body"
pid=$(arena_psql -c "SELECT id FROM users WHERE username = 'private'")
unlike "$body" "$pid" "nor their id"

# the workers keep pages (lib/pagecache.h) and drop them when told
u=/api/leaderboard?period=all_time\&limit=99
for m in GET HEAD HEAD GET; do req $m "$u"; done	# past nginx: GET and HEAD are two entries
admin user privacy diamond on >/dev/null
sleep 2.1					# nginx's 1 s entries expire (it counts whole seconds)
req GET "$u"
is "$(jv '.data[0].username') $(jv '.data[0].userId')" "Anonymous #1 null" \
	"a privacy change reaches a kept page at once"
admin user privacy diamond off >/dev/null
sleep 2.1
req GET "$u"
is "$(jv '.data[0].username')" diamond "and back"

# periods and their bounds
req GET '/api/leaderboard?period=daily&limit=100'
is "$(jv .pagination.total)" 28 "daily: today's board"
is "$(jv .periodStart) $(jv .periodEnd)" "2026-07-02T00:00:00.000Z 2026-07-03T00:00:00.000Z" "daily bounds"
req GET '/api/leaderboard'
is "$(jv .period)" weekly "weekly by default"
is "$(jv .pagination.limit)" 50 "limit 50 by default"
is "$(jv .periodStart) $(jv .periodEnd)" "2026-06-29T00:00:00.000Z 2026-07-06T00:00:00.000Z" \
	"the week runs Monday to Monday across the month"
is "$(jv .pagination.total)" 33 "weekly total"
req GET '/api/leaderboard?period=monthly'
is "$(jv .periodStart) $(jv .periodEnd)" "2026-07-01T00:00:00.000Z 2026-08-01T00:00:00.000Z" "monthly bounds"

# pagination edges
req GET '/api/leaderboard?period=all_time&limit=10&offset=0'
is "$(jv '.data | length') $(jv .pagination.page) $(jv .pagination.totalPages) $(jv .pagination.hasMore)" \
	"10 1 4 true" "first page of 10"
first10=$(jv '[.data[].rank] | map(tostring) | join(",")')
req GET '/api/leaderboard?period=all_time&limit=10&offset=30'
is "$(jv '.data | length') $(jv .pagination.page) $(jv .pagination.hasMore)" "4 4 false" "last page: 4 rows"
req GET '/api/leaderboard?period=all_time&limit=10&offset=34'
is "$(jv '.data | length') $(jv .pagination.total) $(jv .pagination.hasMore)" "0 34 false" \
	"just past the end: no rows, total still 34"
req GET '/api/leaderboard?period=all_time&limit=100&offset=1000'
is "$code $(jv '.data | length') $(jv .pagination.total)" "200 0 34" "far past the end: total still 34"
req GET '/api/leaderboard?period=all_time&limit=1&offset=33'
is "$(jv '.data | length') $(jv .pagination.page) $(jv .pagination.hasMore)" "1 34 false" "limit 1, last row"
all=""
for off in 0 10 20 30; do
	req GET "/api/leaderboard?period=all_time&limit=10&offset=$off"
	all="$all$(jv '[.data[] | (.rank|tostring) + ":" + .username] | join(" ")') "
done
req GET '/api/leaderboard?period=all_time&limit=100'
is "$all" "$(jv '[.data[] | (.rank|tostring) + ":" + .username] | join(" ")') " \
	"pages of 10 put together are the page of 100, ties in the same order"

# parameters
for q in 'period=yearly' 'period=' 'limit=0' 'limit=101' 'limit=-1' 'limit=1e1' 'limit=050' \
	'offset=-1' 'offset=x' 'offset=1.5'; do
	req GET "/api/leaderboard?$q"
	is "$code $(jv .error.field)" "400 ${q%%=*}" "400 naming the parameter: $q"
done
req GET '/api/leaderboard?period=daily&sort=score'
is "$code $(jv .error.code) $(jv .error.field)" "400 unknown_parameter sort" "unknown parameter: 400 naming it"
req GET '/api/leaderboard?limit=5&limit=6'
is "$code $(jv .error.code) $(jv .error.field)" "400 duplicate_parameter limit" "repeated parameter: 400"
req GET '/api/leaderboard?period=%00'
is "$code" 400 "an encoded NUL is refused"
req GET '/api/leaderboard?per%69od=daily&limit=100'
is "$code $(jv .period)" "200 daily" "parameter names are decoded"
req POST '/api/leaderboard'
is "$code" 405 "POST is 405"

# caching: an ETag, 304 when it matches, and the micro-cache in front
req GET '/api/leaderboard?period=monthly&limit=7'
etag=$(header ETag)
like "$etag" '"' "an ETag"
like "$(header Cache-Control)" "max-age=" "Cache-Control with max-age"
req GET '/api/leaderboard?period=monthly&limit=7' -H "If-None-Match: $etag"
is "$code" 304 "304 on If-None-Match"
is "$body" "" "304 has no body"
req GET '/api/leaderboard?period=monthly&limit=7' -H 'If-None-Match: "nope"'
is "$code" 200 "200 when the tag does not match"
req GET '/api/leaderboard?period=weekly&limit=3'
req GET '/api/leaderboard?period=weekly&limit=3'
is "$(header X-Cache)" HIT "a second read within a second comes from nginx's micro-cache"

# --- the caller's own rank
req GET /api/v1/rank -H "X-API-Key: $TIE_KEY"
is "$code" 200 "rank 200"
is "$(jv .username)" tie1 "username"
is "$(jv .rankings.allTime.position)" "$t" "allTime position = the tie's place"
is "$(jv .rankings.allTime.compositeScore)" 348.49 "allTime score"
is "$(jv .rankings.allTime.totalParticipants)" 34 "allTime participants"
is "$(jv .rankings.daily.totalParticipants)" 28 "daily participants"
is "$(jv .rankings.weekly.totalParticipants)" 33 "weekly participants"
is "$(jv .rankings.monthly.totalParticipants)" 31 "monthly participants"
is "$(jv .stats.totalTokens) $(jv .stats.inputTokens) $(jv .stats.outputTokens) $(jv .stats.totalSessions)" \
	"2500 1000 1500 1" "stats"
is "$(jv .tier) $(jv .streak)" "Silver 1" "tier and streak"
like "$(jv .lastUpdated)" "T" "lastUpdated"
req GET /api/v1/rank -H "X-API-Key: $OLD_KEY"
is "$(jv .rankings.daily) $(jv .rankings.weekly) $(jv .rankings.monthly)" "null null null" \
	"periods without activity are null"
is "$(jv .rankings.allTime.position)" "$(row all_time 1970-01-01 old | cut -d'|' -f1)" "old is still ranked all-time"
req GET /api/v1/rank -H "X-API-Key: $PRIV_KEY"
is "$(jv .username) $(jv .rankings.allTime.position)" "private $prank" "a private user sees their own rank"
req GET /api/v1/rank
is "$code $(jv .error.code)" "401 api_key_missing" "rank needs a key"

# --- flagged sessions count when configured to
out=$(ARENA_RANK_INCLUDE_FLAGGED=1 rankings)
like "$out" "flagged sessions included" "ARENA_RANK_INCLUDE_FLAGGED=1 is reported"
is "$(participants all_time 1970-01-01)" 35 "with flagged sessions: 35 participants"
is "$(row all_time 1970-01-01 cheat | cut -d'|' -f2-5)" "102010|2|1|487.15" \
	"cheat with the flagged session (by hand: 487.15)"
rankings >/dev/null
is "$(participants all_time 1970-01-01)" 34 "and without again"

# --- failure: one line on stderr, non-zero exit
err=$(DATABASE_URL="host=$ARENA_RUN port=1 dbname=arena" "$top_builddir/cron/calculate-rankings" 2>&1 >/dev/null)
is $? 1 "no database: exit 1"
is "$(printf '%s\n' "$err" | wc -l)" 1 "one line on stderr"
like "$err" "calculate-rankings: cannot connect" "saying what failed"
"$top_builddir/cron/calculate-rankings" --today 2026-02-30 >/dev/null 2>&1
is $? 2 "an impossible date is a usage error"

done_testing
