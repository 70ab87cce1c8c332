#!/bin/sh
# 0300-ingest.sh -- POST /api/v1/sessions and /sessions/batch through
# nginx: the bad-input table (security-reliability.md §4.1, rows 1-52 but
# the rate-limit rows), retries and cumulative updates that never count
# twice, 50 identical requests at once, batches, and day boundaries.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
arena_up

admin user add alice >/dev/null && admin user add bob >/dev/null
KEY=$(admin key issue alice)
BOBKEY=$(admin key issue bob)
ALICE=$(arena_psql -c "SELECT id FROM users WHERE username = 'alice'")
NOW=$(date +%s)
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%S.000Z; }
END=$(iso $((NOW - 3600)))
START=$(iso $((NOW - 7200)))
H=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
F=$T/body.json

# body JSON: writes JSON text to $F exactly as given
body() { printf '%s' "$1" >"$F"; }
# a valid session; $1 sessionId, $2 input, $3 output, extra members in $4
good() {
	body "{\"sessionHash\":\"$H\",\"sessionId\":\"$1\",\"startedAt\":\"$START\",\"endedAt\":\"$END\",\"inputTokens\":$2,\"outputTokens\":$3,\"cacheCreationTokens\":10,\"cacheReadTokens\":1000,\"modelName\":\"claude-sonnet-4-20250514\",\"turnCount\":3,\"toolUsage\":{\"Read\":2,\"Edit\":1},\"codeMetrics\":{\"linesAdded\":10,\"linesDeleted\":2,\"filesModified\":1,\"filesCreated\":0}${4:-}}"
}
# refused NAME STATUS CODE: posts $F signed and checks the refusal
refused() {
	before=$(stored)
	post /api/v1/sessions "$F" ${EXTRA:+"$EXTRA"}
	is "$code $(jv .error.code)" "$2 $3" "$1"
	is "$(stored)" "$before" "$1: nothing stored"
}
audits() { arena_psql -c "SELECT count(*) FROM security_audit_log WHERE event_type = '$1'"; }

# --- the first session, and the exact-once rules
good s1 100 50
post /api/v1/sessions "$F"
is "$code" 201 "first submission 201"
is "$(jv .success)" true "success: true"
is "$(jv .message)" "Session recorded successfully" "seed's message"
SID=$(jv .sessionId)
like "$SID" "-" "a session uuid"
is "$(audits session_created)" 1 "session_created audited"
TS=$LAST_TS post /api/v1/sessions "$F"
is "$code $(jv .error.code)" "401 replay_detected" "the identical signed request again is a replay (row 22)"
is "$(audits replay_detected)" 1 "replay_detected audited"
TS=$((LAST_TS + 1)) post /api/v1/sessions "$F"
is "$code $(jv .duplicate) $(jv .sessionId)" "200 true $SID" "a retry re-signed with a new timestamp: 200 duplicate, same id"
is "$(audits session_duplicate)" 1 "session_duplicate audited"
printf '{ "sessionId":"s1",  %s' "$(cut -c2- "$F")" >/dev/null
good s1 300 90
post /api/v1/sessions "$F"
is "$code $(jv .updated)" "200 true" "cumulative update: 200 updated"
is "$(arena_psql -c "SELECT count(*), sum(input_tokens), sum(output_tokens) FROM sessions")" "1|300|90" "totals replaced, never added"
is "$(arena_psql -c "SELECT input_tokens, output_tokens, session_count FROM user_totals WHERE user_id = '$ALICE'")" "300|90|1" "lifetime totals moved by the difference"
is "$(arena_psql -c "SELECT sum(input_tokens), sum(output_tokens), sum(session_count) FROM daily_aggregates WHERE user_id = '$ALICE'")" "300|90|1" "daily aggregates moved by the difference"
good s1 200 90
refused "decreasing totals" 409 session_conflict
good s1 300 90 ',"durationSeconds":5000'
post /api/v1/sessions "$F"
is "$code $(jv .updated)" "200 true" "same totals, other metadata: updated"

