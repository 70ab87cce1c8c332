/*
 * capture-server.c -- a tiny HTTP server standing in for the API in tests
 *
 *	capture-server --port-file F --log F [--accepted F] [--mode-file F] [--key K]
 *
 * Listens on 127.0.0.1 (an ephemeral port, written to the port file),
 * appends every request it receives, byte for byte, to the log, and
 * answers like the real API: /api/v1/status, /api/v1/verify and
 * /api/v1/rank (key checked), and /api/v1/sessions/batch with v1
 * signatures checked and per-item results under the ingestion contract
 * (201 first, 200 updated when totals grow, 200 duplicate when identical,
 * 409 when they would shrink, 422 when slices do not add up).  Each
 * accepted item is appended to the accepted file as one JSON line.  The
 * mode file, read at every request, makes it misbehave: "503", "429"
 * (with Retry-After: 1) or "401".  One connection at a time; it runs
 * until killed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "json.h"
#include "sign.h"
#include "timeutil.h"

#define MAX_REQ (8 * 1024 * 1024)
#define MAX_SESSIONS 4096

struct known {
	char id[160];
	int64_t total;
	char *body;
};

static struct known known[MAX_SESSIONS];
static int nknown;
static const char *log_path, *accepted_path, *mode_path, *api_key;

static void append(const char *path, const char *p, size_t n)
{
	FILE *f;

	if (!path || !(f = fopen(path, "a")))
		return;
	fwrite(p, 1, n, f);
	fclose(f);
}

static void mode(char *out, size_t cap)
{
	FILE *f = mode_path ? fopen(mode_path, "r") : NULL;

	out[0] = '\0';
	if (f) {
		if (!fgets(out, (int)cap, f))
			out[0] = '\0';
		fclose(f);
	}
	out[strcspn(out, "\r\n ")] = '\0';
}

static void respond(int fd, int status, const char *extra, const char *body)
{
	struct buf b = BUF_INIT;
	const char *p;
	size_t n;

	buf_printf(&b, "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
		   "Content-Length: %zu\r\nConnection: close\r\n%s\r\n%s",
		   status, strlen(body), extra ? extra : "", body);
	for (p = b.s, n = b.len; n; ) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			break;
		p += w;
		n -= (size_t)w;
	}
	buf_release(&b);
}

static const char *header(const char *head, const char *name, char *out, size_t cap)
{
	const char *p = head;
	size_t n = strlen(name);

	while ((p = strstr(p, "\r\n")) != NULL) {
		p += 2;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1, *e = strstr(v, "\r\n");

			while (*v == ' ')
				v++;
			snprintf(out, cap, "%.*s", (int)(e ? e - v : (long)strlen(v)), v);
			return out;
		}
	}
	return NULL;
}

static int64_t num(const struct json *o, const char *k)
{
	const struct json *v = o ? json_get(o, k) : NULL;
	int64_t x = -1;

	if (v)
		json_int(v, 0, INT64_MAX, &x);
	return x;
}

/* One batch item: returns its result object as JSON text in r. */
static void item(const struct json *it, const char *raw, size_t rawn, int idx, struct buf *r)
{
	static const char *const tok[] = { "inputTokens", "outputTokens", "cacheCreationTokens",
					   "cacheReadTokens" };
	const struct json *sid = json_get(it, "sessionId"), *tt = json_get(it, "toolType");
	const struct json *sl = json_get(it, "slices"), *s;
	int64_t tot[4], sum[4] = { 0 }, total = 0;
	char id[160];
	int i, k;

	for (k = 0; k < 4; k++) {
		tot[k] = num(it, tok[k]);
		total += tot[k] > 0 ? tot[k] : 0;
	}
	if (!sid || sid->type != JSON_STRING || tot[0] < 0 || tot[1] < 0 ||
	    !json_get(it, "endedAt") || !json_get(it, "sessionHash")) {
		buf_printf(r, "{\"index\":%d,\"status\":422,\"success\":false,\"error\":"
			   "{\"code\":\"validation_error\",\"message\":\"missing field\",\"field\":\"sessionId\"}}", idx);
		return;
	}
	if (sl) {
		for (s = sl->child; s; s = s->next)
			for (k = 0; k < 4; k++)
				sum[k] += num(s, tok[k]) > 0 ? num(s, tok[k]) : 0;
		for (k = 0; k < 4; k++)
			if (sum[k] != (tot[k] > 0 ? tot[k] : 0)) {
				buf_printf(r, "{\"index\":%d,\"status\":422,\"success\":false,\"error\":"
					   "{\"code\":\"slices_mismatch\",\"message\":\"slices do not add up\","
					   "\"field\":\"slices\"}}", idx);
				return;
			}
	}
	snprintf(id, sizeof(id), "%s:%s", tt && tt->type == JSON_STRING ? tt->str : "claude-code",
		 sid->str);
	for (i = 0; i < nknown; i++)
		if (strcmp(known[i].id, id) == 0)
			break;
	if (i < nknown) {
		if (strlen(known[i].body) == rawn && memcmp(known[i].body, raw, rawn) == 0) {
			buf_printf(r, "{\"index\":%d,\"status\":200,\"success\":true,\"duplicate\":true}", idx);
			return;
		}
		if (total < known[i].total) {
			buf_printf(r, "{\"index\":%d,\"status\":409,\"success\":false,\"error\":"
				   "{\"code\":\"session_conflict\",\"message\":\"smaller totals\"}}", idx);
			return;
		}
		free(known[i].body);
		known[i].body = strndup(raw, rawn);
		known[i].total = total;
		buf_printf(r, "{\"index\":%d,\"status\":200,\"success\":true,\"updated\":true}", idx);
	} else {
		if (nknown == MAX_SESSIONS)
			return;
		snprintf(known[nknown].id, sizeof(known[nknown].id), "%s", id);
		known[nknown].body = strndup(raw, rawn);
		known[nknown].total = total;
		nknown++;
		buf_printf(r, "{\"index\":%d,\"status\":201,\"success\":true,\"sessionId\":\"%s\"}",
			   idx, sid->str);
	}
	append(accepted_path, raw, rawn);
	append(accepted_path, "\n", 1);
}

