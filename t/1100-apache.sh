#!/bin/sh
# 1100-apache.sh -- every endpoint as plain CGI under Apache 2.4 with
# mod_cgid, set up by the .htaccess of contrib/apache (CGIPassAuth On,
# rewrites, SetEnv), as a shared host runs it: the same answers as behind
# nginx for a list of requests, v1 and v2 signed uploads, chunked bodies
# without Content-Length, batches.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
arena_up
. "$top_srcdir/t/lib/hosting.sh"
F=$T/body.json

admin user add alice >/dev/null && admin user add bob >/dev/null && admin user add private >/dev/null
admin user privacy private on >/dev/null
KEY=$(admin key issue alice)
hosting_session seed-1 5000 1200
post /api/v1/sessions "$F"
is "$code" 201 "a session through nginx"
"$top_builddir/cron/calculate-rankings" >/dev/null 2>&1
ok $? "rankings computed"

hosting_docroot "$T/apache"
apache_up "$T/apache"
hosting_compare "$HOST_URL"
hosting_uploads "$HOST_URL" apache

# without CGIPassAuth Apache keeps Authorization from the program
sed -i '/^CGIPassAuth/d' "$T/apache/public_html/.htaccess"
hosting_session apache-noauth 1 1
auth=$("$top_builddir/t/arena-sign-v2" "$KEY" POST /api/v1/sessions "" now "apache-nonce-0000000009" "$F")
c=$(curl -s -o "$T/up" -w '%{http_code}' -H 'Content-Type: application/json' \
	-H "Authorization: $auth" --data-binary @"$F" "$HOST_URL/api/v1/sessions")
is "$c $(jq -r .error.code "$T/up")" "401 api_key_missing" "without CGIPassAuth On a v2 upload is refused"
done_testing
