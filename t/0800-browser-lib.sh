#!/bin/sh
# 0800-browser-lib.sh -- the browser test library can fail: a good page
# and a page that breaks each check on purpose (t/browser/selftest/),
# served by a private nginx with the site's strict Content-Security-Policy,
# checked in Debian's chromium by t/browser/selftest.js.
. "$top_srcdir/t/lib/harness.sh"
command -v node >/dev/null || { echo "Bail out! node is missing: run script/test"; exit 1; }
command -v nginx >/dev/null || { echo "Bail out! nginx is missing: run script/test"; exit 1; }

T=$(mktemp -d /tmp/arena-t.XXXXXX)
selftest_down() {
	[ -f "$T/nginx.pid" ] && kill -QUIT "$(cat "$T/nginx.pid")" 2>/dev/null
	i=0
	while [ -f "$T/nginx.pid" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	rm -rf "$T"
}
trap selftest_down EXIT
trap 'exit 1' INT TERM
mkdir -p "$T/html" "$T/tmp"
cp "$top_srcdir"/t/browser/selftest/* "$T/html/"
chmod -R a+rX "$T"
csp="default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
tries=0
while :; do
	port=$(arena_free_port)
	cat >"$T/nginx.conf" <<CONF
worker_processes 1;
pid $T/nginx.pid;
error_log $T/error.log warn;
events { worker_connections 64; }
http {
	access_log off;
	types { text/html html; text/css css; text/javascript js; image/png png; }
	client_body_temp_path $T/tmp/body;
	proxy_temp_path $T/tmp/proxy;
	fastcgi_temp_path $T/tmp/fastcgi;
	uwsgi_temp_path $T/tmp/uwsgi;
	scgi_temp_path $T/tmp/scgi;
	server {
		listen 127.0.0.1:$port;
		root $T/html;
		add_header Content-Security-Policy "$csp" always;
	}
}
CONF
	nginx -q -p "$T" -e "$T/error.log" -c "$T/nginx.conf" 2>>"$T/start.log" && break
	tries=$((tries + 1))
	[ $tries -lt 5 ] || { echo "Bail out! nginx did not start: $(cat "$T/start.log")"; exit 1; }
done
node "$top_srcdir/t/browser/selftest.js" "http://127.0.0.1:$port"
