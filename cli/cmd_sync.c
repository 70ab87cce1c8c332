/* cmd_sync.c -- modu-arena sync: read the logs, upload what changed */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "body.h"
#include "buf.h"
#include "cfg.h"
#include "cmd.h"
#include "crypto.h"
#include "http.h"
#include "ingest.h"
#include "sources.h"
#include "spool.h"
#include "state.h"
#include "store.h"
#include "timeutil.h"
#include "upload.h"
#include "util.h"

/* The server keeps 90 days; a day's margin for clocks and slow uploads. */
#define WINDOW_MS (89LL * 24 * HOUR_MS)
/* Without Retry-After, a failed background sync waits this long. */
#define BACKOFF_MS (60 * 1000LL)

struct sync_opts {
	int dry_run, json, background;
	int64_t since_ms;
	int has_since;
	const char *server;
};

char *state_file_path(const char *name)
{
	char *d = state_dir(), *p = xasprintf("%s/%s", d, name);

	free(d);
	return p;
}

static int parse_since(const char *s, int64_t *ms)
{
	int64_t y, m, d;
	char tail;

	/* YYYY-MM-DD or YYYYMMDD (as ccusage takes it), or a full RFC 3339 time */
	if (time_parse_rfc3339(s, strlen(s), ms) == 0)
		return 0;
	if ((sscanf(s, "%4" SCNd64 "-%2" SCNd64 "-%2" SCNd64 "%c", &y, &m, &d, &tail) == 3 &&
	     strlen(s) == 10) ||
	    (sscanf(s, "%4" SCNd64 "%2" SCNd64 "%2" SCNd64 "%c", &y, &m, &d, &tail) == 3 &&
	     strlen(s) == 8 && strspn(s, "0123456789") == 8)) {
		char iso[32];

		snprintf(iso, sizeof(iso), "%04" PRId64 "-%02" PRId64 "-%02" PRId64 "T00:00:00Z",
			 y, m, d);
		return time_parse_rfc3339(iso, strlen(iso), ms);
	}
	return -1;
}

static void usage_sync(FILE *f)
{
	fputs("usage: modu-arena sync [--since DATE] [--dry-run] [--json] [--quiet] [--server URL]\n", f);
}

struct run {
	struct sync_opts o;
	struct config cfg;
	int have_cfg;
	struct state fs;
	struct store st;
	int have_store;
	struct loglist logs;
	char *files_path, *index_path;
	int tty;
};

static uint64_t salt_hash(const struct run *r)
{
	const char *s = r->have_cfg && r->cfg.salt ? r->cfg.salt : "";

	return hash64(s, strlen(s));
}

/* Loads the store, or starts both over if it does not match the file
 * table: then returns 1 and every file is to be read again. */
static int load_store(struct run *r)
{
	int rc;

	if (r->have_store)
		return 0;
	rc = store_load(&r->st, r->index_path);
	if (rc < 0)
		return -1;
	if (rc == 1 || r->fs.generation == 0) {
		/* the counted entries are gone: every file must be read again */
		store_release(&r->st);
		store_init(&r->st);
		state_forget_files(&r->fs);
		r->fs.generation = (uint64_t)time_now_ms() ^ ((uint64_t)getpid() << 40);
		if (!r->fs.generation)
			r->fs.generation = 1;
		r->have_store = 1;
		return 1;
	}
	r->have_store = 1;
	return 0;
}

static int save(struct run *r)
{
	if (r->have_store && r->st.changed) {
		if (store_save(&r->st, r->index_path))
			return -1;
		r->st.changed = 0;
	}
	/* the file table last: it refers to what the store now holds */
	return state_save(&r->fs, r->files_path);
}

/* Reads every new or changed log file into the store. */
static int ingest_all(struct run *r)
{
	size_t i, nchanged = 0, done = 0;
	int64_t last_draw = 0, bytes = 0, read;
	unsigned char *changed;

	changed = xcalloc(r->logs.n ? r->logs.n : 1, 1);
	for (i = 0; i < r->logs.n; i++) {
		struct fstate *f = state_file(&r->fs, r->logs.v[i].path);

		f->present = 1;
		if (ingest_changed(f, &r->logs.v[i])) {
			changed[i] = 1;
			nchanged++;
		}
	}
	if (nchanged && load_store(r) < 0) {
		free(changed);
		return -1;
	}
	if (nchanged && r->fs.n != r->logs.n) {
		/* load_store() may have forgotten the table: mark again */
		for (i = 0; i < r->logs.n; i++)
			state_file(&r->fs, r->logs.v[i].path)->present = 1;
	}
	for (i = 0; i < r->logs.n; i++) {
		struct fstate *f;

		if (!changed[i] && r->fs.n == r->logs.n)
			continue;
		f = state_file(&r->fs, r->logs.v[i].path);
		if (!ingest_changed(f, &r->logs.v[i]))
			continue;
		read = ingest_file(&r->st, f, &r->logs.v[i]);
		if (read > 0)
			bytes += read;
		r->fs.changed = 1;
		done++;
		if (r->tty && time_mono_ms() - last_draw > 100) {
			fprintf(stderr, "\rReading logs: %zu/%zu files", done, nchanged);
			last_draw = time_mono_ms();
		}
	}
	if (r->tty && done)
		fputc('\n', stderr);
	note("Read %" PRId64 " bytes from %zu of %zu log files", bytes, done, r->logs.n);
	free(changed);
	return 0;
}

