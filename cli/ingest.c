/* ingest.c -- feeding log files into the store */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest.h"
#include "util.h"

/* Seeds that keep the different kinds of ids apart in the seen set. */
#define SEED_MSG  0x4d534721u
#define SEED_REQ  0x52455121u
#define SEED_TOOL 0x544f4f4cu
#define SEED_PROMPT 0x50524f4du
#define SEED_EDIT 0x45444954u
#define SEED_FILE 0x46494c45u
#define SEED_NEW  0x4e455746u

static int64_t mtime_ns(const struct stat *st)
{
	return (int64_t)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

int ingest_changed(const struct fstate *fs, const struct logfile *lf)
{
	return fs->dev != (uint64_t)lf->st.st_dev || fs->ino != (uint64_t)lf->st.st_ino ||
	       fs->size != (int64_t)lf->st.st_size || fs->mtime_ns != mtime_ns(&lf->st);
}

/*
 * The session a Claude Code file belongs to, from its place below
 * projects/ (as ccusage groups them): <project>/<session>.jsonl,
 * <project>/<session>/subagents/<agent>.jsonl, <project>/<session>/<x>.jsonl.
 * The old flat sub-agent files, <project>/agent-<id>.jsonl, carry their
 * parent's sessionId in every line, which then decides.
 */
struct ccpath {
	const char *session, *project;
	size_t session_n, project_n;
	int flat_agent;
};

static void claude_path(const char *rel, struct ccpath *cp)
{
	const char *parts[64];
	size_t lens[64], n = 0;
	const char *p = rel;

	memset(cp, 0, sizeof(*cp));
	while (*p && n < 64) {
		const char *s = strchr(p, '/');
		size_t len = s ? (size_t)(s - p) : strlen(p);

		parts[n] = p;
		lens[n++] = len;
		if (!s)
			break;
		p = s + 1;
	}
	if (n == 0)
		return;
	cp->project = n >= 2 ? parts[0] : "unknown";
	cp->project_n = n >= 2 ? lens[0] : 7;
	if (n <= 2) {
		cp->session = parts[n - 1];
		cp->session_n = lens[n - 1] - (lens[n - 1] > 6 ? 6 : 0);	/* ".jsonl" */
		cp->flat_agent = n == 2 && strncmp(parts[1], "agent-", 6) == 0;
	} else if (n >= 4 && lens[n - 2] == 9 && strncmp(parts[n - 2], "subagents", 9) == 0) {
		cp->session = parts[n - 3];
		cp->session_n = lens[n - 3];
	} else {
		cp->session = parts[n - 2];
		cp->session_n = lens[n - 2];
	}
}

static uint32_t claude_session(struct store *st, const struct ccpath *cp,
			       const struct cc_line *l)
{
	uint32_t s;

	if (cp->flat_agent && l->session_id.n && !l->session_id.has_esc)
		s = store_session(st, TOOL_CLAUDE, l->session_id.s, l->session_id.n);
	else
		s = store_session(st, TOOL_CLAUDE, cp->session, cp->session_n);
	if (st->sess[s].project == STR_NONE) {
		char *key = xasprintf("claude-code:%.*s", (int)cp->project_n, cp->project);

		st->sess[s].project = store_str(st, key, strlen(key));
		free(key);
	}
	return s;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static void claude_line(struct store *st, const struct ccpath *cp, const char *line, size_t n)
{
	struct cc_line l;
	uint32_t s;
	size_t i;

	cc_parse_line(line, n, &l);
	if (l.kind == CC_OTHER && !l.usage_ok && !l.ntools)
		return;
	s = claude_session(st, cp, &l);
	/* only what counts moves the session's span: a resumed session's
	 * copy of its history does not */
	if (l.usage_ok && !(l.has_model && jstr_is(&l.model, "<synthetic>"))) {
		struct usage u;

		memset(&u, 0, sizeof(u));
		u.session = s;
		u.has_msg = (uint8_t)l.has_msg_id;
		u.msg = l.has_msg_id ? hash64_seed(SEED_MSG, l.msg_id.s, l.msg_id.n) : 0;
		u.has_req = (uint8_t)l.has_req_id;
		u.req = l.has_req_id ? hash64_seed(SEED_REQ, l.req_id.s, l.req_id.n) : 0;
		u.sidechain = (uint8_t)l.usage_sidechain;
		u.has_speed = (uint8_t)l.has_speed;
		u.hour = (int32_t)floor_div(l.usage_ts_ms, HOUR_MS);
		u.model = STR_NONE;
		if (l.has_model) {
			if (l.fast) {
				char *m = xasprintf("%.*s-fast", (int)l.model.n, l.model.s);

				u.model = store_str(st, m, strlen(m));
				free(m);
			} else {
				u.model = store_str(st, l.model.s, l.model.n);
			}
		}
		memcpy(u.tok, l.tok, sizeof(u.tok));
		if (store_add_usage(st, &u))
			store_touch(st, s, l.usage_ts_ms);
	}
	for (i = 0; i < l.ntools; i++)
		if (!store_seen(st, hash64_seed(SEED_TOOL, l.tools[i].id.s, l.tools[i].id.n))) {
			store_tool(st, s, l.tools[i].name.s, l.tools[i].name.n);
			if (l.has_ts)
				store_touch(st, s, l.ts_ms);
		}
	if (l.is_prompt &&
	    (!l.uuid.n || !store_seen(st, hash64_seed(SEED_PROMPT, l.uuid.s, l.uuid.n)))) {
		st->sess[s].turns++;
		store_dirty(st, s);
		if (l.has_ts)
			store_touch(st, s, l.ts_ms);
	}
	if (l.has_edit) {
		const struct jstr *id = l.nresults ? &l.results[0] : &l.uuid;
		uint64_t fk;

		if (id->n && store_seen(st, hash64_seed(SEED_EDIT, id->s, id->n)))
			return;
		if (l.has_ts)
			store_touch(st, s, l.ts_ms);
		st->sess[s].added += l.added;
		st->sess[s].deleted += l.deleted;
		fk = hash64_seed(l.created ? SEED_NEW : SEED_FILE, &s, sizeof(s));
		if (!store_seen(st, hash64_seed(fk, l.file_path.s, l.file_path.n))) {
			if (l.created)
				st->sess[s].files_created++;
			else
				st->sess[s].files_modified++;
		}
		store_dirty(st, s);
	}
}

void ingest_claude_lines(struct store *st, const struct logfile *lf,
			 const char *p, size_t n, int64_t *consumed)
{
	struct ccpath cp;
	const char *end = p + n, *line = p;

	claude_path(lf->rel, &cp);
	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));

		if (!nl) {
			/* the last line has no newline yet: take it only if whole */
			struct jcur c;

			jc_init(&c, line, (size_t)(end - line));
			if (jc_skip(&c) == 0 && jc_end(&c) == 0) {
				claude_line(st, &cp, line, (size_t)(end - line));
				line = end;
			}
			break;
		}
		if (nl > line)
			claude_line(st, &cp, line, (size_t)(nl - line));
		line = nl + 1;
	}
	*consumed = line - p;
}

