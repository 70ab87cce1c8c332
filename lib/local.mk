noinst_LIBRARIES += lib/libarena.a
# no fused multiply-add: score.c must round exactly as PostgreSQL's float8 does
lib_libarena_a_CFLAGS = $(AM_CFLAGS) -ffp-contract=off $(FCGI_CFLAGS) $(PQ_CFLAGS) $(CRYPTO_CFLAGS) \
	$(CURL_CFLAGS) $(CJSON_CFLAGS)
lib_libarena_a_SOURCES = \
	lib/account.c lib/account.h \
	lib/apikey.c lib/apikey.h \
	lib/arena.c lib/arena.h \
	lib/audit.c lib/audit.h \
	lib/auth.c lib/auth.h lib/auth_v2.c \
	lib/buf.c lib/buf.h \
	lib/conf.c lib/conf.h \
	lib/crypto.c lib/crypto.h \
	lib/db.c lib/db.h \
	lib/json.c lib/json.h \
	lib/jsonw.c lib/jsonw.h \
	lib/netaddr.c lib/netaddr.h \
	lib/num.c lib/num.h \
	lib/oauth.c lib/oauth.h \
	lib/pagecache.c lib/pagecache.h \
	lib/ratelimit.c lib/ratelimit.h \
	lib/replay.c lib/replay.h \
	lib/req.c lib/req.h \
	lib/score.c lib/score.h \
	lib/seal.c lib/seal.h \
	lib/serve.c lib/serve.h \
	lib/session.c lib/session.h \
	lib/sign.c lib/sign.h \
	lib/timeutil.c lib/timeutil.h \
	lib/websession.c lib/websession.h

# Everything that links libarena needs its dependencies too.
ARENA_LIBS = lib/libarena.a $(FCGI_LIBS) $(PQ_LIBS) $(CRYPTO_LIBS) -lm
ARENA_CFLAGS = $(AM_CFLAGS) $(FCGI_CFLAGS) $(PQ_CFLAGS) $(CRYPTO_CFLAGS)

# Only the programs that talk to an OAuth provider link these (lib/oauth.c).
OAUTH_LIBS = $(CURL_LIBS) $(CJSON_LIBS)