static void batch(int fd, const char *body, size_t n)
{
	struct arena a = ARENA_INIT;
	struct json_status st = { 0 };
	struct json *root = json_parse(&a, body, n, &st), *arr, *it;
	struct buf r = BUF_INIT;
	int idx = 0;

	arr = root ? json_get(root, "sessions") : NULL;
	if (!arr || arr->type != JSON_ARRAY || arr->count < 1 || arr->count > 100) {
		respond(fd, 400, NULL, "{\"success\":false,\"error\":{\"code\":\"invalid_json\",\"message\":\"bad batch\"}}");
		arena_release(&a);
		return;
	}
	buf_adds(&r, "{\"success\":true,\"results\":[");
	for (it = arr->child; it; it = it->next, idx++) {
		/* the raw text of the item, to compare bodies exactly */
		struct buf one = BUF_INIT;
		const char *start = NULL, *end;
		int depth = 0, nth = 0;
		const char *p;

		/* find the idx-th top-level object inside the array */
		p = strchr(body, '[');
		for (p = p ? p + 1 : body; p < body + n; p++) {
			if (*p == '"') {
				for (p++; p < body + n && *p != '"'; p++)
					if (*p == '\\')
						p++;
				continue;
			}
			if (*p == '{') {
				if (depth == 0 && nth == idx)
					start = p;
				depth++;
			} else if (*p == '}') {
				depth--;
				if (depth == 0 && start) {
					end = p + 1;
					buf_add(&one, start, (size_t)(end - start));
					break;
				}
				if (depth == 0)
					nth++;
			}
		}
		if (idx)
			buf_addc(&r, ',');
		item(it, one.s ? one.s : "", one.len, idx, &r);
		buf_release(&one);
	}
	buf_adds(&r, "]}");
	respond(fd, 200, NULL, r.s);
	buf_release(&r);
	arena_release(&a);
}

/*
 * 1 if the request is signed for --key (any key when none was given):
 * scheme v2 when it has an Authorization header, else v1 (X-API-Key, and
 * for a body X-Timestamp and X-Signature).  line is the request line.
 */
static int authorised(const char *head, const char *line, const char *body, size_t n)
{
	char hv[600], ts[32], sig[80], method[8], target[512];
	const char *q;
	int now = (int)(time_now_ms() / 1000);

	if (sscanf(head, "%7s %511s", method, target) != 2)
		return 0;
	(void)line;
	if (header(head, "Authorization", hv, sizeof(hv))) {
		struct sign_v2_header h;
		unsigned char key[SIGN_KEY_LEN];
		char path[512];
		struct sign_v2_request r;

		if (!api_key || sign_v2_parse(hv, &h) != SIGN_OK ||
		    strncmp(h.key_id, api_key, SIGN_V2_KEY_ID_LEN) != 0 ||
		    sign_v2_derive_key(api_key, key))
			return 0;
		q = strchr(target, '?');
		snprintf(path, sizeof(path), "%.*s", q ? (int)(q - target) : (int)strlen(target), target);
		r.method = method;
		r.path = path;
		r.query = q ? q + 1 : "";
		r.body = n ? body : "";
		r.body_len = n;
		return sign_verify_v2(key, &h, &r, now, 300) == SIGN_OK;
	}
	if (!header(head, "X-API-Key", hv, sizeof(hv)) || (api_key && strcmp(hv, api_key) != 0))
		return 0;
	if (strcmp(method, "POST") != 0)
		return 1;
	return sign_verify_v1(hv, header(head, "X-Timestamp", ts, sizeof(ts)),
			      header(head, "X-Signature", sig, sizeof(sig)), body, n, now, 300) == SIGN_OK;
}