# --- identity without sessionId is (user, sessionHash)
body "{\"sessionHash\":\"fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210\",\"endedAt\":\"$END\",\"inputTokens\":5,\"outputTokens\":5}"
HB=$(sed 's/.*"sessionHash":"\([^"]*\)".*/\1/' "$F")
post /api/v1/sessions "$F"
is "$code" 201 "session identified by hash only"
body "{\"sessionHash\":\"$(echo "$HB" | tr a-f A-F)\",\"endedAt\":\"$END\",\"inputTokens\":5,\"outputTokens\":5}"
post /api/v1/sessions "$F"
is "$code $(jv .duplicate)" "200 true" "uppercase form of a stored hash is the same session (row 44)"
body "{\"sessionHash\":\"$HB\",\"endedAt\":\"$END\",\"inputTokens\":4,\"outputTokens\":5}"
refused "stored hash, smaller totals (row 45)" 409 session_conflict
body "{\"sessionHash\":\"$HB\",\"endedAt\":\"$END\",\"inputTokens\":5,\"outputTokens\":5}"
KEY0=$KEY; KEY=$BOBKEY
post /api/v1/sessions "$F"
is "$code" 201 "same hash from another user is that user's session (row 46)"
KEY=$KEY0

# --- exact numbers (rows 37, 38, 42)
good big 3000000000 1
post /api/v1/sessions "$F"
is "$code" 201 "3000000000 tokens accepted (row 37)"
is "$(arena_psql -c "SELECT input_tokens FROM sessions WHERE client_session_id = 'big'")" 3000000000 "stored exactly as 3000000000"
for n in 9007199254740993 9223372036854775808 18446744073709551616 1234567890123456789012345678901234567890123456789012345678901234567890; do
	good big2 "$n" 1
	refused "tokens $n out of range (row 38)" 422 out_of_range
done
good big3 600000000000 600000000000
refused "each count within the maximum, their sum beyond (row 42)" 422 out_of_range

# --- protocol (rows 5-11, 14-21)
body ''
refused "empty body (row 5)" 400 invalid_json
good p1 1 1
before=$(stored)
ts=$(date +%s); sig=$("$top_builddir/t/arena-sign" "$KEY" "$ts" <"$F")
for ct in text/plain ''; do
	req POST /api/v1/sessions -H "Content-Type: $ct" -H "X-API-Key: $KEY" -H "X-Timestamp: $ts" -H "X-Signature: $sig" --data-binary @"$F"
	is "$code $(jv .error.code)" "415 unsupported_media_type" "content type '$ct' refused (row 6)"
done
for m in GET PUT DELETE; do
	req $m /api/v1/sessions
	is "$code $(header Allow)" "405 POST" "$m refused with Allow: POST (row 7)"
done
req POST /api/v1/sessions -H 'Content-Type: application/json' -H "X-Timestamp: $ts" -H "X-Signature: $sig" --data-binary @"$F"
is "$code $(jv .error.code)" "401 api_key_missing" "no X-API-Key (row 8)"
req POST /api/v1/sessions -H 'Content-Type: application/json' -H "X-API-Key: abc" -H "X-Timestamp: $ts" -H "X-Signature: $sig" --data-binary @"$F"
is "$code $(jv .error.code)" "401 api_key_invalid" "malformed key (row 9)"
req POST /api/v1/sessions -H 'Content-Type: application/json' -H "X-API-Key: $KEY" -H "X-API-Key: $KEY" -H "X-Timestamp: $ts" -H "X-Signature: $sig" --data-binary @"$F"
is "$code $(jv .error.code)" "400 duplicate_header" "X-API-Key twice (row 11)"
req POST /api/v1/sessions -H 'Content-Type: application/json' -H "X-API-Key: $KEY" -H "X-Timestamp: $ts" --data-binary @"$F"
is "$code $(jv .error.code)" "401 hmac_signature_invalid" "no X-Signature (row 14)"
req POST /api/v1/sessions -H 'Content-Type: application/json' -H "X-API-Key: $KEY" -H "X-Signature: $sig" --data-binary @"$F"
is "$code $(jv .error.code)" "401 hmac_timestamp_invalid" "no X-Timestamp (row 14)"
for bad in "$(echo "$sig" | cut -c2-)" "${sig}0" "$(echo "$sig" | tr 0-9a-f g-p)" "sha256=$sig" "$(echo "$sig" | tr a-f A-F)"; do
	req POST /api/v1/sessions -H 'Content-Type: application/json' -H "X-API-Key: $KEY" -H "X-Timestamp: $ts" -H "X-Signature: $bad" --data-binary @"$F"
	is "$code $(jv .error.code)" "401 hmac_signature_invalid" "malformed signature '$(printf %.12s "$bad")...' (row 15)"
