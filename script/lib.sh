# lib.sh -- shell functions shared by script/server, script/test and the
# integration tests: dependencies, build, and a throwaway PostgreSQL +
# endpoint pools + nginx, all under one state directory.
#
# Source it with ARENA_ROOT set to the source tree.  Everything started is
# recorded under $ARENA_STATE and stopped by arena_stop_all.

ARENA_PACKAGES="build-essential autoconf automake libtool pkg-config
 libfcgi-dev libfcgi-bin spawn-fcgi libcjson-dev libpq-dev libssl-dev libcurl4-openssl-dev
 postgresql postgresql-contrib nginx-light curl ca-certificates util-linux
 iproute2 procps jq faketime libxml2-utils libsqlite3-dev sqlite3"
# what the real-browser tests need besides ARENA_PACKAGES (script/test)
ARENA_BROWSER_PACKAGES="chromium fonts-noto-cjk"
ARENA_ENDPOINTS="status verify sessions leaderboard rank board profile auth me evaluations badge metrics"
# the other hosts and parts the operations tests (t/11xx) run for real
ARENA_PACKAGES="$ARENA_PACKAGES apache2 lighttpd pgbouncer postgresql-client prometheus"

arena_log() { printf '%s\n' "$*" >&2; }
arena_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installs whatever of the packages is missing (root, or sudo).
arena_deps() {
	missing=
	for p in $ARENA_PACKAGES ${ARENA_EXTRA_PACKAGES:-}; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	arena_log "installing:$missing"
	sudo=
	[ "$(id -u)" = 0 ] || sudo=sudo
	# another install in progress holds dpkg's lock: wait for it
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq \
		>/dev/null || arena_die "apt-get update failed"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install \
		-y -qq --no-install-recommends $missing >/dev/null ||
		arena_die "apt-get install failed:$missing"
}

# Moves the clock of everything started from here on (PostgreSQL, nginx,
# the pools, the jobs, the tests' date(1)) to UTC instant $1, such as
# "2028-02-29 12:00:00", with libfaketime.  The clock is given as an
# offset from the real one, so every process agrees on the time however
# late it starts, and it keeps running; monotonic clocks stay real, so
# timeouts and sleeps are unchanged.
arena_faketime() {
	at=$(date -u -d "$1 UTC" +%s 2>/dev/null) || arena_die "not a UTC instant: '$1'"
	lib=
	for f in /usr/lib/*/faketime/libfaketime.so.1; do [ -f "$f" ] && lib=$f; done
	[ -n "$lib" ] || arena_die "libfaketime not found (Debian package faketime)"
	off=$((at - $(date -u +%s)))
	case $off in -*) ;; *) off=+$off ;; esac
	LD_PRELOAD=$lib${LD_PRELOAD:+ $LD_PRELOAD}
	FAKETIME=$off
	FAKETIME_DONT_FAKE_MONOTONIC=1
	export LD_PRELOAD FAKETIME FAKETIME_DONT_FAKE_MONOTONIC
}

# Runs shell test $2 (t/NAME.sh) of the normal build with the clock at
# instant $1, its TAP in log $3, and prints "passed failed skipped".  A
# test that exits non-zero, bails out, has no plan or runs fewer tests
# than it planned counts one failure more.
arena_test_at() {
	instant=$1 test=$2 log=$3
	# As root, the whole test runs as the run user, and the clock is moved
	# only after the switch: libfaketime shares its clock through a
	# semaphore that only the user who created it may open.
	(
		top_srcdir=$ARENA_ROOT top_builddir=$ARENA_ROOT/_build
		export top_srcdir top_builddir
		prefix=$(arena_user_prefix)
		arena_faketime "$instant"
		pre=$LD_PRELOAD
		unset LD_PRELOAD
		cd /tmp && $prefix env LD_PRELOAD="$pre" sh "$ARENA_ROOT/$test"
	) >"$log" 2>&1 && rc=0 || rc=$?
	awk -v rc="$rc" '
		/^ok / { if ($0 ~ /# [Ss][Kk][Ii][Pp]/) s++; else p++; n++ }
		/^not ok / { if ($0 ~ /# TODO/) p++; else f++; n++ }
		/^1\.\.[0-9]+/ { plan = substr($1, 4) + 0; if ($0 ~ /# SKIP/) s++ }
		/^Bail out!/ { bail = 1 }
		END {
			if (bail || rc != 0 || plan == "" || plan != n) f += (f ? 0 : 1)
			print p + 0, f + 0, s + 0
		}' "$log"
}

# The real-browser tests' dependencies: Debian's chromium and CJK fonts,
# node and npm (Debian's, when the machine has no node), and the pinned
# npm packages of t/browser (npm ci, from its lockfile, when node_modules
# is missing or older than the lockfile).  Playwright never downloads a
# browser here: the tests drive /usr/bin/chromium.
arena_browser_deps() {
	extra=$ARENA_BROWSER_PACKAGES
	command -v node >/dev/null || extra="$extra nodejs"
	command -v npm >/dev/null || extra="$extra npm"
	ARENA_EXTRA_PACKAGES="${ARENA_EXTRA_PACKAGES:-} $extra" arena_deps
	dir=$ARENA_ROOT/t/browser
	[ -f "$dir/node_modules/.package-lock.json" ] &&
		! [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ] && return 0
	arena_log "npm ci in t/browser"
	(cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null) ||
		arena_die "npm ci in t/browser failed"
}

# Configures (once) and builds in $1 (default _build) out of the tree.
arena_build() {
	dir=${1:-$ARENA_ROOT/_build}
	shift 2>/dev/null || true
	[ -x "$ARENA_ROOT/configure" ] && [ "$ARENA_ROOT/configure" -nt "$ARENA_ROOT/configure.ac" ] ||
		(cd "$ARENA_ROOT" && autoreconf -fi >/dev/null 2>&1) || arena_die "autoreconf failed"
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ] || [ "$ARENA_ROOT/configure" -nt "$dir/config.status" ]; then
		(cd "$dir" && "$ARENA_ROOT/configure" -q --enable-werror "$@") ||
			arena_die "configure failed"
	fi
	make -C "$dir" -j"$(nproc)" -s >/dev/null || arena_die "build failed"
}

# The unprivileged account services run as: PostgreSQL refuses root.
arena_run_user() {
	if [ "$(id -u)" = 0 ]; then echo "${ARENA_RUN_USER:-postgres}"; else id -un; fi
}

# The words that run a command as the run user in place (setpriv execs,
# so a background job's $! is the command itself and signals reach it).
arena_user_prefix() {
	[ "$(id -u)" = 0 ] || return 0
	u=$(arena_run_user)
	echo "setpriv --reuid=$u --regid=$(id -g "$u") --init-groups --"
}

arena_as_user() {
	$(arena_user_prefix) "$@"
}

arena_pg_bindir() {
	for d in /usr/lib/postgresql/*/bin; do :; done
	[ -x "$d/initdb" ] || arena_die "PostgreSQL server binaries not found"
	echo "$d"
}