static void serve(int fd)
{
	struct buf req = BUF_INIT;
	char *head_end = NULL, m[32], hv[256];
	size_t body_off = 0, clen = 0;
	const char *path;

	for (;;) {
		ssize_t n;

		buf_grow(&req, 65536);
		n = read(fd, req.s + req.len, req.cap - req.len - 1);
		if (n <= 0)
			break;
		req.len += (size_t)n;
		req.s[req.len] = '\0';
		if (!head_end && (head_end = strstr(req.s, "\r\n\r\n")) != NULL) {
			body_off = (size_t)(head_end - req.s) + 4;
			*head_end = '\0';
			clen = header(req.s, "Content-Length", hv, sizeof(hv)) ? strtoul(hv, NULL, 10) : 0;
			*head_end = '\r';
		}
		if (head_end && req.len >= body_off + clen)
			break;
		if (req.len > MAX_REQ)
			break;
	}
	if (!head_end) {
		buf_release(&req);
		return;
	}
	append(log_path, req.s, req.len);
	append(log_path, "\n", 1);
	*head_end = '\0';
	mode(m, sizeof(m));
	path = strchr(req.s, ' ');
	path = path ? path + 1 : "";
	if (strcmp(m, "503") == 0) {
		respond(fd, 503, NULL, "{\"success\":false,\"error\":{\"code\":\"unavailable\",\"message\":\"down\"}}");
	} else if (strcmp(m, "429") == 0) {
		respond(fd, 429, "Retry-After: 1\r\n", "{\"success\":false,\"error\":{\"code\":\"rate_limit_exceeded\",\"message\":\"slow down\"}}");
	} else if (strncmp(path, "/api/v1/status ", 15) == 0) {
		respond(fd, 200, NULL, "{\"status\":\"operational\"}");
	} else if (strcmp(m, "401") == 0 || !authorised(req.s, path, req.s + body_off, clen)) {
		respond(fd, 401, NULL, "{\"success\":false,\"error\":{\"code\":\"api_key_invalid\",\"message\":\"invalid key\"}}");
	} else if (strncmp(path, "/api/v1/verify ", 15) == 0) {
		respond(fd, 200, NULL, "{\"valid\":true,\"username\":\"tester\",\"apiKeyPrefix\":\"modu_arena_00000000\","
			"\"privacyMode\":false,\"createdAt\":\"2025-01-01T00:00:00.000Z\"}");
	} else if (strncmp(path, "/api/v1/rank ", 13) == 0) {
		respond(fd, 200, NULL, "{\"username\":\"tester\",\"rankings\":{\"daily\":{\"position\":1,"
			"\"compositeScore\":512,\"totalParticipants\":3},\"weekly\":null,\"monthly\":null,"
			"\"allTime\":null},\"stats\":{\"totalTokens\":1234,\"totalSessions\":2,"
			"\"inputTokens\":1000,\"outputTokens\":234},\"lastUpdated\":\"2025-01-01T00:00:00.000Z\","
			"\"tier\":\"Silver\",\"streak\":2}");
	} else if (strncmp(path, "/api/v1/sessions/batch ", 23) == 0) {
		batch(fd, req.s + body_off, clen);
	} else {
		respond(fd, 404, NULL, "{\"success\":false,\"error\":{\"code\":\"not_found\",\"message\":\"no such endpoint\"}}");
	}
	buf_release(&req);
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	const char *port_file = NULL;
	int s, i, one = 1;
	FILE *f;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--port-file") == 0) port_file = argv[i + 1];
		else if (strcmp(argv[i], "--log") == 0) log_path = argv[i + 1];
		else if (strcmp(argv[i], "--accepted") == 0) accepted_path = argv[i + 1];
		else if (strcmp(argv[i], "--mode-file") == 0) mode_path = argv[i + 1];
		else if (strcmp(argv[i], "--key") == 0) api_key = argv[i + 1];
	}
	signal(SIGPIPE, SIG_IGN);
	s = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) || listen(s, 16) ||
	    getsockname(s, (struct sockaddr *)&sa, &sl)) {
		perror("capture-server");
		return 1;
	}
	if (port_file && (f = fopen(port_file, "w")) != NULL) {
		fprintf(f, "%d\n", ntohs(sa.sin_port));
		fclose(f);
	}
	for (;;) {
		int c = accept(s, NULL, NULL);

		if (c < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		serve(c);
		close(c);
	}
	return 0;
}
