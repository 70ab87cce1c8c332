#!/bin/sh
# Signing in with GitHub (a stand-in), the account's JSON API, keys,
# export, sign-out and deletion, over HTTP against the real stack.
. "$top_srcdir/t/lib/harness.sh"
. "$top_srcdir/t/lib/accounts.sh"
accounts_up

# --- sign-in ---
signin_start "?next=/users/octo-test"
is "$code" 302 "GET /auth/github redirects to the provider"
like "$AUTHORIZE" "$GH_URL/login/oauth/authorize?client_id=$GH_CLIENT_ID" "to the authorize URL"
like "$AUTHORIZE" "code_challenge_method=S256" "with PKCE S256"
like "$AUTHORIZE" "redirect_uri=$(printf %s "$ARENA_URL" | sed 's|:|%3A|g; s|/|%2F|g')%2Fauth%2Fgithub%2Fcallback" \
	"and the callback on the public URL"
like "$headers" "Set-Cookie: __Host-oauth=" "state and verifier go in a __Host- cookie"
like "$(printf '%s\n' "$headers" | grep -i '^Set-Cookie: __Host-oauth')" \
	"Path=/; Max-Age=600; Secure; HttpOnly; SameSite=Lax" "short-lived, Secure, HttpOnly, Lax"
state=$(printf %s "$AUTHORIZE" | sed -n 's/.*[?&]state=\([^&]*\).*/\1/p')
challenge=$(printf %s "$AUTHORIZE" | sed -n 's/.*code_challenge=\([^&]*\).*/\1/p')
is "${#state}" 43 "state is 256 random bits"
is "${#challenge}" 43 "the challenge is a SHA-256"
unlike "$OAUTH" "$challenge" "the cookie does not carry the challenge"

gh_authorize "$AUTHORIZE"
like "$CALLBACK" "/auth/github/callback?code=" "the provider sends the browser back"
planted=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
req GET "$CALLBACK" -H "Cookie: __Host-oauth=$OAUTH; __Host-session=$planted"
is "$code" 302 "the callback signs in"
is "$(header Location)" "/users/octo-test" "and goes to next"
SID=$(set_cookie __Host-session)
is "${#SID}" 43 "a session cookie is set"
ok "$([ "$SID" != "$planted" ]; echo $?)" "a session id planted before sign-in is not kept"
like "$(printf '%s\n' "$headers" | grep -i '^Set-Cookie: __Host-session')" \
	"Path=/; Max-Age=2592000; Secure; HttpOnly; SameSite=Lax" "session cookie: __Host-, Secure, HttpOnly, Lax"
like "$headers" "Set-Cookie: __Host-oauth=; Path=/; Max-Age=0" "the state cookie is cleared"
is "$(header Cache-Control)" "private, no-store" "the callback is not cacheable"
is "$(arena_psql -c "SELECT count(*) FROM web_sessions WHERE id_hash = sha256('$SID'::bytea)")" 1 \
	"only the hash of the session id is stored"
is "$(arena_psql -c "SELECT count(*) FROM web_sessions WHERE encode(id_hash, 'escape') LIKE '%$SID%'")" 0 \
	"and not the id itself"
is "$(arena_psql -c "SELECT username || ' ' || github_id || ' ' || github_username || ' ' || display_name FROM users WHERE github_id = '583231'")" \
	"octo-test 583231 octo-test Test User" "the account is keyed on GitHub's numeric id"
is "$(audit_count login_success)" 1 "sign-in is audited"

me GET /api/me
is "$code" 200 "GET /api/me with the session"
is "$(jv .username)" octo-test "it is me"
is "$(jv .privacyMode)" false "privacy off"
is "$(jv .timeZone)" UTC "time zone defaults to UTC"
is "$(header Cache-Control)" "private, no-store" "cookie answers are private, no-store"
unlike "$headers" "X-Cache" "and never go through the micro-cache"
CSRF=$(jv .csrfToken)
is "${#CSRF}" 43 "a CSRF token comes with it"

