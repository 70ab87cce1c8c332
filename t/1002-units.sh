#!/bin/sh
# 1002-units.sh -- make install into a staging root, as a package build
# does: the nginx snippet, units and cron file with every @PLACEHOLDER@
# filled in from configure's variables; then systemd-analyze verify on
# every unit (any output is a failure: verify exits 0 on parse errors)
# and systemd-analyze security --offline: an exposure of 2.0 at most.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
ARENA_EXTRA_PACKAGES="${ARENA_EXTRA_PACKAGES:-} systemd"
arena_deps

D=$(mktemp -d /tmp/arena-units.XXXXXX)
trap '[ -n "${ARENA_KEEP:-}" ] || rm -rf "$D"' EXIT
R=$D/root
make -C "$top_builddir" install DESTDIR="$R" >"$D/install.log" 2>&1
is $? 0 "make install DESTDIR=..."

# the directories this build was configured with
var() { sed -n "s|^$1 = ||p" "$top_builddir/Makefile" | head -1; }
prefix=$(var prefix)
unitdir=$(var systemdsystemunitdir | sed "s|\${prefix}|$prefix|")
fcgibin=$(var libexecdir | sed "s|\${exec_prefix}|$prefix|")/modu-arena
sysconf=$(var sysconfdir | sed "s|\${prefix}|$prefix|")
share=$(var datadir | sed "s|\${datarootdir}|$prefix/share|")/modu-arena
rundir=$(var RUNDIR)
U=$R$unitdir

for f in "$share/nginx/locations.conf" "$share/nginx/site.conf" "$sysconf/cron.d/modu-arena" \
	"$sysconf/modu-arena/arena.env" "$unitdir/modu-arena@.socket" "$unitdir/modu-arena@.service" \
	"$unitdir/modu-arena-rankings.service" "$unitdir/modu-arena-rankings.timer" \
	"$unitdir/modu-arena-cleanup.service" "$unitdir/modu-arena-cleanup.timer" \
	"$unitdir/modu-arena.target" "$unitdir/modu-arena@auth.service.d/egress.conf"; do
	ok $([ -f "$R$f" ] && echo 0 || echo 1) "installed: $f"
done
is "$(grep -l '@[A-Za-z_]*@' "$R$share/nginx/locations.conf" "$R$share/nginx/site.conf" \
	"$R$sysconf/cron.d/modu-arena" "$U"/modu-arena* 2>/dev/null)" "" "no @PLACEHOLDER@ left"
snip=$(cat "$R$share/nginx/locations.conf")
like "$snip" "fastcgi_pass unix:$rundir/status.sock;" "the snippet passes to RUNDIR"
like "$snip" "include $share/nginx/fastcgi.conf;" "and includes CONFDIR's fastcgi.conf"
like "$snip" "fastcgi_cache $(var MICROCACHE);" "and uses MICROCACHE"
is "$(stat -c %a "$R$sysconf/modu-arena/arena.env")" 640 "arena.env is installed mode 0640"
like "$(cat "$U/modu-arena@.socket")" "ListenStream=$rundir/%i.sock" "the socket unit listens in RUNDIR"

# nginx accepts the snippet in a server block (paths of the staging root)
mkdir -p "$D/ngx/logs" "$D/ngx/tmp"
sed "s|include $share/|include $R$share/|; s|alias $share/|alias $R$share/|" \
	"$R$share/nginx/locations.conf" >"$D/ngx/locations.conf"
cat >"$D/ngx/nginx.conf" <<N
pid $D/ngx/nginx.pid;
error_log $D/ngx/logs/error.log;
events {}
http {
	client_body_temp_path $D/ngx/tmp;
	fastcgi_temp_path $D/ngx/tmp;
	proxy_temp_path $D/ngx/tmp;
	uwsgi_temp_path $D/ngx/tmp;
	scgi_temp_path $D/ngx/tmp;
	access_log off;
	server { listen 127.0.0.1:1; include $D/ngx/locations.conf; }
}
N
out=$(nginx -t -p "$D/ngx" -c "$D/ngx/nginx.conf" 2>&1)
ok $? "nginx -t accepts the installed snippet"
[ $? = 0 ] || printf '%s\n' "$out" | sed 's/^/# /'

# systemd-analyze on the installed units; ExecStart points into the
# staging root, so verify can check that the programs exist
V=$D/units
mkdir -p "$V"
for e in $ARENA_ENDPOINTS; do
	sed "s|ExecStart=$fcgibin/|ExecStart=$R$fcgibin/|" "$U/modu-arena@.service" >"$V/modu-arena@$e.service"
	cp "$U/modu-arena@.socket" "$V/modu-arena@$e.socket"
done
for u in rankings cleanup; do
	sed "s|ExecStart=/|ExecStart=$R/|" "$U/modu-arena-$u.service" >"$V/modu-arena-$u.service"
	cp "$U/modu-arena-$u.timer" "$V/"
done
cp "$U/modu-arena.target" "$V/"
out=$(cd "$V" && MANPATH=$R$prefix/share/man systemd-analyze verify "$V"/* 2>&1)
is "$out" "" "systemd-analyze verify: every unit, every endpoint instance, silent"
for s in "$V/modu-arena@status.service" "$V/modu-arena@auth.service" \
	"$V/modu-arena-rankings.service" "$V/modu-arena-cleanup.service"; do
	score=$(systemd-analyze security --offline=yes "$s" 2>&1 | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	systemd-analyze security --offline=yes --threshold=20 "$s" >/dev/null 2>&1
	ok $? "systemd-analyze security: ${s##*/} exposure ${score:-?} <= 2.0"
done
svc=$(cat "$U/modu-arena@.service")
for k in StandardInput=socket StandardOutput=journal StandardError=journal \
	"EnvironmentFile=-$sysconf/modu-arena/arena.env" NoNewPrivileges=yes ProtectSystem=strict \
	PrivateDevices=yes "SystemCallFilter=@system-service" "CapabilityBoundingSet=" \
	"IPAddressDeny=any"; do
	like "$svc" "$k" "the endpoint unit sets $k"
done
like "$(cat "$U/modu-arena-rankings.timer")" "OnCalendar=*-*-* *:00/5:00 UTC" "rankings every 5 minutes (UTC)"
like "$(cat "$U/modu-arena-cleanup.timer")" "OnCalendar=*-*-* 02:00:00 UTC" "cleanup daily at 02:00 UTC"
# the next elapse of each calendar, computed by systemd, is in UTC
next=$(TZ=Asia/Seoul systemd-analyze calendar '*-*-* 02:00:00 UTC' 2>/dev/null | sed -n 's/.*Next elapse: *//p')
want=$(TZ=Asia/Seoul date -d '02:00 UTC' +%H:%M:%S)
like "$next" " $want " "on a host in Asia/Seoul, systemd still runs cleanup at 02:00 UTC ($next)"
like "$(cat "$U/modu-arena@auth.service.d/egress.conf")" "IPAddressDeny=" "sign-in alone may reach GitHub"

done_testing
