/* req.c -- one HTTP request and its response, as a handler sees it */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>

#include "log.h"
#include "crypto.h"
#include "num.h"
#include "req.h"

const char *req_param(const struct req *rq, const char *name)
{
	size_t n = strlen(name);
	char **e;

	if (!rq->envp)
		return NULL;
	for (e = rq->envp; *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

int req_param_count(const struct req *rq, const char *name)
{
	size_t n = strlen(name);
	char **e;
	int count = 0;

	if (!rq->envp)
		return 0;
	for (e = rq->envp; *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			count++;
	return count;
}

const char *req_header(const struct req *rq, const char *name, int *dup)
{
	char var[128] = "HTTP_";
	size_t i, n = strlen(name);
	const char *v;

	if (n + 6 > sizeof(var))
		return NULL;
	for (i = 0; i < n; i++)
		var[5 + i] = name[i] == '-' ? '_' : (char)toupper((unsigned char)name[i]);
	var[5 + n] = '\0';
	v = req_param(rq, var);
	if (dup)
		/* nginx >= 1.23 joins repeats with ", "; 1.22 repeats the param */
		*dup = req_param_count(rq, var) > 1 || (v && strstr(v, ", "));
	return v;
}

/* How much of an oversized CGI body is read to no purpose at most. */
#define DISCARD_MAX (8u << 20)

/* Reads up to n bytes; returns the count, short only at EOF or error. */
static size_t read_some(struct req *rq, char *p, size_t n)
{
	size_t got = 0;

	while (got < n) {
		size_t want = n - got;
		int r;

		if (want > 1 << 30)
			want = 1 << 30;
		if (rq->fcgi)
			r = FCGX_GetStr(p + got, (int)want, ((FCGX_Request *)rq->fcgi)->in);
		else
			r = (int)fread(p + got, 1, want, stdin);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

/*
 * Reads and drops what is left of an oversized CGI body, up to a bound:
 * a web server that sees the program exit before the client finished
 * sending may reset the connection, and the client never reads the 413.
 */
static void discard_rest(struct req *rq)
{
	char sink[16384];
	size_t left = DISCARD_MAX;

	while (left) {
		size_t r = fread(sink, 1, left < sizeof(sink) ? left : sizeof(sink), stdin);

		if (r == 0)
			break;
		left -= r;
	}
	(void)rq;
}

int req_read_body(struct req *rq, size_t cap)
{
	const char *cl = req_param(rq, "CONTENT_LENGTH");
	char *p;
	int64_t n;

	if (!cl || !*cl) {
		/*
		 * Apache hands a chunked POST to CGI without CONTENT_LENGTH;
		 * read to EOF, one byte past the cap to detect an oversize.
		 */
		size_t got;

		if (rq->fcgi || strcmp(rq->method, "POST") != 0) {
			rq->body = "";
			rq->body_len = 0;
			return 0;
		}
		p = arena_alloc(rq->a, cap + 2);
		got = read_some(rq, p, cap + 1);
		if (got > cap) {
			discard_rest(rq);
			req_error(rq, 413, "payload_too_large", NULL,
				  "request body exceeds %zu bytes", cap);
			return -1;
		}
		p[got] = '\0';
		rq->body = p;
		rq->body_len = got;
		return 0;
	}
	switch (num_parse_i64z(cl, 0, INT64_MAX, &n)) {
	case NUM_OK:
		break;
	case NUM_RANGE:
		if (cl[0] == '-')
			goto bad_length;
		req_error(rq, 413, "payload_too_large", NULL,
			  "request body exceeds %zu bytes", cap);
		return -1;
	default:
	bad_length:
		req_error(rq, 400, "bad_content_length", NULL,
			  "Content-Length is not a decimal integer");
		return -1;
	}
	if ((uint64_t)n > cap) {
		req_error(rq, 413, "payload_too_large", NULL,
			  "request body exceeds %zu bytes", cap);
		return -1;
	}
	p = arena_alloc(rq->a, (size_t)n + 1);
	if (read_some(rq, p, (size_t)n) != (size_t)n) {
		req_error(rq, 400, "incomplete_body", NULL,
			  "request body is shorter than Content-Length");
		return -1;
	}
	p[n] = '\0';
	rq->body = p;
	rq->body_len = (size_t)n;
	return 0;
}

void req_add_header(struct req *rq, const char *name, const char *value)
{
	if (strpbrk(name, "\r\n:") || strpbrk(value, "\r\n")) {
		log_msg("refusing header '%s' with a line break", name);
		abort();
	}
	buf_printf(&rq->headers, "%s: %s\r\n", name, value);
}

struct jsonw *req_json(struct req *rq, int status)
{
	rq->status = status;
	rq->content_type = "application/json";
	buf_reset(&rq->out);
	jsonw_init(&rq->jw, &rq->out);
	return &rq->jw;
}

void req_error(struct req *rq, int status, const char *code,
	       const char *field, const char *fmt, ...)
{
	struct jsonw *w = req_json(rq, status);
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = arena_vprintf(rq->a, fmt, ap);
	va_end(ap);
	jsonw_object(w);
	jsonw_key(w, "success");
	jsonw_bool(w, 0);
	jsonw_key(w, "error");
	json_error_object(w, code, msg, field);
	jsonw_key(w, "requestId");
	jsonw_string(w, rq->request_id);
	jsonw_end(w);
}

void json_error_object(struct jsonw *w, const char *code, const char *message,
		       const char *field)
{
	jsonw_object(w);
	jsonw_key(w, "code");
	jsonw_string(w, code);
	jsonw_key(w, "message");
	jsonw_string(w, message);
	if (field) {
		jsonw_key(w, "field");
		jsonw_string(w, field);
	}
	jsonw_end(w);
}


/* Decodes s[0..n) (%XX and '+'); NULL if malformed or it decodes a NUL. */
static char *query_decode(struct arena *a, const char *s, size_t n)
{
	char *o = arena_alloc(a, n + 1), *q = o;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			int hi, lo;

			if (n - i < 3)
				return NULL;
			hi = hex_digit((unsigned char)s[i + 1]);
			lo = hex_digit((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return NULL;
			*q++ = (char)(hi << 4 | lo);
			i += 2;
		} else if (s[i] == '+') {
			*q++ = ' ';
		} else {
			*q++ = s[i];
		}
	}
	*q = '\0';
	return o;
}

/* Looks name up in the urlencoded pairs s (a query or a form body). */
static int pairs_lookup(struct req *rq, const char *s, const char *name, const char **out)
{
	const char *found = NULL;
	size_t nlen = strlen(name);

	while (*s) {
		const char *amp = strchr(s, '&'), *eq;
		size_t len = amp ? (size_t)(amp - s) : strlen(s);

		eq = memchr(s, '=', len);
		if (len > 0) {
			size_t klen = eq ? (size_t)(eq - s) : len;
			char *key = query_decode(rq->a, s, klen);

			if (!key)
				return -1;
			if (strcmp(key, name) == 0 && strlen(key) == nlen) {
				const char *v = eq ? eq + 1 : s + len;
				char *val = query_decode(rq->a, v, (size_t)(s + len - v));

				if (!val || found)
					return -1;
				found = val;
			}
		}
		s += len;
		if (*s == '&')
			s++;
	}
	if (!found)
		return 1;
	*out = found;
	return 0;
}

int req_query_count(struct req *rq, const char *name)
{
	const char *s = rq->query;
	int n = 0;

	while (*s) {
		const char *amp = strchr(s, '&'), *eq;
		size_t len = amp ? (size_t)(amp - s) : strlen(s);
		char *key;

		eq = memchr(s, '=', len);
		if (len > 0 && (key = query_decode(rq->a, s, eq ? (size_t)(eq - s) : len)) &&
		    strcmp(key, name) == 0)
			n++;
		s += len;
		if (*s == '&')
			s++;
	}
	return n;
}

int req_query(struct req *rq, const char *name, const char **out)
{
	return pairs_lookup(rq, rq->query, name, out);
}

int req_form(struct req *rq, const char *name, const char **out)
{
	if (!rq->body || memchr(rq->body, '\0', rq->body_len))
		return -1;
	return pairs_lookup(rq, rq->body, name, out);
}

int req_query_only(struct req *rq, const char *const *known, const char **bad)
{
	const char *s = rq->query;

	*bad = NULL;
	while (*s) {
		const char *amp = strchr(s, '&'), *eq, *v;
		size_t len = amp ? (size_t)(amp - s) : strlen(s);
		const char *const *k;
		char *key;

		eq = memchr(s, '=', len);
		if (len > 0) {
			key = query_decode(rq->a, s, eq ? (size_t)(eq - s) : len);
			if (!key)
				return -1;
			for (k = known; *k && strcmp(*k, key) != 0; k++)
				;
			/* req_query() refuses a repeated or undecodable one */
			if (!*k || req_query(rq, key, &v) != 0) {
				*bad = key;
				return -1;
			}
		}
		s += len;
		if (*s == '&')
			s++;
	}
	return 0;
}
