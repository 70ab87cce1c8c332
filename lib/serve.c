/* serve.c -- the request loop every endpoint binary runs */
#include <errno.h>
#include <getopt.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "audit.h"
#include "conf.h"
#include "crypto.h"
#include "metrics.h"
#include "netaddr.h"
#include "num.h"
#include "log.h"
#include "serve.h"
#include "timeutil.h"

extern char **environ;

static volatile sig_atomic_t stopping;

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	}
	return "Unknown";
}

int path_is_canonical(const char *p)
{
	const char *s;

	if (!p || p[0] != '/')
		return 0;
	for (s = p; *s; s++) {
		char c = *s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '/' || c == '_' ||
		      c == '-' || c == '.'))
			return 0;
		if (c == '/' && (s[1] == '/' ||
				 (s[1] == '.' && (s[2] == '/' || s[2] == '\0' ||
						  (s[2] == '.' && (s[3] == '/' || s[3] == '\0'))))))
			return 0;
	}
	return 1;
}

static int method_allowed(const char *allow, const char *method)
{
	size_t n = strlen(method);
	const char *s = allow;

	while ((s = strstr(s, method))) {
		if ((s == allow || s[-1] == ' ') && (s[n] == ',' || s[n] == '\0'))
			return 1;
		s += n;
	}
	return 0;
}

/*
 * Headers that carry credentials or what a signature covers.  A repeat
 * is refused outright: nginx 1.22 passes both copies and the first would
 * be checked while a proxy or a later reader might take the other.
 * nginx >= 1.23 joins repeats with ", " instead, which only shows in a
 * value that cannot hold a comma itself (Authorization can; a joined one
 * fails to parse anyway).
 */
static const struct {
	const char *name;
	const char *var;	/* its CGI variable */
	int has_commas;
} security_headers[] = {
	{ "X-API-Key", "HTTP_X_API_KEY", 0 },
	{ "X-Timestamp", "HTTP_X_TIMESTAMP", 0 },
	{ "X-Signature", "HTTP_X_SIGNATURE", 0 },
	{ "Authorization", "HTTP_AUTHORIZATION", 1 },
};

static int lists_statement(const struct endpoint *ep, const char *name)
{
	const struct db_stmt *s;

	for (s = ep->stmts; s && s->name; s++)
		if (strcmp(s->name, name) == 0)
			return 1;
	return 0;
}

static int repeated(const struct req *rq, size_t i)
{
	int dup = 0;

	if (security_headers[i].has_commas)
		return req_param_count(rq, security_headers[i].var) > 1;
	req_header(rq, security_headers[i].name, &dup);
	return dup;
}

/* 0, or -1 with a 400 set when a security header came twice. */
static int refuse_repeated_headers(struct req *rq, const struct endpoint *ep,
				   struct db *db)
{
	size_t i;

	for (i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++) {
		const char *h = security_headers[i].name;

		if (!repeated(rq, i))
			continue;
		if (lists_statement(ep, "audit_insert"))
			audit(db, rq, NULL, "suspicious_activity",
			      arena_printf(rq->a, "{\"reason\":\"duplicate %s header\"}", h));
		req_error(rq, 400, "duplicate_header", h,
			  "the %s header was sent more than once", h);
		return -1;
	}
	return 0;
}

/* X-Forwarded-For with repeated headers joined by ",", or NULL. */
static const char *forwarded_for(struct req *rq)
{
	struct buf b = BUF_INIT;
	char **e;
	const char *out;

	for (e = rq->envp; e && *e; e++) {
		if (strncmp(*e, "HTTP_X_FORWARDED_FOR=", 21) != 0)
			continue;
		if (b.len)
			buf_addc(&b, ',');
		buf_adds(&b, *e + 21);
	}
	out = b.len ? arena_strdup(rq->a, b.s) : NULL;
	buf_release(&b);
	return out;
}

