#!/bin/sh
# 0600-ratelimit.sh -- rate limits that hold across worker processes and
# app hosts: two instances (pools + nginx each) on one database.
#
# The seed's quotas are per minute; the window is scaled down to 5 s so
# the test is quick.  The property is the same: a key sending 150 in a
# window gets exactly its quota of 100 through, split over two hosts and
# their workers; a key sending 100 evenly gets no 429.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
WINDOW=5
ARENA_RATE_LIMIT_WINDOW_SECONDS=$WINDOW
ARENA_RATE_LIMIT_API=100
ARENA_RATE_LIMIT_AUTH=10
ARENA_RATE_LIMIT_PUBLIC=20
ARENA_TRUSTED_PROXIES=127.0.0.1
ARENA_WORKERS=3
export ARENA_RATE_LIMIT_WINDOW_SECONDS ARENA_RATE_LIMIT_API ARENA_RATE_LIMIT_AUTH \
	ARENA_RATE_LIMIT_PUBLIC ARENA_TRUSTED_PROXIES ARENA_WORKERS
arena_up
# the second host does not trust the loopback proxy: X-Forwarded-For is ignored there
arena_up_second ARENA_TRUSTED_PROXIES=

admin user add rl1 >/dev/null && admin user add rl2 >/dev/null && admin user add rl3 >/dev/null
K1=$(admin key issue rl1)
K2=$(admin key issue rl2)
K3=$(admin key issue rl3)
audits() { arena_psql -c "SELECT count(*) FROM security_audit_log WHERE event_type = 'rate_limit_exceeded' $1"; }

# urls N: N request URLs alternating between the two hosts
urls() {
	i=0
	while [ $i -lt "$1" ]; do
		if [ $((i % 2)) = 0 ]; then echo "$ARENA_URL"; else echo "$ARENA_URL_B"; fi
		i=$((i + 1))
	done
}

# --- 150 requests from one key, as fast as 8 clients can, over both hosts
start=$(date +%s%N)
urls 150 | xargs -P 8 -I{} curl -s -o /dev/null -w '%{http_code}\n' \
	-H "X-API-Key: $K1" {}/api/v1/verify >"$T/burst"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
n200=$(grep -c '^200$' "$T/burst")
n429=$(grep -c '^429$' "$T/burst")
ok $([ "$ms" -lt $((WINDOW * 1000)) ] && echo 0 || echo 1) "150 requests sent within one window (${ms} ms)"
is "$n200" 100 "exactly the quota of 100 got through across 2 hosts x 3 workers"
is "$n429" 50 "the other 50 were refused with 429"
is "$(audits "AND user_id = (SELECT id FROM users WHERE username = 'rl1')")" 1 \
	"50 refusals wrote one audit row"
req GET /api/v1/verify -H "X-API-Key: $K1"
is "$code" 429 "still refused"
is "$(jv .error.code)" rate_limit_exceeded "rate_limit_exceeded"
ra=$(header Retry-After)
ok $([ "$ra" -ge 1 ] && [ "$ra" -le $WINDOW ] && echo 0 || echo 1) "Retry-After within the window ($ra)"
is "$(header RateLimit-Policy)" "\"api\";q=100;w=$WINDOW" "RateLimit-Policy on the refusal"
is "$(header RateLimit)" "\"api\";r=0;t=$ra" "RateLimit says none left, t equals Retry-After"
req GET /api/v1/verify -H "X-API-Key: $K2"
is "$code" 200 "another key is not affected"
like "$(header RateLimit)" '"api";r=99;t=' "accepted requests carry RateLimit"
is "$(header RateLimit-Policy)" "\"api\";q=100;w=$WINDOW" "and RateLimit-Policy"

# --- after Retry-After the key is served again
sleep "$ra"
req GET /api/v1/verify -H "X-API-Key: $K1"
is "$code" 200 "served again after waiting Retry-After"

# --- 100 requests evenly over the window: none refused
: >"$T/even"
pids=
for u in $(urls 100); do
	curl -s -o /dev/null -w '%{http_code}\n' -H "X-API-Key: $K3" "$u/api/v1/verify" >>"$T/even" &
	pids="$pids $!"
	sleep 0.045
done
wait $pids	# not the server pools, which are children of this shell too
is "$(grep -c '^200$' "$T/even")" 100 "100 evenly spaced requests: all 200"
is "$(grep -c '^429$' "$T/even")" 0 "and no 429"

# --- failed authentication: 10 per client address, then even a good key waits
for i in $(seq 1 10); do
	req GET /api/v1/verify -H "X-API-Key: modu_arena_00000000_0000000000000000000000000000000$((i % 10))" \
		-H 'X-Forwarded-For: 198.51.100.7'
	[ "$code" = 401 ] || break
done
is "$code" 401 "10 failed attempts are answered 401"
like "$(header RateLimit)" '"auth";r=0;' "the auth quota is spent"
req GET /api/v1/verify -H "X-API-Key: $K2" -H 'X-Forwarded-For: 198.51.100.7'
is "$code" 429 "the 11th attempt is refused before the key is looked up"
like "$(header RateLimit-Policy)" '"auth";q=10;' "auth class policy"
req GET /api/v1/verify -H "X-API-Key: $K2" -H 'X-Forwarded-For: 198.51.100.8'
is "$code" 200 "another client address is not affected"
n=$(arena_psql -c "SELECT count(*) FROM security_audit_log WHERE event_type = 'api_key_invalid' AND ip_address = '198.51.100.7'")
is "$n" 10 "the audit log has the forwarded client's address"
is "$(audits "AND details->>'class' = 'auth' AND details->>'subject' = '198.51.100.7'")" 1 \
	"auth refusal audited once"

# --- X-Forwarded-For is ignored where the peer is not a trusted proxy
code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $K2" -H 'X-Forwarded-For: 198.51.100.7' \
	"$ARENA_URL_B/api/v1/verify")
is "$code" 200 "host B ignores X-Forwarded-For: the loopback client is not limited"

# --- public reads: per client address
for i in $(seq 1 20); do
	req GET /api/v1/status -H 'X-Forwarded-For: 203.0.113.5'
	[ "$code" = 200 ] || break
done
is "$code" 200 "20 public reads served"
like "$(header RateLimit)" '"public";r=0;' "the public quota is spent"
req GET /api/v1/status -H 'X-Forwarded-For: 203.0.113.5'
is "$code" 429 "the 21st public read is refused"
is "$(jv .error.code)" rate_limit_exceeded "with the JSON envelope"
is "$(header Content-Type)" "application/json; charset=utf-8" "as JSON"
ok $([ -n "$(header Retry-After)" ] && echo 0 || echo 1) "with Retry-After"
is "$(header Access-Control-Allow-Origin)" "*" "a public GET's refusal stays readable cross-origin"
for i in $(seq 1 30); do
	curl -s -o /dev/null -H 'X-Forwarded-For: 203.0.113.5' "$ARENA_URL/api/v1/status"
done
is "$(audits "AND details->>'subject' = '203.0.113.5'")" 1 "a flood of 31 refusals: one audit row"
req GET /api/v1/status -H 'X-Forwarded-For: 203.0.113.6'
is "$code" 200 "another address reads on"

# --- a class set to 0 is off
n=$(arena_psql -c "SELECT count(*) FROM rate_limits WHERE bucket LIKE 'public:%'")
ok $([ "$n" -ge 2 ] && echo 0 || echo 1) "buckets are shared rows in PostgreSQL ($n public)"

done_testing