done
sed 's/"inputTokens":1/"inputTokens":9/' "$F" >"$T/tampered"
req POST /api/v1/sessions -H 'Content-Type: application/json' -H "X-API-Key: $KEY" -H "X-Timestamp: $ts" -H "X-Signature: $sig" --data-binary @"$T/tampered"
is "$code $(jv .error.code)" "401 hmac_signature_invalid" "body changed after signing (row 16)"
jq . "$F" >"$T/pretty"
req POST /api/v1/sessions -H 'Content-Type: application/json' -H "X-API-Key: $KEY" -H "X-Timestamp: $ts" -H "X-Signature: $sig" --data-binary @"$T/pretty"
is "$code $(jv .error.code)" "401 hmac_signature_invalid" "same JSON re-serialised: the raw bytes are signed (row 17)"
bobsig=$("$top_builddir/t/arena-sign" "$BOBKEY" "$ts" <"$F")
req POST /api/v1/sessions -H 'Content-Type: application/json' -H "X-API-Key: $KEY" -H "X-Timestamp: $ts" -H "X-Signature: $bobsig" --data-binary @"$F"
is "$code $(jv .error.code)" "401 hmac_signature_invalid" "signed with another user's key (row 18)"
# +302: the second may turn between stamping and checking
for off in -301 302; do
	TS=$(( $(date +%s) + off )) post /api/v1/sessions "$F"
	is "$code $(jv .error.code)" "401 hmac_timestamp_expired" "timestamp now$off s (row 19)"
done
for bad in +1700000000 1.7e9 0x6553f100 -1 12345678901234567890 $(( $(date +%s) * 1000 )); do
	TS=$bad post /api/v1/sessions "$F"
	like "$code $(jv .error.code)" "401 hmac_timestamp_" "timestamp '$bad' refused (row 21)"
done
is "$(stored)" "$before" "no protocol failure stored anything"
is "$(arena_psql -c "SELECT count(*) > 0 FROM security_audit_log WHERE event_type = 'hmac_signature_invalid' AND details->>'keyPrefix' IS NOT NULL")" t "hmac_signature_invalid audited with the key prefix"
is "$(audits hmac_timestamp_expired | sed 's/^[1-9][0-9]*$/some/')" some "hmac_timestamp_expired audited"
for off in -299 299; do
	good "edge$off" 1 1
	TS=$(( $(date +%s) + off )) post /api/v1/sessions "$F"
	is "$code" 201 "timestamp now$off s accepted (row 20)"
done

# --- JSON (rows 24-32, 40)
body '{"sessionHash":'
refused "truncated JSON (row 24)" 400 invalid_json
good g1 1 1 && printf ' GARBAGE' >>"$F"
refused "trailing garbage (row 25)" 400 invalid_json
good g2 1 1 && cp "$F" "$T/one" && cat "$T/one" "$T/one" >"$F"
refused "two concatenated objects (row 25)" 400 invalid_json
for top in '[]' '"x"' '1' 'null'; do
	body "$top"
	refused "top level $top (row 26)" 422 not_an_object
done
body "$(printf '%1001s' '' | tr ' ' '[')"
refused "1001 nested arrays (row 27)" 400 invalid_json
body "{\"deep\":$(printf '%500s' '' | tr ' ' '[')$(printf '%500s' '' | tr ' ' ']')}"
refused "500-deep value in an unknown field is refused at parse (row 27)" 400 invalid_json
good dk 1 1 ',"inputTokens":9000000000'
refused "duplicate key (row 28)" 400 duplicate_key
like "$(jv .error.message)" 'duplicate member "inputTokens" at byte ' \
	"the duplicate is named in the message"