/* Fills the request fields from its parameters; 0, or -1 with an error set. */
static int prepare(struct req *rq, const struct endpoint *ep, struct db *db)
{
	const char *m = req_param(rq, "REQUEST_METHOD");
	const char *uri = req_param(rq, "REQUEST_URI");
	const char *doc = req_param(rq, "DOCUMENT_URI");
	const char *q = req_param(rq, "QUERY_STRING");
	const char *id = req_param(rq, "REQUEST_ID");
	const char *ua = req_param(rq, "HTTP_USER_AGENT");
	const char *qmark;
	char *path;

	if (id && strlen(id) == 32 && strspn(id, "0123456789abcdef") == 32) {
		rq->request_id = arena_strdup(rq->a, id);
	} else {
		unsigned char raw[16];
		char *hex = arena_alloc(rq->a, 33);

		if (crypto_random(raw, sizeof(raw)))
			memset(raw, 0, sizeof(raw));
		hex_encode(raw, sizeof(raw), hex);
		rq->request_id = hex;
	}
	rq->remote_addr = netaddr_client(rq->a, req_param(rq, "REMOTE_ADDR"),
					 arena_conf.trusted_proxies.n ? forwarded_for(rq) : NULL,
					 &arena_conf.trusted_proxies);
	log_request(rq->request_id, rq->remote_addr, &rq->user_id);
	rq->user_agent = arena_strndup(rq->a, ua ? ua : "", ua ? strnlen(ua, 512) : 0);
	rq->method = arena_strdup(rq->a, m ? m : "GET");
	if (strcmp(rq->method, "HEAD") == 0) {
		rq->is_head = 1;
		rq->method = "GET";
	}
	rq->query = arena_strdup(rq->a, q ? q : "");
	if (!uri) {
		/* a CGI server that does not set REQUEST_URI */
		const char *sn = req_param(rq, "SCRIPT_NAME"), *pi = req_param(rq, "PATH_INFO");

		uri = arena_printf(rq->a, "%s%s", sn ? sn : "/", pi ? pi : "");
	}
	qmark = strchr(uri, '?');
	path = arena_strndup(rq->a, uri, qmark ? (size_t)(qmark - uri) : strlen(uri));
	rq->path = path;
	/*
	 * nginx routes on its normalised DOCUMENT_URI but passes REQUEST_URI
	 * raw; deciding on one and routing on the other is an auth bypass.
	 * So the raw path must already be canonical and equal to it.
	 */
	if (!path_is_canonical(path) || (doc && strcmp(doc, path) != 0)) {
		rq->path = "(non-canonical)";
		req_error(rq, 400, "non_canonical_path", NULL,
			  "request path is not in canonical form");
		if (ep->refused)
			ep->refused(rq);
		return -1;
	}
	if (!method_allowed(ep->allow, rq->is_head ? "HEAD" : rq->method)) {
		req_add_header(rq, "Allow", ep->allow);
		req_error(rq, 405, "method_not_allowed", NULL,
			  "method not allowed here; allowed: %s", ep->allow);
		if (ep->refused)
			ep->refused(rq);
		return -1;
	}
	return refuse_repeated_headers(rq, ep, db);
}

/* Writes the whole response through the backend. */
static void respond(struct req *rq, const struct endpoint *ep)
{
	struct buf head = BUF_INIT;
	const char *https = req_param(rq, "HTTPS");

	buf_printf(&head, "Status: %d %s\r\n", rq->status, http_reason(rq->status));
	if (rq->content_type)
		buf_printf(&head, "Content-Type: %s%s\r\n", rq->content_type,
			   strcmp(rq->content_type, "application/json") == 0 ?
			   "; charset=utf-8" : "");
	if (rq->status != 304)
		buf_printf(&head, "Content-Length: %zu\r\n", rq->out.len);
	buf_adds(&head, "X-Content-Type-Options: nosniff\r\n"
			"X-Frame-Options: DENY\r\n");
	/* pages send the origin with their own forms (lib/page.h) */
	if (!strstr(buf_str(&rq->headers), "Referrer-Policy:"))
		buf_adds(&head, "Referrer-Policy: no-referrer\r\n");
	/* a page sets its own policy (lib/page.h); everything else gets none */
	if (!strstr(buf_str(&rq->headers), "Content-Security-Policy:"))
		buf_adds(&head, "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n");
	if (https && strcmp(https, "on") == 0)
		buf_adds(&head, "Strict-Transport-Security: max-age=31536000\r\n");
	/* public data may be read from any page, but nothing else and never with credentials */
	if (ep->public_read && strcmp(rq->method, "GET") == 0)
		buf_adds(&head, "Access-Control-Allow-Origin: *\r\n");
	if (!strstr(buf_str(&rq->headers), "Cache-Control:"))
		buf_adds(&head, "Cache-Control: no-store\r\n");
	buf_printf(&head, "X-Request-Id: %s\r\n", rq->request_id);
	buf_add(&head, buf_str(&rq->headers), rq->headers.len);
	buf_adds(&head, "\r\n");
	if (rq->fcgi) {
		FCGX_Stream *out = ((FCGX_Request *)rq->fcgi)->out;

		FCGX_PutStr(head.s, (int)head.len, out);
		if (!rq->is_head && rq->status != 304 && rq->out.len)
			FCGX_PutStr(rq->out.s, (int)rq->out.len, out);
	} else {
		fwrite(head.s, 1, head.len, stdout);
		if (!rq->is_head && rq->status != 304 && rq->out.len)
			fwrite(rq->out.s, 1, rq->out.len, stdout);
		fflush(stdout);
	}
	buf_release(&head);
}

