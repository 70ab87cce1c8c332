/* log.c -- timestamped log lines with the request's context (log.h) */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "timeutil.h"

static const char *log_name = "modu-arena";
static const char *cur_id, *cur_client;
static const char *const *cur_user;

void log_init(const char *name)
{
	log_name = name;
}

void log_request(const char *request_id, const char *client, const char *const *user)
{
	cur_id = request_id;
	cur_client = client;
	cur_user = user;
}

void log_msg(const char *fmt, ...)
{
	char now[TIME_ISO_LEN + 1], msg[2048];
	va_list ap;
	size_t n, i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	for (i = 0; i < n; i++)
		if (msg[i] == '\n' || msg[i] == '\r' || msg[i] == '\t')
			msg[i] = ' ';
	time_format_iso(time_now_ms(), now);
	fprintf(stderr, "%s %s: %s", now, log_name, msg);
	if (cur_id)
		fprintf(stderr, " request_id=%s", cur_id);
	if (cur_client)
		fprintf(stderr, " client=%s", cur_client);
	if (cur_user && *cur_user)
		fprintf(stderr, " user=%s", *cur_user);
	fputc('\n', stderr);
}
