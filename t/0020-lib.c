/* 0020-lib.c -- numbers, times, keys, MACs, configuration, arena */
#include <stdlib.h>
#include <string.h>

#include "apikey.h"
#include "arena.h"
#include "conf.h"
#include "crypto.h"
#include "num.h"
#include "serve.h"
#include "timeutil.h"
#include "tap.h"

static void test_num(void)
{
	int64_t v = 0;

	ok(num_parse_i64z("0", 0, 10, &v) == NUM_OK && v == 0, "0 parses");
	ok(num_parse_i64z("1700000000", 0, INT64_MAX, &v) == NUM_OK && v == 1700000000, "timestamp parses");
	is_int(num_parse_i64z(" 17", 0, 100, &v), NUM_SYNTAX, "leading space refused");
	is_int(num_parse_i64z("+17", 0, 100, &v), NUM_SYNTAX, "leading plus refused");
	is_int(num_parse_i64z("017", 0, 100, &v), NUM_SYNTAX, "leading zero refused");
	is_int(num_parse_i64z("0x10", 0, 100, &v), NUM_SYNTAX, "hex refused");
	is_int(num_parse_i64z("1.7e9", 0, INT64_MAX, &v), NUM_SYNTAX, "exponent refused");
	is_int(num_parse_i64z("", 0, 100, &v), NUM_SYNTAX, "empty refused");
	is_int(num_parse_i64z("-", INT64_MIN, 100, &v), NUM_SYNTAX, "lone minus refused");
	is_int(num_parse_i64z("-1", 0, 100, &v), NUM_RANGE, "negative below min is a range error");
	is_int(num_parse_i64z("99999999999999999999", 0, INT64_MAX, &v), NUM_RANGE, "20 digits overflow cleanly");
	ok(num_parse_i64z("9223372036854775807", 0, INT64_MAX, &v) == NUM_OK && v == INT64_MAX, "INT64_MAX parses");
	is_int(num_parse_i64z("9223372036854775808", 0, INT64_MAX, &v), NUM_RANGE, "INT64_MAX+1 is a range error");
	ok(num_parse_i64z("-9223372036854775808", INT64_MIN, 0, &v) == NUM_OK && v == INT64_MIN, "INT64_MIN parses");
	is_int(num_parse_i64z("12a", 0, 1000, &v), NUM_SYNTAX, "trailing letter refused");
}

static void test_time(void)
{
	int64_t ms = 0;
	char out[TIME_ISO_LEN + 1];
	const char *s;

	s = "2025-01-11T12:00:00.000Z";
	ok(time_parse_rfc3339(s, strlen(s), &ms) == 0 && ms == 1736596800000LL, "ISO with millis parses");
	time_format_iso(ms, out);
	is_str(out, "2025-01-11T12:00:00.000Z", "formats back to the same text");
	s = "2025-01-11T12:00:00Z";
	ok(time_parse_rfc3339(s, strlen(s), &ms) == 0 && ms == 1736596800000LL, "without fraction");
	s = "2025-01-11T21:00:00+09:00";
	ok(time_parse_rfc3339(s, strlen(s), &ms) == 0 && ms == 1736596800000LL, "offset is applied");
	s = "2025-01-11T12:00:00.123456789Z";
	ok(time_parse_rfc3339(s, strlen(s), &ms) == 0 && ms == 1736596800123LL, "nanoseconds truncate to ms");
	s = "2024-02-29T00:00:00Z";
	ok(time_parse_rfc3339(s, strlen(s), &ms) == 0, "leap day accepted");
	s = "2025-02-29T00:00:00Z";
	ok(time_parse_rfc3339(s, strlen(s), &ms) != 0, "non-leap Feb 29 refused");
	s = "1970-01-01T00:00:00Z";
	ok(time_parse_rfc3339(s, strlen(s), &ms) != 0, "year 1970 refused");
	s = "3000-01-01T00:00:00Z";
	ok(time_parse_rfc3339(s, strlen(s), &ms) != 0, "year 3000 refused");
	s = "2025-01-11 12:00:00Z";
	ok(time_parse_rfc3339(s, strlen(s), &ms) != 0, "space separator refused");
	s = "2025-01-11T12:00:00";
	ok(time_parse_rfc3339(s, strlen(s), &ms) != 0, "missing zone refused");
	s = "2025-01-11T24:00:00Z";
	ok(time_parse_rfc3339(s, strlen(s), &ms) != 0, "hour 24 refused");
	s = "2025-01-11T12:00:00.Z";
	ok(time_parse_rfc3339(s, strlen(s), &ms) != 0, "empty fraction refused");
	is_int(days_from_civil(1970, 1, 1), 0, "epoch day 0");
	is_int(days_from_civil(2000, 3, 1), 11017, "2000-03-01 day number");
	{
		int64_t y;
		unsigned m, d;

		civil_from_days(20454, &y, &m, &d);
		ok(y == 2026 && m == 1 && d == 1, "civil_from_days inverts");
	}
}

