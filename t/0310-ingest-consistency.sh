#!/bin/sh
# 0310-ingest-consistency.sh -- a property test: after a random sequence
# of new sessions, retries, cumulative updates, refused decreases and
# batches, every aggregate equals what the stored sessions say, and the
# stored sessions equal what the client last had acknowledged.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
arena_up

SEED=${ARENA_SEED:-$(date +%s)}
echo "# seed $SEED (rerun with ARENA_SEED=$SEED)"
for u in u1 u2 u3; do
	admin user add $u >/dev/null
	eval "KEY_$u=\$(admin key issue $u)"
done
NOW=$(date +%s)
F=$T/body.json
ACK=$T/acked	# "user sid in out cc cr" of every acknowledged version

# Deterministic pseudo-random numbers from the seed.
rnd_state=$SEED
rnd() {		# rnd N: sets R to an integer in [0, N) (no subshell: state must advance)
	rnd_state=$(( (rnd_state * 1103515245 + 12345) % 2147483648 ))
	R=$(( rnd_state / 65536 % $1 ))
}
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%S.000Z; }

# Writes a session to $F: user $1, sid $2, totals $3..$6, end hour offset $7.
session() {
	end=$(( (NOW / 3600 - $7 - 1) * 3600 + 1800 ))
	start=$(( end - 3 * 3600 ))
	h1=$(( end / 3600 * 3600 - 3 * 3600 )) h2=$(( h1 + 3600 )) h3=$(( h1 + 7200 )) h4=$(( h1 + 10800 ))
	# spread the totals over four hours, the remainder in the last one
	a=$(( $3 / 4 )) b=$(( $4 / 4 )) c=$(( $5 / 4 )) d=$(( $6 / 4 ))
	slices="{\"hourStart\":\"$(iso $h1)\",\"inputTokens\":$a,\"outputTokens\":$b,\"cacheCreationTokens\":$c,\"cacheReadTokens\":$d},"
	slices="$slices{\"hourStart\":\"$(iso $h2)\",\"inputTokens\":$a,\"outputTokens\":$b,\"cacheCreationTokens\":$c,\"cacheReadTokens\":$d},"
	slices="$slices{\"hourStart\":\"$(iso $h3)\",\"inputTokens\":$a,\"outputTokens\":$b,\"cacheCreationTokens\":$c,\"cacheReadTokens\":$d},"
	slices="$slices{\"hourStart\":\"$(iso $h4)\",\"inputTokens\":$(( $3 - 3 * a )),\"outputTokens\":$(( $4 - 3 * b )),\"cacheCreationTokens\":$(( $5 - 3 * c )),\"cacheReadTokens\":$(( $6 - 3 * d ))}"
	m1=$(( $3 / 3 )) n1=$(( $4 / 3 ))
	printf '{"sessionHash":"%064d","sessionId":"%s","startedAt":"%s","endedAt":"%s","inputTokens":%s,"outputTokens":%s,"cacheCreationTokens":%s,"cacheReadTokens":%s,"turnCount":%s,"modelName":"claude-sonnet-4","toolUsage":{"Read":%s,"Bash":%s},"codeMetrics":{"linesAdded":%s,"linesDeleted":1,"filesModified":1,"filesCreated":0},"modelUsage":{"claude-sonnet-4":{"inputTokens":%s,"outputTokens":%s,"cacheCreationTokens":%s,"cacheReadTokens":%s},"claude-haiku-4":{"inputTokens":%s,"outputTokens":%s}},"slices":[%s]}' \
		0 "$2" "$(iso $start)" "$(iso $end)" "$3" "$4" "$5" "$6" $(( $4 % 50 )) $(( $3 % 7 )) $(( $4 % 5 )) $(( $3 % 100 )) \
		$(( $3 - m1 )) $(( $4 - n1 )) "$5" "$6" $m1 $n1 "$slices" >"$F"
}

