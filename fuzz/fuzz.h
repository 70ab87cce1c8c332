/*
 * fuzz.h -- the one entry point every fuzz target defines
 *
 * Each fuzz/fuzz-<target>.c feeds the bytes to the parsers that take
 * untrusted input.  Built with clang -fsanitize=fuzzer it runs under
 * libFuzzer (make fuzz); linked with replay.c it replays the saved
 * corpus as a plain TAP test (make check), with any compiler.
 */
#ifndef ARENA_FUZZ_H
#define ARENA_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
