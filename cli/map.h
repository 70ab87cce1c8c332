/*
 * map.h -- an open-addressing hash map from nonzero u64 keys to u32
 *
 * Keys are hashes computed by the caller (0 is reserved for "empty").
 * A zero-initialised struct u64map is an empty map.
 */
#ifndef CLI_MAP_H
#define CLI_MAP_H

#include <stddef.h>
#include <stdint.h>

struct u64map {
	uint64_t *keys;
	uint32_t *vals;
	size_t cap, n;
};

void map_put(struct u64map *m, uint64_t key, uint32_t val);
/* 1 and *val when present, else 0. */
int map_get(const struct u64map *m, uint64_t key, uint32_t *val);
void map_free(struct u64map *m);

#endif
