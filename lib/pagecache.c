/* pagecache.c -- public pages a worker keeps until told they changed */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "crypto.h"
#include "pagecache.h"
#include "timeutil.h"

static struct cached_page pages[PAGECACHE_SLOTS];
/* db->connects of the connection we LISTEN on; 0 = none yet */
static uint64_t listening;

void pagecache_clear(void)
{
	size_t i;

	for (i = 0; i < PAGECACHE_SLOTS; i++) {
		free(pages[i].key);
		pages[i].key = NULL;
		buf_reset(&pages[i].body);
	}
}

int pagecache_sync(struct db *db)
{
	PGnotify *n;

	if (db_ensure(db, arena_conf.db_connect_timeout_ms))
		return -1;
	if (db->connects != listening) {
		pagecache_clear();
		if (db_command(db, "LISTEN " PAGECACHE_CHANNEL))
			return -1;
		listening = db->connects;
		return 0;
	}
	/* reads what the server sent meanwhile without a round trip */
	if (!PQconsumeInput(db->conn)) {
		pagecache_clear();
		listening = 0;
		return -1;
	}
	while ((n = PQnotifies(db->conn))) {
		PQfreemem(n);
		pagecache_clear();
	}
	return 0;
}

/* FNV-1a: spreads keys over the slots. */
static size_t slot_of(const char *key)
{
	uint32_t h = 2166136261u;

	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return h % PAGECACHE_SLOTS;
}

const struct cached_page *pagecache_get(const char *key)
{
	const struct cached_page *p = &pages[slot_of(key)];

	if (!p->key || strcmp(p->key, key) != 0)
		return NULL;
	if (time_mono_ms() - p->born_ms > PAGECACHE_TTL_MS)
		return NULL;
	return p;
}

void pagecache_put(const char *key, const char *body, size_t len, const char *etag)
{
	struct cached_page *p = &pages[slot_of(key)];
	char *k = strdup(key);

	if (!k)
		return;		/* not keeping a page is always correct */
	free(p->key);
	p->key = k;
	buf_reset(&p->body);
	buf_add(&p->body, body, len);
	snprintf(p->etag, sizeof(p->etag), "%s", etag);
	p->born_ms = time_mono_ms();
}

/* 1 if an If-None-Match list names tag (weak comparison, as RFC 9110 says). */
int etag_matches(const char *inm, const char *tag)
{
	size_t tlen = strlen(tag);

	while (inm && *inm) {
		size_t n;

		inm += strspn(inm, " \t,");
		if (*inm == '*')
			return 1;
		if (strncmp(inm, "W/", 2) == 0)
			inm += 2;
		n = strcspn(inm, " \t,");
		if (n == tlen && strncmp(inm, tag, n) == 0)
			return 1;
		inm += n;
	}
	return 0;
}

void pagecache_finish(struct req *rq, const char *tag)
{
	const char *inm;
	int dup = 0;

	req_add_header(rq, "ETag", tag);
	req_add_header(rq, "Cache-Control",
		       arena_printf(rq->a, "public, max-age=%lld",
				    (long long)arena_conf.leaderboard_max_age));
	inm = req_header(rq, "If-None-Match", &dup);
	if (inm && etag_matches(inm, tag)) {
		rq->status = 304;
		rq->content_type = NULL;
		buf_reset(&rq->out);
	}
}

void pagecache_etag(const char *body, size_t len, char tag[PAGECACHE_ETAG_LEN + 1])
{
	unsigned char sum[SHA256_LEN];

	crypto_sha256(body, len, sum);
	tag[0] = '"';
	hex_encode(sum, 16, tag + 1);
	tag[33] = '"';
	tag[34] = '\0';
}
