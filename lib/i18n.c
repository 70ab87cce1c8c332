/* i18n.c -- message catalogs (cJSON) and locale formatting */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "log.h"
#include "html.h"
#include "i18n.h"
#include "timeutil.h"

#ifndef ARENA_PKGDATADIR
#define ARENA_PKGDATADIR "/usr/local/share/modu-arena"
#endif

#define CATALOG_MAX_BYTES (1 << 20)

static const char *const codes[LANG_N] = { "en", "ko", "ja", "zh" };
static const char *const prefixes[LANG_N] = { "", "/ko", "/ja", "/zh" };
static const char *const own_names[LANG_N] = {
	"English", "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4", "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E",
	"\xE4\xB8\xAD\xE6\x96\x87"
};

static cJSON *catalogs[LANG_N];
static int loaded;	/* 0 not yet, 1 ok, -1 failed */

const char *lang_code(enum lang l)
{
	return l < LANG_N ? codes[l] : codes[LANG_EN];
}

const char *lang_prefix(enum lang l)
{
	return l < LANG_N ? prefixes[l] : prefixes[LANG_EN];
}

const char *lang_name(enum lang l)
{
	return l < LANG_N ? own_names[l] : own_names[LANG_EN];
}

int lang_from_code(const char *code, size_t n)
{
	int i;

	for (i = 0; i < LANG_N; i++)
		if (n == 2 && strncasecmp(code, codes[i], 2) == 0)
			return i;
	return -1;
}

/* The whole file, NUL-terminated, or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	size_t n;

	if (!f)
		return NULL;
	s = malloc(CATALOG_MAX_BYTES + 1);
	if (!s) {
		fclose(f);
		return NULL;
	}
	n = fread(s, 1, CATALOG_MAX_BYTES + 1, f);
	fclose(f);
	if (n > CATALOG_MAX_BYTES) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	return s;
}

/* A catalog is an object whose every member is a string. */
static cJSON *load_one(const char *dir, const char *code)
{
	char path[4096];
	cJSON *c, *m;
	char *s;

	snprintf(path, sizeof(path), "%s/%s.json", dir, code);
	if (!(s = slurp(path))) {
		log_msg("i18n: cannot read %s: %s", path, strerror(errno ? errno : EFBIG));
		return NULL;
	}
	c = cJSON_Parse(s);
	free(s);
	if (!cJSON_IsObject(c)) {
		log_msg("i18n: %s is not a JSON object", path);
		cJSON_Delete(c);
		return NULL;
	}
	cJSON_ArrayForEach(m, c) {
		if (!cJSON_IsString(m)) {
			log_msg("i18n: %s: \"%s\" is not a string", path, m->string);
			cJSON_Delete(c);
			return NULL;
		}
	}
	return c;
}

int i18n_load(const char *dir)
{
	int i, ok = 1;

	for (i = 0; i < LANG_N; i++) {
		cJSON_Delete(catalogs[i]);
		catalogs[i] = load_one(dir, codes[i]);
		if (!catalogs[i])
			ok = 0;
	}
	loaded = ok ? 1 : -1;
	return ok ? 0 : -1;
}

int i18n_init(void)
{
	const char *dir = getenv("ARENA_I18N_DIR");

	if (loaded)
		return loaded > 0 ? 0 : -1;
	return i18n_load(dir && *dir ? dir : ARENA_PKGDATADIR "/i18n");
}

const char *i18n_raw(enum lang l, const char *key)
{
	cJSON *m;

	if (l >= LANG_N || !catalogs[l])
		return NULL;
	m = cJSON_GetObjectItemCaseSensitive(catalogs[l], key);
	return cJSON_IsString(m) ? m->valuestring : NULL;
}

static const struct i18n_arg *find_arg(const struct i18n_arg *args, int nargs,
				       const char *name, size_t n)
{
	int i;

	for (i = 0; i < nargs; i++)
		if (strlen(args[i].name) == n && strncmp(args[i].name, name, n) == 0)
			return &args[i];
	return NULL;
}

