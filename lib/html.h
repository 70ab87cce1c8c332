/*
 * html.h -- writing HTML, with the escaping named by the function
 *
 * Every byte of a page goes through one of these, so which context a
 * value is written into is visible where it is written:
 *
 *	html(b, "<td class=\"num\">");	trusted markup from our own source only
 *	html_txt(b, name);		element text
 *	html_attr(b, title);		inside a "..." attribute value
 *	html_url_path(b, name);		one path segment of a URL ("/users/" first)
 *	html_url_arg(b, period);	one query value
 *	html_int(b, n);			a plain integer
 *	htmlf(b, "%d", n);		printf for our own formats of numbers
 *
 * html_txt and html_attr replace invalid UTF-8, C0 controls other than
 * tab, line feed and carriage return, and DEL with U+FFFD, so no input
 * can end a tag, an attribute or a comment, nor smuggle bytes a browser
 * would decode otherwise.  The URL writers percent-encode every byte
 * outside [A-Za-z0-9-._~], so their output is also safe in an attribute.
 */
#ifndef ARENA_HTML_H
#define ARENA_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

void html(struct buf *b, const char *markup);
void html_txt(struct buf *b, const char *s);
void html_txtn(struct buf *b, const char *s, size_t n);
void html_attr(struct buf *b, const char *s);
void html_url_path(struct buf *b, const char *s);
void html_url_arg(struct buf *b, const char *s);
void html_int(struct buf *b, int64_t v);
void htmlf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when
 * the bytes there are not one: overlong forms, surrogates and code points
 * above U+10FFFF are invalid.
 */
size_t utf8_seq_len(const unsigned char *s, size_t n);

#endif
