/* 0710-i18n.c -- catalogs, placeholders, plurals and locale formatting */
#include <stdio.h>
#include <stdlib.h>

#include <cJSON.h>

#include "i18n.h"
#include "tap.h"

static struct buf b = BUF_INIT;

static const char *compact(enum lang l, int64_t v)
{
	buf_reset(&b);
	fmt_compact(&b, l, v);
	return buf_str(&b);
}

static const char *num(enum lang l, int64_t v)
{
	buf_reset(&b);
	fmt_num(&b, l, v);
	return buf_str(&b);
}

static const char *date(enum lang l, int64_t s)
{
	buf_reset(&b);
	fmt_date(&b, l, s);
	return buf_str(&b);
}

static const char *fmt(enum lang l, const char *msg, const struct i18n_arg *a, int n, int esc)
{
	buf_reset(&b);
	i18n_format(&b, l, msg, a, n, esc);
	return buf_str(&b);
}

static void test_numbers(void)
{
	is_str(num(LANG_EN, 0), "0", "num: 0");
	is_str(num(LANG_EN, 999), "999", "num: 999");
	is_str(num(LANG_EN, 1000), "1,000", "num: 1,000");
	is_str(num(LANG_KO, 1234567), "1,234,567", "num: ko groups by thousands");
	is_str(num(LANG_ZH, -1234), "-1,234", "num: negative");
	buf_reset(&b);
	fmt_fixed(&b, LANG_EN, 123456, 2);
	is_str(buf_str(&b), "1,234.56", "fixed: 1,234.56");
	buf_reset(&b);
	fmt_fixed(&b, LANG_JA, 5, 2);
	is_str(buf_str(&b), "0.05", "fixed: 0.05");
}

static void test_compact(void)
{
	/* English: K M B T */
	is_str(compact(LANG_EN, 999), "999", "en: 999");
	is_str(compact(LANG_EN, 1000), "1K", "en: 1000 -> 1K");
	is_str(compact(LANG_EN, 9999), "10K", "en: 9999 -> 10K");
	is_str(compact(LANG_EN, 10000), "10K", "en: 10000 -> 10K");
	is_str(compact(LANG_EN, 999949), "999.9K", "en: 999,949 -> 999.9K");
	is_str(compact(LANG_EN, 999950), "1M", "en: 999,950 rounds up into M");
	is_str(compact(LANG_EN, 1234567), "1.2M", "en: 1.2M (the issue's example)");
	is_str(compact(LANG_EN, 99999999), "100M", "en: 99,999,999 -> 100M");
	is_str(compact(LANG_EN, 100000000), "100M", "en: 100,000,000 -> 100M");
	is_str(compact(LANG_EN, 3456789012LL), "3.5B", "en: 3.5B");
	is_str(compact(LANG_EN, 1200000000000LL), "1.2T", "en: 1.2T");
	/* Korean: 만 억 조 */
	is_str(compact(LANG_KO, 9999), "9,999", "ko: 9999 stays as is");
	is_str(compact(LANG_KO, 10000), "1\xEB\xA7\x8C", "ko: 10000 -> 1만");
	is_str(compact(LANG_KO, 1234567), "123.5\xEB\xA7\x8C", "ko: 123.5만 (the issue's example)");
	is_str(compact(LANG_KO, 99999999), "1\xEC\x96\xB5", "ko: 99,999,999 rounds up to 1억");
	is_str(compact(LANG_KO, 99940000), "9994\xEB\xA7\x8C", "ko: 99,940,000 -> 9994만");
	is_str(compact(LANG_KO, 100000000), "1\xEC\x96\xB5", "ko: 100,000,000 -> 1억");
	is_str(compact(LANG_KO, 123456789), "1.2\xEC\x96\xB5", "ko: 1.2억 (the issue's example)");
	is_str(compact(LANG_KO, 1500000000000LL), "1.5\xEC\xA1\xB0", "ko: 1.5조");
	/* Japanese: 万 億 兆 */
	is_str(compact(LANG_JA, 9999), "9,999", "ja: 9999 stays as is");
	is_str(compact(LANG_JA, 10000), "1\xE4\xB8\x87", "ja: 10000 -> 1万");
	is_str(compact(LANG_JA, 1234567), "123.5\xE4\xB8\x87", "ja: 123.5万");
	is_str(compact(LANG_JA, 99999999), "1\xE5\x84\x84", "ja: 99,999,999 -> 1億");
	is_str(compact(LANG_JA, 100000000), "1\xE5\x84\x84", "ja: 100,000,000 -> 1億");
	is_str(compact(LANG_JA, 123456789), "1.2\xE5\x84\x84", "ja: 1.2億");
	/* Chinese: 万 亿 万亿 */
	is_str(compact(LANG_ZH, 9999), "9,999", "zh: 9999 stays as is");
	is_str(compact(LANG_ZH, 10000), "1\xE4\xB8\x87", "zh: 10000 -> 1万");
	is_str(compact(LANG_ZH, 1234567), "123.5\xE4\xB8\x87", "zh: 123.5万");
	is_str(compact(LANG_ZH, 99999999), "1\xE4\xBA\xBF", "zh: 99,999,999 -> 1亿");
	is_str(compact(LANG_ZH, 100000000), "1\xE4\xBA\xBF", "zh: 100,000,000 -> 1亿");
	is_str(compact(LANG_ZH, 123456789), "1.2\xE4\xBA\xBF", "zh: 1.2亿");
	is_str(compact(LANG_ZH, 2000000000000LL), "2\xE4\xB8\x87\xE4\xBA\xBF", "zh: 2万亿");
	is_str(compact(LANG_EN, -1234567), "-1.2M", "negative values keep their sign");
}