/* Which sessions this run should upload; parks the ones too old to. */
static unsigned char *select_sessions(struct run *r, size_t *n)
{
	unsigned char *want = xcalloc(r->st.nsess ? r->st.nsess : 1, 1);
	int64_t cutoff = r->o.has_since ? r->o.since_ms : time_now_ms() - WINDOW_MS;
	uint32_t i;

	*n = 0;
	for (i = 0; i < r->st.nsess; i++) {
		struct session *s = &r->st.sess[i];

		if (s->end_ms == INT64_MIN)
			continue;
		if (s->end_ms < cutoff) {
			if (!r->o.has_since && (s->flags & SESS_DIRTY)) {
				s->flags = (s->flags & ~SESS_DIRTY) | SESS_PARKED;
				r->st.changed = 1;
			}
			continue;
		}
		if (s->flags & (SESS_DIRTY | SESS_PARKED)) {
			want[i] = 1;
			(*n)++;
		}
	}
	return want;
}

/* Drops the bodies the server already has; counts what stays pending. */
static void drop_acked(struct run *r, struct bodies *b)
{
	size_t i, j = 0;

	for (i = 0; i < b->n; i++) {
		struct session *s = &r->st.sess[b->v[i].session];

		if (memcmp(s->acked, b->v[i].hash, sizeof(s->acked)) == 0) {
			if (s->flags & (SESS_DIRTY | SESS_PARKED)) {
				s->flags &= ~(SESS_DIRTY | SESS_PARKED);
				r->st.changed = 1;
			}
			free(b->v[i].json);
			continue;
		}
		b->v[j++] = b->v[i];
	}
	b->n = j;
}

static void print_bodies(const struct bodies *b)
{
	struct buf out = BUF_INIT;
	size_t i;

	buf_addc(&out, '[');
	for (i = 0; i < b->n; i++) {
		buf_adds(&out, i ? ",\n" : "\n");
		buf_add(&out, b->v[i].json, b->v[i].len);
	}
	buf_adds(&out, b->n ? "\n]\n" : "]\n");
	fwrite(out.s, 1, out.len, stdout);
	buf_release(&out);
}

static int run_sync(struct run *r)
{
	struct bodies b = { 0 };
	unsigned char *want = NULL;
	size_t nwant = 0, i;
	int64_t now = time_now_ms(), tokens = 0;
	int rc = EXIT_OK;

	if (state_load(&r->fs, r->files_path) < 0)
		return EXIT_ERROR;
	/* the hooks' records only say "look again": this sync does */
	if (!r->o.dry_run)
		spool_clear();
	sources_find(&r->logs);
	if (ingest_all(r))
		return EXIT_ERROR;
	/* anything to upload?  Only the store can tell, if it may */
	if (r->fs.pending || r->have_store || r->o.has_since ||
	    r->fs.salt_hash != salt_hash(r)) {
		rc = load_store(r);
		if (rc < 0)
			return EXIT_ERROR;
		/* the store was lost: read everything again */
		if (rc == 1 && ingest_all(r))
			return EXIT_ERROR;
		rc = EXIT_OK;
		if (r->fs.salt_hash != salt_hash(r)) {
			/* project ids change with the salt: every body does */
			for (i = 0; i < r->st.nsess; i++)
				r->st.sess[i].flags |= SESS_DIRTY;
			r->st.changed = 1;
			r->fs.salt_hash = salt_hash(r);
		}
		want = select_sessions(r, &nwant);
		body_build(&r->st, want, r->have_cfg ? r->cfg.salt : NULL, &b);
		drop_acked(r, &b);
	}
	for (i = 0; i < b.n; i++)
		tokens = tok_add(tokens, b.v[i].tokens);
	r->fs.pending = (uint32_t)b.n;
	if (r->o.dry_run) {
		if (r->o.json)
			print_bodies(&b);
		else
			printf("%zu session%s to upload (%" PRId64 " tokens)\n", b.n,
			       b.n == 1 ? "" : "s", tokens);
		goto done;
	}
	if (b.n && now < r->fs.not_before_ms) {
		if (!r->o.background)
			error("the server asked to wait; %zu sessions stay queued for %" PRId64 " s",
			      b.n, (r->fs.not_before_ms - now + 999) / 1000);
		rc = EXIT_TEMPFAIL;
		goto done;
	}
	if (b.n) {
		struct upload up;

		memset(&up, 0, sizeof(up));
		up.server = server_url(&r->cfg, r->o.server);
		up.key = r->cfg.api_key;
		up.progress = r->tty;
		if (server_url_check(up.server)) {
			rc = EXIT_CONFIG;
			goto done;
		}
		upload_bodies(&r->st, &b, &up);
		r->fs.pending = (uint32_t)(b.n - up.acked - up.rejected);
		if (up.auth_failed) {
			error("%s", up.why);
			rc = EXIT_CONFIG;
		} else if (up.tempfail) {
			int64_t wait = up.retry_after >= 0 ? up.retry_after * 1000 : BACKOFF_MS;

			r->fs.not_before_ms = time_now_ms() + (r->o.background ? wait :
				       (up.retry_after >= 0 ? wait : 0));
			if (!r->o.background || !cli_quiet)
				error("%s (%u sessions queued)", up.why, r->fs.pending);
			rc = EXIT_TEMPFAIL;
		} else if (up.rejected) {
			rc = EXIT_REJECTED;
		}
		if (!up.tempfail && !up.auth_failed) {
			r->fs.not_before_ms = 0;
			r->fs.last_ok_ms = time_now_ms();
		}
		note("Uploaded %zu session%s (%zu new, %zu updated, %zu unchanged)%s",
		     up.acked, up.acked == 1 ? "" : "s", up.created, up.updated,
		     up.unchanged + up.conflicts, up.rejected ? "; some were refused" : "");
	} else {
		r->fs.last_ok_ms = time_now_ms();
		note("Everything is up to date");
	}
	r->fs.last_sync_ms = time_now_ms();
	r->fs.last_status = rc;
done:
	if (r->have_store && !r->fs.generation)
		r->fs.generation = 1;
	if (save(r))
		rc = EXIT_ERROR;
	free(want);
	bodies_release(&b);
	return rc;
}

