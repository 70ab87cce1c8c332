/* state.c -- per-file read positions and sync bookkeeping */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "state.h"
#include "store.h"
#include "util.h"

#define STATE_MAGIC "MASF0001"

struct sheader {
	char magic[8];
	uint64_t generation, salt_hash;
	int64_t last_sync_ms, last_ok_ms, not_before_ms;
	uint32_t pending;
	int32_t last_status;
	uint64_t nfiles;
};

struct frecord {
	uint64_t dev, ino, head;
	int64_t size, mtime_ns, offset;
	uint32_t tool, head_len, session, pathlen;
};

void state_init(struct state *s)
{
	memset(s, 0, sizeof(*s));
}

void state_release(struct state *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->f[i].path);
	free(s->f);
	map_free(&s->index);
	memset(s, 0, sizeof(*s));
}

struct fstate *state_file(struct state *s, const char *path)
{
	uint64_t h = hash64(path, strlen(path));
	uint32_t idx;
	struct fstate *f;

	while (map_get(&s->index, h, &idx)) {
		if (strcmp(s->f[idx].path, path) == 0)
			return &s->f[idx];
		h = hash64_seed(h, path, strlen(path));
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->f = xrealloc(s->f, s->cap * sizeof(*s->f));
	}
	f = &s->f[s->n];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->session = UINT32_MAX;
	map_put(&s->index, h, (uint32_t)s->n);
	s->n++;
	s->changed = 1;
	return f;
}

void state_forget_files(struct state *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->f[i].path);
	s->n = 0;
	map_free(&s->index);
	s->changed = 1;
}

int state_save(struct state *s, const char *path)
{
	struct buf b = BUF_INIT;
	struct sheader h;
	size_t i, kept = 0;
	int rc;

	for (i = 0; i < s->n; i++)
		kept += s->f[i].present != 0;
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, STATE_MAGIC, 8);
	h.generation = s->generation;
	h.salt_hash = s->salt_hash;
	h.last_sync_ms = s->last_sync_ms;
	h.last_ok_ms = s->last_ok_ms;
	h.not_before_ms = s->not_before_ms;
	h.pending = s->pending;
	h.last_status = s->last_status;
	h.nfiles = kept;
	buf_add(&b, &h, sizeof(h));
	for (i = 0; i < s->n; i++) {
		struct fstate *f = &s->f[i];
		struct frecord r;

		/* files that disappeared are forgotten */
		if (!f->present)
			continue;
		r.dev = f->dev;
		r.ino = f->ino;
		r.head = f->head;
		r.size = f->size;
		r.mtime_ns = f->mtime_ns;
		r.offset = f->offset;
		r.tool = f->tool;
		r.head_len = f->head_len;
		r.session = f->session;
		r.pathlen = (uint32_t)strlen(f->path);
		buf_add(&b, &r, sizeof(r));
		buf_add(&b, f->path, r.pathlen);
	}
	rc = write_file_replace(path, b.s, b.len, 0600);
	buf_release(&b);
	if (rc == 0)
		s->changed = 0;
	return rc;
}

int state_load(struct state *s, const char *path)
{
	struct buf b = BUF_INIT;
	struct sheader h;
	const char *p, *end;
	uint64_t i;

	state_init(s);
	if (read_file(path, &b)) {
		buf_release(&b);
		if (errno == ENOENT)
			return 1;
		return error("cannot read '%s': %s", path, strerror(errno));
	}
	p = b.s;
	end = b.s + b.len;
	if (b.len < sizeof(h))
		goto unusable;
	memcpy(&h, p, sizeof(h));
	p += sizeof(h);
	if (memcmp(h.magic, STATE_MAGIC, 8))
		goto unusable;
	for (i = 0; i < h.nfiles; i++) {
		struct frecord r;
		struct fstate *f;
		char *fp;

		if ((size_t)(end - p) < sizeof(r))
			goto unusable;
		memcpy(&r, p, sizeof(r));
		p += sizeof(r);
		if ((size_t)(end - p) < r.pathlen || r.tool >= TOOL_N)
			goto unusable;
		fp = xstrndup(p, r.pathlen);
		p += r.pathlen;
		f = state_file(s, fp);
		free(fp);
		f->dev = r.dev;
		f->ino = r.ino;
		f->head = r.head;
		f->size = r.size;
		f->mtime_ns = r.mtime_ns;
		f->offset = r.offset;
		f->tool = r.tool;
		f->head_len = r.head_len;
		f->session = r.session;
	}
	if (p != end)
		goto unusable;
	s->generation = h.generation;
	s->salt_hash = h.salt_hash;
	s->last_sync_ms = h.last_sync_ms;
	s->last_ok_ms = h.last_ok_ms;
	s->not_before_ms = h.not_before_ms;
	s->pending = h.pending;
	s->last_status = h.last_status;
	s->changed = 0;
	buf_release(&b);
	return 0;
unusable:
	buf_release(&b);
	state_release(s);
	state_init(s);
	return 1;
}
