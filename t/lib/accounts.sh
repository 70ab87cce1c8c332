# accounts.sh -- the stand-in GitHub and signing in, for the 09xx tests.
#
#	. "$top_srcdir/t/lib/accounts.sh"
#	accounts_up                     # fake GitHub + stack, sign-in configured
#	gh_user 583231 octo-test        # who the fake GitHub says signs in
#	signin                          # sets SID (the session cookie) and CSRF
#	me GET /api/me                  # req with the session cookie

GH_CLIENT_ID=Iv1.testclient
GH_CLIENT_SECRET=test-secret-$$

# Starts the fake GitHub, then the stack with sign-in pointed at it.
accounts_up() {
	arena_up
	mkdir -p "$T/gh"
	: >"$T/gh/mode"
	"$top_builddir/t/fake-github" --port-file "$T/gh/port" --client-id "$GH_CLIENT_ID" \
		--client-secret "$GH_CLIENT_SECRET" --user-file "$T/gh/user" \
		--mode-file "$T/gh/mode" 2>"$T/gh/log" &
	GH_PID=$!
	trap 'kill $GH_PID 2>/dev/null; arena_cleanup' EXIT
	i=0
	while [ ! -s "$T/gh/port" ]; do
		i=$((i + 1)); [ $i -gt 100 ] && arena_die "fake GitHub did not start"; sleep 0.05
	done
	GH_URL=http://127.0.0.1:$(cat "$T/gh/port")
	ARENA_GITHUB_CLIENT_ID=$GH_CLIENT_ID
	ARENA_GITHUB_CLIENT_SECRET=$GH_CLIENT_SECRET
	ARENA_GITHUB_AUTHORIZE_URL=$GH_URL/login/oauth/authorize
	ARENA_GITHUB_TOKEN_URL=$GH_URL/login/oauth/access_token
	ARENA_GITHUB_API_URL=$GH_URL
	ARENA_PUBLIC_URL=$ARENA_URL
	export ARENA_GITHUB_CLIENT_ID ARENA_GITHUB_CLIENT_SECRET ARENA_GITHUB_AUTHORIZE_URL
	export ARENA_GITHUB_TOKEN_URL ARENA_GITHUB_API_URL ARENA_PUBLIC_URL
	# the pools were started before the site's URL was known; the
	# public pages' header links to the dashboard once sign-in is set up
	for pool in auth me board profile; do
		arena_pool_restart "$top_builddir/cgi-bin" $pool
	done
	gh_user 583231 octo-test
}

gh_mode() { printf '%s\n' "$1" >"$T/gh/mode"; }

# gh_user ID LOGIN [NAME]
gh_user() {
	printf '{"login":"%s","id":%s,"name":"%s","avatar_url":"https://avatars.githubusercontent.com/u/%s?v=4","type":"User"}\n' \
		"$2" "$1" "${3:-Test User}" "$1" >"$T/gh/user"
}

# The value of cookie $1 set by the last response ("" if none).
set_cookie() {
	printf '%s\n' "$headers" | sed -n "s/^Set-Cookie: $1=\([^;]*\);.*/\1/Ip" | tail -1
}

# Starts sign-in (query $1, e.g. "?next=/x"); sets OAUTH (the state cookie)
# and AUTHORIZE (where we were sent).
signin_start() {
	req GET "/auth/github${1:-}"
	OAUTH=$(set_cookie __Host-oauth)
	AUTHORIZE=$(header Location)
}

# What the fake GitHub redirects the browser to: sets CALLBACK (a path of ours).
gh_authorize() {
	loc=$(curl -s -o /dev/null -w '%{redirect_url}' "$1")
	CALLBACK=${loc#"$ARENA_URL"}
}

# signin [extra curl args for the callback]: the whole browser flow;
# sets SID and CSRF, or leaves SID empty.
signin() {
	signin_start
	gh_authorize "$AUTHORIZE"
	req GET "$CALLBACK" -H "Cookie: __Host-oauth=$OAUTH" "$@"
	SID=$(set_cookie __Host-session)
	CSRF=
	if [ -n "$SID" ]; then
		me GET /api/me
		CSRF=$(jv .csrfToken)
	fi
}

# me METHOD PATH [curl args]: a request with the session cookie.
me() {
	mm=$1 mp=$2
	shift 2
	req "$mm" "$mp" -H "Cookie: __Host-session=$SID" "$@"
}

# mew METHOD PATH [curl args]: a write from our own page (Origin, token).
mew() {
	mm=$1 mp=$2
	shift 2
	me "$mm" "$mp" -H "Origin: $ARENA_URL" -H "X-CSRF-Token: $CSRF" "$@"
}

audit_count() {	# audit_count EVENT: rows of that event
	arena_psql -c "SELECT count(*) FROM security_audit_log WHERE event_type = '$1'"
}
