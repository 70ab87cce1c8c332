# cluster.sh -- a second PostgreSQL cluster beside the harness's, for the
# backup and replica tests.  Source after harness.sh and arena_up.
#
#	cluster_start "$T/pg2" PORT [postgres -c options]
#	cluster_psql PORT -c 'SELECT 1'
#	cluster_stop "$T/pg2"
#
# It listens only on the harness's socket directory, and is stopped on
# exit with the rest.

CLUSTERS=
cluster_cleanup() {
	for c in $CLUSTERS; do cluster_stop "$c"; done
	arena_cleanup
}
trap cluster_cleanup EXIT

cluster_start() {
	c=$1 port=$2
	shift 2
	[ "$(id -u)" = 0 ] && chown -R "$(arena_run_user)" "$c"
	chmod 0700 "$c"
	arena_as_user "$(arena_pg_bindir)/pg_ctl" -D "$c" -l "$c.log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$ARENA_RUN' -p $port -c fsync=off $*" \
		start >/dev/null || {
		tail -n 20 "$c.log" | sed 's/^/# postgresql: /'
		echo "Bail out! the cluster in $c did not start"
		exit 1
	}
	case " $CLUSTERS " in *" $c "*) ;; *) CLUSTERS="$CLUSTERS $c" ;; esac
}

cluster_stop() {
	[ -f "$1/postmaster.pid" ] || return 0
	arena_as_user "$(arena_pg_bindir)/pg_ctl" -D "$1" -m fast -w stop >/dev/null 2>&1 || true
}

cluster_psql() {
	p=$1
	shift
	psql -h "$ARENA_RUN" -p "$p" -U postgres -d arena -v ON_ERROR_STOP=1 -qAt "$@"
}

# Restarts the pools on another database (the rest of the environment
# as it is): cluster_pools_on "host=... port=..."
cluster_pools_on() {
	arena_pools_stop
	DATABASE_URL=$1
	export DATABASE_URL
	arena_pools_start "$top_builddir/cgi-bin"
}
