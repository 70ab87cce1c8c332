#!/bin/sh
# 1000-deb.sh -- the Debian packages: dpkg-buildpackage -us -uc -b from a
# clean copy of the source (the files git tracks or would track), then
# each package's file list against the list made from the source tree
# (endpoints, jobs, schema, catalogs, static files, units), its
# conffiles, the rendered configuration (no @PLACEHOLDER@ left), the
# client's libraries, the maintainer scripts, and lintian: no error.
# Built once (a full build, 1-2 minutes).  ARENA_NO_PACKAGE_BUILD=1 skips
# it; script/test never sets it.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
[ -n "${ARENA_NO_PACKAGE_BUILD:-}" ] && skip_all "ARENA_NO_PACKAGE_BUILD is set"
ARENA_EXTRA_PACKAGES="${ARENA_EXTRA_PACKAGES:-} debhelper devscripts lintian dpkg-dev fakeroot"
arena_deps

D=$(mktemp -d /tmp/arena-deb.XXXXXX)
trap '[ -n "${ARENA_KEEP:-}" ] || rm -rf "$D"' EXIT
mkdir "$D/src"
if git -C "$top_srcdir" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$top_srcdir" && git ls-files -co --exclude-standard | while IFS= read -r f; do
		[ -e "$f" ] && printf '%s\n' "$f"
	done | tar cf - -T -) | tar xf - -C "$D/src"
else
	# a release tarball (make distcheck) is clean already
	(cd "$top_srcdir" && tar cf - --exclude=./_build --exclude=./_build-san .) | tar xf - -C "$D/src"
fi
ok $([ -x "$D/src/debian/rules" ] && [ ! -e "$D/src/configure" ] && echo 0 || echo 1) \
	"a clean copy: debian/rules, no generated configure"

start=$(date +%s)
(cd "$D/src" && DEB_BUILD_OPTIONS="nocheck parallel=2" dpkg-buildpackage -us -uc -b) \
	>"$D/build.log" 2>&1
rc=$?
is "$rc" 0 "dpkg-buildpackage -us -uc -b ($(($(date +%s) - start)) s)"
[ "$rc" = 0 ] || { tail -n 30 "$D/build.log" | sed 's/^/# /'; done_testing; exit 1; }

arch=$(dpkg --print-architecture)
SRV=$D/modu-arena-server_0.1.0_${arch}.deb
CLI=$D/modu-arena_0.1.0_${arch}.deb
ok $([ -f "$SRV" ] && [ -f "$CLI" ] && echo 0 || echo 1) "both packages built"

# files and links of a package, one per line, hashed static names made generic
files() {
	dpkg-deb -c "$1" | awk '$1 !~ /^d/ { print $6 }' |
		sed 's|^\./|/|; s|\.[0-9a-f]\{8,\}\.\([a-z]*\)$|.HASH.\1|' | sort
}

# what the server package must hold, made from the source tree
{
	for e in $ARENA_ENDPOINTS; do echo "/usr/libexec/modu-arena/$e"; done
	echo /usr/libexec/modu-arena/cron/calculate-rankings
	echo /usr/libexec/modu-arena/cron/cleanup-data
	echo /usr/libexec/modu-arena/cron/evaluate-projects
	echo /usr/sbin/arena-admin
	echo /usr/share/man/man8/arena-admin.8.gz
	for f in "$top_srcdir"/schema/*.sql; do echo "/usr/share/modu-arena/schema/${f##*/}"; done
	for f in "$top_srcdir"/lib/i18n/*.json; do echo "/usr/share/modu-arena/i18n/${f##*/}"; done
	for f in "$top_srcdir"/nginx/static/*.*; do
		b=${f##*/}; echo "/usr/share/modu-arena/static/${b%.*}.HASH.${b##*.}"
	done
	echo /usr/share/modu-arena/static/og.HASH.png
	echo /usr/share/modu-arena/demo-data.sql
	for f in errors.conf fastcgi.conf locations.conf site.conf locations.conf.in standalone.conf.in; do
		echo "/usr/share/modu-arena/nginx/$f"
	done
	for u in modu-arena@.socket modu-arena@.service modu-arena.target \
		modu-arena-rankings.service modu-arena-rankings.timer \
		modu-arena-cleanup.service modu-arena-cleanup.timer \
		modu-arena-evaluations.service modu-arena-evaluations.timer \
		modu-arena@auth.service.d/egress.conf; do
		echo "/lib/systemd/system/$u"
	done
	echo /etc/cron.d/modu-arena
	echo /etc/modu-arena/arena.env
	echo /usr/share/doc/modu-arena-server/changelog.gz
	echo /usr/share/doc/modu-arena-server/copyright
} | sort >"$D/want-server"
files "$SRV" >"$D/got-server"
d=$(diff "$D/want-server" "$D/got-server")
is "$d" "" "modu-arena-server holds exactly its $(wc -l <"$D/want-server") files"

