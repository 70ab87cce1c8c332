# Fuzzing.  make check replays every saved input (seeds and past crashes)
# through each target with the normal compiler; make fuzz builds the
# targets with clang's libFuzzer and runs each for FUZZ_SECONDS.  make
# fuzz installs nothing: it needs clang (Debian: clang) already there.
FUZZ_TARGETS = json request sign transcript
FUZZ_SECONDS = 60
FUZZ_CC = clang
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined

check_PROGRAMS += fuzz/replay-json fuzz/replay-request fuzz/replay-sign fuzz/replay-transcript
fuzz_replay_json_SOURCES = fuzz/fuzz-json.c fuzz/replay.c fuzz/fuzz.h
fuzz_replay_json_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_TARGET='"json"'
fuzz_replay_json_CFLAGS = $(ARENA_CFLAGS)
fuzz_replay_json_LDADD = $(ARENA_LIBS)
fuzz_replay_request_SOURCES = fuzz/fuzz-request.c fuzz/replay.c fuzz/fuzz.h
fuzz_replay_request_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_TARGET='"request"'
fuzz_replay_request_CFLAGS = $(ARENA_CFLAGS)
fuzz_replay_request_LDADD = $(ARENA_LIBS)
fuzz_replay_sign_SOURCES = fuzz/fuzz-sign.c fuzz/replay.c fuzz/fuzz.h
fuzz_replay_sign_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_TARGET='"sign"'
fuzz_replay_sign_CFLAGS = $(ARENA_CFLAGS)
fuzz_replay_sign_LDADD = $(ARENA_LIBS)
fuzz_replay_transcript_SOURCES = fuzz/fuzz-transcript.c fuzz/replay.c fuzz/fuzz.h
fuzz_replay_transcript_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/cli -DFUZZ_TARGET='"transcript"'
fuzz_replay_transcript_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS)
fuzz_replay_transcript_LDADD = $(CLI_LIBS)
TESTS += fuzz/replay-json fuzz/replay-request fuzz/replay-sign fuzz/replay-transcript
EXTRA_DIST += fuzz/corpus
CLEANFILES += fuzz/fuzz-json fuzz/fuzz-request fuzz/fuzz-sign fuzz/fuzz-transcript

# New inputs go to fuzz/found/<target> in the build tree; crashes to
# fuzz/crashes/.  Copy a crash into fuzz/corpus/<target>/ once it is
# fixed, and make check replays it from then on.
fuzz: lib/assets.c
	@command -v $(FUZZ_CC) >/dev/null || { echo "make fuzz needs $(FUZZ_CC)" >&2; exit 1; }
	@mkdir -p fuzz/crashes
	@libsrc=; for f in $(lib_libcore_a_SOURCES) $(lib_libarena_a_SOURCES); do \
		case $$f in *.c) libsrc="$$libsrc $(top_srcdir)/$$f" ;; esac; \
	done; \
	libsrc="$$libsrc lib/assets.c"; \
	for f in $(cli_libcli_a_SOURCES); do \
		case $$f in cli/claude.c|cli/jcur.c) libsrc="$$libsrc $(top_srcdir)/$$f" ;; esac; \
	done; \
	for t in $(FUZZ_TARGETS); do \
		echo "  FUZZ     $$t ($(FUZZ_SECONDS) s)"; \
		$(FUZZ_CC) $(FUZZ_FLAGS) $(AM_CPPFLAGS) -I$(top_srcdir)/cli $(FCGI_CFLAGS) $(PQ_CFLAGS) $(CRYPTO_CFLAGS) \
			$(CJSON_CFLAGS) -o fuzz/fuzz-$$t $(top_srcdir)/fuzz/fuzz-$$t.c \
			$$libsrc \
			$(FCGI_LIBS) $(PQ_LIBS) $(CRYPTO_LIBS) $(CJSON_LIBS) -lm || exit 1; \
		mkdir -p fuzz/found/$$t; \
		./fuzz/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=fuzz/crashes/$$t- fuzz/found/$$t $(top_srcdir)/fuzz/corpus/$$t \
			>fuzz/$$t.fuzzlog 2>&1; \
		rc=$$?; \
		grep -E '^stat::number_of_executed_units|^stat::peak_rss|^#[0-9]+ *DONE' fuzz/$$t.fuzzlog | sed "s/^/  $$t: /"; \
		ls fuzz/crashes/$$t-* >/dev/null 2>&1 && echo "  $$t: CRASHES in fuzz/crashes/" ; \
		[ $$rc = 0 ] || { tail -40 fuzz/$$t.fuzzlog; exit 1; }; \
	done
.PHONY: fuzz