ops=${ARENA_OPS:-150}
created=0 updated=0 dup=0 conflict=0
for i in $(seq 1 $ops); do
	rnd 3; u=u$((R + 1))
	rnd 12; sid=s$R
	eval "KEY=\$KEY_$u"
	prev=$(grep "^$u $sid " "$ACK" 2>/dev/null | tail -1)
	if [ -z "$prev" ]; then
		rnd 90000; in=$((R + 100))
		rnd 9000; out=$((R + 10))
		rnd 5000; cc=$R
		rnd 900000; cr=$R
		rnd 60; hr=$R
	else
		set -- $prev
		in=$3 out=$4 cc=$5 cr=$6 hr=$7
		rnd 4
		case $R in
		0) ;;						# retry, same content
		1|2) rnd 5000; in=$((in + R)); rnd 500; out=$((out + R + 1)); rnd 90000; cr=$((cr + R)) ;;
		3) in=$((in - 1)) ;;				# a smaller total: refused
		esac
	fi
	session "$u" "$sid" $in $out $cc $cr $hr
	# a retry signs afresh (the replay guard refuses byte-identical
	# requests): a distinct timestamp per operation, all inside the window
	TS=$(( $(date +%s) - 290 + i % 580 )) post /api/v1/sessions "$F"
	case $code in
	201) created=$((created + 1)); echo "$u $sid $in $out $cc $cr $hr" >>"$ACK" ;;
	200) [ "$(jv .duplicate)" = true ] && dup=$((dup + 1)) || updated=$((updated + 1))
	     echo "$u $sid $in $out $cc $cr $hr" >>"$ACK" ;;
	409) conflict=$((conflict + 1)) ;;
	*) echo "# unexpected $code: $body" ;;
	esac
done
echo "# created $created, updated $updated, duplicate $dup, refused $conflict"
ok $([ $((created + updated + dup + conflict)) = $ops ] && echo 0 || echo 1) "every operation got an expected answer"
ok $([ $created -gt 0 ] && [ $updated -gt 0 ] && [ $dup -gt 0 ] && [ $conflict -gt 0 ] && echo 0 || echo 1) "the sequence exercised every outcome"

# what the client last had acknowledged, per user
for u in u1 u2 u3; do
	want=$(awk -v u=$u '$1 == u { last[$2] = $3 " " $4 " " $5 " " $6 }
		END { for (s in last) { split(last[s], t); i += t[1]; o += t[2]; c += t[3]; r += t[4]; n++ }
		      printf "%d|%d|%d|%d|%d", i, o, c, r, n }' "$ACK")
	got=$(arena_psql -c "SELECT coalesce(sum(input_tokens),0), coalesce(sum(output_tokens),0),
		coalesce(sum(cache_creation_tokens),0), coalesce(sum(cache_read_tokens),0), coalesce(sum(session_count),0)
		FROM user_totals t JOIN users u ON u.id = t.user_id WHERE u.username = '$u'")
	is "$got" "$want" "$u: lifetime totals equal the last acknowledged version of each session"
done

# every aggregate against a recomputation from the stored sessions
check() { is "$(arena_psql -c "SELECT count(*) FROM ($1) x")" 0 "$2"; }
check "SELECT user_id, day, flagged, i, o, cc, cr, n FROM (
	SELECT s.user_id, (t.hour_start AT TIME ZONE 'UTC')::date AS day, s.flagged,
	       sum(t.input_tokens) i, sum(t.output_tokens) o, sum(t.cache_creation_tokens) cc,
	       sum(t.cache_read_tokens) cr, 0 n
	FROM token_usage t JOIN sessions s ON s.id = t.session_id GROUP BY 1, 2, 3) a
	FULL JOIN (SELECT user_id, (ended_at AT TIME ZONE 'UTC')::date AS day, flagged, count(*)::int m
		   FROM sessions GROUP BY 1, 2, 3) b USING (user_id, day, flagged)
	FULL JOIN daily_aggregates d USING (user_id, day, flagged)
	WHERE coalesce(a.i, 0) <> coalesce(d.input_tokens, 0) OR coalesce(a.o, 0) <> coalesce(d.output_tokens, 0)
	   OR coalesce(a.cc, 0) <> coalesce(d.cache_creation_tokens, 0) OR coalesce(a.cr, 0) <> coalesce(d.cache_read_tokens, 0)
	   OR coalesce(b.m, 0) <> coalesce(d.session_count, 0)" "daily aggregates equal the sessions' slices and end days"
check "SELECT 1 FROM (SELECT user_id, date_trunc('month', day)::date AS month, flagged, sum(input_tokens) i,
	sum(output_tokens) o, sum(cache_read_tokens) cr, sum(session_count) n, sum(lines_added) la
	FROM daily_aggregates GROUP BY 1, 2, 3) a FULL JOIN monthly_aggregates m USING (user_id, month, flagged)
	WHERE a.i IS DISTINCT FROM m.input_tokens OR a.o IS DISTINCT FROM m.output_tokens
	   OR a.cr IS DISTINCT FROM m.cache_read_tokens OR a.n IS DISTINCT FROM m.session_count
	   OR a.la IS DISTINCT FROM m.lines_added" "monthly aggregates equal the daily ones"
