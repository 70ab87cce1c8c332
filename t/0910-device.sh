#!/bin/sh
# The client's sign-in by device authorization (RFC 8628): the code, the
# /device form, every answer of the poll, and the key handed out once.
. "$top_srcdir/t/lib/harness.sh"
. "$top_srcdir/t/lib/accounts.sh"
ARENA_DEVICE_POLL_SECONDS=1
export ARENA_DEVICE_POLL_SECONDS
accounts_up

# device_start: POST /api/auth/device; sets DC (device code) and UC (user code)
device_start() {
	req POST /api/auth/device -H 'Content-Type: application/json' -d '{"deviceName":"laptop"}'
	DC=$(jv .device_code)
	UC=$(jv .user_code)
}

# poll: the client's poll with $DC; sets code, body
poll() {
	req POST /api/auth/device/token --data-urlencode 'grant_type=urn:ietf:params:oauth:grant-type:device_code' \
		--data-urlencode "device_code=$DC"
}

# approve CODE [action]: the /device form, as the signed-in browser sends it
approve() {
	me POST /device -H "Origin: $ARENA_URL" --data-urlencode "csrf=$CSRF" \
		--data-urlencode "user_code=$1" --data-urlencode "action=${2:-approve}"
}

device_start
is "$code" 200 "POST /api/auth/device"
is "${#DC}" 43 "a device code of 256 random bits"
ok "$(printf %s "$UC" | grep -Eq '^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$'; echo $?)" \
	"an 8-letter user code without vowels or look-alikes"
is "$(jv .verification_uri)" "$ARENA_URL/device" "the address to type it at"
is "$(jv .expires_in)" 600 "valid 10 minutes"
is "$(jv .interval)" 1 "the poll interval"
is "$(header Cache-Control)" "private, no-store" "not cacheable"
is "$(arena_psql -c "SELECT count(*) FROM device_codes WHERE code_hash = sha256('$DC'::bytea) AND device_name = 'laptop'")" 1 \
	"only the hash of the device code is stored"
req POST /api/auth/device -H 'Content-Type: application/json' -d '{"deviceName":"x","admin":true}'
is "$(jv .error)" invalid_request "an unknown field: invalid_request"

poll
is "$code" 400 "before approval: 400"
is "$(jv .error)" authorization_pending "authorization_pending"
poll
is "$(jv .error)" slow_down "polling faster than the interval: slow_down"
is "$(arena_psql -c "SELECT interval_s FROM device_codes WHERE code_hash = sha256('$DC'::bytea)")" 6 \
	"and the interval grows by 5 s"
req POST /api/auth/device/token --data-urlencode 'grant_type=password' --data-urlencode "device_code=$DC"
is "$(jv .error)" invalid_request "another grant type: invalid_request"
DC0=$DC; DC=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
poll
is "$(jv .error)" invalid_grant "an unknown device code: invalid_grant"
DC=$DC0

# /device needs a session
req GET /device
is "$code" 303 "/device signs in first"
is "$(header Location)" "/auth/github?next=/device" "and comes back"
signin
me GET "/device?user_code=$UC"
is "$code" 200 "/device form"
like "$body" 'name="user_code"' "has the user_code field"
like "$body" "name=\"csrf\" value=\"$CSRF\"" "and the csrf field"
like "$body" "value=\"$(printf %s "$UC" | tr -d -)\"" "with the code from the address filled in"
is "$(header Cache-Control)" "private, no-store" "private"

me POST /device --data-urlencode "csrf=$CSRF" --data-urlencode "user_code=$UC"
is "$code" 403 "approving without Origin: refused"
me POST /device -H "Origin: $ARENA_URL" --data-urlencode "user_code=$UC"
is "$code" 403 "approving without the CSRF token: refused"
is "$(arena_psql -c "SELECT state FROM device_codes WHERE code_hash = sha256('$DC'::bytea)")" pending "still pending"

approve "$(printf %s "$UC" | tr A-Z a-z | tr -d -)"
is "$code" 200 "approved (the code's case and dash do not matter)"
like "$body" "Your device is connected" "the page says so"
is "$(audit_count device_code_approved)" 1 "approval is audited"

sleep 6
poll
is "$code" 200 "the poll after approval gets the key"
KEY=$(jv .apiKey)
is "$(jv .username)" octo-test "and the username"
is "$(jv .keyPrefix)" "$(printf %s "$KEY" | cut -c1-19)" "and its prefix"
is "$(header Cache-Control)" "private, no-store" "never cached"
req GET /api/v1/verify -H "X-API-Key: $KEY"
is "$code" 200 "the key works"
is "$(jv .username)" octo-test "for the approving user"
sleep 6.1
poll
is "$(jv .error)" expired_token "a second poll gets no key: expired_token"
unlike "$body" modu_arena_ "and nothing like a key"
is "$(arena_psql -c "SELECT count(*) FROM api_keys")" 1 "one key was made"
is "$(audit_count api_key_created)" 1 "and audited"

# denied
device_start
approve "$UC" deny
is "$code" 200 "denied"
sleep 1.1
poll
is "$(jv .error)" access_denied "the poll says access_denied"

# expired
device_start
arena_psql -c "UPDATE device_codes SET expires_at = now() - interval '1 second' WHERE code_hash = sha256('$DC'::bytea)"
approve "$UC"
is "$code" 400 "an expired code cannot be approved"
sleep 1.1
poll
is "$(jv .error)" expired_token "the poll says expired_token"

# five wrong codes lock the form
is "$(arena_psql -c "SELECT failures FROM device_code_failures")" 1 "the expired code counted as a wrong one"
arena_psql -c "DELETE FROM device_code_failures"
device_start
for i in 1 2 3 4; do
	approve BCDFBCDF
done
is "$code" 400 "a wrong code: 400"
like "$body" 'name="user_code"' "the form again"
approve BCDFBCDF
is "$code" 429 "the fifth wrong code locks the form"
approve "$UC"
is "$code" 429 "even the right code is refused while locked"
is "$(arena_psql -c "SELECT state FROM device_codes WHERE code_hash = sha256('$DC'::bytea)")" pending \
	"and approves nothing"
arena_psql -c "UPDATE device_code_failures SET locked_until = now() - interval '1 second'"
approve "$UC"
is "$code" 200 "after the lock the right code works"

# no key in any URL: nothing we answered with a Location or a link has one
is "$(grep -c 'modu_arena_[0-9a-f]\{8\}_' "$T/log/"*.log "$T/nginx/error.log" 2>/dev/null | awk -F: '{s+=$2} END {print s+0}')" 0 \
	"no key in any log line (paths and queries are logged)"

done_testing
