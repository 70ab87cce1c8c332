/*
 * gen-requests.c -- signed session uploads for the ingest benchmark
 *
 *	gen-requests KEYFILE COUNT > requests.tsv
 *
 * KEYFILE has one API key per line.  Prints COUNT lines of
 * "key TAB timestamp TAB signature TAB body", each a distinct session of
 * a key taken in turn, stamped now: replay them within the signature
 * window (five minutes).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "num.h"
#include "sign.h"
#include "timeutil.h"

#define MAX_KEYS 10000

int main(int argc, char **argv)
{
	static char keys[MAX_KEYS][64];
	char ts[32], iso[TIME_ISO_LEN + 1], body[2048], sig[65];
	int64_t count, i, now = time(NULL);
	size_t nkeys = 0;
	FILE *f;

	if (argc != 3 || num_parse_i64z(argv[2], 1, 100000000, &count) != NUM_OK) {
		fputs("usage: gen-requests KEYFILE COUNT\n", stderr);
		return 2;
	}
	f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	while (nkeys < MAX_KEYS && fgets(keys[nkeys], sizeof(keys[0]), f)) {
		keys[nkeys][strcspn(keys[nkeys], "\n")] = '\0';
		if (keys[nkeys][0])
			nkeys++;
	}
	fclose(f);
	if (!nkeys)
		return 1;
	snprintf(ts, sizeof(ts), "%" PRId64, now);
	time_format_iso((now - 60) * 1000, iso);
	for (i = 0; i < count; i++) {
		const char *key = keys[i % (int64_t)nkeys];
		int n = snprintf(body, sizeof(body),
			"{\"sessionHash\":\"%064" PRIx64 "\",\"sessionId\":\"bench-%" PRId64 "-%" PRId64 "\","
			"\"toolType\":\"claude-code\",\"endedAt\":\"%s\",\"durationSeconds\":1800,"
			"\"inputTokens\":%" PRId64 ",\"outputTokens\":%" PRId64 ",\"cacheCreationTokens\":5000,"
			"\"cacheReadTokens\":200000,\"modelName\":\"claude-sonnet-4-20250514\",\"turnCount\":12,"
			"\"toolUsage\":{\"Read\":12,\"Edit\":3,\"Bash\":5},\"codeMetrics\":{\"linesAdded\":120,"
			"\"linesDeleted\":30,\"filesModified\":4,\"filesCreated\":1}}",
			(uint64_t)i + 1, now, i, iso, 40000 + i % 1000, 8000 + i % 100);

		if (n <= 0 || (size_t)n >= sizeof(body) || sign_v1(key, ts, body, (size_t)n, sig))
			return 1;
		printf("%s\t%s\t%s\t%s\n", key, ts, sig, body);
	}
	return 0;
}