static void put_text(struct buf *b, const char *s, size_t n, int esc)
{
	if (esc)
		html_txtn(b, s, n);
	else
		buf_add(b, s, n);
}

static void put_arg(struct buf *b, enum lang l, const struct i18n_arg *a, int esc)
{
	switch (a->kind) {
	case I18N_NUM:
		fmt_num(b, l, a->num);
		break;
	case I18N_COMPACT:
		fmt_compact(b, l, a->num);
		break;
	case I18N_STR:
		put_text(b, a->str ? a->str : "", a->str ? strlen(a->str) : 0, esc);
		break;
	}
}

/* The end of the {...} group opening at s (s[0] == '{'): its '}', or NULL. */
static const char *group_end(const char *s)
{
	int depth = 0;

	for (; *s; s++) {
		if (*s == '{')
			depth++;
		else if (*s == '}' && --depth == 0)
			return s;
	}
	return NULL;
}

static size_t skip_space(const char *s, size_t i, size_t end)
{
	while (i < end && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

static void format_span(struct buf *b, enum lang l, const char *s, size_t n,
			const struct i18n_arg *args, int nargs, int esc,
			const struct i18n_arg *hash);

/*
 * The branch of a plural body "one {...} other {...}" (s[0..n)) that
 * applies to v: "=v", else the category, else "other".  Sets *bs, *bn.
 */
static int pick_branch(enum lang l, const char *s, size_t n, int64_t v,
		       const char **bs, size_t *bn)
{
	const char *cat = l == LANG_EN && v == 1 ? "one" : "other";
	const char *other = NULL, *catb = NULL, *exact = NULL;
	size_t other_n = 0, catb_n = 0, exact_n = 0, i = 0;

	while ((i = skip_space(s, i, n)) < n) {
		size_t sel = i, seln;
		const char *close;

		while (i < n && s[i] != '{' && s[i] != ' ')
			i++;
		seln = i - sel;
		i = skip_space(s, i, n);
		if (i >= n || s[i] != '{' || !(close = group_end(s + i)) || close >= s + n)
			return -1;
		if (seln > 1 && s[sel] == '=' &&
		    strtoll(s + sel + 1, NULL, 10) == v && !exact)
			exact = s + i + 1, exact_n = (size_t)(close - (s + i + 1));
		else if (seln == strlen(cat) && strncmp(s + sel, cat, seln) == 0)
			catb = s + i + 1, catb_n = (size_t)(close - (s + i + 1));
		if (seln == 5 && strncmp(s + sel, "other", 5) == 0)
			other = s + i + 1, other_n = (size_t)(close - (s + i + 1));
		i = (size_t)(close - s) + 1;
	}
	*bs = exact ? exact : catb ? catb : other;
	*bn = exact ? exact_n : catb ? catb_n : other_n;
	return *bs ? 0 : -1;
}

/* One {...} placeholder at s[0..n) (without the braces). */
static void format_placeholder(struct buf *b, enum lang l, const char *s, size_t n,
			       const struct i18n_arg *args, int nargs, int esc)
{
	const char *comma = memchr(s, ',', n), *bs;
	size_t name_n = comma ? (size_t)(comma - s) : n, bn;
	const struct i18n_arg *a;

	while (name_n && s[name_n - 1] == ' ')
		name_n--;
	a = find_arg(args, nargs, s, name_n);
	if (!comma) {
		if (a)
			put_arg(b, l, a, esc);
		else
			put_text(b, s - 1, n + 2, esc);	/* left as written */
		return;
	}
	/* "n, plural, BODY" */
	{
		const char *kind = comma + 1, *body;
		size_t rest = n - (size_t)(kind - s);

		while (rest && *kind == ' ')
			kind++, rest--;
		if (rest < 7 || strncmp(kind, "plural,", 7) != 0 || !a ||
		    a->kind == I18N_STR) {
			put_text(b, s - 1, n + 2, esc);
			return;
		}
		body = kind + 7;
		if (pick_branch(l, body, rest - 7, a->num, &bs, &bn) != 0) {
			put_text(b, s - 1, n + 2, esc);
			return;
		}
		format_span(b, l, bs, bn, args, nargs, esc, a);
	}
}

static void format_span(struct buf *b, enum lang l, const char *s, size_t n,
			const struct i18n_arg *args, int nargs, int esc,
			const struct i18n_arg *hash)
{
	size_t i = 0, run = 0;

	while (i < n) {
		const char *close;

		if (s[i] == '#' && hash) {
			put_text(b, s + run, i - run, esc);
			put_arg(b, l, hash, esc);
			run = ++i;
			continue;
		}
		if (s[i] != '{' || !(close = group_end(s + i)) || close >= s + n) {
			i++;
			continue;
		}
		put_text(b, s + run, i - run, esc);
		format_placeholder(b, l, s + i + 1, (size_t)(close - (s + i + 1)), args, nargs, esc);
		i = (size_t)(close - s) + 1;
		run = i;
	}
	put_text(b, s + run, n - run, esc);
}

void i18n_format(struct buf *b, enum lang l, const char *msg,
		 const struct i18n_arg *args, int nargs, int escape)
{
	format_span(b, l, msg, strlen(msg), args, nargs, escape, NULL);
}

void i18n_html(struct buf *b, enum lang l, const char *key,
	       const struct i18n_arg *args, int nargs)
{
	const char *m = i18n_raw(l, key);

	i18n_format(b, l, m ? m : key, args, nargs, 1);
}

void i18n_text(struct buf *b, enum lang l, const char *key,
	       const struct i18n_arg *args, int nargs)
{
	const char *m = i18n_raw(l, key);

	i18n_format(b, l, m ? m : key, args, nargs, 0);
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void collect(const char *s, size_t n, char names[][64], int *count);

/* The placeholders inside each {branch} of "n, plural, one {..} other {..}" (p..end). */
static void collect_branches(const char *p, const char *end, char names[][64], int *count)
{
	const char *q = memchr(p, ',', (size_t)(end - p));

	q = q ? memchr(q + 1, ',', (size_t)(end - q - 1)) : NULL;
	while (q && q < end) {
		const char *open = memchr(q, '{', (size_t)(end - q)), *close;

		if (!open || !(close = group_end(open)) || close >= end)
			return;
		collect(open + 1, (size_t)(close - open - 1), names, count);
		q = close + 1;
	}
}

/* Collects placeholder names of s[0..n) into names (at most 32). */
static void collect(const char *s, size_t n, char names[][64], int *count)
{
	size_t i = 0;

	while (i < n) {
		const char *close, *p;
		size_t len;

		if (s[i] != '{' || !(close = group_end(s + i)) || close >= s + n) {
			i++;
			continue;
		}
		p = s + i + 1;
		len = strcspn(p, ",}");
		while (len && p[len - 1] == ' ')
			len--;
		if (len < 64 && *count < 32) {
			int k, seen = 0;

			for (k = 0; k < *count; k++)
				if (strlen(names[k]) == len && strncmp(names[k], p, len) == 0)
					seen = 1;
			if (!seen) {
				memcpy(names[*count], p, len);
				names[(*count)++][len] = '\0';
			}
		}
		/* a plural's branches may hold placeholders of their own */
		if (p[strcspn(p, ",}")] == ',')
			collect_branches(p, close, names, count);
		i = (size_t)(close - s) + 1;
	}
}

void i18n_placeholders(struct buf *b, const char *msg)
{
	char names[32][64];
	const char *sorted[32];
	int count = 0, i;

	collect(msg, strlen(msg), names, &count);
	for (i = 0; i < count; i++)
		sorted[i] = names[i];
	qsort(sorted, (size_t)count, sizeof(sorted[0]), cmp_str);
	for (i = 0; i < count; i++) {
		if (i)
			buf_addc(b, ',');
		buf_adds(b, sorted[i]);
	}
}

static void grouped(struct buf *b, uint64_t u)
{
	char digits[24];
	int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)u), i;

	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf_addc(b, ',');
		buf_addc(b, digits[i]);
	}
}