# the same GitHub account signs in again, with a new login: same account
gh_user 583231 octo-renamed "Renamed"
old=$SID
signin
is "$(jv .id)" "$(arena_psql -c "SELECT id FROM users WHERE github_id = '583231'")" \
	"a new login is the same account (identity is the id)"
is "$(arena_psql -c "SELECT count(*) FROM users")" 1 "no second account"
is "$(arena_psql -c "SELECT github_username FROM users")" octo-renamed "the GitHub login is updated"
is "$(arena_psql -c "SELECT username FROM users")" octo-test "the username stays"
SID1=$old
me GET /api/me
is "$code" 200 "the first session still works"
SID=$SID1
me GET /api/me
is "$code" 200 "as does the second"
CSRF=$(jv .csrfToken)

# --- refusals at sign-in: nothing stored, audited ---
users() { arena_psql -c "SELECT count(*) || '/' || (SELECT count(*) FROM web_sessions) FROM users"; }
before=$(users)
fails=$(audit_count login_failed)

signin_start
gh_authorize "$AUTHORIZE"
req GET "$CALLBACK"
is "$code" 400 "callback without the state cookie: 400"
like "$(header Content-Type)" "text/html" "a page"
like "$body" "was not started in this browser" "that says why"
unlike "$headers" "__Host-session=" "no session"

signin_start
gh_authorize "$AUTHORIZE"
bad=$(printf %s "$CALLBACK" | sed 's/state=[^&]*/state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/')
req GET "$bad" -H "Cookie: __Host-oauth=$OAUTH"
is "$code" 400 "state mismatch: 400"
unlike "$headers" "__Host-session=" "no session"
nostate=$(printf %s "$CALLBACK" | sed 's/&state=[^&]*//')
req GET "$nostate" -H "Cookie: __Host-oauth=$OAUTH"
is "$code" 400 "missing state: 400"

forged=$(printf %s "$OAUTH" | sed 's/^./X/')
[ "$forged" = "$OAUTH" ] && forged=$(printf %s "$OAUTH" | sed 's/^./Y/')
req GET "$CALLBACK" -H "Cookie: __Host-oauth=$forged"
is "$code" 400 "an edited state cookie: 400"

# the code is single-use: the right cookie and code, a second time
signin_start
gh_authorize "$AUTHORIZE"
req GET "$CALLBACK" -H "Cookie: __Host-oauth=$OAUTH"
is "$code" 302 "a good callback"
other=$(set_cookie __Host-session)
req GET "$CALLBACK" -H "Cookie: __Host-oauth=$OAUTH"
is "$code" 400 "the same code again: refused"
like "$body" "GitHub did not accept" "the provider refused it"
SID=$other
me POST /auth/logout -H "Origin: $ARENA_URL" --data-urlencode "csrf=$(SID=$other; me GET /api/me >/dev/null; jv .csrfToken)"
SID=$SID1

# a verifier the provider rejects: a state cookie from another start
signin_start
cookie_a=$OAUTH
signin_start
gh_authorize "$AUTHORIZE"
state_b=$(printf %s "$CALLBACK" | sed -n 's/.*state=\([^&]*\).*/\1/p')
# forge nothing: take B's code with A's state in the query and A's cookie
state_a=$(printf %s "$cookie_a" | cut -d. -f1)
swapped=$(printf %s "$CALLBACK" | sed "s/state=$state_b/state=$state_a/")
req GET "$swapped" -H "Cookie: __Host-oauth=$cookie_a"
is "$code" 400 "a code exchanged with the wrong verifier: refused by the provider"
like "$(arena_psql -c "SELECT details->>'reason' FROM security_audit_log WHERE event_type = 'login_failed' ORDER BY id DESC LIMIT 1")" \
	bad_verification_code "audited with the provider's reason"

