#!/bin/sh
# 1005-logs.sh -- log lines after real requests.  nginx writes an access
# log with $request_id; the same id reaches the endpoint (REQUEST_ID) and
# is on its line, which starts with an ISO 8601 UTC time and carries the
# client's address and, once authenticated, the user's id -- never the
# key.  Errors (the database stopped) and the jobs' lines carry the time
# too, and an error during a request its request id.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
arena_up
admin user add alice >/dev/null
KEY=$(admin key issue alice)
UID_ALICE=$(admin user list --json | jq -r '.[] | select(.username == "alice") | .id')
L=$ARENA_STATE/log
ACC=$ARENA_STATE/nginx/access.log
ISO='^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]\{3\}Z '

# (the first status check may answer 503 on a loaded machine: the code
# logged is the code answered)
req GET /api/v1/status
rid=$(header X-Request-Id)
is "$(printf %s "$rid" | grep -c '^[0-9a-f]\{32\}$')" 1 "the answer names its request id"
sleep 0.2
line=$(grep "request_id=$rid" "$L/status.log" | grep " GET /api/v1/status ")
is "$(printf '%s\n' "$line" | grep -c "${ISO}status: GET /api/v1/status $code [0-9]*ms request_id=$rid client=127.0.0.1$")" 1 \
	"status.log: time, program, request, status, duration, request id, client"
is "$(grep -c " $rid 127.0.0.1 \"GET /api/v1/status HTTP/1.1\" $code " "$ACC")" 1 \
	"nginx's access log has the same request id"
like "$(date -u +%Y-%m-%dT%H)" "$(printf %s "$line" | cut -c1-10)" "the time is today's, in UTC"

# an authenticated request: the user's id, never the key
req GET /api/v1/verify -H "X-API-Key: $KEY"
is "$code" 200 "verify with a key"
rid=$(header X-Request-Id)
sleep 0.2
is "$(grep -c "${ISO}verify: GET /api/v1/verify 200 [0-9]*ms request_id=$rid client=127.0.0.1 user=$UID_ALICE$" "$L/verify.log")" 1 \
	"verify.log: the authenticated user's id"
req GET /api/v1/verify -H "X-API-Key: modu_arena_00000000_0000000000000000000000000000000"
rid=$(header X-Request-Id)
sleep 0.2
is "$(grep "request_id=$rid" "$L/verify.log" | grep -c 'user=')" 0 "a refused key: no user on the line"
secret=$(printf %s "$KEY" | cut -c21-)
is "$(cat "$L"/*.log "$ACC" | grep -c "$secret")" 0 "no key anywhere in the logs"

# the forwarded client, when the proxy is trusted, is what is logged: the
# harness trusts none, so a forged X-Forwarded-For changes nothing
req GET /api/v1/status -H "X-Forwarded-For: 203.0.113.9"
rid=$(header X-Request-Id)
sleep 0.2
like "$(grep "request_id=$rid" "$L/status.log")" "client=127.0.0.1" "an untrusted X-Forwarded-For is not the client"

# an error during a request: the time and the request id on that line too
arena_pg_stop fast
req GET /api/v1/status
rid=$(header X-Request-Id)
arena_pg_start
sleep 0.2
err=$(grep "request_id=$rid" "$L/status.log" | grep -v ' GET /api/v1/status ')
ok $([ -n "$err" ] && echo 0 || echo 1) "the database error is logged during the request"
is "$(printf '%s\n' "$err" | grep -vc "${ISO}status: .* request_id=$rid client=127.0.0.1$")" 0 \
	"each error line: time, program, message, request id, client"

# every line every pool wrote has the time in front
bad=$(for f in "$L"/*.log; do case $f in */postgresql.log|*/initdb.log) continue ;; esac
	grep -v "$ISO" "$f" | sed "s|^|${f##*/}: |"; done | head -5)
is "$bad" "" "every line of the pools' logs starts with the time"

# the jobs
out=$("$top_builddir/cron/calculate-rankings" 2>&1)
is "$(printf '%s\n' "$out" | grep -vc "${ISO}calculate-rankings: ")" 0 "calculate-rankings: each line timed and named"
out=$(DATABASE_URL="host=/nonexistent dbname=x" "$top_builddir/cron/cleanup-data" 2>&1)
is "$(printf '%s\n' "$out" | grep -c "${ISO}cleanup-data: cannot connect")" 1 "a job's error line is timed too"

done_testing
