# The modu-arena command-line client.
bin_PROGRAMS += cli/modu-arena
dist_man1_MANS = cli/modu-arena.1
# The client's modules, without main(), shared with its unit tests.
noinst_LIBRARIES += cli/libcli.a
cli_libcli_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(CRYPTO_CFLAGS) $(SQLITE_CFLAGS)
cli_libcli_a_SOURCES = \
	cli/auth.c cli/auth.h \
	cli/body.c cli/body.h \
	cli/cfg.c cli/cfg.h \
	cli/claude.c cli/claude.h \
	cli/cmd.h cli/cmd_hook.c cli/cmd_info.c cli/cmd_login.c cli/cmd_setup.c cli/cmd_submit.c \
	cli/cmd_sync.c cli/codex.c cli/crush.c cli/gemini.c cli/opencode.c \
	cli/http.c cli/http.h \
	cli/ingest.c cli/ingest.h \
	cli/jcur.c cli/jcur.h \
	cli/map.c cli/map.h \
	cli/project.c cli/project.h \
	cli/schedule.c cli/schedule.h \
	cli/settings.c cli/settings.h \
	cli/sources.c cli/sources.h \
	cli/spool.c cli/spool.h \
	cli/sqlro.c cli/sqlro.h \
	cli/state.c cli/state.h \
	cli/store.c cli/store.h \
	cli/upload.c cli/upload.h \
	cli/util.c cli/util.h
# SQLite (OpenCode and Crush stores) is linked; libcurl is loaded at run time
# by cli/http.c (only its headers are used here)
CLI_LIBS = cli/libcli.a lib/libcore.a $(CRYPTO_LIBS) $(SQLITE_LIBS)
cli_modu_arena_SOURCES = cli/main.c
cli_modu_arena_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(CRYPTO_CFLAGS) $(SQLITE_CFLAGS)
cli_modu_arena_LDADD = $(CLI_LIBS)