is "$(jv .error.field)" inputTokens "and in the error's field"
is "$(arena_psql -c "SELECT count(*) FROM security_audit_log WHERE event_type = 'suspicious_activity' AND details->>'reason' = 'duplicate JSON member'")" 1 "duplicate key audited as suspicious_activity"
good ci 1 1 ',"InputTokens":7'
refused "case variant of a field (row 29)" 422 unknown_field
body "{\"sessionHash\":\"$H\",\"endedAt\":\"$END\",\"inputTokens\\u0000x\":1,\"outputTokens\":1}"
refused "\\u0000 in a key (row 30)" 400 invalid_string
body "{\"sessionHash\":\"$H\",\"endedAt\":\"$END\",\"inputTokens\":1,\"outputTokens\":1,\"modelName\":\"gpt\\u0000x\"}"
refused "\\u0000 in a value (row 30)" 400 invalid_string
for bytes in '\377\376' '\300\257'; do
	printf "{\"sessionHash\":\"$H\",\"endedAt\":\"$END\",\"inputTokens\":1,\"outputTokens\":1,\"modelName\":\"a$bytes\"}" >"$F"
	refused "invalid UTF-8 '$bytes' (row 31)" 400 invalid_utf8
done
body "{\"sessionHash\":\"$H\",\"endedAt\":\"$END\",\"inputTokens\":1,\"outputTokens\":1,\"modelName\":\"\\ud800\"}"
refused "lone surrogate (row 32)" 400 invalid_json
for v in NaN Infinity -Infinity; do
	good nan "$v" 1
	refused "tokens $v (row 40)" 400 invalid_json
done
good lz 0123 1
refused "leading zero is not JSON (row 36)" 400 invalid_json

# --- schema (rows 33-36, 39, 41, 43, 48-50)
for extra in '"user_id":7' '"is_admin":true' '"anomaly":false'; do
	good x1 1 1 ",$extra"
	refused "extra field $extra (row 33)" 422 unknown_field
done
body "{\"sessionHash\":\"$H\",\"endedAt\":\"$END\",\"inputTokens\":1}"
refused "required outputTokens missing (row 34)" 422 missing_field
is "$(jv .error.field)" outputTokens "the error names the field"
for v in -5 -0; do
	good neg "$v" 1
	refused "tokens $v (row 35)" 422 out_of_range
done
for v in 1.5 100.0 1e3 1e400; do
	good flt "$v" 1
	refused "tokens $v (row 36, 39)" 422 not_an_integer
done
for v in '"100"' true null '[]' '{}'; do
	good typ "$v" 1
	refused "tokens $v (row 41)" 422 wrong_type
done
for h in "$(echo $H | cut -c2-)" "${H}0" "$(echo $H | sed 's/^./g/')" "0x$(echo $H | cut -c3-)" "$(echo $H | sed 's/^./ /')"; do
	body "{\"sessionHash\":\"$h\",\"endedAt\":\"$END\",\"inputTokens\":1,\"outputTokens\":1}"
	refused "session hash '$(printf %.8s "$h")...' (row 43)" 422 invalid_session_hash
done
for m in "x'); DROP TABLE sessions;--" "$(printf '%10000s' '' | tr ' ' m)" '<script>' 'a\nb' 'gpt\u202e4' 'gpt\u20114'; do
	good mod 1 1 && sed "s|\"modelName\":\"[^\"]*\"|\"modelName\":\"$(printf '%s' "$m" | sed 's/[|&\\]/\\&/g')\"|" "$F" >"$T/m" && mv "$T/m" "$F"
	refused "model '$(printf '%s' "$m" | cut -c1-16 | tr -c 'A-Za-z0-9<>;) \n' '_')' (rows 48-49)" 422 invalid_model
done
is "$(arena_psql -c "SELECT count(*) >= 0 FROM sessions")" t "tables intact after the injection attempt"
body "{\"sessionHash\":\"$H\",\"startedAt\":\"$END\",\"endedAt\":\"$START\",\"inputTokens\":1,\"outputTokens\":1}"
refused "startedAt after endedAt (row 50)" 422 invalid_time
for t in 1970-01-01T00:00:00Z 3000-01-01T00:00:00Z "$(date -u +%Y-%m-%d)" "$(date -u +'%Y-%m-%d %H:%M:%S')" '' 1700000000; do
	body "{\"sessionHash\":\"$H\",\"endedAt\":\"$t\",\"inputTokens\":1,\"outputTokens\":1}"
	refused "endedAt '$t' (row 50)" 422 invalid_time