# next must be a path of ours
for n in "https://elsewhere.example/x" "//elsewhere.example/x" "/\\elsewhere.example"; do
	signin_start "?next=$(printf %s "$n" | jq -sRr @uri)"
	gh_authorize "$AUTHORIZE"
	req GET "$CALLBACK" -H "Cookie: __Host-oauth=$OAUTH"
	is "$(header Location)" /dashboard "next=$n goes to /dashboard instead"
	s=$(set_cookie __Host-session)
	SID=$s; me GET /api/me >/dev/null; t=$(jv .csrfToken)
	me POST /auth/logout -H "Origin: $ARENA_URL" --data-urlencode "csrf=$t"
done
SID=$SID1

# the provider misbehaves: a clear page, nothing stored, audited
gh_mode deny
signin_start
gh_authorize "$AUTHORIZE"
req GET "$CALLBACK" -H "Cookie: __Host-oauth=$OAUTH"
is "$code" 400 "cancelled at the provider: 400"
like "$body" "GitHub did not sign you in" "a page that says so"
for mode in down garbage error user-error slow; do
	gh_mode ""
	signin_start
	gh_authorize "$AUTHORIZE"
	gh_mode $mode
	t0=$(date +%s)
	req GET "$CALLBACK" -H "Cookie: __Host-oauth=$OAUTH"
	t1=$(date +%s)
	case $mode in user-error) want=400 ;; *) want=502 ;; esac
	is "$code" $want "provider $mode: $want"
	like "$(header Content-Type)" "text/html" "provider $mode: a page"
	unlike "$headers" "__Host-session=" "provider $mode: no session"
	[ $mode = slow ] && ok "$([ $((t1 - t0)) -le 6 ]; echo $?)" "a slow provider is given up on after 5 s"
done
gh_mode ""
is "$(users)" "$before" "no account or session was stored by any refused sign-in"
ok "$([ "$(audit_count login_failed)" -ge $((fails + 12)) ]; echo $?)" "every refusal is audited"

# --- settings: privacy and time zone, with CSRF and Origin ---
mew PATCH /api/me/settings -H 'Content-Type: application/json' -d '{"privacyMode":true}'
is "$code" 200 "privacy on"
is "$(jv .privacyMode)" true "privacy is on"
is "$(audit_count privacy_mode_changed)" 1 "privacy change audited"
me GET /api/me/stats
is "$(jv .username)" octo-test "own stats while private"
mew PATCH /api/me/settings -H 'Content-Type: application/json' -d '{"timeZone":"Asia/Seoul"}'
is "$(jv .timeZone)" Asia/Seoul "time zone set"
mew PATCH /api/me/settings -H 'Content-Type: application/json' -d '{"timeZone":"Mars/Olympus"}'
is "$code" 422 "an unknown time zone: 422"
mew PATCH /api/me/settings -H 'Content-Type: application/json' -d '{"privacyMode":"yes"}'
is "$code" 422 "privacyMode must be a boolean"
mew PATCH /api/me/settings -H 'Content-Type: application/json' -d '{"isAdmin":true}'
is "$(jv .error.code)" unknown_field "unknown fields are refused"
mew PATCH /api/me/settings -H 'Content-Type: application/json' -d '{"privacyMode":'
is "$code" 400 "broken JSON: 400"

