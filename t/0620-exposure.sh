#!/bin/sh
# 0620-exposure.sh -- what a response gives away and what a request can
# sneak past nginx: security headers on every response, no version, CORS
# only for public GETs, path tricks (security-reliability.md section 4.2,
# rows 56-58), repeated security headers, keys kept out of logs.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
ARENA_RATE_LIMIT_AUTH=1000
export ARENA_RATE_LIMIT_AUTH
arena_up
admin user add expo >/dev/null
KEY=$(admin key issue expo)

secure_headers() {	# secure_headers WHAT
	is "$(header X-Content-Type-Options)" nosniff "$1: X-Content-Type-Options"
	is "$(header Referrer-Policy)" no-referrer "$1: Referrer-Policy"
	is "$(header Content-Security-Policy)" "default-src 'none'; frame-ancestors 'none'" "$1: strict CSP"
	is "$(header X-Frame-Options)" DENY "$1: X-Frame-Options"
	is "$(header Server)" nginx "$1: no server version"
	is "$(header Strict-Transport-Security)" "" "$1: no HSTS over plain HTTP"
}

req GET /api/v1/status
secure_headers "endpoint response"
req GET /api/v1/nothing
is "$code" 404 "unknown route 404"
secure_headers "nginx's own 404"
req GET '/api/v1/a%00b'
is "$code" 400 "%00 in the path: 400 from nginx"
is "$(jv .error.code)" bad_request "as JSON"
secure_headers "nginx's own 400"

# --- HSTS only when the request came over TLS (HTTPS=on from nginx)
out=$(env -i PATH="$PATH" DATABASE_URL="host=/nonexistent-arena" REQUEST_METHOD=GET \
	REQUEST_URI=/api/v1/status HTTPS=on ARENA_RATE_LIMIT_PUBLIC=0 \
	"$top_builddir/cgi-bin/status" </dev/null 2>/dev/null)
like "$out" "Strict-Transport-Security: max-age=31536000" "HSTS when served over TLS"

# --- CORS: public GETs without credentials, nothing else
req GET /api/v1/status -H 'Origin: https://evil.example'
is "$(header Access-Control-Allow-Origin)" "*" "public GET: any origin may read"
is "$(header Access-Control-Allow-Credentials)" "" "never with credentials"
req GET /api/v1/verify -H 'Origin: https://evil.example' -H "X-API-Key: $KEY"
is "$code" 200 "verify answers the key's owner"
is "$(header Access-Control-Allow-Origin)" "" "no CORS on an authenticated route (origin not reflected)"
req POST /api/v1/status -H 'Origin: https://evil.example'
is "$code/$(header Access-Control-Allow-Origin)" "405/" "no CORS for another method on a public route"
req OPTIONS /api/v1/verify -H 'Origin: https://evil.example' -H 'Access-Control-Request-Method: GET'
is "$code/$(header Access-Control-Allow-Origin)" "405/" "no preflight answered"

# --- path tricks: one canonical path decides routing and auth
for p in '/api/v1/x/%2e%2e/verify' '/api/v1/x%2F..%2Fverify' '/api/v1/public/../verify' \
	'//api/v1/verify' '/api/v1//verify' '/api/v1/./verify' '/api/v1/%76erify'; do
	req GET "$p" -H "X-API-Key: $KEY" --path-as-is
	is "$code/$(jv .error.code)" "400/non_canonical_path" "$p is refused, not served"
done
req GET '/api/v1/verify;x=1' -H "X-API-Key: $KEY"
is "$code" 404 "matrix parameter: no endpoint"
req GET '/api/v1/verify/.' -H "X-API-Key: $KEY" --path-as-is
is "$code" 404 "trailing dot segment: nginx routes it nowhere"
req GET '/api/v1/status/..;/verify' --path-as-is
ok $([ "$code" = 400 ] || [ "$code" = 404 ] && echo 0 || echo 1) "..;/ trick refused ($code)"
req GET '/api/v1/verify?api_key=x' -H "X-API-Key: $KEY"
is "$code" 200 "a query string does not change the route"
req GET "/api/v1/verify?key=$KEY"
is "$code/$(jv .error.code)" 401/api_key_missing "a key in the URL is not accepted"

# --- malformed requests stop at nginx
code=$(printf 'GET /api/v1/status HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\nConnection: close\r\n\r\n' |
	curl -s --max-time 3 "telnet://127.0.0.1:$ARENA_PORT" 2>/dev/null | head -1 | cut -d' ' -f2)
is "$code" 400 "obs-folded header: 400"
big=$(head -c 9000 /dev/zero | tr '\0' a)
req GET /api/v1/status -H "X-Big: $big"
is "$code" 400 "header over 8 KB: 400"
is "$(jv .error.code)" bad_request "as JSON, not HTML"

# --- repeated security headers
for h in X-API-Key X-Timestamp X-Signature; do
	req GET /api/v1/verify -H "$h: $KEY" -H "$h: $KEY"
	is "$code/$(jv .error.code)" 400/duplicate_header "repeated $h refused"
done
req GET /api/v1/status -H 'X-Signature: a' -H 'X-Signature: b'
is "$code/$(jv .error.code)" 400/duplicate_header "on every endpoint"
n=$(arena_psql -c "SELECT count(*) FROM security_audit_log WHERE event_type = 'suspicious_activity' AND details->>'reason' LIKE 'duplicate %'")
ok $([ "$n" -ge 3 ] && echo 0 || echo 1) "repeated headers audited as suspicious_activity ($n)"

# --- keys never in logs
secret=$(printf %s "$KEY" | cut -c20-)
n=$(cat "$ARENA_STATE"/log/*.log "$ARENA_STATE"/nginx/error.log 2>/dev/null | grep -c "$secret")
is "$n" 0 "no key in the service logs"
n=$(arena_psql -c "SELECT count(*) FROM security_audit_log WHERE details::text LIKE '%$secret%' OR user_agent LIKE '%$secret%'")
is "$n" 0 "no key in the audit log"

done_testing