static void test_dates(void)
{
	int64_t t = 1796601600;	/* 2026-12-07T00:00:00Z */

	is_str(date(LANG_EN, t), "Dec 7, 2026", "date: en");
	is_str(date(LANG_KO, t), "2026. 12. 7.", "date: ko");
	is_str(date(LANG_JA, t), "2026\xE5\xB9\xB4" "12\xE6\x9C\x88" "7\xE6\x97\xA5", "date: ja");
	is_str(date(LANG_ZH, t), "2026\xE5\xB9\xB4" "12\xE6\x9C\x88" "7\xE6\x97\xA5", "date: zh");
	is_str(date(LANG_EN, t - 1), "Dec 6, 2026", "date: one second before midnight UTC");
	is_str(date(LANG_EN, 951782400), "Feb 29, 2000", "date: a leap day");
	buf_reset(&b);
	fmt_datetime(&b, LANG_EN, t + 14 * 3600 + 5 * 60 + 59);
	is_str(buf_str(&b), "Dec 7, 2026, 14:05 UTC", "datetime: en");
	buf_reset(&b);
	fmt_datetime(&b, LANG_KO, t + 9 * 3600);
	is_str(buf_str(&b), "2026. 12. 7. 09:00 UTC", "datetime: ko");
}

static void test_messages(void)
{
	const char *pl = "{n, plural, one {# token} other {# tokens}}";
	const char *ex = "{n, plural, =0 {none} one {one} other {# of them}}";
	struct i18n_arg one = I18N_ARG_NUM("n", 1), many = I18N_ARG_NUM("n", 1234);
	struct i18n_arg zero = I18N_ARG_NUM("n", 0), big = I18N_ARG_COMPACT("n", 1234567);
	struct i18n_arg s[2] = { I18N_ARG_STR("name", "<b>\"x\"</b>"), I18N_ARG_NUM("n", 2) };

	is_str(fmt(LANG_EN, pl, &one, 1, 1), "1 token", "plural en: one");
	is_str(fmt(LANG_EN, pl, &many, 1, 1), "1,234 tokens", "plural en: other, grouped");
	is_str(fmt(LANG_EN, pl, &zero, 1, 1), "0 tokens", "plural en: 0 is other");
	is_str(fmt(LANG_KO, "{n, plural, other {#\xEA\xB0\x9C}}", &one, 1, 1), "1\xEA\xB0\x9C",
	       "plural ko: 1 is other");
	is_str(fmt(LANG_JA, pl, &one, 1, 1), "1 tokens", "plural ja: no 'one' category");
	is_str(fmt(LANG_EN, pl, &big, 1, 1), "1.2M tokens", "plural: # written compact");
	is_str(fmt(LANG_EN, ex, &zero, 1, 1), "none", "plural: =0 wins");
	is_str(fmt(LANG_EN, ex, &one, 1, 1), "one", "plural: one");
	is_str(fmt(LANG_EN, "{name} has {n, plural, one {# day} other {# days}} & more", s, 2, 1),
	       "&lt;b&gt;\"x\"&lt;/b&gt; has 2 days &amp; more", "html: argument and text escaped");
	is_str(fmt(LANG_EN, "{name}!", s, 2, 0), "<b>\"x\"</b>!", "text: nothing escaped");
	is_str(fmt(LANG_EN, "{missing} {n}", s, 2, 1), "{missing} 2", "an unknown placeholder stays");
	is_str(fmt(LANG_EN, "100% {", NULL, 0, 1), "100% {", "an unmatched brace is text");
	buf_reset(&b);
	i18n_placeholders(&b, "{when} {n, plural, one {# of {who}} other {#}} {n}");
	is_str(buf_str(&b), "n,when,who", "placeholders: names, nested, once each");
}

