#!/bin/sh
# 1101-lighttpd.sh -- every endpoint as plain CGI under lighttpd with
# mod_cgi and contrib/lighttpd/modu-arena.conf (rewrites, setenv): the
# same answers as behind nginx for a list of requests, v1 and v2 signed
# uploads, chunked bodies (lighttpd dechunks them), batches.
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

hosting_docroot "$T/lighttpd"
lighttpd_up "$T/lighttpd"
hosting_compare "$HOST_URL"
hosting_uploads "$HOST_URL" lighttpd

done_testing
