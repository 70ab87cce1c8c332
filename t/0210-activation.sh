#!/bin/sh
# 0210-activation.sh -- the ways a pool gets its socket: from spawn-fcgi
# on fd 0, from systemd socket activation on fd 3 (LISTEN_PID and
# LISTEN_FDS), and its own with -s; spoken to with cgi-fcgi, no nginx.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
command -v cgi-fcgi >/dev/null || skip_all "cgi-fcgi (libfcgi-bin) not installed"
command -v spawn-fcgi >/dev/null || skip_all "spawn-fcgi not installed"
command -v perl >/dev/null || skip_all "perl not installed"

D=$(mktemp -d /tmp/arena-a.XXXXXX)
pids=
cleanup() {
	for p in $pids; do kill -TERM "$p" 2>/dev/null; done
	sleep 0.3
	for p in $pids; do kill -KILL "$p" 2>/dev/null; done
	rm -rf "$D"
}
trap cleanup EXIT
B=$top_builddir/cgi-bin
export DATABASE_URL="host=/nonexistent-arena"

ask() {		# ask SOCKET: GET /api/v1/status over FastCGI
	env REQUEST_METHOD=GET REQUEST_URI=/api/v1/status SERVER_PROTOCOL=HTTP/1.1 \
		cgi-fcgi -bind -connect "$1" 2>/dev/null
}
wait_sock() {
	i=0
	while [ ! -S "$1" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
}

# spawn-fcgi binds and hands the socket over as fd 0; our supervisor forks
spawn-fcgi -n -s "$D/spawn.sock" -M 0600 -- "$B/status" -n 2 >/dev/null 2>"$D/spawn.log" &
pids="$pids $!"
wait_sock "$D/spawn.sock"
out=$(ask "$D/spawn.sock")
like "$out" "Status: 503" "a pool under spawn-fcgi answers FastCGI on fd 0"
like "$out" '"status":"degraded"' "with the status body"

# systemd socket activation: the socket arrives as fd 3
perl -MIO::Socket::UNIX -MPOSIX -e '
	$^F = 10;	# keep fd 3 open across exec
	my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Local => $ARGV[0], Listen => 64)
		or die "listen: $!";
	POSIX::dup2(fileno($s), 3) or die "dup2: $!";
	$ENV{LISTEN_PID} = $$;
	$ENV{LISTEN_FDS} = 1;
	exec @ARGV[1 .. $#ARGV] or die "exec: $!";
' "$D/systemd.sock" "$B/status" -n 1 2>"$D/systemd.log" &
pids="$pids $!"
wait_sock "$D/systemd.sock"
out=$(ask "$D/systemd.sock")
like "$out" "Status: 503" "a pool started by socket activation answers on fd 3"

# LISTEN_PID of another process: not ours, so plain CGI on stdin/stdout
out=$(LISTEN_PID=1 LISTEN_FDS=1 REQUEST_METHOD=GET REQUEST_URI=/api/v1/status "$B/status" </dev/null 2>/dev/null)
like "$out" "Status: 503" "LISTEN_PID of another process is ignored (CGI mode)"

# -s binds its own socket with the mode asked for
"$B/status" -s "$D/own.sock" -n 1 -m 0600 2>"$D/own.log" &
pids="$pids $!"
wait_sock "$D/own.sock"
is "$(stat -c %a "$D/own.sock")" 600 "-m sets the socket's mode"
out=$(ask "$D/own.sock")
like "$out" '"status":"degraded"' "-s serves on its own socket"

# SIGTERM stops a pool and its workers
sup=${pids##* }
kids=$(pgrep -P "$sup" | tr '\n' ' ')
kill -TERM "$sup"
sleep 0.5
alive=0
for k in $sup $kids; do kill -0 "$k" 2>/dev/null && alive=$((alive + 1)); done
is "$alive" 0 "SIGTERM stops the supervisor and its workers"

done_testing
