# hosting.sh -- the endpoints as plain CGI under Apache or lighttpd, beside
# the harness's nginx, for t/11xx tests.  Source after harness.sh and
# arena_up:
#
#	hosting_docroot "$T/apache"          # cgi/NAME.cgi and the settings
#	apache_up "$T/apache"                # sets HOST_URL
#	hosting_compare "$HOST_URL"          # the same answers as nginx
#
# The web server runs as the run user on a free loopback port and is
# stopped on exit.  Every server gets the same Host header, so the pages'
# absolute links agree.

HOST_PIDFILES=
hosting_cleanup() {
	for f in $HOST_PIDFILES; do
		[ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null
	done
	for f in $HOST_PIDFILES; do
		i=0
		while pid=$(cat "$f" 2>/dev/null) && kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.05; i=$((i + 1))
		done
	done
	arena_cleanup
}
trap hosting_cleanup EXIT

# The settings a CGI gets beyond the contrib file's: the test's quotas
# and catalogs.  Printed as NAME=value lines.
hosting_env() {
	for v in ARENA_RATE_LIMIT_API ARENA_RATE_LIMIT_AUTH ARENA_RATE_LIMIT_PUBLIC \
		ARENA_RATE_LIMIT_SENSITIVE; do
		eval "printf '%s=%s\n' $v \"\$$v\""
	done
	printf 'ARENA_I18N_DIR=%s\n' "$ARENA_STATE/i18n"
}

# Fills @DATABASE_URL@ and @ARENA_SECRET_KEY@ of contrib file $1 into $2.
hosting_render() {
	sed -e "s|@DATABASE_URL@|$DATABASE_URL|" -e "s|@ARENA_SECRET_KEY@|$ARENA_SECRET_KEY|" "$1" >"$2"
}

# A document root $1/public_html with cgi/NAME.cgi for every endpoint.
hosting_docroot() {
	mkdir -p "$1/public_html/cgi"
	for ep in $ARENA_ENDPOINTS; do
		cp "$top_builddir/cgi-bin/$ep" "$1/public_html/cgi/$ep.cgi"
	done
	chmod -R a+rX "$1"
	[ "$(id -u)" = 0 ] && chown -R "$(arena_run_user)" "$1"
	return 0
}

# Waits until $1 answers HTTP; 0 or 1.
hosting_wait() {
	i=0
	until curl -s -o /dev/null "$1/"; do
		i=$((i + 1))
		[ $i -gt 200 ] && return 1
		sleep 0.05
	done
}

# Apache 2.4 with mod_cgid, configured as a shared host is: the site's
# .htaccess (contrib/apache/htaccess) says the rest.
apache_up() {
	d=$1
	command -v apache2 >/dev/null || [ -x /usr/sbin/apache2 ] || skip_all "apache2 not installed"
	port=$(arena_free_port)
	hosting_render "$top_srcdir/contrib/apache/htaccess" "$d/public_html/.htaccess"
	hosting_env | sed 's/^\([^=]*\)=\(.*\)$/SetEnv \1 "\2"/' >>"$d/public_html/.htaccess"
	m=/usr/lib/apache2/modules
	cat >"$d/apache.conf" <<EOF
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile $d/apache.pid
DefaultRuntimeDir $d
ErrorLog $d/error.log
LogLevel warn
LoadModule mpm_event_module $m/mod_mpm_event.so
LoadModule authz_core_module $m/mod_authz_core.so
LoadModule mime_module $m/mod_mime.so
LoadModule cgid_module $m/mod_cgid.so
LoadModule rewrite_module $m/mod_rewrite.so
LoadModule env_module $m/mod_env.so
TypesConfig /etc/mime.types
ScriptSock $d/cgisock
DocumentRoot $d/public_html
<Directory />
	Require all denied
	AllowOverride None
</Directory>
<Directory $d/public_html>
	AllowOverride AuthConfig FileInfo Options=ExecCGI,Indexes Limit
	Require all granted
</Directory>
<Files ".ht*">
	Require all denied
</Files>
EOF
	[ "$(id -u)" = 0 ] && chown -R "$(arena_run_user)" "$d"
	arena_as_user /usr/sbin/apache2 -f "$d/apache.conf" -k start >"$d/start.log" 2>&1 || {
		sed 's/^/# apache: /' "$d/start.log" "$d/error.log" 2>/dev/null
		echo "Bail out! apache did not start"
		exit 1
	}
	HOST_PIDFILES="$HOST_PIDFILES $d/apache.pid"
	HOST_URL=http://127.0.0.1:$port
	hosting_wait "$HOST_URL" || { echo "Bail out! apache does not answer"; exit 1; }
}

# lighttpd with mod_cgi and contrib/lighttpd/modu-arena.conf.
lighttpd_up() {
	d=$1
	command -v lighttpd >/dev/null || [ -x /usr/sbin/lighttpd ] || skip_all "lighttpd not installed"
	port=$(arena_free_port)
	hosting_render "$top_srcdir/contrib/lighttpd/modu-arena.conf" "$d/modu-arena.conf"
	{
		printf 'setenv.add-environment += (\n'
		hosting_env | sed 's/^\([^=]*\)=\(.*\)$/\t"\1" => "\2",/'
		printf ')\n'
	} >>"$d/modu-arena.conf"
	cat >"$d/lighttpd.conf" <<EOF
server.modules = ( "mod_access" )
server.document-root = "$d/public_html"
server.bind = "127.0.0.1"
server.port = $port
server.pid-file = "$d/lighttpd.pid"
server.errorlog = "$d/error.log"
include "$d/modu-arena.conf"
EOF
	[ "$(id -u)" = 0 ] && chown -R "$(arena_run_user)" "$d"
	arena_as_user /usr/sbin/lighttpd -f "$d/lighttpd.conf" >"$d/start.log" 2>&1 || {
		sed 's/^/# lighttpd: /' "$d/start.log" "$d/error.log" 2>/dev/null
		echo "Bail out! lighttpd did not start"
		exit 1
	}
	HOST_PIDFILES="$HOST_PIDFILES $d/lighttpd.pid"
	HOST_URL=http://127.0.0.1:$port
	hosting_wait "$HOST_URL" || { echo "Bail out! lighttpd does not answer"; exit 1; }
}

# answer BASE-URL METHOD PATH [curl args]: "STATUS" and the body without
# what changes from one request to the next, on stdout.
answer() {
	b=$1 m=$2 p=$3
	shift 3
	out=$(curl -s -X "$m" -H 'Host: arena.test' -o "$T/answer.body" -w '%{http_code}' "$@" "$b$p")
	printf '%s\n' "$out"
	if jq -e . "$T/answer.body" >/dev/null 2>&1; then
		jq -S 'if type == "object" then del(.timestamp, .requestId, .error.requestId) else . end' "$T/answer.body"
	else
		# a page names its request id only in the error pages
		sed -e 's/[0-9a-f]\{32\}/REQUEST-ID/g' "$T/answer.body"
	fi
}

# hosting_compare URL: each request of the list to nginx and to URL; the
# status and body must agree.  Needs $KEY (a user's key).
hosting_compare() {
	while IFS='|' read -r m p hdr; do
		[ -n "$m" ] || continue
		if [ -n "$hdr" ]; then
			a=$(answer "$ARENA_URL" "$m" "$p" -H "$hdr")
			b=$(answer "$1" "$m" "$p" -H "$hdr")
		else
			a=$(answer "$ARENA_URL" "$m" "$p")
			b=$(answer "$1" "$m" "$p")
		fi
		# the health check has 80 ms for everything, a CGI's connect
		# included: on a busy machine it may say degraded once
		tries=0
		while [ "$a" != "$b" ] && [ "$p" = /api/v1/status ] && [ $tries -lt 3 ]; do
			tries=$((tries + 1))
			a=$(answer "$ARENA_URL" "$m" "$p")
			b=$(answer "$1" "$m" "$p")
		done
		if [ "$a" = "$b" ]; then
			ok 0 "$m $p${hdr:+ ($(printf %s "$hdr" | cut -d: -f1))}: the same answer ($(printf '%s' "$a" | head -1))"
		else
			ok 1 "$m $p: the same answer"
			printf '%s\n' "$a" >"$T/a.txt"
			printf '%s\n' "$b" >"$T/b.txt"
			diff "$T/a.txt" "$T/b.txt" | head -20 | sed 's/^/#   /'
		fi
	done <<EOF
GET|/api/v1/status|
POST|/api/v1/status|Content-Length: 0
GET|/api/v1/verify|X-API-Key: $KEY
GET|/api/v1/verify|
GET|/api/v1/verify|X-API-Key: modu_arena_0000000_00000000000000000000000000000000
GET|/api/v1/rank|X-API-Key: $KEY
GET|/api/v1/sessions|
GET|/api/leaderboard?period=all_time|
GET|/api/leaderboard?period=daily&limit=1|
GET|/api/leaderboard?period=yearly|
GET|/api/users/alice|
GET|/api/users/alice?tz=Asia/Seoul|
GET|/api/users/nobody|
GET|/api/users/private|
GET|/users/alice|
GET|/ko/users/alice|
GET|/users/nobody|
GET|/api/stats/global|
GET|/|
GET|/ja/|
GET|/?period=all_time|
GET|/badge/alice.svg|
GET|/badge/alice.json|
GET|/badge/private.json|
GET|/badge/-x.svg|
EOF
}

# A session of $KEY's user to file $F: $1 sessionId, $2 input, $3 output.
hosting_session() {
	printf '{"sessionHash":"%s","sessionId":"%s","startedAt":"%s","endedAt":"%s","inputTokens":%s,"outputTokens":%s,"cacheCreationTokens":10,"cacheReadTokens":100,"modelName":"claude-sonnet-4-20250514","turnCount":3,"toolUsage":{"Read":2},"codeMetrics":{"linesAdded":10,"linesDeleted":2,"filesModified":1,"filesCreated":0}}' \
		0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef "$1" \
		"$(date -u -d '-2 hours' +%Y-%m-%dT%H:%M:%S.000Z)" "$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%S.000Z)" \
		"$2" "$3" >"$F"
}

# hosting_uploads URL NAME: signed uploads through the server at URL
# (v1, v2, chunked without Content-Length, a batch), each stored once,
# and a copy sent to nginx afterwards is a duplicate there.
hosting_uploads() {
	u=$1 n=$2
	sessions() { arena_psql -c "SELECT count(*) FROM sessions WHERE client_session_id LIKE '$n-%'"; }
	hosting_session "$n-v1" 100 50
	ts=$(date +%s)
	sig=$("$top_builddir/t/arena-sign" "$KEY" "$ts" <"$F")
	c=$(curl -s -o "$T/up" -w '%{http_code}' -H 'Content-Type: application/json' -H "X-API-Key: $KEY" \
		-H "X-Timestamp: $ts" -H "X-Signature: $sig" --data-binary @"$F" "$u/api/v1/sessions")
	is "$c $(jq -r .success "$T/up")" "201 true" "$n: a v1-signed upload is created"
	c=$(curl -s -o "$T/up" -w '%{http_code}' -H 'Content-Type: application/json' -H "X-API-Key: $KEY" \
		-H "X-Timestamp: $ts" -H "X-Signature: $sig" --data-binary @"$F" "$u/api/v1/sessions")
	is "$c $(jq -r .error.code "$T/up")" "401 replay_detected" "$n: the same bytes again are a replay"
	TS=$((ts + 1)) post /api/v1/sessions "$F"
	is "$code $(jv .duplicate)" "200 true" "$n: the session re-signed to nginx is a duplicate"

	hosting_session "$n-v2" 200 60
	auth=$("$top_builddir/t/arena-sign-v2" "$KEY" POST /api/v1/sessions "" now "$n-nonce-000000000001" "$F")
	c=$(curl -s -o "$T/up" -w '%{http_code}' -H 'Content-Type: application/json' \
		-H "Authorization: $auth" --data-binary @"$F" "$u/api/v1/sessions")
	is "$c" 201 "$n: a v2-signed upload (Authorization header) is created"

	hosting_session "$n-chunked" 300 70
	ts=$(date +%s)
	sig=$("$top_builddir/t/arena-sign" "$KEY" "$ts" <"$F")
	c=$(curl -s -o "$T/up" -w '%{http_code}' -H 'Content-Type: application/json' -H "X-API-Key: $KEY" \
		-H "X-Timestamp: $ts" -H "X-Signature: $sig" -H 'Transfer-Encoding: chunked' \
		--data-binary @"$F" "$u/api/v1/sessions")
	is "$c" 201 "$n: a chunked upload (no Content-Length) is created"
	auth=$("$top_builddir/t/arena-sign-v2" "$KEY" POST /api/v1/sessions "" now "$n-nonce-000000000002" "$F")
	c=$(curl -s -o "$T/up" -w '%{http_code}' -H 'Content-Type: application/json' \
		-H "Authorization: $auth" -H 'Transfer-Encoding: chunked' --data-binary @"$F" "$u/api/v1/sessions")
	is "$c $(jq -r .duplicate "$T/up")" "200 true" "$n: the same chunked and v2-signed: a duplicate"

	# an oversized chunked body is refused, nothing stored
	head -c 70000 /dev/zero | tr '\0' ' ' >"$T/big"
	auth=$("$top_builddir/t/arena-sign-v2" "$KEY" POST /api/v1/sessions "" now "$n-nonce-000000000003" "$T/big")
	c=$(curl -s -o "$T/up" -w '%{http_code}' -H 'Content-Type: application/json' \
		-H "Authorization: $auth" -H 'Transfer-Encoding: chunked' --data-binary @"$T/big" "$u/api/v1/sessions")
	is "$c $(jq -r .error.code "$T/up")" "413 payload_too_large" "$n: 70000 chunked bytes: 413"

	hosting_session "$n-b1" 11 1 && cp "$F" "$T/b1"
	hosting_session "$n-b2" 12 2 && cp "$F" "$T/b2"
	printf '{"sessions":[%s,%s,%s]}' "$(cat "$T/b1")" "$(cat "$T/b2")" "$(cat "$T/b1")" >"$F"
	auth=$("$top_builddir/t/arena-sign-v2" "$KEY" POST /api/v1/sessions/batch "" now "$n-nonce-000000000004" "$F")
	c=$(curl -s -o "$T/up" -w '%{http_code}' -H 'Content-Type: application/json' \
		-H "Authorization: $auth" --data-binary @"$F" "$u/api/v1/sessions/batch")
	is "$c $(jq -c '[.results[] | .duplicate == true]' "$T/up")" '200 [false,false,true]' "$n: a v2-signed batch"
	is "$(sessions)" 5 "$n: five sessions stored, each once"
}
