/* store.c -- what the client knows about local usage, kept between syncs */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "store.h"
#include "util.h"

#define STORE_MAGIC "MAST0001"

#define GROW(arr, n, cap) do { \
	if ((n) == (cap)) { \
		(cap) = (cap) ? (cap) * 2 : 64; \
		(arr) = xrealloc((arr), (size_t)(cap) * sizeof(*(arr))); \
	} \
} while (0)

void store_init(struct store *st)
{
	memset(st, 0, sizeof(*st));
}

void store_release(struct store *st)
{
	uint32_t i;

	for (i = 0; i < st->nstr; i++)
		free(st->str[i]);
	free(st->str);
	free(st->sess);
	free(st->use);
	free(st->tc);
	map_free(&st->strmap);
	map_free(&st->sessmap);
	map_free(&st->msgmap);
	map_free(&st->tcmap);
	map_free(&st->seen);
	memset(st, 0, sizeof(*st));
}

uint32_t store_str(struct store *st, const char *s, size_t n)
{
	uint64_t h = hash64(s, n);
	uint32_t idx;

	/* probe past hash collisions between different strings */
	for (;;) {
		if (!map_get(&st->strmap, h, &idx)) {
			GROW(st->str, st->nstr, st->capstr);
			idx = st->nstr++;
			st->str[idx] = xstrndup(s, n);
			map_put(&st->strmap, h, idx);
			st->changed = 1;
			return idx;
		}
		if (strlen(st->str[idx]) == n && memcmp(st->str[idx], s, n) == 0)
			return idx;
		h = hash64_seed(h, s, n);
	}
}

uint32_t store_session(struct store *st, enum tool_type tool, const char *id, size_t n)
{
	uint32_t sid = store_str(st, id, n), idx;
	uint64_t key = ((uint64_t)(tool + 1) << 32) | sid;
	struct session *s;

	if (map_get(&st->sessmap, key, &idx))
		return idx;
	GROW(st->sess, st->nsess, st->capsess);
	idx = st->nsess++;
	s = &st->sess[idx];
	memset(s, 0, sizeof(*s));
	s->tool = tool;
	s->id = sid;
	s->project = STR_NONE;
	s->start_ms = INT64_MAX;
	s->end_ms = INT64_MIN;
	s->flags = SESS_DIRTY;
	map_put(&st->sessmap, key, idx);
	st->changed = 1;
	return idx;
}

void store_dirty(struct store *st, uint32_t session)
{
	st->sess[session].flags |= SESS_DIRTY;
	st->sess[session].flags &= ~(SESS_PARKED | SESS_REJECTED);
	st->changed = 1;
}

static int64_t total(const struct usage *u)
{
	return tok_add(tok_add(u->tok[TOK_IN], u->tok[TOK_OUT]), tok_add(u->tok[TOK_CC], u->tok[TOK_CR]));
}

/*
 * ccusage's rule for two entries of one message: a non-sidechain entry
 * beats a sidechain replay; otherwise the larger total (streaming writes
 * the same message several times with growing output), then an entry
 * that states its speed.
 */
static int should_replace(const struct usage *cand, const struct usage *old)
{
	if (cand->sidechain != old->sidechain)
		return old->sidechain;
	if (total(cand) != total(old))
		return total(cand) > total(old);
	return cand->has_speed && !old->has_speed;
}

/*
 * The counting rules.  An entry without message.id is always counted.
 * Otherwise it is the same message as an earlier entry when message.id
 * and requestId (or its absence) are equal, or when message.id is equal
 * and either of the two is a sidechain entry (a sub-agent replaying its
 * parent's message under a new request); the earlier entry is replaced
 * only if should_replace() says so.  Across all files, in the order the
 * files are read.
 */
