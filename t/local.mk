# Unit tests (C, TAP) and shell tests (TAP), all run by make check.
check_PROGRAMS += t/0010-json.t t/0020-lib.t
t_0010_json_t_SOURCES = t/0010-json.c t/tap.h
t_0010_json_t_CFLAGS = $(ARENA_CFLAGS)
t_0010_json_t_LDADD = $(ARENA_LIBS)
t_0020_lib_t_SOURCES = t/0020-lib.c t/tap.h
t_0020_lib_t_CFLAGS = $(ARENA_CFLAGS)
t_0020_lib_t_LDADD = $(ARENA_LIBS)

ARENA_SHELL_TESTS = t/0100-cgi.sh t/0200-spine.sh
TESTS += t/0010-json.t t/0020-lib.t $(ARENA_SHELL_TESTS)
EXTRA_DIST += $(ARENA_SHELL_TESTS) t/lib/harness.sh

# Security (issue 6): unit tests 003x, integration tests 06xx.
check_PROGRAMS += t/0030-sign.t t/0031-netaddr.t t/arena-sign
t_arena_sign_SOURCES = t/arena-sign.c
t_arena_sign_CFLAGS = $(ARENA_CFLAGS)
t_arena_sign_LDADD = $(ARENA_LIBS)
t_0030_sign_t_SOURCES = t/0030-sign.c t/tap.h
t_0030_sign_t_CFLAGS = $(ARENA_CFLAGS)
t_0030_sign_t_LDADD = $(ARENA_LIBS)
t_0031_netaddr_t_SOURCES = t/0031-netaddr.c t/tap.h
t_0031_netaddr_t_CFLAGS = $(ARENA_CFLAGS)
t_0031_netaddr_t_LDADD = $(ARENA_LIBS)
TESTS += t/0030-sign.t t/0031-netaddr.t
ARENA_SEC_SHELL_TESTS = t/0600-ratelimit.sh t/0610-signing.sh t/0620-exposure.sh
TESTS += $(ARENA_SEC_SHELL_TESTS)
EXTRA_DIST += $(ARENA_SEC_SHELL_TESTS)
