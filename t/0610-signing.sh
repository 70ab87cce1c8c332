#!/bin/sh
# 0610-signing.sh -- signing v2 and replay protection through nginx:
# verify accepts a v2 signature in place of X-API-Key, a byte-identical
# signed request is refused the second time on any host, and the sealed
# secret is all the database holds.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
# many failures from one address on purpose: the auth quota is 0600's business
ARENA_RATE_LIMIT_AUTH=1000
export ARENA_RATE_LIMIT_AUTH
arena_up
arena_up_second
SIGN=$top_builddir/t/arena-sign-v2

admin user add signer >/dev/null
KEY=$(admin key issue signer)
KID=$(printf %.19s "$KEY")
nonce() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }
events() { arena_psql -c "SELECT count(*) FROM security_audit_log WHERE event_type = '$1'"; }

# --- what is stored
n=$(arena_psql -c "SELECT length(signing_secret) FROM api_keys WHERE key_prefix = '$KID'")
is "$n" 61 "the signing secret is stored sealed (61 bytes)"
dump=$(arena_psql -c "SELECT encode(signing_secret, 'hex') || encode(key_hash, 'hex') FROM api_keys")
unlike "$dump" "$(printf %s "$KEY" | cut -c20- | od -An -tx1 | tr -d ' \n' | cut -c1-16)" \
	"neither the key nor its text appears in the row"
secret_hex=$(printf 'modu-arena-v2' | openssl dgst -sha256 -hmac "$KEY" 2>/dev/null | sed 's/.*= //')
if [ -n "$secret_hex" ]; then
	unlike "$dump" "$secret_hex" "the derived secret is not stored in the clear"
else
	ok 0 "the derived secret is not stored in the clear # SKIP no openssl CLI"
fi

# --- a v2 request: the key never travels
AUTH=$("$SIGN" "$KEY" GET /api/v1/verify "" now "$(nonce)")
req GET /api/v1/verify -H "Authorization: $AUTH"
is "$code" 200 "v2-signed verify is accepted"
is "$(jv .username)" signer "and names the user"
is "$(jv .apiKeyPrefix)" "$KID" "and the key's prefix"
like "$(header RateLimit)" '"api";' "and is rate-limited per user"
is "$(events api_key_validated)" 1 "api_key_validated audited"

# --- the same bytes again: a replay, on this host or the other
req GET /api/v1/verify -H "Authorization: $AUTH"
is "$code" 401 "the identical request again is refused"
is "$(jv .error.code)" replay_detected "replay_detected"
code=$(curl -s -o "$T/b" -w '%{http_code}' -H "Authorization: $AUTH" "$ARENA_URL_B/api/v1/verify")
is "$code" 401 "and refused by the other app host too"
is "$(jq -r .error.code <"$T/b")" replay_detected "replay_detected there as well"
is "$(events replay_detected)" 2 "each replay audited"
n=$(arena_psql -c "SELECT count(*) FROM security_audit_log WHERE event_type = 'replay_detected' AND user_id IS NOT NULL AND ip_address IS NOT NULL AND details->>'keyPrefix' = '$KID'")
is "$n" 2 "with user, address and key prefix"
AUTH2=$("$SIGN" "$KEY" GET /api/v1/verify "" now "$(nonce)")
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $AUTH2" "$ARENA_URL_B/api/v1/verify")
is "$code" 200 "a fresh nonce is a new request"
n=$(arena_psql -c "SELECT count(*) FROM replay_guard")
is "$n" 2 "two signatures remembered"

