/*
 * fake-github.c -- a stand-in for GitHub's OAuth endpoints in tests
 *
 *	fake-github --port-file F --client-id ID --client-secret S
 *	            [--user-file F] [--mode-file F]
 *
 * Listens on 127.0.0.1 (an ephemeral port, written to the port file) and
 * serves what sign-in uses:
 *   GET  /login/oauth/authorize       checks client_id and the S256
 *        challenge, then redirects at once to redirect_uri with a fresh
 *        code and the state (a returning user who approved before)
 *   POST /login/oauth/access_token    checks client id and secret, that
 *        the code exists and was not used (codes are single-use), that
 *        redirect_uri is the one given at authorize, and that
 *        base64url(SHA-256(code_verifier)) equals the challenge; errors
 *        come as 200 with {"error": ...}, as GitHub sends them
 *   GET  /user                         the user in the user file (one JSON
 *        object, read at every request) for a token it issued
 * The mode file, read at every request, makes it misbehave: "deny"
 * (authorize answers error=access_denied), "down" (the token endpoint
 * closes the connection without answering), "slow" (it answers after
 * 7 s), "garbage" (200 with HTML), "error" (500), "user-error" (/user
 * answers 401).  One connection at a time; it runs until killed.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"

#define MAX_CODES 256

struct code {
	char code[41], challenge[44], redirect[512], token[45];
	int used;
};

static struct code codes[MAX_CODES];
static int ncodes;
static const char *mode_path, *user_path, *client_id, *client_secret;

static void read_small(const char *path, char *out, size_t cap)
{
	FILE *f = path ? fopen(path, "r") : NULL;
	size_t n = 0;

	if (f) {
		n = fread(out, 1, cap - 1, f);
		fclose(f);
	}
	out[n] = '\0';
}

static int mode_is(const char *m)
{
	char buf[64];

	read_small(mode_path, buf, sizeof(buf));
	buf[strcspn(buf, "\r\n ")] = '\0';
	return strcmp(buf, m) == 0;
}

static void send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void respond(int fd, int status, const char *type, const char *extra, const char *body)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		   "Connection: close\r\n%s\r\n%s", status, type, strlen(body),
		   extra ? extra : "", body);
	send_all(fd, b.s, b.len);
	buf_release(&b);
}

/* Decodes %XX and + of s[0..n) into out (cap bytes); -1 if it does not fit. */
static int decode(const char *s, size_t n, char *out, size_t cap)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '%' && i + 2 < n && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
			c = (char)(hex_digit(s[i + 1]) << 4 | hex_digit(s[i + 2]));
			i += 2;
		} else if (c == '+') {
			c = ' ';
		}
		if (o + 1 >= cap)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

/* The decoded value of name in urlencoded pairs, or NULL. */
static const char *param(const char *pairs, const char *name, char *out, size_t cap)
{
	size_t nlen = strlen(name);
	const char *s = pairs;

	while (s && *s) {
		size_t len = strcspn(s, "& \r\n");

		if (len > nlen && strncmp(s, name, nlen) == 0 && s[nlen] == '=')
			return decode(s + nlen + 1, len - nlen - 1, out, cap) ? NULL : out;
		s += len;
		if (*s != '&')
			break;
		s++;
	}
	return NULL;
}

static void random_hex(char *out, size_t bytes)
{
	unsigned char r[32];

	crypto_random(r, bytes);
	hex_encode(r, bytes, out);
}

static void url_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-_.~", c))
			buf_addc(b, (char)c);
		else
			buf_printf(b, "%%%02X", c);
	}
}

static void authorize(int fd, const char *query)
{
	char cid[128], redirect[512], state[256], challenge[128], method[16];
	struct buf loc = BUF_INIT;
	struct code *c;

	if (!param(query, "client_id", cid, sizeof(cid)) || strcmp(cid, client_id) != 0 ||
	    !param(query, "redirect_uri", redirect, sizeof(redirect)) ||
	    !param(query, "state", state, sizeof(state)) ||
	    !param(query, "code_challenge", challenge, sizeof(challenge)) ||
	    strlen(challenge) != 43 ||
	    !param(query, "code_challenge_method", method, sizeof(method)) ||
	    strcmp(method, "S256") != 0 || ncodes == MAX_CODES) {
		respond(fd, 400, "text/plain", NULL, "bad authorize request\n");
		return;
	}
	buf_printf(&loc, "Location: %s%s", redirect, strchr(redirect, '?') ? "&" : "?");
	if (mode_is("deny")) {
		buf_adds(&loc, "error=access_denied&state=");
	} else {
		c = &codes[ncodes++];
		random_hex(c->code, 20);
		snprintf(c->challenge, sizeof(c->challenge), "%s", challenge);
		snprintf(c->redirect, sizeof(c->redirect), "%s", redirect);
		buf_printf(&loc, "code=%s&state=", c->code);
	}
	url_escape(&loc, state);
	buf_adds(&loc, "\r\n");
	respond(fd, 302, "text/plain", loc.s, "");
	buf_release(&loc);
}

static void token_error(int fd, const char *error)
{
	char body[256];

	snprintf(body, sizeof(body), "{\"error\":\"%s\",\"error_description\":\"refused\"}", error);
	respond(fd, 200, "application/json", NULL, body);
}