printf '%s\n' /usr/bin/modu-arena /usr/share/man/man1/modu-arena.1.gz \
	/usr/share/doc/modu-arena/changelog.gz /usr/share/doc/modu-arena/copyright | sort >"$D/want-cli"
files "$CLI" >"$D/got-cli"
is "$(diff "$D/want-cli" "$D/got-cli")" "" "modu-arena holds exactly the client, its man page and docs"

# conffiles and modes
dpkg-deb -e "$SRV" "$D/ctl"
is "$(sort "$D/ctl/conffiles" | tr '\n' ' ')" "/etc/cron.d/modu-arena /etc/modu-arena/arena.env " \
	"the cron file and arena.env are conffiles"
grep -q 'dpkg-statoverride --update --add root modu-arena 0640' "$D/ctl/postinst"
ok $? "postinst makes arena.env mode 0640, group modu-arena"
grep -q 'adduser --system --group' "$D/ctl/postinst"
ok $? "postinst makes the system user"
grep -q 'arena-admin --env "$ENV_FILE" migrate' "$D/ctl/postinst"
ok $? "postinst migrates the schema when a database is configured"
sh -n "$D/ctl/postinst" && sh -n "$D/ctl/postrm"
ok $? "maintainer scripts parse"
like "$(dpkg-deb -f "$SRV" Depends)" "adduser" "the server depends on adduser"
like "$(dpkg-deb -f "$CLI" Depends)" "libcurl4" "the client depends on libcurl4 (loaded at run time)"

# the rendered files are complete
dpkg-deb -x "$SRV" "$D/root"
left=$(grep -l '@[A-Za-z_]*@' "$D/root/usr/share/modu-arena/nginx/locations.conf" \
	"$D/root/usr/share/modu-arena/nginx/site.conf" "$D/root/lib/systemd/system/"*.* \
	"$D/root/etc/cron.d/modu-arena" "$D/root/etc/modu-arena/arena.env" 2>/dev/null)
is "$left" "" "no placeholder left in the snippet, the units, the cron file, arena.env"
like "$(cat "$D/root/usr/share/modu-arena/nginx/locations.conf")" \
	"include /usr/share/modu-arena/nginx/fastcgi.conf;" "the snippet includes fastcgi.conf by its installed path"
like "$(cat "$D/root/usr/share/modu-arena/nginx/locations.conf")" \
	"fastcgi_pass unix:/run/modu-arena/status.sock;" "and passes to the sockets of the socket units"
like "$(cat "$D/root/lib/systemd/system/modu-arena@.service")" \
	"ExecStart=/usr/libexec/modu-arena/%i" "the unit starts the installed endpoint"

# the client needs neither libpq, libfcgi nor cJSON
dpkg-deb -x "$CLI" "$D/cli"
needed=$(readelf -d "$D/cli/usr/bin/modu-arena" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')
unlike "$needed" "libpq" "the client does not link libpq ($needed)"
unlike "$needed" "libfcgi" "nor libfcgi"
unlike "$needed" "libcjson" "nor cJSON"
"$D/cli/usr/bin/modu-arena" --version >/dev/null
ok $? "the packaged client runs"

# lintian: no error; the warnings are listed
lintian --tag-display-limit 0 --fail-on error "$SRV" "$CLI" >"$D/lintian.log" 2>&1
rc=$?
errors=$(grep -c '^E:' "$D/lintian.log")
is "$rc:$errors" "0:0" "lintian reports no error ($(grep -c '^W:' "$D/lintian.log") warnings)"
sed 's/^/# lintian: /' "$D/lintian.log"

done_testing