me PATCH /api/me/settings -H "Origin: $ARENA_URL" -H 'Content-Type: application/json' -d '{"privacyMode":false}'
is "$code" 403 "no CSRF token: 403"
is "$(jv .error.code)" csrf_invalid "csrf_invalid"
me PATCH /api/me/settings -H "Origin: $ARENA_URL" -H "X-CSRF-Token: ${CSRF%?}A" -H 'Content-Type: application/json' -d '{"privacyMode":false}'
is "$code" 403 "a wrong CSRF token: 403"
me PATCH /api/me/settings -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' -d '{"privacyMode":false}'
is "$(jv .error.code)" origin_rejected "no Origin: 403"
me PATCH /api/me/settings -H "Origin: https://evil.example" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' -d '{"privacyMode":false}'
is "$(jv .error.code)" origin_rejected "a foreign Origin: 403"
mew PATCH /api/me/settings -H 'Sec-Fetch-Site: cross-site' -H 'Content-Type: application/json' -d '{"privacyMode":false}'
is "$code" 403 "Sec-Fetch-Site: cross-site: 403"
is "$(arena_psql -c "SELECT privacy_mode FROM users WHERE github_id = '583231'")" t "none of those changed anything"
ok "$([ "$(audit_count csrf_rejected)" -ge 5 ]; echo $?)" "refused writes are audited"
SID=$other
me GET /api/me
is "$code" 401 "a signed-out session's cookie is refused"
SID=$SID1
mew PATCH /api/me/settings -H 'Content-Type: application/json' -d '{"privacyMode":false}'
is "$(jv .privacyMode)" false "privacy off again"

# --- keys ---
mew POST /api/me/keys
is "$code" 201 "a key is created"
KEY=$(jv .apiKey)
prefix=$(jv .keyPrefix)
like "$(jv .installCommand)" "modu-arena install --api-key $KEY" "with the install line"
is "$(arena_psql -c "SELECT count(*) FROM api_keys WHERE key_prefix = '$prefix' AND key_hash = sha256('$KEY'::bytea) AND signing_secret IS NOT NULL")" 1 \
	"only its hash, prefix and sealed v2 secret are stored"
req GET /api/v1/verify -H "X-API-Key: $KEY"
is "$code" 200 "the new key works with /api/v1/verify"
is "$(jv .username)" octo-test "for this account"
me GET /api/me
is "$(jv '.apiKeys[0].prefix')" "$prefix" "it is listed by prefix"
unlike "$body" "$KEY" "but never shown again"
ok "$([ "$(jv '.apiKeys[0].lastUsedAt')" != null ]; echo $?)" "with the time it was last used"
mew POST /api/me/keys
KEY2=$(jv .apiKey)
req GET /api/v1/verify -H "X-API-Key: $KEY"
is "$code" 200 "a second key does not revoke the first"
me DELETE "/api/me/keys/$prefix" -H "Origin: $ARENA_URL"
is "$code" 403 "revoking needs the CSRF token"
mew DELETE "/api/me/keys/$prefix"
is "$code" 200 "revoked"
req GET /api/v1/verify -H "X-API-Key: $KEY"
is "$code" 401 "the revoked key no longer works"
mew DELETE "/api/me/keys/$prefix"
is "$code" 404 "revoking it again: 404"
mew DELETE "/api/me/keys/modu_arena_zz"
is "$code" 404 "a malformed prefix: 404"
is "$(audit_count api_key_created)/$(audit_count api_key_revoked)" "2/1" "key changes are audited"

# --- export ---
me GET /api/me/export
is "$code" 200 "export"
like "$(header Content-Disposition)" "attachment" "as a download"
is "$(jv .user.githubId)" 583231 "with the account"
is "$(jv '.apiKeys | length')" 2 "and its keys"
unlike "$body" "$KEY2" "but no key"
unlike "$body" "key_hash" "nor key hashes"
is "$(audit_count data_exported)" 1 "export is audited"

# --- sign-out ---
SID=$other
signin
s_a=$SID; c_a=$CSRF
signin
s_b=$SID; c_b=$CSRF
SID=$s_a
me POST /auth/logout -H "Origin: $ARENA_URL" --data-urlencode "csrf=bad"
is "$code" 403 "sign-out with a wrong token: refused"
me POST /auth/logout -H "Origin: $ARENA_URL" --data-urlencode "csrf=$c_a"
is "$code" 303 "signed out"
like "$headers" "Set-Cookie: __Host-session=; Path=/; Max-Age=0" "the cookie is cleared"
me GET /api/me
is "$code" 401 "the session is over on the server"
SID=$s_b
me GET /api/me
is "$code" 200 "another session is still alive"
me POST /auth/logout -H "Origin: $ARENA_URL" --data-urlencode "csrf=$c_b" --data-urlencode "everywhere=1"
is "$code" 303 "sign out everywhere"
for s in $s_b $SID1; do
	SID=$s; me GET /api/me
	is "$code" 401 "every session of the account is over"