int store_add_usage(struct store *st, const struct usage *u)
{
	uint32_t head, i, found = UINT32_MAX, last = UINT32_MAX, idx;

	if (u->has_msg && map_get(&st->msgmap, u->msg, &head)) {
		for (i = head; i != UINT32_MAX; i = st->use[i].next) {
			last = i;
			if (found == UINT32_MAX && st->use[i].msg == u->msg &&
			    st->use[i].has_req == u->has_req && st->use[i].req == u->req)
				found = i;
		}
		if (found == UINT32_MAX)
			for (i = head; i != UINT32_MAX; i = st->use[i].next)
				if (st->use[i].msg == u->msg &&
				    (u->sidechain || st->use[i].sidechain)) {
					found = i;
					break;
				}
		if (found != UINT32_MAX) {
			struct usage *old = &st->use[found];

			if (should_replace(u, old)) {
				uint32_t next = old->next;

				store_dirty(st, old->session);
				*old = *u;
				old->next = next;
				store_dirty(st, u->session);
				return 1;
			}
			return 0;
		}
	}
	GROW(st->use, st->nuse, st->capuse);
	idx = st->nuse++;
	st->use[idx] = *u;
	st->use[idx].next = UINT32_MAX;
	if (u->has_msg) {
		if (last != UINT32_MAX)
			st->use[last].next = idx;
		else
			map_put(&st->msgmap, u->msg, idx);
	}
	store_dirty(st, u->session);
	return 1;
}

int store_seen(struct store *st, uint64_t key)
{
	uint32_t v;

	if (map_get(&st->seen, key, &v))
		return 1;
	map_put(&st->seen, key, 0);
	st->changed = 1;
	return 0;
}

void store_tool(struct store *st, uint32_t session, const char *name, size_t n)
{
	uint32_t nm = store_str(st, name, n), idx;
	uint64_t key = ((uint64_t)(session + 1) << 32) | nm;

	if (!map_get(&st->tcmap, key, &idx)) {
		GROW(st->tc, st->ntc, st->captc);
		idx = st->ntc++;
		st->tc[idx].session = session;
		st->tc[idx].name = nm;
		st->tc[idx].count = 0;
		map_put(&st->tcmap, key, idx);
	}
	st->tc[idx].count++;
	store_dirty(st, session);
}

void store_touch(struct store *st, uint32_t session, int64_t ms)
{
	struct session *s = &st->sess[session];

	if (ms < s->start_ms) {
		s->start_ms = ms;
		store_dirty(st, session);
	}
	if (ms > s->end_ms) {
		s->end_ms = ms;
		store_dirty(st, session);
	}
}

void store_reset_session(struct store *st, uint32_t session)
{
	struct session *s = &st->sess[session];
	uint32_t i;

	for (i = 0; i < st->nuse; i++)
		if (st->use[i].session == session && !st->use[i].has_msg)
			st->use[i].session = UINT32_MAX;	/* dropped at save */
	for (i = 0; i < st->ntc; i++)
		if (st->tc[i].session == session)
			st->tc[i].count = 0;
	s->start_ms = INT64_MAX;
	s->end_ms = INT64_MIN;
	s->turns = s->added = s->deleted = s->files_modified = s->files_created = 0;
	store_dirty(st, session);
}

/* --- persistence: a header of counts, then each table as raw records */

struct header {
	char magic[8];
	uint32_t sizes[4];	/* record sizes, so a changed layout is noticed */
	uint32_t nstr, nsess, nuse, ntc;
	uint64_t nseen;
};

int store_save(const struct store *st, const char *path)
{
	struct buf b = BUF_INIT;
	struct header h;
	uint32_t i, nuse = 0, ntc = 0;
	size_t k;
	int rc;

	for (i = 0; i < st->nuse; i++)
		nuse += st->use[i].session != UINT32_MAX;
	for (i = 0; i < st->ntc; i++)
		ntc += st->tc[i].count != 0;
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, STORE_MAGIC, 8);
	h.sizes[0] = sizeof(struct session);
	h.sizes[1] = sizeof(struct usage);
	h.sizes[2] = sizeof(struct toolcount);
	h.sizes[3] = sizeof(uint64_t);
	h.nstr = st->nstr;
	h.nsess = st->nsess;
	h.nuse = nuse;
	h.ntc = ntc;
	h.nseen = st->seen.n;
	buf_grow(&b, sizeof(h) + (size_t)nuse * sizeof(struct usage) +
		 (size_t)st->nsess * sizeof(struct session) + st->seen.n * 8 + 4096);
	buf_add(&b, &h, sizeof(h));
	for (i = 0; i < st->nstr; i++) {
		uint32_t n = (uint32_t)strlen(st->str[i]);

		buf_add(&b, &n, sizeof(n));
		buf_add(&b, st->str[i], n);
	}
	buf_add(&b, st->sess, (size_t)st->nsess * sizeof(struct session));
	for (i = 0; i < st->nuse; i++)
		if (st->use[i].session != UINT32_MAX)
			buf_add(&b, &st->use[i], sizeof(struct usage));
	for (i = 0; i < st->ntc; i++)
		if (st->tc[i].count)
			buf_add(&b, &st->tc[i], sizeof(struct toolcount));
	for (k = 0; k < st->seen.cap; k++)
		if (st->seen.keys[k])
			buf_add(&b, &st->seen.keys[k], 8);
	rc = write_file_replace(path, b.s, b.len, 0600);
	buf_release(&b);
	return rc;
}