static uint64_t magnitude(struct buf *b, int64_t v)
{
	if (v >= 0)
		return (uint64_t)v;
	buf_addc(b, '-');
	return (uint64_t)0 - (uint64_t)v;
}

void fmt_num(struct buf *b, enum lang l, int64_t v)
{
	(void)l;
	grouped(b, magnitude(b, v));
}

void fmt_fixed(struct buf *b, enum lang l, int64_t scaled, int decimals)
{
	uint64_t u, p = 1;
	int i;

	(void)l;
	for (i = 0; i < decimals; i++)
		p *= 10;
	u = magnitude(b, scaled);
	grouped(b, u / p);
	if (decimals > 0)
		buf_printf(b, ".%0*llu", decimals, (unsigned long long)(u % p));
}

struct unit {
	uint64_t size;
	const char *suffix;
};

static const struct unit units_en[] = {
	{ 1000ULL, "K" }, { 1000000ULL, "M" }, { 1000000000ULL, "B" },
	{ 1000000000000ULL, "T" }, { 0, NULL }
};
static const struct unit units_ko[] = {
	{ 10000ULL, "\xEB\xA7\x8C" }, { 100000000ULL, "\xEC\x96\xB5" },
	{ 1000000000000ULL, "\xEC\xA1\xB0" }, { 0, NULL }
};
static const struct unit units_ja[] = {
	{ 10000ULL, "\xE4\xB8\x87" }, { 100000000ULL, "\xE5\x84\x84" },
	{ 1000000000000ULL, "\xE5\x85\x86" }, { 0, NULL }
};
static const struct unit units_zh[] = {
	{ 10000ULL, "\xE4\xB8\x87" }, { 100000000ULL, "\xE4\xBA\xBF" },
	{ 1000000000000ULL, "\xE4\xB8\x87\xE4\xBA\xBF" }, { 0, NULL }
};