done
is "$(arena_psql -c "SELECT count(*) FROM web_sessions")" 0 "none left"

# --- expiry: idle and absolute ---
signin
arena_psql -c "UPDATE web_sessions SET last_seen_at = now() - interval '8 days'"
me GET /api/me
is "$code" 401 "an idle session has expired"
signin
arena_psql -c "UPDATE web_sessions SET expires_at = now() - interval '1 second'"
me GET /api/me
is "$code" 401 "a session past its absolute end has expired"

# --- delete the account ---
signin
mew POST /api/me/keys
KEY=$(jv .apiKey)
now=$(date -u -d '-5 minutes' +%Y-%m-%dT%H:%M:00Z)
printf '{"sessionHash":"%064d","endedAt":"%s","durationSeconds":60,"inputTokens":1000,"outputTokens":500}' 1 "$now" >"$T/s.json"
post /api/v1/sessions "$T/s.json"
is "$code" 201 "a session is uploaded with the key"
"$top_builddir/cron/calculate-rankings" >/dev/null 2>&1
req GET "/api/leaderboard?period=all_time"
like "$body" '"username":"octo-test"' "the user is on the board"
mew DELETE /api/me -H 'Content-Type: application/json' -d '{"confirm":"someone-else"}'
is "$code" 422 "deleting needs the username typed exactly"
mew DELETE /api/me -H 'Content-Type: application/json' -d '{"confirm":"octo-test"}'
is "$code" 200 "the account is deleted"
like "$headers" "Set-Cookie: __Host-session=; Path=/; Max-Age=0" "the cookie is cleared"
is "$(arena_psql -c "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM sessions) + (SELECT count(*) FROM api_keys) + (SELECT count(*) FROM web_sessions) + (SELECT count(*) FROM daily_aggregates) + (SELECT count(*) FROM user_totals) + (SELECT count(*) FROM rankings)")" 0 \
	"sessions, aggregates, keys and sign-in sessions are gone"
is "$(arena_psql -c "SELECT count(*) FROM security_audit_log WHERE event_type = 'account_deleted' AND user_id IS NULL AND details ? 'userId'")" 1 \
	"the audit log keeps a minimal record"
req GET /api/v1/verify -H "X-API-Key: $KEY"
is "$code" 401 "the key is gone"
"$top_builddir/cron/calculate-rankings" >/dev/null 2>&1
# the micro-cache keeps a page 1 s, a worker at most 10 s (README)
i=0
while :; do
	req GET "/api/leaderboard?period=all_time"
	case $body in *octo-test*) ;; *) break ;; esac
	i=$((i + 1)); [ $i -ge 12 ] && break; sleep 1
done
unlike "$body" octo-test "the next ranking no longer shows the user"
is "$(jv .pagination.total)" 0 "and does not count them"
me GET /api/me
is "$code" 401 "the session is gone"

# --- arena-admin user delete, the same deletion ---
gh_user 777 second-user
signin
admin user delete second-user >/dev/null
is "$?" 0 "arena-admin user delete"
me GET /api/me
is "$code" 401 "its sessions are gone too"
is "$(audit_count account_deleted)" 2 "and it is recorded the same way"
admin user delete second-user 2>/dev/null
is "$?" 1 "deleting an unknown user fails"

# --- sign-in not configured ---
unset ARENA_GITHUB_CLIENT_ID
arena_pool_restart "$top_builddir/cgi-bin" auth
req GET /auth/github
is "$code" 404 "without a client id, sign-in says it is not configured"
like "$body" "not configured" "in words"
req GET "/api/leaderboard?period=all_time"
is "$code" 200 "and the rest works"

done_testing
