/* html.c -- writing HTML with the escaping named by the function */
#include <stdarg.h>
#include <string.h>

#include "html.h"

#define REPLACEMENT "\xEF\xBF\xBD"	/* U+FFFD */

void html(struct buf *b, const char *markup)
{
	buf_adds(b, markup);
}

size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	return len;
}

/* Escapes s[0..n); quotes too when attr is set. */
static void escape(struct buf *b, const char *s, size_t n, int attr)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	while (p < end) {
		unsigned char c = *p;
		size_t len;

		switch (c) {
		case '&': buf_adds(b, "&amp;"); p++; continue;
		case '<': buf_adds(b, "&lt;"); p++; continue;
		case '>': buf_adds(b, "&gt;"); p++; continue;
		case '"':
			buf_adds(b, attr ? "&quot;" : "\""); p++; continue;
		case '\'':
			buf_adds(b, attr ? "&#39;" : "'"); p++; continue;
		}
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
			buf_adds(b, REPLACEMENT);
			p++;
			continue;
		}
		len = utf8_seq_len(p, (size_t)(end - p));
		if (!len) {
			buf_adds(b, REPLACEMENT);
			p++;
			continue;
		}
		buf_add(b, p, len);
		p += len;
	}
}

void html_txt(struct buf *b, const char *s)
{
	if (s)
		escape(b, s, strlen(s), 0);
}

void html_txtn(struct buf *b, const char *s, size_t n)
{
	escape(b, s, n, 0);
}

void html_attr(struct buf *b, const char *s)
{
	if (s)
		escape(b, s, strlen(s), 1);
}

static void percent(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~') {
			buf_addc(b, (char)*p);
		} else {
			buf_addc(b, '%');
			buf_addc(b, hex[*p >> 4]);
			buf_addc(b, hex[*p & 15]);
		}
	}
}

void html_url_path(struct buf *b, const char *s)
{
	/* "." and ".." would be dot segments, not names */
	if (s && (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)) {
		buf_adds(b, strcmp(s, ".") == 0 ? "%2E" : "%2E%2E");
		return;
	}
	if (s)
		percent(b, s);
}

void html_url_arg(struct buf *b, const char *s)
{
	if (s)
		percent(b, s);
}

void html_int(struct buf *b, int64_t v)
{
	buf_printf(b, "%lld", (long long)v);
}

void htmlf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}
