#!/bin/sh
# 1112-replica.sh -- ARENA_READ_DATABASE_URL with a real streaming
# standby made by pg_basebackup -R: the public reads (leaderboard JSON
# and page, global stats, profiles, badges) run on it, seen in its
# pg_stat_activity and in data it has not replayed yet; rank and uploads
# stay on the primary; past ARENA_READ_MAX_LAG_MS and with the standby
# stopped the reads answer from the primary.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
# every read must reach a database: no cache in nginx or the workers
ARENA_MICROCACHE=off ARENA_LEADERBOARD_PAGECACHE=0
export ARENA_MICROCACHE ARENA_LEADERBOARD_PAGECACHE
arena_up
. "$top_srcdir/t/lib/hosting.sh"
. "$top_srcdir/t/lib/cluster.sh"
F=$T/body.json
bin=$(arena_pg_bindir)

# --- the standby
mkdir -p "$T/standby"
[ "$(id -u)" = 0 ] && chown "$(arena_run_user)" "$T/standby"
chmod 0700 "$T/standby"
arena_as_user "$bin/pg_basebackup" -h "$ARENA_RUN" -p "$ARENA_PGPORT" -U postgres \
	-D "$T/standby" -R -X stream >"$T/basebackup.log" 2>&1
ok $? "pg_basebackup -R -X stream"
SPORT=$(arena_free_port)
cluster_start "$T/standby" "$SPORT" -c hot_standby=on -c max_connections=200
is "$(cluster_psql "$SPORT" -c 'SELECT pg_is_in_recovery()')" t "the copy runs as a standby"
is "$(arena_psql -c 'SELECT count(*) FROM pg_stat_replication')" 1 "and streams from the primary"

pools() {	# pools MAX-LAG-MS: the pools with the standby for reads
	ARENA_READ_DATABASE_URL="host=$ARENA_RUN port=$SPORT dbname=arena user=postgres"
	ARENA_READ_MAX_LAG_MS=$1
	export ARENA_READ_DATABASE_URL ARENA_READ_MAX_LAG_MS
	arena_pools_stop
	arena_pools_start "$top_builddir/cgi-bin"
}
caught_up() {	# waits until the standby replayed all the primary wrote
	lsn=$(arena_psql -c 'SELECT pg_current_wal_insert_lsn()')
	i=0
	until [ "$(cluster_psql "$SPORT" -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ]; do
		i=$((i + 1)); [ $i -gt 200 ] && return 1
		sleep 0.05
	done
}

for u in alice bob; do admin user add $u >/dev/null; done
KEY=$(admin key issue alice)
hosting_session alice-1 5000 1000
post /api/v1/sessions "$F"
KEY=$(admin key issue bob)
hosting_session bob-1 3000 700
post /api/v1/sessions "$F"
"$top_builddir/cron/calculate-rankings" >/dev/null 2>&1
caught_up
ok $? "the standby caught up"
pools 60000

# --- the reads run on the standby
for p in '/api/leaderboard?period=all_time' / /api/stats/global /api/users/alice /users/alice /badge/alice.svg; do
	req GET "$p"
	is "$code" 200 "GET $p with a standby: 200"
done
apps="'leaderboard','board','profile','badge'"
is "$(cluster_psql "$SPORT" -c "SELECT string_agg(DISTINCT application_name, ',' ORDER BY application_name) FROM pg_stat_activity WHERE application_name IN ($apps)")" \
	"badge,board,leaderboard,profile" "the standby serves the four public readers (pg_stat_activity)"

# --- replay paused: the standby's data is older than the primary's
cluster_psql "$SPORT" -c 'SELECT pg_wal_replay_pause()' >/dev/null
admin user add dave >/dev/null
DKEY=$(admin key issue dave)
KEY=$DKEY
hosting_session dave-1 90000 9000
post /api/v1/sessions "$F"
is "$code" 201 "an upload goes to the primary while the standby is paused"
"$top_builddir/cron/calculate-rankings" >/dev/null 2>&1
req GET /api/v1/rank -H "X-API-Key: $DKEY"
is "$code $(jv .rankings.allTime.position)" "200 1" "rank reads the primary: dave is first at once"
req GET /api/users/dave
is "$code" 404 "the profile reads the standby, which does not know dave yet"
req GET /badge/dave.json
is "$(jv .message)" "not public" "nor does the badge"
req GET '/api/leaderboard?period=all_time'
is "$(jv '[.data[].username] | join(",")')" "alice,bob" "the leaderboard is the standby's"

# --- lag past the limit: the primary answers
pools 1000
sleep 1.5
req GET /api/users/dave
is "$code $(jv .username)" "200 dave" "standby behind by more than ARENA_READ_MAX_LAG_MS: the profile from the primary"
req GET '/api/leaderboard?period=all_time'
is "$(jv '[.data[].username] | join(",")')" "dave,alice,bob" "and the leaderboard"
req GET /badge/dave.json
like "$(jv .message)" "#1" "and the badge"

# --- replay resumed: the standby again, with dave
cluster_psql "$SPORT" -c 'SELECT pg_wal_replay_resume()' >/dev/null
caught_up
ok $? "the standby caught up again"
before=$(cluster_psql "$SPORT" -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'profile'")
req GET /api/users/dave
is "$code $(jv .username)" "200 dave" "the standby answers for dave now"

# --- standby stopped: the primary answers
cluster_stop "$T/standby"
for p in '/api/leaderboard?period=all_time' / /api/stats/global /api/users/dave /users/dave /badge/dave.json; do
	req GET "$p"
	is "$code" 200 "standby stopped: GET $p still 200"
done
req GET /api/users/dave
is "$(jv .username)" dave "from the primary's data"
done_testing