void fmt_compact(struct buf *b, enum lang l, int64_t v)
{
	const struct unit *units = l == LANG_KO ? units_ko : l == LANG_JA ? units_ja :
		l == LANG_ZH ? units_zh : units_en;
	uint64_t u = magnitude(b, v), tenths;
	int i;

	if (u < units[0].size) {
		grouped(b, u);
		return;
	}
	for (i = 0; units[i + 1].size && u >= units[i + 1].size; i++)
		;
	/* tenths of the unit, rounded half up; units are multiples of 10 */
	tenths = (u + units[i].size / 20) / (units[i].size / 10);
	if (units[i + 1].size && tenths * (units[i].size / 10) >= units[i + 1].size) {
		i++;
		tenths = (u + units[i].size / 20) / (units[i].size / 10);
	}
	buf_printf(b, "%llu", (unsigned long long)(tenths / 10));
	if (tenths % 10)
		buf_printf(b, ".%llu", (unsigned long long)(tenths % 10));
	buf_adds(b, units[i].suffix);
}

static const char *const months_en[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

void fmt_date(struct buf *b, enum lang l, int64_t epoch_s)
{
	int64_t day = epoch_s >= 0 ? epoch_s / 86400 : -((-epoch_s + 86399) / 86400), y;
	unsigned m, d;

	civil_from_days(day, &y, &m, &d);
	switch (l) {
	case LANG_KO:
		buf_printf(b, "%lld. %u. %u.", (long long)y, m, d);
		break;
	case LANG_JA:
	case LANG_ZH:
		buf_printf(b, "%lld\xE5\xB9\xB4%u\xE6\x9C\x88%u\xE6\x97\xA5", (long long)y, m, d);
		break;
	default:
		buf_printf(b, "%s %u, %lld", months_en[m - 1], d, (long long)y);
		break;
	}
}

void fmt_datetime(struct buf *b, enum lang l, int64_t epoch_s)
{
	int64_t sec = ((epoch_s % 86400) + 86400) % 86400;

	fmt_date(b, l, epoch_s);
	buf_printf(b, "%s%02d:%02d UTC", l == LANG_EN ? ", " : " ",
		   (int)(sec / 3600), (int)(sec / 60 % 60));
}
