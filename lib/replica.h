/*
 * replica.h -- public reads from a streaming standby
 *
 * With ARENA_READ_DATABASE_URL set, an endpoint that serves public data
 * (leaderboard, board and global stats, profiles, badges) runs its read
 * queries on a second connection to that server:
 *
 *	if (!ratelimit_check(db, rq, RL_PUBLIC, rq->remote_addr))	// primary
 *		return;
 *	rdb = replica_db(db);		// the standby, or db itself
 *	res = db_run(rdb, "board", ...);
 *
 * replica_db() asks the standby how far behind it is before every use
 * (one small query, REPLICA_STMT, which the endpoint's statement table
 * must list) and gives the primary back when the standby cannot be
 * reached (then it is left alone for a second) or has not replayed what
 * it received for longer than ARENA_READ_MAX_LAG_MS.  Writes, the rate
 * limit, the audit log and anything a user must see right after changing
 * it stay on the primary: those endpoints never call this.
 *
 * The lag is measured on the standby: 0 when it has replayed all the WAL
 * it received, else the age of the last transaction it replayed.  A
 * standby cut off from its primary therefore looks current; alert on
 * pg_stat_replication on the primary for that.
 */
#ifndef ARENA_REPLICA_H
#define ARENA_REPLICA_H

#include "db.h"

#define REPLICA_STMT \
	{ "replica_lag", \
	  "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0" \
	  " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0" \
	  " ELSE coalesce((extract(epoch FROM clock_timestamp()" \
	  "  - pg_last_xact_replay_timestamp()) * 1000)::bigint, 2147483647) END", 0 }

/* The connection public reads should use: the standby's or primary. */
struct db *replica_db(struct db *primary);

#endif
