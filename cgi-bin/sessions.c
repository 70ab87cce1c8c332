/*
 * sessions.c -- POST /api/v1/sessions and POST /api/v1/sessions/batch
 *
 * Stores signed session summaries, each exactly once.  The order of
 * checks is fixed (cheapest and least revealing first): content type,
 * body size, the failed-attempt quota of the address, the signature (v2,
 * or the seed's v1: API key, timestamp and signature over the raw bytes),
 * the replay guard, the user's quota, strict JSON, the session schema,
 * then one call of arena_ingest(), which inserts, recognises a
 * duplicate, replaces an older version of the same session or refuses a
 * smaller one -- in one transaction with its aggregates and audit rows.
 * A 2xx is only sent after that commit.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "conf.h"
#include "json.h"
#include "metrics.h"
#include "ratelimit.h"
#include "replay.h"
#include "serve.h"
#include "session.h"
#include "sign.h"
#include "timeutil.h"

/* A batch of 100 sessions with hourly slices fits comfortably. */
#define BATCH_MAX_ITEMS 100
#define BATCH_MAX_BYTES (1024 * 1024)
/* Deadlocks between two uploads of one user are retried this often. */
#define INGEST_ATTEMPTS 3

static const struct db_stmt stmts[] = {
	AUTH_STMTS,
	{ "ingest",
	  "SELECT outcome, session_id, flag_reason FROM arena_ingest($1, $2, $3, $4, $5, $6, $7,"
	  " $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)", 24 },
	DB_STMT_END
};

enum outcome {
	OUT_CREATED,
	OUT_DUPLICATE,
	OUT_UPDATED,
	OUT_CONFLICT,
	OUT_UNAVAILABLE,
};

struct result {
	enum outcome outcome;
	const char *session_id;
};

static const char *i64(struct arena *a, int64_t v)
{
	return arena_printf(a, "%" PRId64, v);
}

/* Stores one validated session; fills *r. */
static void ingest(struct req *rq, struct db *db, const struct user *u,
		   const struct session *s, struct result *r)
{
	char started[TIME_ISO_LEN + 1], ended[TIME_ISO_LEN + 1];
	const char *vals[24];
	int attempt;

	time_format_iso(s->started_ms, started);
	time_format_iso(s->ended_ms, ended);
	vals[0] = u->id;
	vals[1] = s->tool_type;
	vals[2] = s->identity;
	vals[3] = s->client_session_id;
	vals[4] = s->session_hash;
	vals[5] = s->content_hash;
	vals[6] = s->project;
	vals[7] = started;
	vals[8] = ended;
	vals[9] = i64(rq->a, s->duration_seconds);
	vals[10] = s->model;
	vals[11] = i64(rq->a, s->turns);
	vals[12] = i64(rq->a, s->input);
	vals[13] = i64(rq->a, s->output);
	vals[14] = i64(rq->a, s->cache_creation);
	vals[15] = i64(rq->a, s->cache_read);
	vals[16] = s->tool_usage_json;
	vals[17] = s->code_metrics_json;
	vals[18] = s->model_usage_json;
	vals[19] = s->slices_json;
	vals[20] = i64(rq->a, arena_conf.anomaly_factor);
	vals[21] = i64(rq->a, arena_conf.max_output_tps);
	vals[22] = rq->remote_addr;
	vals[23] = rq->user_agent;

	r->outcome = OUT_UNAVAILABLE;
	r->session_id = NULL;
	for (attempt = 0; attempt < INGEST_ATTEMPTS; attempt++) {
		PGresult *res = db_run(db, "ingest", 24, vals);
		const char *o;

		if (!res) {
			/* two uploads of one user may deadlock; the loser retries */
			if (strcmp(db->sqlstate, "40P01") == 0 || strcmp(db->sqlstate, "40001") == 0)
				continue;
			return;
		}
		o = PQgetvalue(res, 0, 0);
		r->session_id = arena_strdup(rq->a, PQgetvalue(res, 0, 1));
		if (strcmp(o, "created") == 0)
			r->outcome = OUT_CREATED;
		else if (strcmp(o, "duplicate") == 0)
			r->outcome = OUT_DUPLICATE;
		else if (strcmp(o, "updated") == 0)
			r->outcome = OUT_UPDATED;
		else
			r->outcome = OUT_CONFLICT;
		metrics_ingest(r->outcome == OUT_CREATED ? MI_CREATED :
			       r->outcome == OUT_DUPLICATE ? MI_DUPLICATE :
			       r->outcome == OUT_UPDATED ? MI_UPDATED : MI_CONFLICT);
		PQclear(res);
		return;
	}
}

