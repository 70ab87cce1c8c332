/* audit.c -- the security audit log */
#include <stdio.h>

#include "log.h"
#include "audit.h"

void audit(struct db *db, const struct req *rq, const char *user_id,
	   const char *event, const char *details)
{
	const char *vals[5] = { user_id, event, rq->remote_addr, rq->user_agent,
				details ? details : "{}" };
	PGresult *res = db_run(db, "audit_insert", 5, vals);

	if (!res) {
		log_msg("audit: could not record '%s'", event);
		return;
	}
	PQclear(res);
}
