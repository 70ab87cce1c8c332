/*
 * fuzz-transcript.c -- the client's parser of transcript lines
 *
 * The client reads JSONL transcripts that other programs wrote; a line
 * can be anything.  cc_parse_line() gets the line as the client reads it
 * (a span of a larger buffer, not NUL-terminated), and every span it
 * returns must lie inside that line.
 */
#include <stdlib.h>
#include <string.h>

#include "claude.h"
#include "fuzz.h"

static void inside(const struct jstr *s, const char *p, size_t n)
{
	if (s->n && (s->s < p || s->s + s->n > p + n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cc_line L;
	char *line = malloc(size ? size : 1);
	size_t i;

	if (!line)
		return 0;
	if (size)
		memcpy(line, data, size);
	cc_parse_line(line, size, &L);
	inside(&L.session_id, line, size);
	inside(&L.uuid, line, size);
	inside(&L.msg_id, line, size);
	inside(&L.req_id, line, size);
	inside(&L.model, line, size);
	inside(&L.file_path, line, size);
	if (L.ntools > CC_MAX_TOOLS || L.nresults > CC_MAX_RESULTS)
		abort();
	for (i = 0; i < L.ntools; i++) {
		inside(&L.tools[i].id, line, size);
		inside(&L.tools[i].name, line, size);
	}
	for (i = 0; i < L.nresults; i++)
		inside(&L.results[i], line, size);
	for (i = 0; i < TOK_N; i++)
		if (L.usage_ok && L.tok[i] < 0)
			abort();	/* a token count is never negative */
	free(line);
	return 0;
}
