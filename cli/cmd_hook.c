/* cmd_hook.c -- modu-arena hook: what Claude Code runs; spool and go */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "cmd.h"
#include "json.h"
#include "jsonw.h"
#include "spool.h"
#include "timeutil.h"
#include "util.h"

#define HOOK_INPUT_MAX (64 * 1024)
#define HOOK_INPUT_WAIT_MS 500	/* Claude Code writes its JSON at once */
#define SYNC_LOG_MAX (1024 * 1024)

/* Reads the hook's JSON from stdin, without ever waiting long. */
static void read_input(struct buf *in)
{
	int64_t deadline = time_mono_ms() + HOOK_INPUT_WAIT_MS;

	while (in->len < HOOK_INPUT_MAX) {
		struct pollfd p = { .fd = 0, .events = POLLIN };
		int64_t left = deadline - time_mono_ms();
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		buf_grow(in, 4096);
		n = read(0, in->s + in->len, in->cap - in->len - 1);
		if (n <= 0)
			break;
		in->len += (size_t)n;
		in->s[in->len] = '\0';
	}
}

static void copy_member(struct jsonw *w, const struct json *root, const char *from,
			const char *to)
{
	const struct json *v = root ? json_get(root, from) : NULL;

	if (v && v->type == JSON_STRING && v->len <= 4096) {
		jsonw_key(w, to);
		jsonw_string(w, v->str);
	}
}

/* Starts "modu-arena sync --background" in its own session, detached. */
static void start_sync(void)
{
	char *exe = self_exe();
	pid_t pid;

	if (!exe)
		return;
	pid = fork();
	if (pid == 0) {
		int fd;
		char *log;
		struct stat st;

		setsid();
		if (fork() != 0)
			_exit(0);
		signal(SIGHUP, SIG_IGN);
		fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
		}
		log = state_file_path("sync.log");
		if (stat(log, &st) == 0 && st.st_size > SYNC_LOG_MAX)
			if (truncate(log, 0)) { /* then it just grows */ }
		fd = open(log, O_WRONLY | O_APPEND | O_CREAT, 0600);
		if (fd >= 0)
			dup2(fd, 2);
		execl(exe, "modu-arena", "sync", "--background", (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	free(exe);
}

int cmd_hook(int argc, char **argv)
{
	struct buf in = BUF_INIT, rec = BUF_INIT;
	struct arena a = ARENA_INIT;
	struct json_status js = { 0 };
	struct json *root = NULL;
	struct jsonw w;
	int lock;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs("usage: modu-arena hook < EVENT.json\n"
		      "Run by Claude Code's hooks: records the event read on stdin (its name,\n"
		      "session id and transcript path, never the prompt) and starts a sync in\n"
		      "the background.  It always exits 0 so it never blocks the agent.\n", stdout);
		return EXIT_OK;
	}
	read_input(&in);
	if (in.len)
		root = json_parse(&a, in.s, in.len, &js);
	if (root && root->type != JSON_OBJECT)
		root = NULL;
	/* only what sync needs to find the work: never the prompt */
	jsonw_init(&w, &rec);
	jsonw_object(&w);
	jsonw_key(&w, "at");
	jsonw_int(&w, time_now_ms());
	copy_member(&w, root, "hook_event_name", "event");
	copy_member(&w, root, "session_id", "sessionId");
	copy_member(&w, root, "transcript_path", "transcriptPath");
	jsonw_end(&w);
	spool_append(rec.s, rec.len);
	/* a running sync will take our record when it finishes */
	lock = lock_take(0);
	if (lock >= 0) {
		lock_drop(lock);
		start_sync();
	}
	arena_release(&a);
	buf_release(&in);
	buf_release(&rec);
	return EXIT_OK;	/* a hook must never get in Claude Code's way */
}
