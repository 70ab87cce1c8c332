/*
 * audit.h -- the security audit log
 *
 * One row per security event in security_audit_log, with the client's
 * address and user agent and a small JSON object of details.  Callers
 * never put a key in details: only its public prefix.  A failure to
 * write an audit row is logged and does not fail the request.
 *
 * Every endpoint that audits lists AUDIT_STMT in its statement table.
 */
#ifndef ARENA_AUDIT_H
#define ARENA_AUDIT_H

#include "db.h"
#include "req.h"

#define AUDIT_STMT \
	{ "audit_insert", \
	  "INSERT INTO security_audit_log (user_id, event_type, ip_address, user_agent, details)" \
	  " VALUES ($1, $2, NULLIF($3, ''), NULLIF($4, ''), $5::jsonb)", 5 }

/* user_id may be NULL; details is a JSON object text or NULL for {}. */
void audit(struct db *db, const struct req *rq, const char *user_id,
	   const char *event, const char *details);

#endif
