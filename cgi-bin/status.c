/*
 * status.c -- GET /api/v1/status
 *
 * Says whether the service can reach its database.  It answers within
 * about 100 ms whatever PostgreSQL does: 200 "operational" when a trivial
 * query succeeds, 503 "degraded" when it does not.
 */
#include "audit.h"
#include "conf.h"
#include "ratelimit.h"
#include "serve.h"
#include "timeutil.h"

/* Leaves room under the promised 100 ms for the rest of the request. */
#define STATUS_DB_BUDGET_MS 80
/* What the health check keeps for itself after the rate limit's turn. */
#define STATUS_PING_MIN_MS 20

static const struct db_stmt stmts[] = {
	{ "ping", "SELECT 1", 0 },
	RATELIMIT_STMT,
	AUDIT_STMT,
	DB_STMT_END
};

static void handle_status(struct req *rq, struct db *db)
{
	int64_t t0 = time_mono_ms(), left;
	char now[TIME_ISO_LEN + 1];
	struct jsonw *w;
	int up;

	if (!ratelimit_check(db, rq, RL_PUBLIC, rq->remote_addr))
		return;
	left = STATUS_DB_BUDGET_MS - (time_mono_ms() - t0);
	up = db_ping(db, "ping", left < STATUS_PING_MIN_MS ? STATUS_PING_MIN_MS : left) == 0;
	w = req_json(rq, up ? 200 : 503);

	time_format_iso(time_now_ms(), now);
	jsonw_object(w);
	jsonw_key(w, "status");
	jsonw_string(w, up ? "operational" : "degraded");
	jsonw_key(w, "version");
	jsonw_string(w, arena_conf.version);
	jsonw_key(w, "timestamp");
	jsonw_string(w, now);
	jsonw_key(w, "database");
	jsonw_string(w, up ? "up" : "down");
	jsonw_key(w, "endpoints");
	jsonw_object(w);
	jsonw_key(w, "sessions");
	jsonw_string(w, "/api/v1/sessions");
	jsonw_key(w, "sessionsBatch");
	jsonw_string(w, "/api/v1/sessions/batch");
	jsonw_key(w, "rank");
	jsonw_string(w, "/api/v1/rank");
	jsonw_key(w, "verify");
	jsonw_string(w, "/api/v1/verify");
	jsonw_key(w, "status");
	jsonw_string(w, "/api/v1/status");
	jsonw_key(w, "leaderboard");
	jsonw_string(w, "/api/leaderboard");
	jsonw_end(w);
	jsonw_end(w);
	if (!up)
		req_add_header(rq, "Retry-After", "5");
}

static const struct endpoint status_endpoint = {
	.name = "status",
	.allow = "GET, HEAD",
	.stmts = stmts,
	.handle = handle_status,
	.public_read = 1,
};

SERVE_MAIN(status_endpoint)