# Prints a TCP port on 127.0.0.1 nothing listens on.
arena_free_port() {
	while :; do
		port=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000 ))
		[ -z "$(ss -Htln "sport = :$port" 2>/dev/null)" ] && { echo "$port"; return; }
	done
}

# Sets ARENA_STATE, ARENA_RUN (short socket dir) and the file layout.
arena_state_init() {
	ARENA_STATE=$1
	mkdir -p "$ARENA_STATE"
	ARENA_STATE=$(cd "$ARENA_STATE" && pwd)
	ARENA_RUN=$ARENA_STATE/run
	# unix socket paths are limited to 107 bytes
	if [ ${#ARENA_RUN} -gt 70 ]; then
		ARENA_RUN=/tmp/arena-run-$(printf %s "$ARENA_STATE" | md5sum | cut -c1-12)
	fi
	mkdir -p "$ARENA_RUN" "$ARENA_STATE/log" "$ARENA_STATE/pids"
	if [ "$(id -u)" = 0 ]; then
		chown "$(arena_run_user)" "$ARENA_STATE" "$ARENA_RUN" "$ARENA_STATE/log"
	fi
	chmod 0755 "$ARENA_STATE"
}

# Exports ARENA_SECRET_KEY, the server key that seals v2 signing secrets,
# unless the environment has one: made once and kept in the state
# directory (mode 0600), so keys issued earlier keep working.
arena_secret_key() {
	[ -n "${ARENA_SECRET_KEY:-}" ] && { export ARENA_SECRET_KEY; return 0; }
	f=$ARENA_STATE/secret.key
	if [ ! -s "$f" ]; then
		(umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$f") ||
			arena_die "cannot write $f"
	fi
	ARENA_SECRET_KEY=$(cat "$f")
	export ARENA_SECRET_KEY
}

# Makes a new cluster in $1 (log in $2): a copy of $ARENA_PG_TEMPLATE when
# that names one (script/test makes one per run, saving an initdb per
# test), else a fresh initdb.
arena_initdb() {
	mkdir -p "$1"
	[ "$(id -u)" = 0 ] && chown "$(arena_run_user)" "$1"
	chmod 0700 "$1"
	if [ -n "${ARENA_PG_TEMPLATE:-}" ] && [ -f "$ARENA_PG_TEMPLATE/PG_VERSION" ]; then
		cp -a "$ARENA_PG_TEMPLATE/." "$1/" || arena_die "cannot copy $ARENA_PG_TEMPLATE"
		return 0
	fi
	arena_as_user "$(arena_pg_bindir)/initdb" -D "$1" -U postgres -A trust -E UTF8 \
		--locale=C.UTF-8 --no-sync >"$2" 2>&1 || {
		tail -n 20 "$2" | sed 's/^/# initdb: /' >&2
		arena_die "initdb failed: see $2"
	}
}

# Starts (initialising if needed) the cluster on port $ARENA_PGPORT.
arena_pg_start() {
	bindir=$(arena_pg_bindir)
	pgdata=$ARENA_STATE/pg
	fresh=0
	if [ ! -f "$pgdata/PG_VERSION" ]; then
		arena_initdb "$pgdata" "$ARENA_STATE/log/initdb.log"
		fresh=1
	fi
	arena_as_user "$bindir/pg_ctl" -D "$pgdata" -l "$ARENA_STATE/log/postgresql.log" -w -t 30 \
		-o "-c listen_addresses='' -c unix_socket_directories='$ARENA_RUN' -p $ARENA_PGPORT -c fsync=${ARENA_PG_FSYNC:-on} -c max_connections=200 -c shared_buffers=256MB" \
		start >/dev/null || {
		tail -n 20 "$ARENA_STATE/log/postgresql.log" | sed 's/^/# postgresql: /' >&2
		arena_die "PostgreSQL did not start: see $ARENA_STATE/log/postgresql.log"
	}
	DATABASE_URL="host=$ARENA_RUN port=$ARENA_PGPORT dbname=arena user=postgres"
	export DATABASE_URL
	if [ $fresh = 1 ]; then
		psql -h "$ARENA_RUN" -p "$ARENA_PGPORT" -U postgres -d postgres -qAtc 'CREATE DATABASE arena' >/dev/null ||
			arena_die "cannot create database"
	fi
	return 0
}

arena_pg_stop() {
	[ -f "$ARENA_STATE/pg/postmaster.pid" ] || return 0
	arena_as_user "$(arena_pg_bindir)/pg_ctl" -D "$ARENA_STATE/pg" -m "${1:-fast}" -w stop >/dev/null 2>&1 || true
}

arena_psql() {
	psql -h "$ARENA_RUN" -p "$ARENA_PGPORT" -U postgres -d arena -v ON_ERROR_STOP=1 -qAt "$@"
}

# Starts one supervised pool per endpoint: $1 = directory of the binaries.
arena_pools_start() {
	bindir=$1
	for ep in $ARENA_ENDPOINTS; do
		arena_pool_start "$bindir" "$ep"
	done
	for ep in $ARENA_ENDPOINTS; do
		i=0
		while [ ! -S "$ARENA_RUN/$ep.sock" ]; do
			i=$((i + 1))
			[ $i -gt 200 ] && arena_die "pool $ep did not start: see $ARENA_STATE/log/$ep.log"
			sleep 0.05
		done
	done
}

arena_pool_start() {
	rm -f "$ARENA_RUN/$2.sock"
	# a copy the run user can always execute, whatever the build dir's modes
	mkdir -p "$ARENA_STATE/bin" "$ARENA_STATE/i18n"
	cp -f "$1/$2" "$ARENA_STATE/bin/$2"
	chmod 0755 "$ARENA_STATE/bin" "$ARENA_STATE/bin/$2" "$ARENA_STATE/i18n"
	# and the message catalogs of the pages, readable by the run user too
	cp -f "$ARENA_ROOT"/lib/i18n/*.json "$ARENA_STATE/i18n/"
	chmod 0644 "$ARENA_STATE"/i18n/*.json
	$(arena_user_prefix) env DATABASE_URL="$DATABASE_URL" ARENA_METRICS_DIR="${ARENA_METRICS_DIR:-$ARENA_RUN}" ARENA_I18N_DIR="${ARENA_I18N_DIR:-$ARENA_STATE/i18n}" "$ARENA_STATE/bin/$2" -s "$ARENA_RUN/$2.sock" \
		-n "${ARENA_WORKERS:-2}" -m 0660 >>"$ARENA_STATE/log/$2.log" 2>&1 &
	echo $! >"$ARENA_STATE/pids/$2.pid"
}

# Restarts the pool of endpoint $2 (binaries in $1), e.g. to take a new
# environment, and waits for its socket.
arena_pool_restart() {
	pidf=$ARENA_STATE/pids/$2.pid
	if [ -f "$pidf" ]; then
		pid=$(cat "$pidf")
		kill -TERM "$pid" 2>/dev/null || true
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	fi
	arena_pool_start "$1" "$2"
	i=0
	while [ ! -S "$ARENA_RUN/$2.sock" ]; do
		i=$((i + 1))
		[ $i -gt 200 ] && arena_die "pool $2 did not start: see $ARENA_STATE/log/$2.log"
		sleep 0.05
	done
}

# Renders nginx's configuration and starts it on 127.0.0.1:$ARENA_PORT.
arena_nginx_start() {
	ngx=$ARENA_STATE/nginx
	mkdir -p "$ngx/tmp" "$ngx/html" "$ngx/conf"
	cp "$ARENA_ROOT/nginx/fastcgi.conf" "$ARENA_ROOT/nginx/errors.conf" "$ngx/conf/"
	# the content-hashed static files the build wrote (lib/assets.h)
	mkdir -p "$ngx/static"
	rm -f "$ngx"/static/*
	cp "${ARENA_STATIC_DIR:-${top_builddir:-$ARENA_ROOT/_build}/static/hashed}"/* "$ngx/static/" 2>/dev/null ||
		arena_log "warning: no static files; build first"
	# ARENA_MICROCACHE=off renders the config without the micro-cache
	sed -e "s|@RUNDIR@|$ARENA_RUN|g" -e "s|@CONFDIR@|$ngx/conf|g" \
		-e "s|@STATICDIR@|$ngx/static|g" \
		-e "s|@MICROCACHE@|$([ "${ARENA_MICROCACHE:-on}" = off ] && echo off || echo arena_micro)|g" \
		"$ARENA_ROOT/nginx/locations.conf.in" >"$ngx/locations.conf"
	sed -e "s|@STATEDIR@|$ARENA_STATE|g" -e "s|@LISTEN@|127.0.0.1:$ARENA_PORT|g" \
		-e "s|@HTTP_EXTRA@|${ARENA_NGINX_HTTP_EXTRA:-}|" \
		"$ARENA_ROOT/nginx/standalone.conf.in" >"$ngx/nginx.conf"
	[ "$(id -u)" = 0 ] && chown -R "$(arena_run_user)" "$ngx"
	arena_as_user nginx -q -p "$ngx" -e "$ngx/error.log" -c "$ngx/nginx.conf" 2>>"$ngx/start.log" ||
		return 1
	ARENA_URL=http://127.0.0.1:$ARENA_PORT
	export ARENA_URL
}

arena_nginx_stop() {
	pidf=$ARENA_STATE/nginx/nginx.pid
	[ -f "$pidf" ] || return 0
	kill -QUIT "$(cat "$pidf")" 2>/dev/null || true
	i=0
	while [ -f "$pidf" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
}

arena_pools_stop() {
	for f in "$ARENA_STATE"/pids/*.pid; do
		[ -f "$f" ] || continue
		kill -TERM "$(cat "$f")" 2>/dev/null || true
	done
	for f in "$ARENA_STATE"/pids/*.pid; do
		[ -f "$f" ] || continue
		pid=$(cat "$f")
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
		kill -KILL "$pid" 2>/dev/null || true
		rm -f "$f"
	done
}

# Brings a whole private stack up under directory $1: cluster on a free
# port, schema, pools from $2 (build dir), nginx on a free loopback port.
arena_stack_up() {
	arena_state_init "$1"
	arena_secret_key
	ARENA_PGPORT=$(arena_free_port)
	ARENA_PORT=$(arena_free_port)
	arena_pg_start
	ARENA_SCHEMA_DIR=$ARENA_ROOT/schema "$2/admin/arena-admin" migrate >/dev/null ||
		arena_die "migration failed"
	arena_pools_start "$2/cgi-bin"
	# another process may take the port between the check and the bind
	tries=0
	until arena_nginx_start; do
		tries=$((tries + 1))
		[ $tries -lt 5 ] || arena_die "nginx did not start: see $1/nginx/error.log"
		ARENA_PORT=$(arena_free_port)
	done
}

# A second app host: its own pools and nginx under state dir $1, serving
# the binaries in $2 against the same database ($DATABASE_URL), on a free
# loopback port.  Writes its URL to $1/url.  Runs in a subshell so the
# caller's layout is kept.
arena_instance_start() {
	(
		arena_state_init "$1"
		arena_pools_start "$2"
		tries=0
		ARENA_PORT=$(arena_free_port)
		until arena_nginx_start; do
			tries=$((tries + 1))
			[ $tries -lt 5 ] || arena_die "nginx did not start: see $1/nginx/error.log"
			ARENA_PORT=$(arena_free_port)
		done
		echo "$ARENA_URL" >"$1/url"
	)
}

arena_instance_stop() {
	(
		arena_state_init "$1"
		arena_nginx_stop
		arena_pools_stop
		case $ARENA_RUN in /tmp/arena-run-*) rm -rf "$ARENA_RUN" ;; esac
	)
}

arena_stop_all() {
	arena_nginx_stop
	arena_pools_stop
	arena_pg_stop fast
}
