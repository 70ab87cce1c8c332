/* replay.c -- a signed request is accepted once */
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "crypto.h"
#include "replay.h"

enum replay_result replay_check(struct db *db, const unsigned char sig[32], int64_t ts)
{
	char hex[65], exp[24];
	const char *vals[2] = { hex, exp };
	PGresult *res;
	enum replay_result r;

	hex_encode(sig, 32, hex);
	/* the signature could be accepted until ts + window: remember it that long */
	snprintf(exp, sizeof(exp), "%lld", (long long)(ts + arena_conf.sign_window + 1));
	res = db_run(db, "replay_remember", 2, vals);
	if (!res || PQntuples(res) != 1) {
		PQclear(res);
		return REPLAY_UNAVAILABLE;
	}
	r = strcmp(PQgetvalue(res, 0, 0), "t") == 0 ? REPLAY_FRESH : REPLAY_SEEN;
	PQclear(res);
	return r;
}
