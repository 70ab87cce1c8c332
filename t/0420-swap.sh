#!/bin/sh
# 0420-swap.sh -- readers never see a half-written ranking
#
# Two complete all-time rankings, A (flagged sessions left out) and B
# (counted), differ in almost every row.  calculate-rankings flips
# between them over and over while the leaderboard is read without the
# micro-cache: every answer must be exactly A or exactly B.
. "$top_srcdir/t/lib/harness.sh"
. "$top_srcdir/t/lib/sessions.sh"
ARENA_MICROCACHE=off
export ARENA_MICROCACHE
arena_up

rankings() { "$top_builddir/cron/calculate-rankings" >/dev/null; }
URL='/api/leaderboard?period=all_time&limit=100&offset=40'
# the body without lastUpdated, which every run changes
digest() { sed 's/"lastUpdated":"[^"]*"//' "$1" | md5sum | cut -c1-32; }

arena_psql -c "INSERT INTO users (username) SELECT 'u' || g FROM generate_series(1, 240) g" >/dev/null
now=$(date -u +%FT%H:00:00Z)
for k in $(seq 1 240); do
	sess "u$k" "a$k" "$now" $((1000 + 37 * k)) $((1500 + 53 * (240 - k)))
	# every other user also has a session no model could produce
	[ $((k % 2)) = 0 ] && sess "u$k" "b$k" "$now" 10 $((100000 + 97 * k)) 1
done
load_sessions

rankings
req GET "$URL"
printf %s "$body" >"$T/a.json"
A=$(digest "$T/a.json")
is "$(jv .pagination.total)" 240 "ranking A: 240 users"
ARENA_RANK_INCLUDE_FLAGGED=1 rankings
req GET "$URL"
printf %s "$body" >"$T/b.json"
B=$(digest "$T/b.json")
ok $([ "$A" != "$B" ] && echo 0 || echo 1) "ranking B differs from A"
n=$(jq -n --slurpfile a "$T/a.json" --slurpfile b "$T/b.json" \
	'[range(0; 100) | select($a[0].data[.].username != $b[0].data[.].username)] | length')
ok $([ "$n" -gt 50 ] && echo 0 || echo 1) "on most rows ($n of 100)"

# flip between A and B while two readers read
(
	i=0
	while [ $i -lt 30 ]; do
		rankings
		ARENA_RANK_INCLUDE_FLAGGED=1 rankings
		i=$((i + 1))
	done
	rankings
) &
writer=$!
reader() {
	i=0
	while kill -0 $writer 2>/dev/null && [ $i -lt 2000 ]; do
		curl -s -o "$T/r$1-$i.json" "$ARENA_URL$URL"
		i=$((i + 1))
	done
}
reader 1 &
r1=$!
reader 2
wait $r1
wait $writer
is $? 0 "60 ranking runs succeeded while the board was read"

seen_a=0 seen_b=0 other=0
for f in "$T"/r*.json; do
	case $(digest "$f") in
	"$A") seen_a=$((seen_a + 1)) ;;
	"$B") seen_b=$((seen_b + 1)) ;;
	*) other=$((other + 1)); echo "# neither A nor B: $f"; head -c 300 "$f" | sed 's/^/# /'; echo ;;
	esac
done
ok $([ $((seen_a + seen_b)) -gt 50 ] && echo 0 || echo 1) "$((seen_a + seen_b)) reads during the runs"
ok $([ $seen_a -gt 0 ] && [ $seen_b -gt 0 ] && echo 0 || echo 1) \
	"both rankings were seen ($seen_a A, $seen_b B): the swaps happened under the readers"
is "$other" 0 "no read saw anything but a whole ranking"

done_testing
