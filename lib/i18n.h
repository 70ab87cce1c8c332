/*
 * i18n.h -- the four languages: message catalogs and locale formatting
 *
 * Catalogs are flat JSON objects, key -> message, one file per language
 * (en.json, ko.json, ja.json, zh.json) in ARENA_I18N_DIR, by default the
 * installed $(pkgdatadir)/i18n.  i18n_init() reads them with cJSON once
 * per process; every language has the same keys and the same placeholders
 * in each message (t/0710-i18n checks the shipped files).
 *
 * Messages are plain text with placeholders and ICU-style plurals:
 *
 *	"Updated {when}"
 *	"{n, plural, one {# session} other {# sessions}}"
 *
 * A plural picks "=N" when the number is exactly N, else the language's
 * category: English has "one" (exactly 1) and "other"; Korean, Japanese
 * and Chinese only "other".  "#" inside the branch is the number, written
 * the way the argument's kind says.
 *
 *	struct i18n_arg a[] = { I18N_ARG_NUM("n", sessions) };
 *	i18n_html(&out, lang, "board.sessions", a, 1);
 *
 * A key missing from a catalog is written as the key itself (and never
 * happens with the shipped catalogs, which the tests compare).
 */
#ifndef ARENA_I18N_H
#define ARENA_I18N_H

#include <stdint.h>

#include "buf.h"

enum lang { LANG_EN, LANG_KO, LANG_JA, LANG_ZH, LANG_N };

const char *lang_code(enum lang l);	/* "en" "ko" "ja" "zh" */
const char *lang_prefix(enum lang l);	/* "" "/ko" "/ja" "/zh" */
const char *lang_name(enum lang l);	/* the language's own name: "한국어" */
/* The language with this code ("ko"); -1 when it is none of the four. */
int lang_from_code(const char *code, size_t n);

/*
 * Loads the catalogs (once per process; later calls return the first
 * result).  0, or -1 after a line on stderr naming the file at fault;
 * messages then fall back to their keys.
 */
int i18n_init(void);

/* Loads from dir instead (for tests); replaces what was loaded. */
int i18n_load(const char *dir);

/* The message as written in the catalog, or NULL. */
const char *i18n_raw(enum lang l, const char *key);

struct i18n_arg {
	const char *name;
	enum { I18N_NUM, I18N_COMPACT, I18N_STR } kind;
	int64_t num;
	const char *str;
};

#define I18N_ARG_NUM(n, v) { (n), I18N_NUM, (v), NULL }
#define I18N_ARG_COMPACT(n, v) { (n), I18N_COMPACT, (v), NULL }
#define I18N_ARG_STR(n, s) { (n), I18N_STR, 0, (s) }

/* Message `key` with its arguments, HTML-escaped (string arguments too). */
void i18n_html(struct buf *b, enum lang l, const char *key,
	       const struct i18n_arg *args, int nargs);
/* The same, unescaped: pass the result through another escaper. */
void i18n_text(struct buf *b, enum lang l, const char *key,
	       const struct i18n_arg *args, int nargs);
/* Formats any message text (not a key) the same way; for tests. */
void i18n_format(struct buf *b, enum lang l, const char *msg,
		 const struct i18n_arg *args, int nargs, int escape);

/*
 * The names of the placeholders a message uses, each once, sorted and
 * joined by ",": "n,when".  For comparing catalogs.
 */
void i18n_placeholders(struct buf *b, const char *msg);

/* 1,234,567 (all four languages group by thousands with a comma). */
void fmt_num(struct buf *b, enum lang l, int64_t v);
/* v / 10^decimals, grouped, with exactly `decimals` digits: 1,234.50 */
void fmt_fixed(struct buf *b, enum lang l, int64_t scaled, int decimals);
/*
 * Compact: en 999, 1.2K, 1.2M, 3.4B, 1.2T; ko 9,999, 1.2만, 123.5만,
 * 1.2억, 1.2조; ja 1.2万, 1.2億, 1.2兆; zh 1.2万, 1.2亿, 1.2万亿.  One
 * decimal, rounded half up, ".0" dropped; a value that rounds up to the
 * next unit is written in it (99,999,999 -> 1억).
 */
void fmt_compact(struct buf *b, enum lang l, int64_t v);
/* Dec 7, 2026 | 2026. 12. 7. | 2026年12月7日 | 2026年12月7日 (UTC) */
void fmt_date(struct buf *b, enum lang l, int64_t epoch_s);
/* The date as above and the UTC time: "Dec 7, 2026, 14:05 UTC" */
void fmt_datetime(struct buf *b, enum lang l, int64_t epoch_s);

#endif