int cmd_sync(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "server", required_argument, NULL, 'S' },
		{ "background", no_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct run r;
	int c, rc, lock;
	char *sd;

	memset(&r, 0, sizeof(r));
	optind = 1;
	while ((c = getopt_long(argc, argv, "nqjs:", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (parse_since(optarg, &r.o.since_ms)) {
				error("invalid --since date '%s' (use YYYY-MM-DD)", optarg);
				return EXIT_USAGE;
			}
			r.o.has_since = 1;
			break;
		case 'n': r.o.dry_run = 1; break;
		case 'j': r.o.json = 1; break;
		case 'q': cli_quiet = 1; break;
		case 'S': r.o.server = optarg; break;
		case 'B': r.o.background = 1; cli_quiet = 1; break;
		case 'h': usage_sync(stdout); return EXIT_OK;
		default: usage_sync(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		usage_sync(stderr);
		return EXIT_USAGE;
	}
	if (r.o.json && !r.o.dry_run) {
		error("--json goes with --dry-run");
		return EXIT_USAGE;
	}
	rc = config_load(&r.cfg);
	if (rc < 0)
		return EXIT_CONFIG;
	r.have_cfg = rc == 0;
	if (!r.o.dry_run && (!r.have_cfg || !r.cfg.api_key)) {
		config_release(&r.cfg);
		if (r.o.background)
			return EXIT_OK;
		error("not installed: run 'modu-arena install --api-key KEY' first");
		return EXIT_CONFIG;
	}
	r.tty = !cli_quiet && !r.o.background && isatty(2);
	sd = state_dir();
	if (mkdir_p(sd, 0700)) {
		free(sd);
		config_release(&r.cfg);
		return EXIT_ERROR;
	}
	free(sd);
	r.files_path = state_file_path("files.bin");
	r.index_path = state_file_path("index.bin");
	rc = EXIT_ERROR;
	lock = lock_take(!r.o.background);
	if (lock == -2) {
		rc = EXIT_OK;	/* the running sync will see our spool record */
	} else if (lock >= 0) {
		http_global_init();
		for (;;) {
			rc = run_sync(&r);
			if (!r.o.background || rc != EXIT_OK)
				break;
			/* a hook that fired while we ran found the lock taken:
			 * its record is ours to handle */
			lock_drop(lock);
			if (!spool_pending() || (lock = lock_take(0)) < 0)
				break;
			state_release(&r.fs);
			store_release(&r.st);
			r.have_store = 0;
			loglist_release(&r.logs);
		}
		http_global_cleanup();
		if (!r.o.background)
			lock_drop(lock);
	}
	state_release(&r.fs);
	if (r.have_store)
		store_release(&r.st);
	loglist_release(&r.logs);
	free(r.files_path);
	free(r.index_path);
	config_release(&r.cfg);
	return rc;
}
