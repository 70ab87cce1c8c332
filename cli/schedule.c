/* schedule.c -- running sync every 15 minutes */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "schedule.h"
#include "util.h"

/* 1 if prog is an executable file in a PATH directory. */
static int on_path(const char *prog)
{
	const char *p = getenv("PATH");

	while (p && *p) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char *f = xasprintf("%.*s/%s", (int)n, p, prog);
		int ok = n && access(f, X_OK) == 0;

		free(f);
		if (ok)
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

static int have_systemd_user(void)
{
	const char *rt = getenv("XDG_RUNTIME_DIR");
	char *sock;
	struct stat st;
	int ok;

	if (!rt || rt[0] != '/' || !on_path("systemctl"))
		return 0;
	sock = xasprintf("%s/systemd/private", rt);
	ok = stat(sock, &st) == 0;
	free(sock);
	return ok;
}

/*
 * Runs argv (no shell) with in (if not NULL) on its standard input and
 * its standard output appended to out (if not NULL); returns its exit
 * status, or -1 if it could not run.
 */
static int run(char *const argv[], const struct buf *in, struct buf *out)
{
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, st;
	pid_t pid;

	if ((in && pipe(pin)) || (out && pipe(pout)))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(in ? pin[0] : null, 0);
		dup2(out ? pout[1] : null, 1);
		if (in)
			close(pin[1]);
		if (out)
			close(pout[0]);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (in) {
		size_t off = 0;

		close(pin[0]);
		while (off < in->len) {
			ssize_t w = write(pin[1], in->s + off, in->len - off);

			if (w <= 0)
				break;
			off += (size_t)w;
		}
		close(pin[1]);
	}
	if (out) {
		char b[4096];
		ssize_t r;

		close(pout[1]);
		while ((r = read(pout[0], b, sizeof(b))) > 0)
			buf_add(out, b, (size_t)r);
		close(pout[0]);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *unit_path(const char *suffix)
{
	char *x = xdg_config_home(), *p = xasprintf("%s/systemd/user/%s.%s", x, SCHEDULE_UNIT, suffix);

	free(x);
	return p;
}

/* systemd quotes: "..." with \ and " escaped; % doubled for specifiers. */
static void unit_quote(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_addc(b, '\\');
		if (*s == '%')
			buf_addc(b, '%');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

static int systemctl(const char *a, const char *b, const char *c)
{
	char *argv[] = { "systemctl", "--user", (char *)a, (char *)b, (char *)c, NULL };

	return run(argv, NULL, NULL);
}

static int systemd_install(const char *exe)
{
	struct buf svc = BUF_INIT;
	char *ps = unit_path("service"), *pt = unit_path("timer"), *dir;
	static const char timer[] =
		"[Unit]\nDescription=Upload AI coding sessions to Modu-Arena every 15 minutes\n\n"
		"[Timer]\nOnBootSec=5min\nOnUnitActiveSec=15min\nRandomizedDelaySec=60\n"
		"Persistent=true\n\n[Install]\nWantedBy=timers.target\n";
	int rc = -1;

	buf_adds(&svc, "[Unit]\nDescription=Upload AI coding sessions to Modu-Arena\n\n"
		 "[Service]\nType=oneshot\nExecStart=");
	unit_quote(&svc, exe);
	buf_adds(&svc, " sync --quiet\nNice=10\n");
	dir = xstrdup(ps);
	*strrchr(dir, '/') = '\0';
	if (mkdir_p(dir, 0755) || write_file_atomic(ps, svc.s, svc.len, 0644) ||
	    write_file_atomic(pt, timer, sizeof(timer) - 1, 0644))
		goto out;
	if (systemctl("daemon-reload", NULL, NULL) != 0 ||
	    systemctl("enable", "--now", SCHEDULE_UNIT ".timer") != 0) {
		warn("systemctl --user could not enable %s.timer", SCHEDULE_UNIT);
		goto out;
	}
	rc = 0;
out:
	buf_release(&svc);
	free(dir);
	free(ps);
	free(pt);
	return rc;
}

static int systemd_remove(void)
{
	char *ps = unit_path("service"), *pt = unit_path("timer");
	int rc = 0;

	systemctl("disable", "--now", SCHEDULE_UNIT ".timer");
	if ((unlink(pt) && errno != ENOENT) || (unlink(ps) && errno != ENOENT)) {
		warn("cannot remove '%s': %s", pt, strerror(errno));
		rc = -1;
	}
	systemctl("daemon-reload", NULL, NULL);
	free(ps);
	free(pt);
	return rc;
}

/* The user's crontab without our line(s); -1 if crontab cannot run. */
static int cron_read(struct buf *rest, int *had)
{
	char *argv[] = { "crontab", "-l", NULL };
	struct buf cur = BUF_INIT;
	const char *p, *end;
	int rc = run(argv, NULL, &cur);

	*had = 0;
	if (rc < 0 || rc == 127) {
		buf_release(&cur);
		return -1;
	}
	/* "crontab -l" fails when there is none yet: that is an empty one */
	p = rc == 0 ? cur.s : NULL;
	end = p ? cur.s + cur.len : NULL;
	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (memmem(p, n, SCHEDULE_CRON_MARK, strlen(SCHEDULE_CRON_MARK)))
			*had = 1;
		else {
			buf_add(rest, p, n);
			buf_addc(rest, '\n');
		}
		p += n + 1;
	}
	buf_release(&cur);
	return 0;
}

static int cron_write(const struct buf *tab)
{
	char *argv[] = { "crontab", "-", NULL };

	return run(argv, tab, NULL) == 0 ? 0 : -1;
}

static int cron_install(const char *exe)
{
	struct buf tab = BUF_INIT;
	int had, rc;

	/* in a crontab, % ends the command */
	if (strchr(exe, '%') || strchr(exe, '\n')) {
		warn("cannot put '%s' in a crontab", exe);
		return -1;
	}
	if (cron_read(&tab, &had)) {
		buf_release(&tab);
		return -1;
	}
	buf_adds(&tab, "*/15 * * * * ");
	shell_quote(&tab, exe);
	buf_adds(&tab, " sync --quiet " SCHEDULE_CRON_MARK "\n");
	rc = cron_write(&tab);
	if (rc)
		warn("crontab refused the new table");
	buf_release(&tab);
	return rc;
}

static int cron_remove(void)
{
	struct buf tab = BUF_INIT;
	int had, rc = 0;

	if (cron_read(&tab, &had) == 0 && had)
		rc = cron_write(&tab);
	buf_release(&tab);
	return rc;
}

const char *schedule_install(const char *exe)
{
	if (have_systemd_user())
		return systemd_install(exe) ? NULL : "systemd";
	if (on_path("crontab"))
		return cron_install(exe) ? NULL : "cron";
	warn("neither a systemd user instance nor crontab: only the Claude Code hook and "
	     "'modu-arena sync' by hand upload sessions");
	return NULL;
}

int schedule_remove(const char *kind)
{
	if (!kind)
		return 0;
	if (strcmp(kind, "systemd") == 0)
		return systemd_remove();
	if (strcmp(kind, "cron") == 0)
		return cron_remove();
	return 0;
}

const char *schedule_active(void)
{
	char *pt = unit_path("timer");
	struct buf tab = BUF_INIT;
	int had = 0, sd = access(pt, F_OK) == 0;

	free(pt);
	if (sd)
		return "systemd timer";
	if (on_path("crontab") && cron_read(&tab, &had) == 0 && had) {
		buf_release(&tab);
		return "crontab";
	}
	buf_release(&tab);
	return NULL;
}
