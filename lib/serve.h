/*
 * serve.h -- the request loop every endpoint binary runs
 *
 * An endpoint is a table row and a handler; its main() is
 *
 *	SERVE_MAIN(status_endpoint)
 *
 * serve() picks the mode itself:
 *  - plain CGI when fd 0 is not a listening socket (one request from the
 *    environment and stdin, response on stdout) -- shared hosting;
 *  - FastCGI on fd 0 (spawn-fcgi, systemd StandardInput=socket), on fd 3
 *    when LISTEN_PID/LISTEN_FDS say systemd passed it there, or on a unix
 *    socket of its own with -s PATH.
 * In FastCGI mode a small supervisor forks -n N (default ARENA_WORKERS)
 * single-threaded workers and replaces any that dies within a second.
 * SIGTERM or SIGINT stops the pool gracefully: requests in flight finish.
 * -f runs one worker in the foreground without a supervisor (for an
 * external one such as multiwatch).
 *
 * Before the handler runs, serve() refuses a wrong method (405 + Allow),
 * a non-canonical path (400), and sets up the request's arena, id and
 * client address.  After it, it writes the response with the security
 * headers and logs one line: method, path, status, milliseconds, id.
 */
#ifndef ARENA_SERVE_H
#define ARENA_SERVE_H

#include "db.h"
#include "req.h"

struct endpoint {
	const char *name;		/* for logs and application_name */
	const char *allow;		/* "GET, HEAD" or "POST" */
	const struct db_stmt *stmts;	/* prepared on each connection */
	void (*handle)(struct req *rq, struct db *db);
	int public_read;		/* anonymous GET: CORS without credentials */
	/*
	 * Optional.  Called after serve() refused a request before the
	 * handler (a non-canonical path: 400; a wrong method: 405, Allow
	 * set) with the JSON error in place, to answer otherwise: pages
	 * use page_refused() (lib/page.h) to answer with a page.
	 */
	void (*refused)(struct req *rq);
};

int serve(const struct endpoint *ep, int argc, char **argv);

/* The whole main() of an endpoint binary. */
#define SERVE_MAIN(ep) \
	int main(int argc, char **argv) { return serve(&(ep), argc, argv); }

/* 1 if p is a path in canonical form: no "//", no dot segments, no
 * escapes, only [A-Za-z0-9/_.-]. */
int path_is_canonical(const char *p);

/* Reason phrase for a status code. */
const char *http_reason(int status);

#endif
