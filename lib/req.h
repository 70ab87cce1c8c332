/*
 * req.h -- one HTTP request and its response, as a handler sees it
 *
 * Handlers never see libfcgi: the same struct req is filled from a
 * FastCGI request or from a plain CGI environment by serve.c.  Every
 * string here lives in rq->a and is valid until the request ends.
 *
 * A handler builds its response with req_json() or req_error() and
 * returns; serve.c writes status, headers and body, adds the security
 * headers and logs one line.  Nothing is written to the client before
 * the handler returns, so a handler can always change its mind.
 */
#ifndef ARENA_REQ_H
#define ARENA_REQ_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "jsonw.h"

struct req {
	struct arena *a;
	const char *method;		/* "GET", "POST", ... ("GET" for HEAD) */
	const char *path;		/* canonical path, no query */
	const char *query;		/* raw query string, "" when none */
	const char *remote_addr;	/* client address as nginx saw it */
	const char *user_agent;		/* "" when none */
	const char *request_id;		/* nginx's $request_id, or our own */
	const char *user_id;		/* once authenticated (log.h), else NULL */
	int is_head;

	const char *body;		/* after req_read_body(); NUL-terminated */
	size_t body_len;

	/* the response being built */
	int status;
	const char *content_type;
	struct buf out;			/* body */
	struct buf headers;		/* "Name: value\r\n" lines */
	struct jsonw jw;		/* writer on out, set up by req_json() */

	/* backend */
	char **envp;			/* FastCGI params, or environ in CGI */
	void *fcgi;			/* FCGX_Request *, NULL in CGI mode */
};

/* A request parameter (CGI variable) such as "HTTP_X_API_KEY", or NULL. */
const char *req_param(const struct req *rq, const char *name);

/* How many times a parameter occurs; nginx 1.22 repeats duplicate headers. */
int req_param_count(const struct req *rq, const char *name);

/*
 * The value of request header `name` ("X-API-Key"), or NULL if absent.
 * Sets *dup when the header was sent more than once (the value is then
 * the first, and callers on a security path must refuse the request).
 */
const char *req_header(const struct req *rq, const char *name, int *dup);

/*
 * Reads the whole body (at most cap bytes) into rq->body.  CONTENT_LENGTH
 * must be a plain decimal integer; a missing one is read as 0 except
 * under a CGI server that streams a chunked body (then stdin is read to
 * EOF, still capped).  Returns 0, or -1 after setting a 400/413 error.
 */
int req_read_body(struct req *rq, size_t cap);

/* Adds a response header; value must not contain CR or LF (asserted). */
void req_add_header(struct req *rq, const char *name, const char *value);

/*
 * Starts a JSON response with this status and returns the writer on its
 * body (the caller writes one value into it).
 */
struct jsonw *req_json(struct req *rq, int status);

/*
 * Replaces any response with the error envelope
 *   {"success":false,"error":{"code":code,"message":...,"field":field}}
 * (field omitted when NULL).  code is a stable snake_case string listed
 * in the README; the message never echoes request input.
 */
void req_error(struct req *rq, int status, const char *code,
	       const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * Writes the inner error object {"code":..,"message":..,"field":..} as the
 * next value of w: shared by req_error() and per-item batch results.
 */
void json_error_object(struct jsonw *w, const char *code, const char *message,
		       const char *field);

/* Query-string parameter lookup: 0 and *out set (decoded), 1 if absent,
 * -1 if the query is malformed or the parameter repeated. */
int req_query(struct req *rq, const char *name, const char **out);

/* How many times parameter `name` occurs (undecodable names not counted). */
int req_query_count(struct req *rq, const char *name);

/* The same for a field of an application/x-www-form-urlencoded body
 * already read with req_read_body(). */
int req_form(struct req *rq, const char *name, const char **out);

/*
 * Checks that every query parameter is one of `known` (NULL-terminated)
 * and occurs at most once.  Returns 0, or -1 with *bad set to the first
 * offending parameter's decoded name (NULL when the query itself is
 * malformed).
 */
int req_query_only(struct req *rq, const char *const *known, const char **bad);

#endif
