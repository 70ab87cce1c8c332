/*
 * replay.c -- runs a fuzz target over its saved corpus without libFuzzer,
 * as a TAP test: every seed and every input that once crashed is
 * replayed by make check, with whatever compiler built the tree.
 *
 * The corpus is $top_srcdir/fuzz/corpus/FUZZ_TARGET/, one input a file.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz.h"

#ifndef FUZZ_TARGET
#error "FUZZ_TARGET names the corpus directory"
#endif

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	const char *top = getenv("top_srcdir");
	char dir[4096];
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i;

	snprintf(dir, sizeof(dir), "%s/fuzz/corpus/%s", top ? top : ".", FUZZ_TARGET);
	d = opendir(dir);
	if (!d) {
		printf("1..0 # SKIP no corpus at %s\n", dir);
		return 0;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		if (!names || !(names[n] = strdup(e->d_name)))
			abort();
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp);
	for (i = 0; i < n; i++) {
		char path[8192];
		struct buf b = BUF_INIT;
		FILE *f;
		char tmp[4096];
		size_t got;
		unsigned char *copy;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		f = fopen(path, "rb");
		if (!f) {
			printf("not ok %zu - %s: cannot open\n", i + 1, names[i]);
			continue;
		}
		while ((got = fread(tmp, 1, sizeof(tmp), f)) > 0)
			buf_add(&b, tmp, got);
		fclose(f);
		/* an exact-size heap copy, so a sanitizer build sees any over-read */
		copy = malloc(b.len ? b.len : 1);
		if (!copy)
			abort();
		if (b.len)
			memcpy(copy, b.s, b.len);
		LLVMFuzzerTestOneInput(copy, b.len);	/* a crash fails the test */
		free(copy);
		printf("ok %zu - %s %s (%zu bytes)\n", i + 1, FUZZ_TARGET, names[i], b.len);
		buf_release(&b);
		free(names[i]);
	}
	free(names);
	printf("1..%zu\n", n);
	return 0;
}