check "SELECT 1 FROM (SELECT user_id, flagged, sum(input_tokens) i, sum(output_tokens) o,
	sum(cache_creation_tokens) cc, sum(cache_read_tokens) cr, count(*) n, sum(turn_count) tc,
	sum((code_metrics->>'linesAdded')::bigint) la FROM sessions GROUP BY 1, 2) s
	FULL JOIN user_totals u USING (user_id, flagged)
	WHERE coalesce(s.i, 0) <> coalesce(u.input_tokens, 0) OR coalesce(s.o, 0) <> coalesce(u.output_tokens, 0)
	   OR coalesce(s.cc, 0) <> coalesce(u.cache_creation_tokens, 0)
	   OR coalesce(s.cr, 0) <> coalesce(u.cache_read_tokens, 0)
	   OR coalesce(s.n, 0) <> coalesce(u.session_count, 0) OR coalesce(s.tc, 0) <> coalesce(u.turn_count, 0)
	   OR coalesce(s.la, 0) <> coalesce(u.lines_added, 0)" "lifetime totals equal the sessions"
check "SELECT 1 FROM (SELECT s.user_id, (s.ended_at AT TIME ZONE 'UTC')::date AS day, e.key AS model,
	sum((e.value->>'inputTokens')::bigint) i, sum((e.value->>'outputTokens')::bigint) o, count(*) n
	FROM sessions s, jsonb_each(s.model_usage) e GROUP BY 1, 2, 3) a
	FULL JOIN daily_model_usage m USING (user_id, day, model)
	WHERE coalesce(a.i, 0) <> coalesce(m.input_tokens, 0) OR coalesce(a.o, 0) <> coalesce(m.output_tokens, 0)
	   OR coalesce(a.n, 0) <> coalesce(m.session_count, 0)" "per-model usage equals the sessions'"
check "SELECT 1 FROM (SELECT s.user_id, (s.ended_at AT TIME ZONE 'UTC')::date AS day, e.key AS tool_name,
	sum(e.value::bigint) uses FROM sessions s, jsonb_each_text(s.tool_usage) e GROUP BY 1, 2, 3) a
	FULL JOIN daily_tool_usage t USING (user_id, day, tool_name)
	WHERE coalesce(a.uses, 0) <> coalesce(t.uses, 0)" "per-tool counts equal the sessions'"
check "SELECT 1 FROM (SELECT user_id, day, sum(input_tokens) i, sum(cache_read_tokens) cr, sum(session_count) n
	FROM daily_aggregates GROUP BY 1, 2) a FULL JOIN (SELECT user_id, day, sum(input_tokens) i,
	sum(cache_read_tokens) cr, sum(session_count) n FROM daily_tool_type_usage GROUP BY 1, 2) b USING (user_id, day)
	WHERE coalesce(a.i, 0) <> coalesce(b.i, 0) OR coalesce(a.cr, 0) <> coalesce(b.cr, 0)
	   OR coalesce(a.n, 0) <> coalesce(b.n, 0)" \
	"per-tool-type usage equals the daily totals"
is "$(arena_psql -c "SELECT count(*) FROM daily_aggregates WHERE input_tokens < 0 OR session_count < 0")" 0 "no aggregate went negative"

done_testing
