#!/bin/sh
# 0100-cgi.sh -- the endpoint binaries as plain CGI programs: environment
# and stdin in, response on stdout; no server of any kind.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
B=$top_builddir/cgi-bin
T_BODY=$(mktemp)
trap 'rm -f "$T_BODY"' EXIT

cgi() {		# cgi BINARY METHOD URI [stdin-file]
	out=$(env -i PATH="$PATH" DATABASE_URL="host=/nonexistent-arena" REQUEST_METHOD="$2" \
		REQUEST_URI="$3" REMOTE_ADDR=127.0.0.1 ${CGI_EXTRA:-} "$B/$1" <"${4:-/dev/null}" 2>/dev/null)
	rc=$?
}

cgi status GET /api/v1/status
is "$rc" 0 "status exits 0 in CGI mode"
like "$out" "Status: 503 Service Unavailable" "status says 503 with no database"
like "$out" '"status":"degraded"' "status body says degraded"
like "$out" "Content-Type: application/json" "JSON content type"
like "$out" "X-Content-Type-Options: nosniff" "security header present"
like "$out" "Retry-After: 5" "Retry-After on 503"

cgi status POST /api/v1/status
like "$out" "Status: 405" "POST to status is 405"
like "$out" "Allow: GET, HEAD" "405 carries Allow"
like "$out" '"code":"method_not_allowed"' "405 has the error envelope"

cgi status HEAD /api/v1/status
like "$out" "Status: 503" "HEAD is answered"
unlike "$out" '"status"' "HEAD has no body"

cgi status GET '/api/v1/%2e%2e/status'
like "$out" "Status: 400" "escaped path refused"
like "$out" '"code":"non_canonical_path"' "non_canonical_path code"

cgi status GET '/api//v1/status'
like "$out" '"code":"non_canonical_path"' "double slash refused"

cgi verify GET /api/v1/verify
like "$out" "Status: 401" "verify without a key is 401"
like "$out" '"code":"api_key_missing"' "api_key_missing code"

CGI_EXTRA="HTTP_X_API_KEY=abc"
cgi verify GET /api/v1/verify
like "$out" '"code":"api_key_invalid"' "malformed key is api_key_invalid without a database"
CGI_EXTRA=

CGI_EXTRA="HTTP_X_API_KEY=modu_arena_01234567_0123456789abcdef0123456789abcdef"
cgi verify GET /api/v1/verify
like "$out" "Status: 503" "well-formed key with no database is 503, not 401"
CGI_EXTRA=

# --- the body limits hold without nginx in front (shared hosting)
head -c 100000 /dev/zero | tr '\0' ' ' >"$T_BODY"
CGI_EXTRA="CONTENT_TYPE=application/json CONTENT_LENGTH=100000"
cgi sessions POST /api/v1/sessions "$T_BODY"
like "$out" "Status: 413" "a body over the cap is refused by the worker itself"
like "$out" '"code":"payload_too_large"' "payload_too_large"
printf '0123456789' >"$T_BODY"
CGI_EXTRA="CONTENT_TYPE=application/json CONTENT_LENGTH=100"
cgi sessions POST /api/v1/sessions "$T_BODY"
like "$out" '"code":"incomplete_body"' "a body shorter than Content-Length is refused"
for cl in abc -1 +10 010 0x10 1e3; do
	CGI_EXTRA="CONTENT_TYPE=application/json CONTENT_LENGTH=$cl"
	cgi sessions POST /api/v1/sessions "$T_BODY"
	like "$out" "Status: 400" "Content-Length '$cl' refused"
done
CGI_EXTRA="CONTENT_TYPE=application/json CONTENT_LENGTH=99999999999999999999999"
cgi sessions POST /api/v1/sessions "$T_BODY"
like "$out" "Status: 413" "an absurd Content-Length is 413, not an overflow"
# Apache hands a chunked body to CGI without CONTENT_LENGTH: read to EOF
head -c 70000 /dev/zero | tr '\0' ' ' >"$T_BODY"
CGI_EXTRA="CONTENT_TYPE=application/json"
cgi sessions POST /api/v1/sessions "$T_BODY"
like "$out" "Status: 413" "a streamed body without Content-Length is still capped"
printf '{}' >"$T_BODY"
cgi sessions POST /api/v1/sessions "$T_BODY"
like "$out" '"code":"api_key_missing"' "a small streamed body is read and the request proceeds"
CGI_EXTRA="CONTENT_TYPE=text/plain CONTENT_LENGTH=2"
cgi sessions POST /api/v1/sessions "$T_BODY"
like "$out" "Status: 415" "wrong content type 415"
CGI_EXTRA=

done_testing