static int content_type_is_json(const char *ct)
{
	static const char want[] = "application/json";
	size_t n = sizeof(want) - 1;

	if (!ct || strncasecmp(ct, want, n) != 0)
		return 0;
	ct += n;
	while (*ct == ' ')
		ct++;
	return *ct == '\0' || *ct == ';';
}

/*
 * Everything before the JSON: content type, body, then the front door
 * (auth_request): failed-attempt quota, v2 or v1 signature, replay guard,
 * the user's quota.
 */
static int authenticate(struct req *rq, struct db *db, struct user *u, size_t cap)
{
	if (!content_type_is_json(req_param(rq, "CONTENT_TYPE"))) {
		req_error(rq, 415, "unsupported_media_type", "Content-Type",
			  "send the body as application/json");
		return -1;
	}
	if (req_read_body(rq, cap))
		return -1;
	return auth_request(rq, db, u, AUTH_SIGNED) == AUTH_OK ? 0 : -1;
}

static struct json *parse_body(struct req *rq, struct db *db, const struct user *u)
{
	struct json_status st;
	struct json *v = json_parse(rq->a, rq->body, rq->body_len, &st);
	char msg[160];

	if (!v) {
		const char *code = json_error_code(st.error);

		/* a lenient parser would read the first of the two: an attack */
		if (st.error == JSON_ERR_DUPLICATE_KEY)
			audit(db, rq, u->id, "suspicious_activity",
			      "{\"reason\":\"duplicate JSON member\"}");

		req_error(rq, 400, code,
			  st.error == JSON_ERR_DUPLICATE_KEY && json_key_is_plain(st.key) ?
			  st.key : NULL, "%s", json_error_message(&st, msg, sizeof(msg)));
	}
	return v;
}

static void session_reply(struct jsonw *w, const struct result *r)
{
	jsonw_key(w, "success");
	jsonw_bool(w, 1);
	jsonw_key(w, "sessionId");
	jsonw_string(w, r->session_id);
	if (r->outcome == OUT_DUPLICATE) {
		jsonw_key(w, "duplicate");
		jsonw_bool(w, 1);
	}
	if (r->outcome == OUT_UPDATED) {
		jsonw_key(w, "updated");
		jsonw_bool(w, 1);
	}
	jsonw_key(w, "message");
	jsonw_string(w, r->outcome == OUT_CREATED ? "Session recorded successfully" :
			r->outcome == OUT_DUPLICATE ? "Session already recorded" : "Session updated");
}

static void handle_one(struct req *rq, struct db *db)
{
	struct user u;
	struct json *v;
	struct session s;
	struct session_error err;
	struct result r;
	struct jsonw *w;

	if (authenticate(rq, db, &u, (size_t)arena_conf.max_body))
		return;
	if (!(v = parse_body(rq, db, &u)))
		return;
	if (session_parse(rq->a, v, time_now_ms(), arena_conf.backfill_days, &s, &err)) {
		metrics_ingest(MI_REJECTED);
		req_error(rq, err.status, err.code, err.field, "%s", err.message);
		return;
	}
	ingest(rq, db, &u, &s, &r);
	switch (r.outcome) {
	case OUT_UNAVAILABLE:
		reply_unavailable(rq);
		return;
	case OUT_CONFLICT:
		req_error(rq, 409, "session_conflict", NULL,
			  "the stored session has larger totals; nothing was changed");
		return;
	default:
		w = req_json(rq, r.outcome == OUT_CREATED ? 201 : 200);
		jsonw_object(w);
		session_reply(w, &r);
		jsonw_end(w);
	}
}

static void item_error(struct jsonw *w, int status, const char *code, const char *field,
		       const char *message)
{
	jsonw_key(w, "status");
	jsonw_int(w, status);
	jsonw_key(w, "success");
	jsonw_bool(w, 0);
	jsonw_key(w, "error");
	json_error_object(w, code, message, field);
}