/* A monotonic clock in microseconds, for the latency histogram. */
static int64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void handle_one(struct req *rq, const struct endpoint *ep, struct db *db)
{
	int64_t t0 = time_mono_ms(), u0 = mono_us();

	rq->status = 500;
	rq->content_type = NULL;
	rq->request_id = rq->remote_addr = rq->user_id = NULL;
	rq->method = rq->path = NULL;
	rq->is_head = 0;
	buf_reset(&rq->out);
	buf_reset(&rq->headers);
	log_request(NULL, NULL, &rq->user_id);
	if (prepare(rq, ep, db) == 0) {
		ep->handle(rq, db);
		if (!rq->content_type && rq->status != 304)
			req_error(rq, 500, "internal_error", NULL, "the handler wrote no response");
		/* a transaction left open would poison the next request */
		if (db->conn && PQtransactionStatus(db->conn) != PQTRANS_IDLE)
			db_command(db, "ROLLBACK");
	}
	respond(rq, ep);
	metrics_request(rq->status, mono_us() - u0);
	log_msg("%s %s %d %lldms", rq->is_head ? "HEAD" : rq->method ? rq->method : "-",
		rq->path ? rq->path : "-", rq->status, (long long)(time_mono_ms() - t0));
	log_request(NULL, NULL, NULL);
}

static int serve_cgi(const struct endpoint *ep)
{
	struct arena a = ARENA_INIT;
	struct req rq;
	struct db db;

	memset(&rq, 0, sizeof(rq));
	rq.a = &a;
	rq.envp = environ;
	db_init(&db, ep->name, ep->stmts);
	handle_one(&rq, ep, &db);
	db_close(&db);
	buf_release(&rq.out);
	buf_release(&rq.headers);
	arena_release(&a);
	return 0;
}

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
	FCGX_ShutdownPending();
}

