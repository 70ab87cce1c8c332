# Unit tests (C, TAP) and shell tests (TAP), all run by make check.
check_PROGRAMS += t/0010-json.t t/0020-lib.t t/0040-score.t t/arena-sign
t_arena_sign_CFLAGS = $(ARENA_CFLAGS)
t_arena_sign_LDADD = $(ARENA_LIBS)
t_0010_json_t_SOURCES = t/0010-json.c t/tap.h
t_0010_json_t_CFLAGS = $(ARENA_CFLAGS)
t_0010_json_t_LDADD = $(ARENA_LIBS)
t_0020_lib_t_SOURCES = t/0020-lib.c t/tap.h
t_0020_lib_t_CFLAGS = $(ARENA_CFLAGS)
t_0020_lib_t_LDADD = $(ARENA_LIBS)
t_0040_score_t_SOURCES = t/0040-score.c t/tap.h
t_0040_score_t_CFLAGS = $(ARENA_CFLAGS)
t_0040_score_t_LDADD = $(ARENA_LIBS)

# helpers the shell tests run
check_PROGRAMS += t/score-calc
t_score_calc_CFLAGS = $(ARENA_CFLAGS)
t_score_calc_LDADD = $(ARENA_LIBS)

ARENA_SHELL_TESTS = t/0100-cgi.sh t/0200-spine.sh t/0210-activation.sh t/0300-ingest.sh \
	t/0310-ingest-consistency.sh t/0320-ingest-fault.sh \
	t/0400-rankings.sh t/0410-cleanup.sh t/0420-swap.sh
TESTS += t/0010-json.t t/0020-lib.t t/0040-score.t $(ARENA_SHELL_TESTS)
EXTRA_DIST += $(ARENA_SHELL_TESTS) t/lib/harness.sh t/lib/sessions.sh