static void test_keys(void)
{
	char key[APIKEY_LEN + 1], key2[APIKEY_LEN + 1], prefix[APIKEY_PREFIX_LEN + 1], hex[65];
	unsigned char h[SHA256_LEN], mac[SHA256_LEN], back[SHA256_LEN];
	static const char fox[] = "The quick brown fox jumps over the lazy dog";

	ok(apikey_generate(key) == 0, "generates a key");
	ok(apikey_well_formed(key), "generated key is well formed: %.19s...", key);
	ok(strncmp(key, "modu_arena_", 11) == 0 && key[19] == '_', "seed's format modu_arena_<8>_<32>");
	apikey_generate(key2);
	ok(strcmp(key, key2) != 0, "two keys differ");
	apikey_prefix(key, prefix);
	ok(strlen(prefix) == 19 && strncmp(prefix, key, 19) == 0, "prefix is the first 19 characters");
	ok(!apikey_well_formed("abc"), "short key refused");
	ok(!apikey_well_formed("modu_arena_0123456_0123456789abcdef0123456789abcdef0"), "misplaced separator refused");
	ok(!apikey_well_formed("modu_arena_0123456G_0123456789abcdef0123456789abcdef"), "non-hex refused");
	ok(!apikey_well_formed("modu_arena_01234567_0123456789ABCDEF0123456789abcdef"), "uppercase hex refused");
	ok(apikey_well_formed("modu_arena_01234567_0123456789abcdef0123456789abcdef"), "a literal key is well formed");
	apikey_hash("modu_arena_01234567_0123456789abcdef0123456789abcdef", h);
	hex_encode(h, sizeof(h), hex);
	crypto_sha256("modu_arena_01234567_0123456789abcdef0123456789abcdef", 52, back);
	ok(crypto_equal(h, back, sizeof(h)), "key hash is SHA-256 of the text");
	ok(hex_decode(hex, 64, back, sizeof(back)) == 0 && crypto_equal(h, back, 32), "hex round-trips");
	ok(hex_decode("0G", 2, back, 1) != 0, "bad hex refused");
	ok(crypto_hmac_sha256("key", 3, fox, strlen(fox), mac) == 0, "HMAC computes");
	hex_encode(mac, sizeof(mac), hex);
	is_str(hex, "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", "HMAC-SHA256 textbook vector");
}

static void test_conf_and_paths(void)
{
	setenv("ARENA_BACKFILL_DAYS", "30", 1);
	setenv("ARENA_WORKERS", "0x10", 1);
	conf_load();
	is_int(arena_conf.backfill_days, 30, "integer variable read");
	is_int(arena_conf.workers, 2, "malformed variable falls back to its default");
	unsetenv("ARENA_BACKFILL_DAYS");
	unsetenv("ARENA_WORKERS");
	conf_load();
	is_int(arena_conf.backfill_days, 90, "default backfill window is 90 days");
	is_int(arena_conf.sign_window, 300, "default signature window is 300 s");

	ok(path_is_canonical("/api/v1/sessions"), "plain path is canonical");
	ok(!path_is_canonical("/api//v1/sessions"), "// is not canonical");
	ok(!path_is_canonical("/api/v1/../sessions"), "dot-dot is not canonical");
	ok(!path_is_canonical("/api/./v1"), "dot segment is not canonical");
	ok(!path_is_canonical("/api/%2e%2e/v1"), "percent escapes are not canonical");
	ok(!path_is_canonical("/api/v1/sessions;x=1"), "matrix parameters are not canonical");
	ok(!path_is_canonical("api/v1"), "relative path is not canonical");
	ok(path_is_canonical("/api/v1/.well-known"), "dot inside a segment is fine");
}

static void test_arena(void)
{
	struct arena a = ARENA_INIT;
	char *p, *big;
	int i, aligned = 1;

	for (i = 0; i < 10000; i++) {
		p = arena_alloc(&a, (size_t)(i % 97) + 1);
		if ((uintptr_t)p % 16)
			aligned = 0;
		p[0] = 'x';
	}
	ok(aligned, "allocations are 16-byte aligned");
	big = arena_alloc(&a, 1 << 20);
	big[(1 << 20) - 1] = 1;
	is_str(arena_printf(&a, "%s-%d", "n", 42), "n-42", "arena_printf formats");
	arena_reset(&a);
	is_int(a.used, 0, "reset empties the arena");
	ok(arena_alloc(&a, 8) != NULL, "usable after reset");
	arena_release(&a);
}

int main(void)
{
	test_num();
	test_time();
	test_keys();
	test_conf_and_paths();
	test_arena();
	return done_testing();
}
