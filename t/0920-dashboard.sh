#!/bin/sh
# The dashboard and /device as pages: forms with CSRF fields, the same
# actions as the JSON API, four languages, private answers.
. "$top_srcdir/t/lib/harness.sh"
. "$top_srcdir/t/lib/accounts.sh"
accounts_up

req GET /dashboard
is "$code" 303 "/dashboard without a session: sign in first"
is "$(header Location)" "/auth/github?next=/dashboard" "and come back to it"
req GET /ko/dashboard
is "$(header Location)" "/auth/github?next=/ko/dashboard" "in the same language"

signin
me GET /dashboard
is "$code" 200 "GET /dashboard"
is "$(header Cache-Control)" "private, no-store" "private, no-store"
unlike "$headers" "X-Cache" "never through the micro-cache"
like "$(header Content-Security-Policy)" "form-action 'self'" "the strict page CSP"
is "$(header Referrer-Policy)" same-origin "Referrer-Policy same-origin: the forms' posts carry the Origin"
like "$body" "Signed in as octo-test" "who is signed in"
like "$body" '<a href="/dashboard">Your dashboard</a>' "the header links to the dashboard"
forms=$(printf %s "$body" | grep -o '<form ' | wc -l)
csrfs=$(printf %s "$body" | grep -o "name=\"csrf\" value=\"$CSRF\"" | wc -l)
ok "$([ "$forms" -ge 5 ] && [ "$forms" = "$csrfs" ]; echo $?)" "every form ($forms) carries the csrf field"
like "$body" 'action="/auth/logout"' "a sign-out form"
like "$body" 'name="everywhere" value="1"' "and sign out everywhere"
like "$body" 'href="/api/me/export"' "the export link"
like "$body" 'action="/dashboard/delete"' "the delete form"
unlike "$body" ' style=' "no style attributes"
unlike "$body" '<script>' "no inline script"

me GET /ko/dashboard
like "$body" '<html lang="ko">' "/ko/dashboard is in Korean"
like "$body" "octo-test(으)로 로그인됨" "its texts too"
like "$body" 'action="/ko/dashboard/settings"' "its forms stay in Korean"
me GET /ja/dashboard
like "$body" '<html lang="ja">' "/ja/dashboard"
me GET /zh/dashboard
like "$body" '<html lang="zh">' "/zh/dashboard"

# settings by form
me POST /dashboard/settings -H "Origin: $ARENA_URL" --data-urlencode "csrf=$CSRF" \
	--data-urlencode privacy=1 --data-urlencode tz=Europe/Berlin
is "$code" 200 "settings saved"
like "$body" "Settings saved." "the page says so"
like "$body" "Your profile is private" "and that the profile is private"
is "$(arena_psql -c "SELECT privacy_mode || ' ' || time_zone FROM users")" "true Europe/Berlin" "stored"
me POST /dashboard/settings -H "Origin: $ARENA_URL" --data-urlencode privacy=0
is "$code" 403 "a form without csrf: 403"
like "$body" "Nothing was changed" "a page that says so"
me POST /dashboard/settings -H "Origin: https://evil.example" --data-urlencode "csrf=$CSRF"
is "$code" 403 "a form from a foreign origin: 403"
me POST /dashboard/settings -H "Origin: $ARENA_URL" --data-urlencode "csrf=$CSRF" --data-urlencode 'tz=<script>'
is "$code" 422 "a bad time zone: 422"
unlike "$body" "<script>" "not echoed unescaped"
is "$(arena_psql -c "SELECT privacy_mode || ' ' || time_zone FROM users")" "true Europe/Berlin" "nothing changed"