done
body "{\"sessionHash\":\"$H\",\"endedAt\":\"$(iso $((NOW + 600)))\",\"inputTokens\":1,\"outputTokens\":1}"
refused "endedAt 10 minutes in the future" 422 invalid_time
body "{\"sessionHash\":\"$H\",\"endedAt\":\"$(iso $((NOW - 91 * 86400)))\",\"inputTokens\":1,\"outputTokens\":1}"
refused "endedAt beyond the 90-day backfill window" 422 invalid_time
body "{\"sessionHash\":\"$H\",\"sessionId\":\"old\",\"endedAt\":\"$(iso $((NOW - 30 * 86400)))\",\"inputTokens\":1,\"outputTokens\":1}"
post /api/v1/sessions "$F"
is "$code" 201 "a session 30 days old is accepted (backfill)"
good tt 1 1 ',"toolType":"cursor"'
refused "unknown toolType" 422 invalid_value
good tu 1 1 && sed 's/"Read":2/"Read":-2/' "$F" >"$T/x" && mv "$T/x" "$F"
refused "negative tool use count" 422 out_of_range
good cm 1 1 && sed 's/"filesCreated":0/"filesCreated":0,"secret":1/' "$F" >"$T/x" && mv "$T/x" "$F"
refused "unknown code metric" 422 unknown_field
good mu 10 5 ',"modelUsage":{"claude-opus-4":{"inputTokens":6,"outputTokens":5,"cacheCreationTokens":10,"cacheReadTokens":1000},"claude-haiku-4":{"inputTokens":3,"outputTokens":0}}'
refused "modelUsage that does not add up" 422 model_usage_mismatch

# --- slices: a session across midnight lands on both days
D=$(date -u -d "@$((NOW - 2 * 86400))" +%Y-%m-%d)
D2=$(date -u -d "@$((NOW - 86400))" +%Y-%m-%d)
body "{\"sessionHash\":\"$H\",\"sessionId\":\"midnight\",\"startedAt\":\"${D}T23:30:00Z\",\"endedAt\":\"${D2}T00:30:00Z\",\"inputTokens\":100,\"outputTokens\":40,\"slices\":[{\"hourStart\":\"${D}T23:00:00Z\",\"inputTokens\":60,\"outputTokens\":10},{\"hourStart\":\"${D2}T00:00:00.000Z\",\"inputTokens\":40,\"outputTokens\":30}]}"
cp "$F" "$T/midnight"
sed 's/"inputTokens":40,"outputTokens":30/"inputTokens":41,"outputTokens":30/' "$T/midnight" >"$F"
refused "slices that do not add up" 422 slices_mismatch
sed "s/${D}T23:00:00Z/${D}T22:00:00Z/" "$T/midnight" >"$F"
refused "a slice before the session started" 422 invalid_time
sed "s/${D}T23:00:00Z/${D}T23:30:00Z/" "$T/midnight" >"$F"
refused "a slice not on the hour" 422 invalid_time
cp "$T/midnight" "$F"
post /api/v1/sessions "$F"
is "$code" 201 "midnight-crossing session with slices"
is "$(arena_psql -c "SELECT day, input_tokens, output_tokens, session_count FROM daily_aggregates WHERE user_id = '$ALICE' AND day IN ('$D', '$D2') ORDER BY day" | tr '\n' ' ')" \
	"$D|60|10|0 $D2|40|30|1 " "tokens split across the two days; the session counts once, on its end day"

# --- anomaly rule (rows 51, 52) and plausibility
admin user add carol >/dev/null
KEY0=$KEY; KEY=$(admin key issue carol)
good c1 1000 1000
post /api/v1/sessions "$F"
is "$code $(arena_psql -c "SELECT flagged FROM sessions WHERE client_session_id = 'c1'")" "201 f" "first-ever session: accepted, not flagged (row 51)"
good c2 30000 30000
post /api/v1/sessions "$F"
is "$code $(arena_psql -c "SELECT flagged, flag_reason FROM sessions WHERE client_session_id = 'c2'")" "201 t|token_anomaly" "30x the average: accepted and flagged (row 52)"
is "$(arena_psql -c "SELECT count(*) FROM security_audit_log a JOIN users u ON u.id = a.user_id WHERE u.username = 'carol' AND event_type = 'suspicious_activity' AND details->>'reason' = 'token_anomaly'")" 1 "suspicious_activity audited"
body "{\"sessionHash\":\"$H\",\"sessionId\":\"fast\",\"startedAt\":\"$END\",\"endedAt\":\"$END\",\"inputTokens\":10,\"outputTokens\":5000}"
post /api/v1/sessions "$F"
is "$code $(arena_psql -c "SELECT flag_reason FROM sessions WHERE client_session_id = 'fast'")" "201 output_rate" "5000 output tokens in 0 s: flagged as implausible"
KEY=$KEY0

