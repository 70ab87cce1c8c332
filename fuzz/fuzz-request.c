/*
 * fuzz-request.c -- what serve.c and the handlers read from a request:
 * query strings, paths, integers, timestamps, X-Forwarded-For
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fuzz.h"
#include "netaddr.h"
#include "num.h"
#include "req.h"
#include "serve.h"
#include "timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct cidr_list trusted = CIDR_LIST_INIT;
	struct req rq;
	const char *v;
	char *s = malloc(size + 1);
	int64_t n, ms;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';	/* these inputs arrive as C strings from libfcgi */

	memset(&rq, 0, sizeof(rq));
	rq.a = &a;
	rq.query = s;
	req_query(&rq, "limit", &v);
	req_query(&rq, "a", &v);
	if (path_is_canonical(s) && (strstr(s, "//") || strstr(s, "/./") || strstr(s, "/../") ||
				     strchr(s, '%') || strchr(s, ';')))
		abort();	/* a non-canonical path passed as canonical */

	if (num_parse_i64((const char *)data, size, INT64_MIN, INT64_MAX, &n) == NUM_OK &&
	    (size == 0 || (data[0] != '-' && (data[0] < '0' || data[0] > '9'))))
		abort();
	if (time_parse_rfc3339((const char *)data, size, &ms) == 0) {
		char iso[TIME_ISO_LEN + 1];
		int64_t back;

		time_format_iso(ms, iso);
		/* an offset can move the instant out of the accepted years, else it must read back */
		if (time_parse_rfc3339(iso, strlen(iso), &back) == 0 && back != ms)
			abort();
	}

	if (cidr_list_parse("10.0.0.0/8, ::1, 127.0.0.1", &trusted) == 0) {
		v = netaddr_client(&a, "10.1.2.3", s, &trusted);
		if (strlen(v) >= NETADDR_TEXT_LEN)
			abort();
	}
	cidr_list_parse(s, &trusted);
	cidr_list_release(&trusted);
	free(s);
	arena_release(&a);
	return 0;
}
