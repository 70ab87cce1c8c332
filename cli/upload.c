/* upload.c -- sending session bodies, and what the answers mean */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "http.h"
#include "json.h"
#include "upload.h"
#include "util.h"

static void progress(struct upload *up)
{
	if (up->progress)
		fprintf(stderr, "\rUploading sessions: %zu/%zu", up->sent, up->total);
}

static void ack(struct store *st, const struct body *b)
{
	struct session *s = &st->sess[b->session];

	memcpy(s->acked, b->hash, sizeof(s->acked));
	s->flags &= ~(SESS_DIRTY | SESS_REJECTED);
	st->changed = 1;
}

static void reject(struct store *st, const struct body *b, long status, const char *code,
		   const char *msg, const char *field)
{
	struct session *s = &st->sess[b->session];

	memcpy(s->acked, b->hash, sizeof(s->acked));
	s->flags &= ~SESS_DIRTY;
	s->flags |= SESS_REJECTED;
	st->changed = 1;
	warn("the server refused session '%s' (%ld %s%s%s%s%s)", st->str[s->id], status,
	     code ? code : "error", msg ? ": " : "", msg ? msg : "",
	     field ? ", field " : "", field ? field : "");
}

static const char *error_part(const struct json *root, const char *key)
{
	const struct json *e = json_get(root, "error"), *v;

	if (!e || e->type != JSON_OBJECT)
		return NULL;
	v = json_get(e, key);
	return v && v->type == JSON_STRING ? v->str : NULL;
}

static void send_batch(struct store *st, struct body **items, size_t n, struct upload *up);

static void split(struct store *st, struct body **items, size_t n, struct upload *up)
{
	send_batch(st, items, n / 2, up);
	if (!up->auth_failed && !up->tempfail)
		send_batch(st, items + n / 2, n - n / 2, up);
}

static void send_batch(struct store *st, struct body **items, size_t n, struct upload *up)
{
	struct buf req = BUF_INIT;
	struct http_resp r;
	struct arena a = ARENA_INIT;
	struct json_status js = { 0 };
	struct json *root = NULL, *results, *it;
	size_t i;

	if (!n)
		return;
	buf_adds(&req, "{\"sessions\":[");
	for (i = 0; i < n; i++) {
		if (i)
			buf_addc(&req, ',');
		buf_add(&req, items[i]->json, items[i]->len);
	}
	buf_adds(&req, "]}");
	if (http_request(up->server, "/api/v1/sessions/batch", up->key, req.s, req.len, &r)) {
		up->tempfail = 1;
		snprintf(up->why, sizeof(up->why), "cannot reach %.100s: %.120s", up->server, r.err);
		goto out;
	}
	if (r.body.len)
		root = json_parse(&a, r.body.s, r.body.len, &js);
	if (r.status == 401 || r.status == 403) {
		up->auth_failed = 1;
		snprintf(up->why, sizeof(up->why), "the server refused the API key (%ld %s)",
			 r.status, root ? (error_part(root, "code") ? error_part(root, "code") : "") : "");
		goto out;
	}
	if (r.status == 429 || r.status >= 500 || r.status < 200 ||
	    (r.status >= 300 && r.status < 400)) {
		up->tempfail = 1;
		up->retry_after = r.retry_after;
		snprintf(up->why, sizeof(up->why), "the server answered %ld; will retry later", r.status);
		goto out;
	}
	if (r.status >= 400) {
		/* the batch as a whole was refused: find the culprit */
		if (n > 1) {
			split(st, items, n, up);
		} else {
			reject(st, items[0], r.status, root ? error_part(root, "code") : NULL,
			       root ? error_part(root, "message") : NULL,
			       root ? error_part(root, "field") : NULL);
			up->rejected++;
			up->sent++;
		}
		goto out;
	}
	results = root ? json_get(root, "results") : NULL;
	if (!results || results->type != JSON_ARRAY) {
		up->tempfail = 1;
		snprintf(up->why, sizeof(up->why), "unexpected answer from the server (%ld)", r.status);
		goto out;
	}
	for (it = results->child; it; it = it->next) {
		const struct json *jv = json_get(it, "index"), *sv = json_get(it, "status");
		int64_t idx, status;
		struct body *b;

		if (!jv || json_int(jv, 0, (int64_t)n - 1, &idx) != NUM_OK ||
		    !sv || json_int(sv, 100, 599, &status) != NUM_OK)
			continue;
		b = items[idx];
		if (status >= 200 && status < 300) {
			const struct json *u = json_get(it, "updated"), *d = json_get(it, "duplicate");

			if (u && u->type == JSON_TRUE)
				up->updated++;
			else if (d && d->type == JSON_TRUE)
				up->unchanged++;
			else
				up->created++;
			ack(st, b);
			up->acked++;
		} else if (status == 409) {
			/* the server already holds more for this session: done */
			ack(st, b);
			up->conflicts++;
			up->acked++;
		} else if (status == 429 || status >= 500) {
			up->tempfail = 1;
			snprintf(up->why, sizeof(up->why), "the server answered %" PRId64
				 " for some sessions; will retry later", status);
		} else {
			reject(st, b, (long)status, error_part(it, "code"), error_part(it, "message"),
			       error_part(it, "field"));
			up->rejected++;
		}
	}
	up->sent += n;
	progress(up);
out:
	http_resp_release(&r);
	arena_release(&a);
	buf_release(&req);
}

int upload_bodies(struct store *st, struct bodies *b, struct upload *up)
{
	struct body **batch = xcalloc(UPLOAD_BATCH_MAX, sizeof(*batch));
	size_t i = 0, n, bytes;

	up->total = b->n;
	up->retry_after = -1;
	progress(up);
	while (i < b->n && !up->auth_failed && !up->tempfail) {
		n = 0;
		bytes = 0;
		while (i < b->n && n < UPLOAD_BATCH_MAX &&
		       (n == 0 || bytes + b->v[i].len + 1 <= UPLOAD_BATCH_BYTES)) {
			bytes += b->v[i].len + 1;
			batch[n++] = &b->v[i++];
		}
		send_batch(st, batch, n, up);
	}
	if (up->progress)
		fputc('\n', stderr);
	free(batch);
	return 0;
}
