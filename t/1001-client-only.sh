#!/bin/sh
# 1001-client-only.sh -- ./configure --disable-server in a fresh build
# directory: configure asks for no libfcgi, libpq or cJSON, make builds
# the client and nothing of the server, and the client links neither.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
[ -x "$top_srcdir/configure" ] || skip_all "no configure in the source tree (run autoreconf -fi)"

D=$(mktemp -d /tmp/arena-client.XXXXXX)
trap '[ -n "${ARENA_KEEP:-}" ] || rm -rf "$D"' EXIT
cd "$D" || exit 1

"$top_srcdir/configure" --disable-server >configure.log 2>&1
is $? 0 "configure --disable-server"
looked() { grep -cF "checking for $1..." configure.log; }
is "$(looked fcgi)" 0 "it looks for no libfcgi"
is "$(looked libpq)" 0 "nor libpq"
is "$(looked libcjson)" 0 "nor cJSON"
is "$(looked 'libcrypto >= 3.0')" 1 "it looks for OpenSSL"
is "$(looked libcurl)" 1 "and libcurl"

make -j2 >make.log 2>&1
rc=$?
is "$rc" 0 "make"
[ "$rc" = 0 ] || tail -n 20 make.log | sed 's/^/# /'
ok $([ -x cli/modu-arena ] && echo 0 || echo 1) "the client is built"
built=$(find . -type f -perm -u+x ! -name '*.sh' ! -name config.status ! -name libtool \
	! -path './build-aux/*' | sort | tr '\n' ' ')
is "$built" "./cli/modu-arena " "and it is the only program built"
is "$(find . -name '*.o' -path './cgi-bin/*' -o -name '*.o' -path './cron/*' -o -name '*.o' -path './admin/*' | wc -l)" 0 \
	"nothing of cgi-bin, cron or admin was compiled"
needed=$(readelf -d cli/modu-arena | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')
unlike "$needed" "libpq" "the client does not link libpq ($needed)"
unlike "$needed" "libfcgi" "nor libfcgi"
unlike "$needed" "libcjson" "nor cJSON"
./cli/modu-arena --version >out 2>&1
is "$?" 0 "it runs: --version"
like "$(cat out)" "modu-arena" "and names itself"
make install DESTDIR="$D/root" >install.log 2>&1
is $? 0 "make install"
is "$(cd root && find . -type f | sort | sed 's|.*/\(share/man/\)|\1|; s|^\./.*/bin/|bin/|' | tr '\n' ' ')" \
	"bin/modu-arena share/man/man1/modu-arena.1 " "it installs the client and its man page only"

done_testing
