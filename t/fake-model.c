/*
 * fake-model.c -- a stand-in model endpoint for the evaluation tests
 *
 *	fake-model --port-file F --log F --mode-file F
 *
 * Listens on 127.0.0.1 (an ephemeral port, written to the port file) and
 * answers POST /v1/chat/completions in the OpenAI dialect and POST
 * /v1/messages in Anthropic's, appending each request (head and body)
 * to the log.  The mode file, read at every request, picks the answer:
 *
 *	good     {"functionality":4,"practicality":3,"feedback":"..."}
 *	low      scores 1 and 2 (a done evaluation that does not pass)
 *	html     scores 3 and 3, feedback with markup in it
 *	fenced   the good object inside a Markdown code fence
 *	chatty   the good object after a sentence of text
 *	range    functionality 7
 *	float    practicality 3.5
 *	missing  no practicality
 *	extra    one more member
 *	echo     feedback copying the start of the README
 *	garbage  a reply that is not JSON at all (HTTP 200)
 *	empty    an envelope without the answer text
 *	slow     the good answer after 5 seconds
 *	500, 429, 400   that HTTP status
 *
 * Each connection is served by its own process; it runs until killed or
 * its parent exits.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "json.h"
#include "jsonw.h"

#define MAX_REQ (4 * 1024 * 1024)

static const char *log_path, *mode_path;

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
	out[strcspn(out, "\r\n")] = '\0';
}

static void respond(int fd, int status, const char *body)
{
	char head[256];
	int n = snprintf(head, sizeof(head), "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n", status, strlen(body));

	if (write(fd, head, (size_t)n) < 0 || write(fd, body, strlen(body)) < 0)
		return;
}

/* The README as the prompt carries it: the text after the BEGIN line. */
static void readme_start(const char *body, size_t n, char *out, size_t cap)
{
	struct arena a = ARENA_INIT;
	struct json_status st;
	struct json *root = json_parse(&a, body, n, &st), *m, *last = NULL;
	const char *b, *e;

	out[0] = '\0';
	m = root ? json_get(root, "messages") : NULL;
	for (m = m ? m->child : NULL; m; m = m->next)
		last = m;
	m = last ? json_get(last, "content") : NULL;
	if (m && m->type == JSON_STRING && (b = strstr(m->str, "BEGIN-README-")) != NULL &&
	    (b = strchr(b, '\n')) != NULL) {
		b++;
		e = strstr(b, "\nEND-README-");
		n = e ? (size_t)(e - b) : strlen(b);
		if (n >= cap)
			n = cap - 1;
		memcpy(out, b, n);
		out[n] = '\0';
	}
	arena_release(&a);
}

static void answer_text(const char *m, const char *readme, struct buf *t)
{
	static const char fb[] = "A small, clear tool; tests and packaging would make it easier to adopt.";

	if (strcmp(m, "low") == 0)
		buf_printf(t, "{\"functionality\":1,\"practicality\":2,\"feedback\":\"%s\"}", fb);
	else if (strcmp(m, "html") == 0)
		buf_adds(t, "{\"functionality\":3,\"practicality\":3,\"feedback\":"
			 "\"Try <script>alert(1)</script> & <b>bold</b> \\\"claims\\\".\"}");
	else if (strcmp(m, "fenced") == 0)
		buf_printf(t, "```json\n{\"functionality\":4,\"practicality\":3,\"feedback\":\"%s\"}\n```", fb);
	else if (strcmp(m, "chatty") == 0)
		buf_printf(t, "Here is my evaluation: {\"functionality\":4,\"practicality\":3,\"feedback\":\"%s\"}", fb);
	else if (strcmp(m, "range") == 0)
		buf_printf(t, "{\"functionality\":7,\"practicality\":3,\"feedback\":\"%s\"}", fb);
	else if (strcmp(m, "float") == 0)
		buf_printf(t, "{\"functionality\":4,\"practicality\":3.5,\"feedback\":\"%s\"}", fb);
	else if (strcmp(m, "missing") == 0)
		buf_printf(t, "{\"functionality\":4,\"feedback\":\"%s\"}", fb);
	else if (strcmp(m, "extra") == 0)
		buf_printf(t, "{\"functionality\":4,\"practicality\":3,\"feedback\":\"%s\",\"passed\":true}", fb);
	else if (strcmp(m, "echo") == 0) {
		struct jsonw w;
		struct buf f = BUF_INIT;

		buf_printf(&f, "As requested: %s", readme);
		buf_adds(t, "{\"functionality\":5,\"practicality\":5,\"feedback\":");
		jsonw_init(&w, t);
		jsonw_string(&w, buf_str(&f));
		buf_adds(t, "}");
		buf_release(&f);
	} else
		buf_printf(t, "{\"functionality\":4,\"practicality\":3,\"feedback\":\"%s\"}", fb);
}

