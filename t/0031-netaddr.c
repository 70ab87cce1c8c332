/* 0031-netaddr.c -- client addresses behind trusted proxies */
#include <string.h>

#include "arena.h"
#include "netaddr.h"
#include "tap.h"

static struct arena a = ARENA_INIT;

static const char *client(const char *remote, const char *xff, const char *trusted)
{
	struct cidr_list l = CIDR_LIST_INIT;
	const char *c;

	if (cidr_list_parse(trusted, &l))
		return "(bad list)";
	c = netaddr_client(&a, remote, xff, &l);
	cidr_list_release(&l);
	return c;
}

int main(void)
{
	struct cidr_list l = CIDR_LIST_INIT;
	struct netaddr n;
	char text[NETADDR_TEXT_LEN];

	ok(netaddr_parse("192.0.2.1", 9, &n) == 0 && n.family == 4, "IPv4 parses");
	ok(netaddr_parse("2001:db8::1", 11, &n) == 0 && n.family == 6, "IPv6 parses");
	ok(netaddr_parse("::ffff:192.0.2.1", 16, &n) == 0 && n.family == 4, "v4-mapped becomes IPv4");
	netaddr_format(&n, text);
	is_str(text, "192.0.2.1", "and prints as IPv4");
	ok(netaddr_parse("2001:DB8:0:0::1", 15, &n) == 0, "upper-case IPv6 parses");
	netaddr_format(&n, text);
	is_str(text, "2001:db8::1", "and prints canonically");
	ok(netaddr_parse("192.0.2.1:80", 12, &n) != 0, "address with port refused");
	ok(netaddr_parse("192.0.2.256", 11, &n) != 0, "octet out of range refused");
	ok(netaddr_parse("", 0, &n) != 0, "empty refused");
	ok(netaddr_parse("1.2.3.4\0x", 9, &n) != 0, "embedded NUL refused");

	ok(cidr_list_parse("10.0.0.0/8, 192.168.1.1 ,::1,2001:db8::/32", &l) == 0 && l.n == 4,
	   "list of four parses");
	netaddr_parse("10.200.3.4", 10, &n);
	ok(cidr_list_match(&l, &n), "10.200.3.4 in 10.0.0.0/8");
	netaddr_parse("11.0.0.1", 8, &n);
	ok(!cidr_list_match(&l, &n), "11.0.0.1 not in the list");
	netaddr_parse("2001:db8:ffff::9", 16, &n);
	ok(cidr_list_match(&l, &n), "IPv6 block matches");
	netaddr_parse("192.168.1.2", 11, &n);
	ok(!cidr_list_match(&l, &n), "single address is a /32");
	ok(cidr_list_parse("10.0.0.0/33", &l) != 0 && l.n == 0, "prefix too long refused");
	ok(cidr_list_parse("10.0.0.0/", &l) != 0, "empty prefix refused");
	ok(cidr_list_parse("10.0.0.0/08", &l) != 0, "leading zero prefix refused");
	ok(cidr_list_parse("example.org", &l) != 0, "host name refused");
	ok(cidr_list_parse("", &l) == 0 && l.n == 0, "empty list is no proxies");
	cidr_list_release(&l);

	is_str(client("192.0.2.7", NULL, ""), "192.0.2.7", "no proxies: REMOTE_ADDR");
	is_str(client("192.0.2.7", "203.0.113.9", ""), "192.0.2.7",
	       "X-Forwarded-For ignored without trusted proxies");
	is_str(client("192.0.2.7", "203.0.113.9", "10.0.0.0/8"), "192.0.2.7",
	       "X-Forwarded-For ignored from an untrusted peer");
	is_str(client("10.0.0.2", "203.0.113.9", "10.0.0.0/8"), "203.0.113.9",
	       "trusted peer: the forwarded client");
	is_str(client("10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.5", "10.0.0.0/8"), "203.0.113.9",
	       "rightmost untrusted hop wins, the client's own claim is ignored");
	is_str(client("10.0.0.2", "10.0.0.9, 10.0.0.5", "10.0.0.0/8"), "10.0.0.9",
	       "all hops trusted: the leftmost");
	is_str(client("10.0.0.2", "garbage, 10.0.0.5", "10.0.0.0/8"), "10.0.0.5",
	       "an unparseable hop stops the walk at the proxy that sent it");
	is_str(client("10.0.0.2", "203.0.113.9,,", "10.0.0.0/8"), "203.0.113.9",
	       "empty members skipped");
	is_str(client("10.0.0.2", "", "10.0.0.0/8"), "10.0.0.2", "empty header: the peer");
	is_str(client("10.0.0.2", "::ffff:203.0.113.9", "10.0.0.0/8"), "203.0.113.9",
	       "forwarded v4-mapped address canonicalised");
	is_str(client("::1", "2001:db8::5", "::1"), "2001:db8::5", "IPv6 proxy");
	is_str(client("nonsense", NULL, ""), "", "no usable REMOTE_ADDR gives empty");
	is_str(client(NULL, NULL, ""), "", "missing REMOTE_ADDR gives empty");
	arena_release(&a);
	return done_testing();
}
