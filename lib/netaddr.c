/* netaddr.c -- client addresses and the trusted-proxy list */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "netaddr.h"
#include "num.h"

/* ::ffff:a.b.c.d is the IPv4 client a.b.c.d seen through a v6 socket */
static const unsigned char v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

int netaddr_parse(const char *s, size_t n, struct netaddr *out)
{
	char tmp[NETADDR_TEXT_LEN];

	if (n == 0 || n >= sizeof(tmp) || memchr(s, '\0', n))
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, tmp, out->b) == 1) {
		out->family = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, tmp, out->b) == 1) {
		out->family = 6;
		if (memcmp(out->b, v4mapped, sizeof(v4mapped)) == 0) {
			memmove(out->b, out->b + 12, 4);
			memset(out->b + 4, 0, 12);
			out->family = 4;
		}
		return 0;
	}
	return -1;
}

void netaddr_format(const struct netaddr *a, char out[NETADDR_TEXT_LEN])
{
	if (!inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->b, out, NETADDR_TEXT_LEN))
		out[0] = '\0';
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Trims blanks around s[0..*n); returns the new start. */
static const char *trim(const char *s, size_t *n)
{
	while (*n && is_space(*s)) {
		s++;
		(*n)--;
	}
	while (*n && is_space(s[*n - 1]))
		(*n)--;
	return s;
}

static int cidr_parse(const char *s, size_t n, struct cidr *out)
{
	const char *slash = memchr(s, '/', n);
	size_t alen = slash ? (size_t)(slash - s) : n;
	int64_t bits;

	if (netaddr_parse(s, alen, &out->net))
		return -1;
	bits = out->net.family == 4 ? 32 : 128;
	if (slash && num_parse_i64(slash + 1, n - alen - 1, 0, bits, &bits) != NUM_OK)
		return -1;
	out->bits = (unsigned)bits;
	return 0;
}

int cidr_list_parse(const char *s, struct cidr_list *out)
{
	size_t cap = 1;
	const char *p;

	cidr_list_release(out);
	for (p = s; *p; p++)
		cap += *p == ',';
	out->v = calloc(cap, sizeof(*out->v));
	if (!out->v)
		return -1;
	while (*s) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);
		const char *item = trim(s, &n);

		if (n && cidr_parse(item, n, &out->v[out->n++])) {
			cidr_list_release(out);
			return -1;
		}
		s += (comma ? (size_t)(comma - s) + 1 : strlen(s));
	}
	return 0;
}

void cidr_list_release(struct cidr_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int in_block(const struct cidr *c, const struct netaddr *a)
{
	unsigned full = c->bits / 8, rest = c->bits % 8;

	if (c->net.family != a->family)
		return 0;
	if (memcmp(c->net.b, a->b, full) != 0)
		return 0;
	if (rest) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));

		if ((c->net.b[full] & mask) != (a->b[full] & mask))
			return 0;
	}
	return 1;
}

int cidr_list_match(const struct cidr_list *l, const struct netaddr *a)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (in_block(&l->v[i], a))
			return 1;
	return 0;
}

const char *netaddr_client(struct arena *a, const char *remote, const char *xff,
			   const struct cidr_list *trusted)
{
	struct netaddr hop, next;
	char *out = arena_alloc(a, NETADDR_TEXT_LEN);
	size_t end;

	if (!remote || netaddr_parse(remote, strlen(remote), &hop))
		return "";
	end = xff ? strlen(xff) : 0;
	/* walk the chain right to left while the hop that told us is trusted */
	while (cidr_list_match(trusted, &hop) && end > 0) {
		size_t start = end, n;
		const char *item;

		while (start > 0 && xff[start - 1] != ',')
			start--;
		n = end - start;
		item = trim(xff + start, &n);
		end = start ? start - 1 : 0;
		if (n == 0)
			continue;	/* "a,,b": an empty member says nothing */
		if (netaddr_parse(item, n, &next))
			break;
		hop = next;
	}
	netaddr_format(&hop, out);
	return out;
}