static void record(struct fstate *fs, const struct logfile *lf)
{
	fs->dev = (uint64_t)lf->st.st_dev;
	fs->ino = (uint64_t)lf->st.st_ino;
	fs->size = (int64_t)lf->st.st_size;
	fs->mtime_ns = mtime_ns(&lf->st);
	fs->offset = (int64_t)lf->st.st_size;
	fs->tool = (uint32_t)lf->tool;
	fs->head_len = 0;
	fs->head = 0;
}

/* A database: queried whole; lf->st already covers its write-ahead log. */
static int64_t ingest_db(struct store *st, struct fstate *fs, const struct logfile *lf)
{
	int n = lf->tool == TOOL_CRUSH ? ingest_crush_db(st, lf) : ingest_opencode_db(st, lf);

	if (n < 0)
		return -1;
	record(fs, lf);
	return (int64_t)lf->st.st_size;
}

int64_t ingest_file(struct store *st, struct fstate *fs, const struct logfile *lf)
{
	int fd = open(lf->path, O_RDONLY | O_CLOEXEC);
	struct stat st2;
	size_t size, head_len;
	char *map = NULL;
	uint64_t head;
	int64_t from = 0, consumed = 0;

	if (lf->is_db) {
		if (fd >= 0)
			close(fd);
		return ingest_db(st, fs, lf);
	}
	if (fd < 0) {
		warn("cannot read '%s': %s", lf->path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st2)) {
		close(fd);
		return -1;
	}
	size = (size_t)st2.st_size;
	if (size) {
		map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			warn("cannot map '%s': %s", lf->path, strerror(errno));
			close(fd);
			return -1;
		}
		madvise(map, size, MADV_SEQUENTIAL);
	}
	close(fd);
	/* continue where we stopped only if it is still the same file, grown */
	head_len = fs->head_len && fs->head_len <= size ? fs->head_len :
		   (size < HEAD_LEN ? size : HEAD_LEN);
	head = hash64(map ? map : "", head_len);
	if (fs->dev == (uint64_t)st2.st_dev && fs->ino == (uint64_t)st2.st_ino &&
	    fs->offset <= (int64_t)size && fs->head_len && fs->head_len <= size &&
	    head == fs->head && fs->tool == (uint32_t)lf->tool)
		from = fs->offset;
	switch (lf->tool) {
	case TOOL_CLAUDE:
		ingest_claude_lines(st, lf, map + from, size - (size_t)from, &consumed);
		consumed += from;
		break;
	case TOOL_CODEX:
		ingest_codex(st, fs, lf, map, size);
		consumed = (int64_t)size;
		from = 0;
		break;
	case TOOL_GEMINI:
		ingest_gemini(st, fs, lf, map, size);
		consumed = (int64_t)size;
		from = 0;
		break;
	case TOOL_OPENCODE:
		ingest_opencode_msg(st, lf, map ? map : "", size);
		consumed = (int64_t)size;
		from = 0;
		break;
	default:
		break;
	}
	fs->dev = (uint64_t)st2.st_dev;
	fs->ino = (uint64_t)st2.st_ino;
	fs->size = (int64_t)size;
	fs->mtime_ns = mtime_ns(&st2);
	fs->offset = consumed;
	fs->tool = (uint32_t)lf->tool;
	fs->head_len = (uint32_t)(size < HEAD_LEN ? size : HEAD_LEN);
	fs->head = hash64(map ? map : "", fs->head_len);
	if (map)
		munmap(map, size);
	return (int64_t)size - from;
}