static void token(int fd, const char *body)
{
	char cid[128], secret[128], code[64], redirect[512], verifier[256], want[44];
	unsigned char h[SHA256_LEN];
	struct code *c = NULL;
	char out[256];
	int i;

	if (mode_is("down"))
		return;		/* closes the connection with no answer */
	if (mode_is("slow"))
		sleep(7);
	if (mode_is("garbage"))
		return respond(fd, 200, "text/html", NULL, "<html><body>Unicorn!</body></html>");
	if (mode_is("error"))
		return respond(fd, 500, "application/json", NULL, "{\"message\":\"Server Error\"}");
	if (!param(body, "client_id", cid, sizeof(cid)) || strcmp(cid, client_id) != 0 ||
	    !param(body, "client_secret", secret, sizeof(secret)) ||
	    strcmp(secret, client_secret) != 0)
		return token_error(fd, "incorrect_client_credentials");
	if (param(body, "code", code, sizeof(code)))
		for (i = 0; i < ncodes; i++)
			if (strcmp(codes[i].code, code) == 0)
				c = &codes[i];
	if (!c || c->used)
		return token_error(fd, "bad_verification_code");
	c->used = 1;
	if (!param(body, "redirect_uri", redirect, sizeof(redirect)) ||
	    strcmp(redirect, c->redirect) != 0)
		return token_error(fd, "redirect_uri_mismatch");
	if (!param(body, "code_verifier", verifier, sizeof(verifier)))
		return token_error(fd, "bad_verification_code");
	crypto_sha256(verifier, strlen(verifier), h);
	base64url_encode(h, sizeof(h), want);
	if (strcmp(want, c->challenge) != 0)
		return token_error(fd, "bad_verification_code");
	memcpy(c->token, "gho_", 4);
	random_hex(c->token + 4, 20);
	snprintf(out, sizeof(out), "{\"access_token\":\"%s\",\"token_type\":\"bearer\",\"scope\":\"\"}",
		 c->token);
	respond(fd, 200, "application/json", NULL, out);
}

static void user(int fd, const char *head)
{
	const char *auth = strcasestr(head, "\r\nAuthorization: Bearer ");
	char tok[64] = "", body[4096];
	int i;

	if (auth)
		sscanf(auth + 24, "%63[A-Za-z0-9_]", tok);
	if (!strcasestr(head, "\r\nUser-Agent: "))
		return respond(fd, 403, "application/json", NULL, "{\"message\":\"no User-Agent\"}");
	if (mode_is("user-error"))
		return respond(fd, 401, "application/json", NULL, "{\"message\":\"Bad credentials\"}");
	for (i = 0; i < ncodes; i++)
		if (tok[0] && strcmp(codes[i].token, tok) == 0) {
			read_small(user_path, body, sizeof(body));
			return respond(fd, 200, "application/json", NULL, body);
		}
	respond(fd, 401, "application/json", NULL, "{\"message\":\"Bad credentials\"}");
}

static void serve_one(int fd)
{
	static char req[65536];
	size_t got = 0, need = 0;
	char *end = NULL, *cl, path[2048];

	for (;;) {
		ssize_t r = read(fd, req + got, sizeof(req) - 1 - got);

		if (r <= 0)
			return;
		got += (size_t)r;
		req[got] = '\0';
		if (!end && (end = strstr(req, "\r\n\r\n"))) {
			cl = strcasestr(req, "\r\nContent-Length:");
			need = (size_t)(end + 4 - req) + (cl ? strtoul(cl + 17, NULL, 10) : 0);
		}
		if (end && got >= need)
			break;
		if (got == sizeof(req) - 1)
			return;
	}
	*end = '\0';
	if (sscanf(req, "%*s %2047s", path) != 1)
		return;
	if (strncmp(req, "GET /login/oauth/authorize?", 27) == 0)
		authorize(fd, strchr(path, '?') + 1);
	else if (strncmp(req, "POST /login/oauth/access_token ", 31) == 0)
		token(fd, end + 4);
	else if (strncmp(req, "GET /user ", 10) == 0)
		user(fd, req);
	else
		respond(fd, 404, "application/json", NULL, "{\"message\":\"Not Found\"}");
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	const char *port_file = NULL;
	FILE *f;
	int s, i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--port-file") == 0)
			port_file = argv[i + 1];
		else if (strcmp(argv[i], "--mode-file") == 0)
			mode_path = argv[i + 1];
		else if (strcmp(argv[i], "--user-file") == 0)
			user_path = argv[i + 1];
		else if (strcmp(argv[i], "--client-id") == 0)
			client_id = argv[i + 1];
		else if (strcmp(argv[i], "--client-secret") == 0)
			client_secret = argv[i + 1];
	}
	if (!port_file || !client_id || !client_secret) {
		fputs("usage: fake-github --port-file F --client-id ID --client-secret S"
		      " [--user-file F] [--mode-file F]\n", stderr);
		return 2;
	}
	s = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) || listen(s, 16) ||
	    getsockname(s, (struct sockaddr *)&sa, &sl)) {
		perror("fake-github");
		return 1;
	}
	if (!(f = fopen(port_file, "w")))
		return 1;
	fprintf(f, "%d\n", ntohs(sa.sin_port));
	fclose(f);
	for (;;) {
		int c = accept(s, NULL, NULL);

		if (c < 0)
			continue;
		serve_one(c);
		close(c);
	}
}