# the owner sees their own statistics while private
KEY=$(arena_psql -c "SELECT 1" >/dev/null; mew POST /api/me/keys >/dev/null; jv .apiKey)
now=$(date -u -d '-5 minutes' +%Y-%m-%dT%H:%M:00Z)
printf '{"sessionHash":"%064d","endedAt":"%s","durationSeconds":60,"inputTokens":1234567,"outputTokens":500}' 7 "$now" >"$T/s.json"
post /api/v1/sessions "$T/s.json"
is "$code" 201 "a session is uploaded"
"$top_builddir/cron/calculate-rankings" >/dev/null 2>&1
me GET /dashboard
like "$body" "1,235,067" "a private user's own totals are on their dashboard"
me GET /api/me/stats
is "$(jv .stats.totalTokens)" 1235067 "and in /api/me/stats, the profile JSON"
is "$(jv .isPrivate)" true "which says it is private"
is "$(jv .rankings.allTime.position)" 1 "with their place"
is "$(jv "[.. | objects | .timeZone? // empty] | first")" "Europe/Berlin" "in their time zone"
req GET /api/users/octo-test
is "$code" 404 "while others get no profile"

# keys by form: shown once with the install line
me POST /dashboard/keys -H "Origin: $ARENA_URL" --data-urlencode "csrf=$CSRF"
is "$code" 201 "a key is created by the form"
NEW=$(printf %s "$body" | grep -o 'modu_arena_[0-9a-f]\{8\}_[0-9a-f]\{32\}' | head -1)
like "$body" "modu-arena install --api-key $NEW" "with the ready install line"
req GET /api/v1/verify -H "X-API-Key: $NEW"
is "$code" 200 "the key works"
me GET /dashboard
unlike "$body" "$NEW" "the key is never shown again"
like "$body" "$(printf %s "$NEW" | cut -c1-19)" "only its prefix"
me POST /dashboard/revoke -H "Origin: $ARENA_URL" --data-urlencode "csrf=$CSRF" \
	--data-urlencode "prefix=$(printf %s "$NEW" | cut -c1-19)"
is "$code" 200 "revoked by the form"
like "$body" "revoked" "the page says so"
req GET /api/v1/verify -H "X-API-Key: $NEW"
is "$code" 401 "the key no longer works"

# /device in another language
me GET "/ko/device?user_code=bcdf-ghjk"
is "$code" 200 "/ko/device"
like "$body" '<html lang="ko">' "in Korean"
like "$body" 'value="BCDFGHJK"' "the code from the address, normalised"

# a wrong method: a page for pages, JSON for the API
me PUT /ko/dashboard
is "$code" 405 "PUT /ko/dashboard: 405"
like "$(header Content-Type)" "text/html" "as a page"
like "$body" '<html lang="ko">' "in its language"
me PUT /api/me
is "$code" 405 "PUT /api/me: 405"
is "$(jv .error.code)" method_not_allowed "as JSON"
me GET /dashboard/keys
is "$code" 405 "GET of a form's address: 405"

# deletion by form
me POST /dashboard/delete -H "Origin: $ARENA_URL" --data-urlencode "csrf=$CSRF" --data-urlencode confirm=octo
is "$code" 422 "a wrong confirmation: 422"
is "$(arena_psql -c "SELECT count(*) FROM users")" 1 "nothing deleted"
me POST /dashboard/delete -H "Origin: $ARENA_URL" --data-urlencode "csrf=$CSRF" --data-urlencode confirm=octo-test
is "$code" 200 "deleted by the form"
like "$headers" "Set-Cookie: __Host-session=; Path=/; Max-Age=0" "the cookie is cleared"
is "$(arena_psql -c "SELECT count(*) FROM users")" 0 "the account is gone"

# without a client id the pages say sign-in is not configured
unset ARENA_GITHUB_CLIENT_ID
arena_pool_restart "$top_builddir/cgi-bin" me
req GET /dashboard
is "$code" 404 "without a client id /dashboard cannot sign in"
like "$body" "not configured" "and says so"
like "$body" '<span class="off">Sign-in is not configured</span>' "so does the header, instead of the link"

done_testing
