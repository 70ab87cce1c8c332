#!/bin/sh
# The rate-limit classes of the account endpoints: `auth` (per address)
# on sign-in and the device flow, `sensitive` (per user) on key creation,
# export and deletion.
. "$top_srcdir/t/lib/harness.sh"
. "$top_srcdir/t/lib/accounts.sh"
ARENA_RATE_LIMIT_AUTH=4
ARENA_RATE_LIMIT_SENSITIVE=3
# a busy machine must not turn a slow check into a free pass
ARENA_RATE_LIMIT_TIMEOUT_MS=5000
export ARENA_RATE_LIMIT_AUTH ARENA_RATE_LIMIT_SENSITIVE ARENA_RATE_LIMIT_TIMEOUT_MS
accounts_up

signin
ok "$([ ${#SID} = 43 ]; echo $?)" "sign-in (start and callback: 2 of 4)"
req GET /auth/github
is "$code" 302 "a third start"
req POST /api/auth/device
is "$code" 200 "a device code (4 of 4)"
req GET /auth/github
is "$code" 429 "the fifth sign-in request from the address: 429"
like "$(header RateLimit-Policy)" '"auth";q=4' "under the auth policy"
ok "$([ -n "$(header Retry-After)" ]; echo $?)" "with Retry-After"
req POST /api/auth/device
is "$code" 429 "device codes share the quota"
is "$(arena_psql -c "SELECT count(*) FROM device_codes")" 1 "and none was made"

for i in 1 2 3; do
	mew POST /api/me/keys
	is "$code" 201 "key $i of the sensitive quota"
done
mew POST /api/me/keys
is "$code" 429 "a fourth sensitive operation: 429"
like "$(header RateLimit-Policy)" '"sensitive";q=3' "under the sensitive policy"
is "$(arena_psql -c "SELECT count(*) FROM api_keys")" 3 "no key made"
me GET /api/me/export
is "$code" 429 "export counts too"
mew DELETE /api/me -H 'Content-Type: application/json' -d '{"confirm":"octo-test"}'
is "$code" 429 "and deletion"
is "$(arena_psql -c "SELECT count(*) FROM users")" 1 "nothing deleted"
me GET /api/me
is "$code" 200 "reading the account is not limited by them"
ok "$([ "$(audit_count rate_limit_exceeded)" -ge 2 ]; echo $?)" "refusals are audited"

done_testing
