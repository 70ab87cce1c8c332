/* 0700-html.c -- the HTML escapers */
#include <stdlib.h>

#include "html.h"
#include "tap.h"

static struct buf b = BUF_INIT;

static const char *txt(const char *s)
{
	buf_reset(&b);
	html_txt(&b, s);
	return buf_str(&b);
}

static const char *attr(const char *s)
{
	buf_reset(&b);
	html_attr(&b, s);
	return buf_str(&b);
}

static const char *path(const char *s)
{
	buf_reset(&b);
	html_url_path(&b, s);
	return buf_str(&b);
}

static const char *arg(const char *s)
{
	buf_reset(&b);
	html_url_arg(&b, s);
	return buf_str(&b);
}

static void test_txt(void)
{
	is_str(txt("plain"), "plain", "txt: plain text unchanged");
	is_str(txt("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;",
	       "txt: markup escaped");
	is_str(txt("a & b"), "a &amp; b", "txt: ampersand");
	is_str(txt("&amp;"), "&amp;amp;", "txt: an entity is text, escaped again");
	is_str(txt("\"q\" 'a'"), "\"q\" 'a'", "txt: quotes stay in element text");
	is_str(txt("\xEA\xB9\x80\xEC\xBD\x94\xEB\x94\xA9"), "\xEA\xB9\x80\xEC\xBD\x94\xEB\x94\xA9",
	       "txt: valid UTF-8 (Korean) kept");
	is_str(txt("\xF0\x9F\x98\x80"), "\xF0\x9F\x98\x80", "txt: a 4-byte sequence kept");
	is_str(txt("a\xFFz"), "a\xEF\xBF\xBDz", "txt: byte 0xFF becomes U+FFFD");
	is_str(txt("\xC0\xBC"), "\xEF\xBF\xBD\xEF\xBF\xBD", "txt: overlong '<' is not '<'");
	is_str(txt("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", "txt: a surrogate is invalid");
	is_str(txt("\xE4\xB8"), "\xEF\xBF\xBD\xEF\xBF\xBD", "txt: a truncated sequence is invalid");
	is_str(txt("\xF4\x90\x80\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD",
	       "txt: above U+10FFFF is invalid");
	is_str(txt("a\x01" "b\x7F" "c\td\ne"), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\td\ne",
	       "txt: C0 controls and DEL replaced, tab and newline kept");
	is_str(txt(NULL), "", "txt: NULL writes nothing");
	buf_reset(&b);
	html_txtn(&b, "<ab", 2);
	is_str(buf_str(&b), "&lt;a", "txtn: only n bytes");
}

static void test_attr(void)
{
	is_str(attr("\" onmouseover=\"x"), "&quot; onmouseover=&quot;x", "attr: double quote");
	is_str(attr("it's"), "it&#39;s", "attr: single quote");
	is_str(attr("<a href='x'>&"), "&lt;a href=&#39;x&#39;&gt;&amp;", "attr: markup");
	is_str(attr("\xFE\"\xC3\xA9"), "\xEF\xBF\xBD&quot;\xC3\xA9", "attr: invalid byte, quote, valid é");
}

static void test_url(void)
{
	is_str(path("alice"), "alice", "path: a plain name");
	is_str(path("a b/c?d#e"), "a%20b%2Fc%3Fd%23e", "path: space, slash, ? and # encoded");
	is_str(path(".."), "%2E%2E", "path: .. is not a dot segment");
	is_str(path("."), "%2E", "path: . is not a dot segment");
	is_str(path("\"><x>"), "%22%3E%3Cx%3E", "path: quote and markup encoded");
	is_str(path("\xED\x95\x9C"), "%ED%95%9C", "path: UTF-8 bytes encoded");
	is_str(arg("a=b&c"), "a%3Db%26c", "arg: = and & encoded");
	is_str(arg("all_time"), "all_time", "arg: unreserved kept");
	is_str(arg("~x-y.z"), "~x-y.z", "arg: ~ - . kept");
}

static void test_numbers(void)
{
	buf_reset(&b);
	html_int(&b, -9223372036854775807LL - 1);
	is_str(buf_str(&b), "-9223372036854775808", "int: INT64_MIN");
	buf_reset(&b);
	htmlf(&b, "<td>%d</td>", 42);
	is_str(buf_str(&b), "<td>42</td>", "htmlf: a format of numbers");
	buf_reset(&b);
	html(&b, "<p>");
	is_str(buf_str(&b), "<p>", "html: trusted markup as is");
}

int main(void)
{
	test_txt();
	test_attr();
	test_url();
	test_numbers();
	buf_release(&b);
	return done_testing();
}
