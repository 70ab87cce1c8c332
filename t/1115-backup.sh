#!/bin/sh
# 1115-backup.sh -- the README's backup, done and undone: pg_dump of the
# live database, pg_restore into a new cluster, the pools moved onto it
# with the same ARENA_SECRET_KEY, the old cluster stopped; the
# leaderboards, profiles, badges and global stats read the same JSON, and
# v2 signing keys still work.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
arena_up
. "$top_srcdir/t/lib/hosting.sh"
. "$top_srcdir/t/lib/cluster.sh"
F=$T/body.json
bin=$(arena_pg_bindir)

for u in alice bob carol; do admin user add $u >/dev/null; done
i=0
for u in alice bob carol; do
	i=$((i + 1))
	KEY=$(admin key issue $u)
	eval "KEY_$u=\$KEY"
	hosting_session "$u-1" $((i * 12345)) $((i * 678))
	post /api/v1/sessions "$F"
	hosting_session "$u-2" $((i * 2000)) $((i * 50))
	post /api/v1/sessions "$F"
done
admin user privacy carol on >/dev/null
"$top_builddir/cron/calculate-rankings" >/dev/null 2>&1
ok $? "rankings computed"

READS="/api/leaderboard?period=all_time /api/leaderboard?period=daily /api/leaderboard?period=monthly
/api/users/alice /api/users/bob /api/users/carol /badge/alice.json /badge/carol.json /api/stats/global"
snapshot() {
	for p in $READS; do
		printf '%s ' "$p"
		curl -s -w ' %{http_code}\n' "$ARENA_URL$p" | sed 's/"requestId":"[0-9a-f]*"/"requestId":""/' 
	done
}
snapshot >"$T/before"
is "$(grep -c ' 200$' "$T/before")" 8 "eight reads answer 200 before (the private profile 404)"

# --- the dump
su_dump() { arena_as_user "$bin/pg_dump" "$@"; }
mkdir -p "$T/backup"
[ "$(id -u)" = 0 ] && chown "$(arena_run_user)" "$T/backup"
su_dump -h "$ARENA_RUN" -p "$ARENA_PGPORT" -U postgres -Fc -f "$T/backup/arena.dump" arena
ok $? "pg_dump -Fc of the database"

# --- a new cluster, the restore
arena_initdb "$T/pg2" "$T/initdb2.log"
PORT2=$(arena_free_port)
cluster_start "$T/pg2" "$PORT2"
psql -h "$ARENA_RUN" -p "$PORT2" -U postgres -d postgres -qAtc 'CREATE DATABASE arena' >/dev/null
arena_as_user "$bin/pg_restore" -h "$ARENA_RUN" -p "$PORT2" -U postgres -d arena --exit-on-error "$T/backup/arena.dump"
ok $? "pg_restore into a new cluster"
is "$(cluster_psql "$PORT2" -c 'SELECT count(*) FROM sessions')" 6 "six sessions restored"

# --- the pools on the restored copy, the old cluster gone
cluster_pools_on "host=$ARENA_RUN port=$PORT2 dbname=arena user=postgres"
arena_pg_stop fast
snapshot >"$T/after"
if cmp -s "$T/before" "$T/after"; then ok 0 "every read answers the same JSON from the restored cluster"
else ok 1 "every read answers the same JSON from the restored cluster"; diff "$T/before" "$T/after" | sed 's/^/#   /' | head -20
fi

# the sealed signing secrets open with the same ARENA_SECRET_KEY
auth=$("$top_builddir/t/arena-sign-v2" "$KEY_alice" GET /api/v1/verify "" now "backup-nonce-0000000001")
req GET /api/v1/verify -H "Authorization: $auth"
is "$code $(jv .username)" "200 alice" "a v2-signed request verifies after the restore"
# and a new upload goes on where the old cluster stopped
KEY=$KEY_bob
hosting_session bob-3 10 10
post /api/v1/sessions "$F"
is "$code" 201 "an upload to the restored cluster"
done_testing
