/*
 * log.h -- the one format of the programs' log lines
 *
 *	2026-12-07T13:50:00.123Z status: GET /api/v1/status 200 3ms request_id=5f0c... client=203.0.113.9 user=8e1d...
 *
 * Each line starts with the UTC time in ISO 8601 and the program's name.
 * While a request is being answered, the line ends with its request id
 * (nginx's $request_id), the client's address and, once the request is
 * authenticated, the user's id: never a key, a cookie or a body.  Line
 * breaks in a message become spaces, so one event is one line.
 *
 *	log_init("status");
 *	log_request(rq->request_id, rq->remote_addr, &rq->user_id);	// per request
 *	log_msg("cannot prepare %s: %s", name, err);
 *	log_request(NULL, NULL, NULL);					// done
 */
#ifndef ARENA_LOG_H
#define ARENA_LOG_H

void log_init(const char *name);

/*
 * Sets (or, with NULLs, clears) the request the next lines belong to.
 * *user is read when a line is written, so a handler that authenticates
 * later only sets the pointed-to string.
 */
void log_request(const char *request_id, const char *client, const char *const *user);

/* Writes one line on stderr. */
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
