/*
 * netaddr.h -- client addresses and the trusted-proxy list
 *
 * The client of a request is the peer nginx saw, REMOTE_ADDR.  Only when
 * that peer is a trusted proxy (ARENA_TRUSTED_PROXIES: addresses or CIDR
 * blocks, comma-separated, IPv4 or IPv6) is X-Forwarded-For believed, and
 * then only as far as the chain of trusted proxies goes: read from its
 * right end, each trusted hop is skipped and the first address that is not
 * one is the client.  Everything left of it was written by the client and
 * proves nothing.  An entry that is not an address ends the walk, and the
 * hop that sent it is taken as the client.
 *
 * Addresses are compared and printed in one canonical form (inet_ntop;
 * IPv4-mapped IPv6 becomes plain IPv4), so the same client always gets
 * the same rate-limit bucket however a proxy spelled it.
 */
#ifndef ARENA_NETADDR_H
#define ARENA_NETADDR_H

#include <stddef.h>

#include "arena.h"

/* Longest canonical text form (an IPv6 address with an IPv4 tail). */
#define NETADDR_TEXT_LEN 46

struct netaddr {
	int family;			/* 4 or 6 */
	unsigned char b[16];		/* network order; 4 bytes used for IPv4 */
};

struct cidr {
	struct netaddr net;
	unsigned bits;			/* prefix length */
};

/* Owns its array: cidr_list_release() frees it. */
struct cidr_list {
	struct cidr *v;
	size_t n;
};

#define CIDR_LIST_INIT { NULL, 0 }

/* Parses s[0..n) as an IPv4 or IPv6 address; 0, or -1 if it is not one. */
int netaddr_parse(const char *s, size_t n, struct netaddr *out);

/* Writes the canonical text form and a NUL to out. */
void netaddr_format(const struct netaddr *a, char out[NETADDR_TEXT_LEN]);

/*
 * Parses "10.0.0.1, 192.168.0.0/16, ::1" into out (replacing what it
 * held).  Returns 0, or -1 with out empty if any item is malformed.
 */
int cidr_list_parse(const char *s, struct cidr_list *out);

void cidr_list_release(struct cidr_list *l);

/* 1 if a lies in one of the list's blocks. */
int cidr_list_match(const struct cidr_list *l, const struct netaddr *a);

/*
 * The client address of a request in canonical text, allocated from a:
 * remote is REMOTE_ADDR, xff the X-Forwarded-For value (NULL when absent;
 * repeated headers joined with ","), trusted the proxy list.  An
 * unparseable REMOTE_ADDR is returned as "" (a CGI run without one).
 */
const char *netaddr_client(struct arena *a, const char *remote, const char *xff,
			   const struct cidr_list *trusted);

#endif