# --- 50 identical requests at once (row 47)
good par 7 7
ts=$(date +%s); sig=$("$top_builddir/t/arena-sign" "$KEY" "$ts" <"$F")
pids=
for i in $(seq 1 50); do
	curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' -H "X-API-Key: $KEY" \
		-H "X-Timestamp: $ts" -H "X-Signature: $sig" --data-binary @"$F" "$ARENA_URL/api/v1/sessions" >>"$T/par" &
	pids="$pids $!"
done
wait $pids
is "$(sort "$T/par" | uniq -c | awk '{printf "%s:%s ", $2, $1}')" "201:1 401:49 " \
	"50 byte-identical at once: one 201, 49 replays, no 5xx"
is "$(arena_psql -c "SELECT count(*) FROM sessions WHERE client_session_id = 'par'")" 1 "exactly one row stored"
# the same session signed 50 times over (v2, a nonce each): idempotency under concurrency
good par2 7 7
pids=
for i in $(seq 1 50); do
	auth=$("$top_builddir/t/arena-sign-v2" "$KEY" POST /api/v1/sessions "" now "concurrent-nonce-$i-0000" "$F")
	curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' -H "Authorization: $auth" \
		--data-binary @"$F" "$ARENA_URL/api/v1/sessions" >>"$T/par2" &
	pids="$pids $!"
done
wait $pids
is "$(sort "$T/par2" | uniq -c | awk '{printf "%s:%s ", $2, $1}')" "200:49 201:1 " \
	"50 distinct signed copies at once: one 201, 49 duplicates, no 5xx"
is "$(arena_psql -c "SELECT count(*) FROM sessions WHERE client_session_id = 'par2'")" 1 "exactly one row stored"

# --- batch
good b1 11 1 && cp "$F" "$T/b1"
good b2 12 2 && cp "$F" "$T/b2"
good s1 1 1 && cp "$F" "$T/b3"
body "{\"sessions\":[$(cat "$T/b1"),{\"sessionHash\":\"nothex\"},$(cat "$T/b2"),$(cat "$T/b3"),$(cat "$T/b1")]}"
post /api/v1/sessions/batch "$F"
is "$code" 200 "batch answered"
is "$(jv '[.results[] | "\(.index):\(.status)"] | join(" ")')" "0:201 1:422 2:201 3:409 4:200" "each item has its own result"
is "$(jv '.results[1].error.code')" invalid_session_hash "a bad item says why"
is "$(jv '.results[4].duplicate')" true "a repeated item in one batch is a duplicate"
is "$(arena_psql -c "SELECT count(*) FROM sessions WHERE client_session_id IN ('b1', 'b2')")" 2 "the good items were stored"
body '{"sessions":[]}'
post /api/v1/sessions/batch "$F"
is "$code $(jv .error.code)" "422 out_of_range" "empty batch refused"
body "{\"sessions\":[$(for i in $(seq 1 101); do printf '{},'; done | sed 's/,$//')]}"
post /api/v1/sessions/batch "$F"
is "$code $(jv .error.code)" "422 out_of_range" "101 items refused"
body "{\"sessions\":[],\"extra\":1}"
post /api/v1/sessions/batch "$F"
is "$code $(jv .error.code)" "422 unknown_field" "unknown batch member refused"

# --- oversized bodies (row 1): nginx and the worker both refuse
head -c 2000000 /dev/zero | tr '\0' ' ' >"$F"
post /api/v1/sessions "$F"
is "$code $(jv .error.code)" "413 payload_too_large" "2 MB body: 413 JSON (row 1)"

# --- aggregates equal what the stored sessions say
is "$(arena_psql -c "
	SELECT count(*) FROM (
		SELECT user_id, flagged, sum(input_tokens) i, sum(output_tokens) o, count(*) n
		FROM sessions GROUP BY 1, 2
	) s FULL JOIN user_totals u USING (user_id, flagged)
	WHERE s.i IS DISTINCT FROM u.input_tokens OR s.o IS DISTINCT FROM u.output_tokens
	   OR s.n IS DISTINCT FROM u.session_count")" 0 "lifetime totals equal the sum of stored sessions"

done_testing