/* Every catalog: the same keys as English, the same placeholders per key. */
static void test_catalogs(void)
{
	const char *top = getenv("top_srcdir");
	char dir[4096];
	int l, missing = 0, extra = 0, differ = 0, keys = 0;
	struct buf p1 = BUF_INIT, p2 = BUF_INIT;
	cJSON *en = NULL, *m;
	char path[4200];
	FILE *f;
	static char text[1 << 20];
	size_t n;

	snprintf(dir, sizeof(dir), "%s/lib/i18n", top ? top : "..");
	ok(i18n_load(dir) == 0, "the four catalogs load from %s", dir);
	snprintf(path, sizeof(path), "%s/en.json", dir);
	if ((f = fopen(path, "rb"))) {
		n = fread(text, 1, sizeof(text) - 1, f);
		text[n] = '\0';
		fclose(f);
		en = cJSON_Parse(text);
	}
	ok(en != NULL, "en.json parses");
	for (l = LANG_KO; l < LANG_N; l++) {
		char other[4200];
		cJSON *c = NULL;

		snprintf(other, sizeof(other), "%s/%s.json", dir, lang_code((enum lang)l));
		if ((f = fopen(other, "rb"))) {
			n = fread(text, 1, sizeof(text) - 1, f);
			text[n] = '\0';
			fclose(f);
			c = cJSON_Parse(text);
		}
		cJSON_ArrayForEach(m, en) {
			const char *t = i18n_raw((enum lang)l, m->string);

			keys++;
			if (!t) {
				missing++;
				printf("# %s lacks %s\n", lang_code((enum lang)l), m->string);
				continue;
			}
			buf_reset(&p1);
			buf_reset(&p2);
			i18n_placeholders(&p1, m->valuestring);
			i18n_placeholders(&p2, t);
			if (strcmp(buf_str(&p1), buf_str(&p2)) != 0) {
				differ++;
				printf("# %s %s: {%s} vs en {%s}\n", lang_code((enum lang)l), m->string,
				       buf_str(&p2), buf_str(&p1));
			}
		}
		cJSON_ArrayForEach(m, c) {
			if (!cJSON_GetObjectItemCaseSensitive(en, m->string)) {
				extra++;
				printf("# %s has %s, en does not\n", lang_code((enum lang)l), m->string);
			}
		}
		is_int(cJSON_GetArraySize(c), cJSON_GetArraySize(en), "%s.json has as many keys as en.json",
		       lang_code((enum lang)l));
		cJSON_Delete(c);
	}
	ok(keys > 150, "compared %d keys", keys);
	is_int(missing, 0, "no key of en.json is missing from ko, ja, zh");
	is_int(extra, 0, "ko, ja, zh have no key en.json lacks");
	is_int(differ, 0, "every key has the same placeholders in all four");
	is_str(i18n_raw(LANG_KO, "nav.board"), "\xEB\xA6\xAC\xEB\x8D\x94\xEB\xB3\xB4\xEB\x93\x9C",
	       "ko nav.board is 리더보드");
	buf_reset(&b);
	i18n_html(&b, LANG_EN, "no.such.key", NULL, 0);
	is_str(buf_str(&b), "no.such.key", "a missing key is written as itself");
	cJSON_Delete(en);
	buf_release(&p1);
	buf_release(&p2);
}

int main(void)
{
	test_numbers();
	test_compact();
	test_dates();
	test_messages();
	test_catalogs();
	buf_release(&b);
	return done_testing();
}