static void handle_batch(struct req *rq, struct db *db)
{
	struct user u;
	struct json *v, *list, *item;
	struct jsonw *w;
	int64_t now = time_now_ms();
	int counts[5] = { 0, 0, 0, 0, 0 }, rejected = 0, index = 0;

	if (authenticate(rq, db, &u, BATCH_MAX_BYTES > arena_conf.max_body ?
			 BATCH_MAX_BYTES : (size_t)arena_conf.max_body))
		return;
	if (!(v = parse_body(rq, db, &u)))
		return;
	if (v->type != JSON_OBJECT) {
		req_error(rq, 422, "not_an_object", NULL, "a batch must be a JSON object");
		return;
	}
	for (item = v->child; item; item = item->next) {
		if (strcmp(item->key, "sessions") != 0) {
			req_error(rq, 422, "unknown_field", item->key, "unknown field");
			return;
		}
	}
	list = json_get(v, "sessions");
	if (!list) {
		req_error(rq, 422, "missing_field", "sessions", "required field is missing");
		return;
	}
	if (list->type != JSON_ARRAY) {
		req_error(rq, 422, "wrong_type", "sessions", "expected an array");
		return;
	}
	if (list->count < 1 || list->count > BATCH_MAX_ITEMS) {
		req_error(rq, 422, "out_of_range", "sessions", "a batch holds 1 to %d sessions",
			  BATCH_MAX_ITEMS);
		return;
	}
	w = req_json(rq, 200);
	jsonw_object(w);
	jsonw_key(w, "success");
	jsonw_bool(w, 1);
	jsonw_key(w, "results");
	jsonw_array(w);
	/* each item stands alone: one bad item does not poison the others */
	for (item = list->child; item; item = item->next, index++) {
		struct session s;
		struct session_error err;
		struct result r;

		jsonw_object(w);
		jsonw_key(w, "index");
		jsonw_int(w, index);
		if (session_parse(rq->a, item, now, arena_conf.backfill_days, &s, &err)) {
			item_error(w, err.status, err.code, err.field, err.message);
			metrics_ingest(MI_REJECTED);
			rejected++;
		} else {
			ingest(rq, db, &u, &s, &r);
			counts[r.outcome]++;
			if (r.outcome == OUT_UNAVAILABLE) {
				item_error(w, 503, "service_unavailable", NULL,
					   "the database is unavailable; retry shortly");
			} else if (r.outcome == OUT_CONFLICT) {
				item_error(w, 409, "session_conflict", NULL,
					   "the stored session has larger totals; nothing was changed");
			} else {
				jsonw_key(w, "status");
				jsonw_int(w, r.outcome == OUT_CREATED ? 201 : 200);
				session_reply(w, &r);
			}
		}
		jsonw_end(w);
	}
	jsonw_end(w);
	jsonw_key(w, "summary");
	jsonw_object(w);
	jsonw_key(w, "created");
	jsonw_int(w, counts[OUT_CREATED]);
	jsonw_key(w, "updated");
	jsonw_int(w, counts[OUT_UPDATED]);
	jsonw_key(w, "duplicate");
	jsonw_int(w, counts[OUT_DUPLICATE]);
	jsonw_key(w, "conflict");
	jsonw_int(w, counts[OUT_CONFLICT]);
	jsonw_key(w, "rejected");
	jsonw_int(w, rejected);
	jsonw_key(w, "unavailable");
	jsonw_int(w, counts[OUT_UNAVAILABLE]);
	jsonw_end(w);
	jsonw_end(w);
	/* the client retries the whole batch; idempotency absorbs the rest */
	if (counts[OUT_UNAVAILABLE]) {
		rq->status = 503;
		req_add_header(rq, "Retry-After", "5");
	}
}

static void handle_sessions(struct req *rq, struct db *db)
{
	if (strcmp(rq->path, "/api/v1/sessions/batch") == 0)
		handle_batch(rq, db);
	else
		handle_one(rq, db);
}

static const struct endpoint sessions_endpoint = {
	.name = "sessions",
	.allow = "POST",
	.stmts = stmts,
	.handle = handle_sessions,
};

SERVE_MAIN(sessions_endpoint)
