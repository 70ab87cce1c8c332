#!/bin/sh
# 0630-ingest-security.sh -- the sessions endpoint's front door: v2
# signatures, the replay guard for v1 and v2 (row 23 of the bad-input
# table: a signed request replayed to another route or with a query), the
# per-user quota (row 13) and the failed-attempt quota per address
# (row 12), with their audit rows.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
ARENA_RATE_LIMIT_API=8
ARENA_RATE_LIMIT_AUTH=10
ARENA_TRUSTED_PROXIES=127.0.0.1
export ARENA_RATE_LIMIT_API ARENA_RATE_LIMIT_AUTH ARENA_TRUSTED_PROXIES
arena_up
SIGN=$top_builddir/t/arena-sign-v2

admin user add ing1 >/dev/null && admin user add ing2 >/dev/null && admin user add ing3 >/dev/null
KEY=$(admin key issue ing1)
KEY2=$(admin key issue ing2)
KEY3=$(admin key issue ing3)
NOW=$(date +%s)
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%S.000Z; }
F=$T/body.json
nonce() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }
session() {	# session ID INPUT: a valid session body in $F
	printf '{"sessionHash":"%064d","sessionId":"%s","startedAt":"%s","endedAt":"%s","inputTokens":%s,"outputTokens":5,"cacheCreationTokens":0,"cacheReadTokens":0,"modelName":"claude-sonnet-4"}' \
		0 "$1" "$(iso $((NOW - 7200)))" "$(iso $((NOW - 3600)))" "$2" >"$F"
}
stored() { arena_psql -c "SELECT count(*) FROM sessions"; }
# post2 PATH [curl args]: POST $F signed with v2 for PATH ($AUTH kept for replays)
post2() {
	pp=$1
	shift
	AUTH=$("$SIGN" "$KEY" POST "$pp" "" now "$(nonce)" "$F")
	req POST "$pp" -H 'Content-Type: application/json' -H "Authorization: $AUTH" --data-binary @"$F" "$@"
}
again() {	# again PATH [curl args]: the last v2 request's header and body, to PATH
	pp=$1
	shift
	req POST "$pp" -H 'Content-Type: application/json' -H "Authorization: $AUTH" --data-binary @"$F" "$@"
}

# --- v2: the key never travels
session v2a 100
post2 /api/v1/sessions
is "$code" 201 "a v2-signed session is stored"
like "$(header RateLimit)" '"api";r=7;' "and counted against the user's quota"
again /api/v1/sessions
is "$code/$(jv .error.code)" 401/replay_detected "the same signed bytes again: replay_detected"
is "$(stored)" 1 "nothing stored twice"
post2 /api/v1/sessions
is "$code/$(jv .duplicate)" 200/true "signed afresh, the retry is a duplicate"

# --- row 23: a signed request carried to another route or given a query
session v2b 100
AUTH=$("$SIGN" "$KEY" POST /api/v1/sessions "" now "$(nonce)" "$F")
before=$(stored)
req POST /api/v1/sessions/batch -H 'Content-Type: application/json' -H "Authorization: $AUTH" --data-binary @"$F"
is "$code/$(jv .error.code)" 401/hmac_signature_invalid "v2: a signature for /sessions does not open /sessions/batch"
req POST '/api/v1/sessions?x=1' -H 'Content-Type: application/json' -H "Authorization: $AUTH" --data-binary @"$F"
is "$code/$(jv .error.code)" 401/hmac_signature_invalid "v2: a query added after signing"
sed 's/"inputTokens":100/"inputTokens":900/' "$F" >"$T/changed"
req POST /api/v1/sessions -H 'Content-Type: application/json' -H "Authorization: $AUTH" --data-binary @"$T/changed"
is "$code/$(jv .error.code)" 401/hmac_signature_invalid "v2: one body byte changed (row 16)"
is "$(stored)" "$before" "none of them stored anything"

ts=$(date +%s); sig=$("$top_builddir/t/arena-sign" "$KEY" "$ts" <"$F")
v1() { req POST "$1" -H 'Content-Type: application/json' -H "X-API-Key: $KEY" -H "X-Timestamp: $ts" \
	-H "X-Signature: $sig" --data-binary @"$F"; }
v1 /api/v1/sessions
is "$code" 201 "v1 still works"
v1 /api/v1/sessions/batch
is "$code/$(jv .error.code)" 401/replay_detected "v1: the same signature on another route is a replay"
v1 '/api/v1/sessions?x=1'
is "$code/$(jv .error.code)" 401/replay_detected "v1: and with a query added"
is "$(stored)" "$((before + 1))" "one session stored"
n=$(arena_psql -c "SELECT string_agg(details->>'scheme', ',' ORDER BY id) FROM security_audit_log WHERE event_type = 'replay_detected'")
is "$n" "v2,v1,v1" "each replay audited with its scheme"
n=$(arena_psql -c "SELECT count(*) FROM security_audit_log WHERE event_type = 'hmac_signature_invalid' AND user_id IS NOT NULL")
is "$n" 3 "each bad v2 signature audited with its user"

# --- row 13: the per-user quota (8 per window here)
KEY=$KEY2
for i in 1 2 3 4 5 6 7 8; do
	session "q$i" 10
	post2 /api/v1/sessions
	[ "$code" = 201 ] || break
done
is "$code" 201 "8 sessions within the quota"
session q9 10
post2 /api/v1/sessions
is "$code/$(jv .error.code)" 429/rate_limit_exceeded "the 9th is refused"
ok $([ -n "$(header Retry-After)" ] && echo 0 || echo 1) "with Retry-After"
is "$(header RateLimit-Policy)" '"api";q=8;w=60' "and the policy"
is "$(arena_psql -c "SELECT count(*) FROM sessions WHERE client_session_id = 'q9'")" 0 "and nothing stored"
is "$(arena_psql -c "SELECT count(*) FROM security_audit_log a JOIN users u ON u.id = a.user_id WHERE u.username = 'ing2' AND event_type = 'rate_limit_exceeded'")" 1 \
	"rate_limit_exceeded audited with the user"
KEY=$KEY3
session other 10
post2 /api/v1/sessions
is "$code" 201 "another user is not affected"

# --- row 12: 10 failed attempts from an address, then even a good request waits
for i in $(seq 1 10); do
	session "bad$i" 10
	AUTH=$("$SIGN" "$KEY" POST /api/v1/sessions "" now "$(nonce)" "$F")
	req POST /api/v1/sessions -H 'Content-Type: application/json' -H "Authorization: $AUTH" \
		-H 'X-Forwarded-For: 198.51.100.20' --data-binary @"$T/changed"
	[ "$code" = 401 ] || break
done
is "$code" 401 "10 bad signatures: 401 each"
session good 10
post2 /api/v1/sessions -H 'X-Forwarded-For: 198.51.100.20'
is "$code/$(jv .error.code)" 429/rate_limit_exceeded "the 11th attempt from that address is refused, good or not"
post2 /api/v1/sessions -H 'X-Forwarded-For: 198.51.100.21'
is "$code" 201 "from another address the same user is served"

# --- the audit log names every event the front door writes
n=$(admin audit --json --limit 100000 | jq -r '[.[].event] | unique | join(",")')
for e in api_key_generated hmac_signature_invalid rate_limit_exceeded replay_detected session_created session_duplicate; do
	like ",$n," ",$e," "audit log has $e"
done

done_testing