# --- every way to get it wrong
bad() {		# bad WANT-CODE NAME curl-args...
	want=$1 name=$2
	shift 2
	req GET /api/v1/verify "$@"
	is "$code/$(jv .error.code)" "401/$want" "$name"
}
OTHER=modu_arena_${KID#modu_arena_}_00000000000000000000000000000000
bad hmac_signature_invalid "signed with a wrong key under the right key id" \
	-H "Authorization: $("$SIGN" "$OTHER" GET /api/v1/verify "" now "$(nonce)")"
old=$(( $(date +%s) - 301 ))
bad hmac_timestamp_expired "timestamp 301 s old" \
	-H "Authorization: $("$SIGN" "$KEY" GET /api/v1/verify "" "$old" "$(nonce)")"
future=$(( $(date +%s) + 301 ))
bad hmac_timestamp_expired "timestamp 301 s ahead" \
	-H "Authorization: $("$SIGN" "$KEY" GET /api/v1/verify "" "$future" "$(nonce)")"
near=$(( $(date +%s) - 290 ))
req GET /api/v1/verify -H "Authorization: $("$SIGN" "$KEY" GET /api/v1/verify "" "$near" "$(nonce)")"
is "$code" 200 "timestamp 290 s old is still accepted"
bad hmac_signature_invalid "query added after signing" \
	-H "Authorization: $("$SIGN" "$KEY" GET /api/v1/verify "" now "$(nonce)")" --url-query x=1
bad hmac_signature_invalid "signed for another path" \
	-H "Authorization: $("$SIGN" "$KEY" GET /api/v1/sessions "" now "$(nonce)")"
bad hmac_signature_invalid "signed for another method" \
	-H "Authorization: $("$SIGN" "$KEY" POST /api/v1/verify "" now "$(nonce)")"
bad api_key_invalid "unknown key id" \
	-H "Authorization: $("$SIGN" modu_arena_00000000_00000000000000000000000000000000 GET /api/v1/verify "" now "$(nonce)")"
bad hmac_signature_invalid "malformed header" -H "Authorization: MODU-HMAC-SHA256 KeyId=$KID"
bad hmac_signature_invalid "another scheme" -H "Authorization: Bearer $KEY"
bad hmac_timestamp_invalid "millisecond timestamp" \
	-H "Authorization: $("$SIGN" "$KEY" GET /api/v1/verify "" "$(date +%s)000" "$(nonce)")"
n=$(arena_psql -c "SELECT count(*) FROM security_audit_log WHERE event_type = 'hmac_signature_invalid' AND details->>'scheme' = 'v2'")
ok $([ "$n" -ge 5 ] && echo 0 || echo 1) "signature failures audited ($n)"
n=$(arena_psql -c "SELECT count(*) FROM security_audit_log WHERE event_type = 'hmac_timestamp_expired'")
ok $([ "$n" -ge 3 ] && echo 0 || echo 1) "timestamp failures audited ($n)"
req GET /api/v1/verify -H "Authorization: $AUTH2" -H "Authorization: $AUTH2"
is "$code" 400 "a repeated Authorization header is refused (by nginx itself)"

# --- keys without a sealed secret, and a host with another server key
admin user add legacy >/dev/null
LEGACY=$(env -u ARENA_SECRET_KEY "$top_builddir/admin/arena-admin" key issue legacy 2>"$T/warn")
like "$(cat "$T/warn")" "v1 only" "issuing without a server key warns"
req GET /api/v1/verify -H "Authorization: $("$SIGN" "$LEGACY" GET /api/v1/verify "" now "$(nonce)")"
is "$code/$(jv .error.code)" 401/api_key_invalid "such a key cannot sign v2"
req GET /api/v1/verify -H "X-API-Key: $LEGACY"
is "$code" 200 "but works as before with X-API-Key"
NEWLEGACY=$(admin key regenerate legacy)
req GET /api/v1/verify -H "Authorization: $("$SIGN" "$NEWLEGACY" GET /api/v1/verify "" now "$(nonce)")"
is "$code" 200 "regenerated with a server key, it signs v2"
n=$(arena_psql -c "SELECT count(*) FROM security_audit_log WHERE event_type = 'api_key_invalid' AND details->>'reason' = 'no_v2_secret'")
is "$n" 1 "the refusal says why in the audit log"

arena_instance_stop "$T/second"
ARENA_INSTANCES=
arena_up_second ARENA_SECRET_KEY=0000000000000000000000000000000000000000000000000000000000000000
code=$(curl -s -o "$T/b" -w '%{http_code}' \
	-H "Authorization: $("$SIGN" "$KEY" GET /api/v1/verify "" now "$(nonce)")" "$ARENA_URL_B/api/v1/verify")
is "$code/$(jq -r .error.code <"$T/b")" 401/api_key_invalid \
	"a host with another server key cannot open the secret"

# --- arena-admin audit
out=$(admin audit --event replay_detected --json)
is "$(printf %s "$out" | jq length)" 2 "audit --event filters"
is "$(printf %s "$out" | jq -r '.[0].username')" signer "rows name the user"
is "$(printf %s "$out" | jq -r '.[0].details.reason')" replay "details are JSON"
like "$(printf %s "$out" | jq -r '.[0].userAgent')" curl "and carry the user agent"
n=$(admin audit --user legacy --json | jq '[.[] | select(.username != "legacy")] | length')
is "$n" 0 "audit --user filters"
n=$(admin audit --user signer --event api_key_generated --json | jq length)
is "$n" 1 "filters combine"
n=$(admin audit --since 1h --json | jq length)
ok $([ "$n" -ge 10 ] && echo 0 || echo 1) "audit --since 1h ($n rows)"
n=$(admin audit --since 2999-01-01T00:00:00Z --json | jq length)
is "$n" 0 "audit --since a future time: nothing"
n=$(admin audit --limit 3 --json | jq length)
is "$n" 3 "audit --limit"
out=$(admin audit --event replay_detected)
is "$(printf '%s\n' "$out" | wc -l)" 2 "text output: one line per event"
like "$out" "replay_detected" "text output names the event"
admin audit --since yesterday >/dev/null 2>&1
is $? 2 "bad --since refused as a usage error"
admin audit --user nobody >/dev/null 2>&1
is $? 1 "unknown user refused"
n=$(admin audit --json --limit 100000 | grep -c "$(printf %s "$KEY" | cut -c20-)")
is "$n" 0 "no key in any audit row"

done_testing