static int take(const char **p, const char *end, void *out, size_t n)
{
	if ((size_t)(end - *p) < n)
		return -1;
	memcpy(out, *p, n);
	*p += n;
	return 0;
}

int store_load(struct store *st, const char *path)
{
	struct buf b = BUF_INIT;
	struct header h;
	const char *p, *end;
	uint32_t i;
	uint64_t k;

	store_init(st);
	if (read_file(path, &b)) {
		buf_release(&b);
		if (errno == ENOENT)
			return 1;
		return error("cannot read '%s': %s", path, strerror(errno));
	}
	p = b.s;
	end = b.s + b.len;
	if (take(&p, end, &h, sizeof(h)) || memcmp(h.magic, STORE_MAGIC, 8) ||
	    h.sizes[0] != sizeof(struct session) || h.sizes[1] != sizeof(struct usage) ||
	    h.sizes[2] != sizeof(struct toolcount) || h.sizes[3] != 8)
		goto unusable;
	for (i = 0; i < h.nstr; i++) {
		uint32_t n;

		if (take(&p, end, &n, 4) || (size_t)(end - p) < n)
			goto unusable;
		if (store_str(st, p, n) != i)
			goto unusable;
		p += n;
	}
	/* a torn file must not make us allocate what its header claims */
	if ((size_t)(end - p) / sizeof(struct session) < h.nsess)
		goto unusable;
	st->capsess = st->nsess = h.nsess;
	st->sess = xcalloc(h.nsess, sizeof(struct session));
	if (take(&p, end, st->sess, (size_t)h.nsess * sizeof(struct session)))
		goto unusable;
	for (i = 0; i < h.nsess; i++) {
		struct session *s = &st->sess[i];

		if (s->id >= h.nstr || s->tool >= TOOL_N)
			goto unusable;
		map_put(&st->sessmap, ((uint64_t)(s->tool + 1) << 32) | s->id, i);
	}
	if ((size_t)(end - p) / sizeof(struct usage) < h.nuse)
		goto unusable;
	st->capuse = h.nuse;
	st->use = xcalloc(h.nuse, sizeof(struct usage));
	if (take(&p, end, st->use, (size_t)h.nuse * sizeof(struct usage)))
		goto unusable;
	for (i = 0; i < h.nuse; i++) {
		struct usage *u = &st->use[i];
		uint32_t head;

		if (u->session >= h.nsess || (u->model != STR_NONE && u->model >= h.nstr))
			goto unusable;
		u->next = UINT32_MAX;
		st->nuse = i + 1;
		if (!u->has_msg)
			continue;
		/* relink the chains in the original order */
		if (map_get(&st->msgmap, u->msg, &head)) {
			while (st->use[head].next != UINT32_MAX)
				head = st->use[head].next;
			st->use[head].next = i;
		} else {
			map_put(&st->msgmap, u->msg, i);
		}
	}
	if ((size_t)(end - p) / sizeof(struct toolcount) < h.ntc)
		goto unusable;
	st->captc = h.ntc;
	st->tc = xcalloc(h.ntc, sizeof(struct toolcount));
	if (take(&p, end, st->tc, (size_t)h.ntc * sizeof(struct toolcount)))
		goto unusable;
	for (i = 0; i < h.ntc; i++) {
		if (st->tc[i].session >= h.nsess || st->tc[i].name >= h.nstr)
			goto unusable;
		map_put(&st->tcmap, ((uint64_t)(st->tc[i].session + 1) << 32) | st->tc[i].name, i);
	}
	st->ntc = h.ntc;
	for (k = 0; k < h.nseen; k++) {
		uint64_t key;

		if (take(&p, end, &key, 8) || !key)
			goto unusable;
		map_put(&st->seen, key, 0);
	}
	if (p != end)
		goto unusable;
	buf_release(&b);
	st->changed = 0;
	return 0;
unusable:
	buf_release(&b);
	store_release(st);
	store_init(st);
	return 1;
}