static void set_handler(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* One worker: accept, handle, repeat until told to stop. */
static int worker(const struct endpoint *ep, int fd)
{
	struct arena a = ARENA_INIT;
	FCGX_Request fr;
	struct req rq;
	struct db db;
	sigset_t stopset, old;

	/* no SA_RESTART: a signal must interrupt a blocked accept() */
	set_handler(SIGTERM, on_stop, 0);
	set_handler(SIGINT, on_stop, 0);
	set_handler(SIGUSR1, on_stop, 0);
	set_handler(SIGPIPE, SIG_IGN, 0);
	sigemptyset(&stopset);
	sigaddset(&stopset, SIGTERM);
	sigaddset(&stopset, SIGINT);
	sigaddset(&stopset, SIGUSR1);

	if (FCGX_Init() != 0 || FCGX_InitRequest(&fr, fd, 0) != 0) {
		log_msg("cannot initialise FastCGI");
		return 1;
	}
	memset(&rq, 0, sizeof(rq));
	db_init(&db, ep->name, ep->stmts);
	/*
	 * Connect before the first request, so a new or replacing worker
	 * does not spend that request's time budget on it; a database that
	 * is down now is retried lazily, per request, as always.
	 */
	if (ep->stmts)
		db_ensure(&db, arena_conf.db_connect_timeout_ms);
	while (!stopping) {
		if (FCGX_Accept_r(&fr) < 0)
			break;
		/* a request in flight finishes whatever signal arrives */
		sigprocmask(SIG_BLOCK, &stopset, &old);
		rq.a = &a;
		rq.envp = fr.envp;
		rq.fcgi = &fr;
		rq.is_head = 0;
		rq.body = NULL;
		rq.body_len = 0;
		handle_one(&rq, ep, &db);
		FCGX_Finish_r(&fr);
		arena_reset(&a);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	db_close(&db);
	buf_release(&rq.out);
	buf_release(&rq.headers);
	arena_release(&a);
	return 0;
}

static volatile sig_atomic_t child_exited;

static void on_child(int sig)
{
	(void)sig;
	child_exited = 1;
}

/* Forks and restarts n workers until SIGTERM/SIGINT, then stops them. */
static int supervise(const struct endpoint *ep, int fd, int n)
{
	pid_t *pids = calloc((size_t)n, sizeof(*pids));
	int64_t *started = calloc((size_t)n, sizeof(*started));
	pid_t parent = getpid();
	int i, live;

	if (!pids || !started)
		return 1;
	set_handler(SIGTERM, on_stop, 0);
	set_handler(SIGINT, on_stop, 0);
	set_handler(SIGCHLD, on_child, SA_NOCLDSTOP);
	while (!stopping) {
		for (i = 0; i < n && !stopping; i++) {
			pid_t pid;

			if (pids[i] > 0)
				continue;
			/* a worker that crashes at once is not restarted in a hot loop */
			if (started[i] && time_mono_ms() - started[i] < 200)
				usleep(200000);
			pid = fork();
			if (pid < 0) {
				log_msg("fork: %s", strerror(errno));
				sleep(1);
				continue;
			}
			if (pid == 0) {
				set_handler(SIGCHLD, SIG_DFL, 0);
				prctl(PR_SET_PDEATHSIG, SIGTERM);
				if (getppid() != parent)
					_exit(0);
				_exit(worker(ep, fd));
			}
			pids[i] = pid;
			started[i] = time_mono_ms();
		}
		if (!child_exited && !stopping)
			pause();
		child_exited = 0;
		for (;;) {
			int status;
			pid_t pid = waitpid(-1, &status, WNOHANG);

			if (pid <= 0)
				break;
			for (i = 0; i < n; i++) {
				if (pids[i] == pid) {
					pids[i] = 0;
					if (!stopping)
						log_msg("worker %d exited (status %d); replacing it",
							(int)pid, status);
				}
			}
		}
	}
	/*
	 * Repeat the signal until each worker is gone: one that was busy has
	 * the signal blocked and may be back in accept() before noticing it.
	 */
	for (;;) {
		live = 0;
		for (i = 0; i < n; i++) {
			if (pids[i] <= 0)
				continue;
			if (waitpid(pids[i], NULL, WNOHANG) == pids[i]) {
				pids[i] = 0;
				continue;
			}
			kill(pids[i], SIGTERM);
			live++;
		}
		if (!live)
			break;
		usleep(50000);
	}
	free(pids);
	free(started);
	return 0;
}

/* The listening socket systemd or spawn-fcgi passed, or -1 for CGI. */
static int inherited_socket(void)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	int64_t p, n;

	if (pid && fds && num_parse_i64z(pid, 1, INT32_MAX, &p) == NUM_OK &&
	    num_parse_i64z(fds, 1, 1, &n) == NUM_OK && p == (int64_t)getpid()) {
		/* systemd passes the socket as fd 3 */
		if (dup2(3, 0) < 0)
			return -1;
		close(3);
		unsetenv("LISTEN_PID");
		unsetenv("LISTEN_FDS");
		return 0;
	}
	return FCGX_IsCGI() ? -1 : 0;
}

static void usage(FILE *f, const struct endpoint *ep)
{
	fprintf(f, "usage: %s [-s SOCKET] [-n WORKERS] [-m MODE] [-f]\n"
		"A Modu-Arena endpoint: a FastCGI pool on SOCKET (-s), on the listening\n"
		"socket it finds on fd 0 (spawn-fcgi, systemd StandardInput=socket) or on\n"
		"fd 3 (systemd LISTEN_FDS); without one it answers one CGI request.\n"
		"  -s, --socket=PATH    listen on the Unix socket PATH\n"
		"  -n, --workers=N      worker processes (1-256, default ARENA_WORKERS or 2)\n"
		"  -m, --mode=OCTAL     permissions of the socket (default 0660)\n"
		"  -f, --foreground     one worker, no supervisor\n"
		"  -h, --help           this text\n"
		"  -V, --version        the version\n"
		"Configuration comes from the environment (DATABASE_URL, ARENA_*).\n", ep->name);
}

int serve(const struct endpoint *ep, int argc, char **argv)
{
	const char *sock = NULL;
	int64_t workers, mode = 0660;
	int foreground = 0, opt, fd;

	log_init(ep->name);
	conf_load();
	workers = arena_conf.workers;
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "workers", required_argument, NULL, 'n' },
		{ "mode", required_argument, NULL, 'm' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};

	while ((opt = getopt_long(argc, argv, "s:n:m:fhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			sock = optarg;
			break;
		case 'n':
			if (num_parse_i64z(optarg, 1, 256, &workers) != NUM_OK) {
				usage(stderr, ep);
				return 2;
			}
			break;
		case 'm':
			{
				char *end;

				errno = 0;
				mode = strtol(optarg, &end, 8);
				if (errno || *end || mode < 0 || mode > 0777) {
					usage(stderr, ep);
					return 2;
				}
			}
			break;
		case 'f':
			foreground = 1;
			break;
		case 'h':
			usage(stdout, ep);
			return 0;
		case 'V':
			printf("%s (modu-arena) %s\n", ep->name, arena_conf.version);
			return 0;
		default:
			usage(stderr, ep);
			return 2;
		}
	}
	/* before any fork: every worker adds to the same counters */
	metrics_open(ep->name);
	if (sock) {
		mode_t old = umask(0777 & ~(mode_t)mode);

		if (FCGX_Init() != 0)
			return 1;
		unlink(sock);
		fd = FCGX_OpenSocket(sock, 1024);
		umask(old);
		if (fd < 0) {
			log_msg("cannot listen on '%s'", sock);
			return 1;
		}
		chmod(sock, (mode_t)mode);
	} else {
		fd = inherited_socket();
		if (fd < 0)
			return serve_cgi(ep);
	}
	if (foreground)
		return worker(ep, fd);
	return supervise(ep, fd, (int)workers);
}