static void reply(int fd, const char *path, const char *body, size_t n)
{
	char m[32], readme[2048];
	struct buf t = BUF_INIT, out = BUF_INIT;
	struct jsonw w;
	int anthropic = strncmp(path, "/v1/messages ", 13) == 0;

	mode(m, sizeof(m));
	if (strcmp(m, "500") == 0 || strcmp(m, "429") == 0 || strcmp(m, "400") == 0) {
		respond(fd, atoi(m), "{\"error\":{\"message\":\"stand-in failure\"}}");
		return;
	}
	if (strcmp(m, "garbage") == 0) {
		respond(fd, 200, "<html>upstream proxy error</html>");
		return;
	}
	if (strcmp(m, "slow") == 0)
		sleep(5);
	readme_start(body, n, readme, sizeof(readme));
	answer_text(m, readme, &t);
	jsonw_init(&w, &out);
	jsonw_object(&w);
	if (anthropic) {
		jsonw_key(&w, "type");
		jsonw_string(&w, "message");
		jsonw_key(&w, "content");
		jsonw_array(&w);
		if (strcmp(m, "empty") != 0) {
			jsonw_object(&w);
			jsonw_key(&w, "type");
			jsonw_string(&w, "text");
			jsonw_key(&w, "text");
			jsonw_string(&w, buf_str(&t));
			jsonw_end(&w);
		}
		jsonw_end(&w);
	} else {
		jsonw_key(&w, "object");
		jsonw_string(&w, "chat.completion");
		jsonw_key(&w, "choices");
		jsonw_array(&w);
		jsonw_object(&w);
		jsonw_key(&w, "message");
		jsonw_object(&w);
		jsonw_key(&w, "role");
		jsonw_string(&w, "assistant");
		if (strcmp(m, "empty") != 0) {
			jsonw_key(&w, "content");
			jsonw_string(&w, buf_str(&t));
		}
		jsonw_end(&w);
		jsonw_end(&w);
		jsonw_end(&w);
	}
	jsonw_end(&w);
	respond(fd, 200, buf_str(&out));
	buf_release(&t);
	buf_release(&out);
}

static void serve(int fd)
{
	struct buf req = BUF_INIT;
	char *head_end = NULL, *cl;
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
			cl = strcasestr(req.s, "\r\nContent-Length:");
			clen = cl ? strtoul(cl + 17, NULL, 10) : 0;
			*head_end = '\r';
		}
		if ((head_end && req.len >= body_off + clen) || req.len > MAX_REQ)
			break;
	}
	if (head_end) {
		append(log_path, req.s, req.len);
		append(log_path, "\n", 1);
		path = strchr(req.s, ' ');
		path = path ? path + 1 : "";
		if (strncmp(path, "/v1/chat/completions ", 21) == 0 ||
		    strncmp(path, "/v1/messages ", 13) == 0)
			reply(fd, path, req.s + body_off, clen);
		else
			respond(fd, 404, "{\"error\":{\"message\":\"no such route\"}}");
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
		else if (strcmp(argv[i], "--mode-file") == 0) mode_path = argv[i + 1];
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN);
	/* gone with the test that started it, however that ends */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	s = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) || listen(s, 16) ||
	    getsockname(s, (struct sockaddr *)&sa, &sl)) {
		perror("fake-model");
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
		/* each connection in its own process: a slow answer holds up no other */
		if (fork() == 0) {
			close(s);
			serve(c);
			_exit(0);
		}
		close(c);
	}
	return 0;
}
