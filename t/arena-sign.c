/*
 * arena-sign.c -- test helper: prints the v1 signature of a request body
 *
 *	arena-sign KEY TIMESTAMP < body
 */
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "sign.h"

int main(int argc, char **argv)
{
	struct buf body = BUF_INIT;
	char tmp[65536], hex[65];
	size_t n;

	if (argc != 3) {
		fputs("usage: arena-sign KEY TIMESTAMP < body\n", stderr);
		return 2;
	}
	while ((n = fread(tmp, 1, sizeof(tmp), stdin)) > 0)
		buf_add(&body, tmp, n);
	if (sign_v1(argv[1], argv[2], body.s ? body.s : "", body.len, hex))
		return 1;
	printf("%s\n", hex);
	buf_release(&body);
	return 0;
}
