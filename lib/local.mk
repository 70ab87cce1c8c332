# The part of the library the command-line client shares: no libfcgi,
# libpq or cJSON, only OpenSSL.
noinst_LIBRARIES += lib/libcore.a
lib_libcore_a_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS)
lib_libcore_a_SOURCES = \
	lib/apikey.c lib/apikey.h \
	lib/arena.c lib/arena.h \
	lib/buf.c lib/buf.h \
	lib/conf.c lib/conf.h \
	lib/crypto.c lib/crypto.h \
	lib/json.c lib/json.h \
	lib/jsonw.c lib/jsonw.h \
	lib/log.c lib/log.h \
	lib/netaddr.c lib/netaddr.h \
	lib/num.c lib/num.h \
	lib/seal.c lib/seal.h \
	lib/sign.c lib/sign.h \
	lib/timeutil.c lib/timeutil.h

if SERVER
noinst_LIBRARIES += lib/libarena.a
# no fused multiply-add: score.c must round exactly as PostgreSQL's float8 does
lib_libarena_a_CFLAGS = $(AM_CFLAGS) -ffp-contract=off $(FCGI_CFLAGS) $(PQ_CFLAGS) $(CRYPTO_CFLAGS) \
	$(CURL_CFLAGS) $(CJSON_CFLAGS)
lib_libarena_a_SOURCES = \
	lib/account.c lib/account.h \
	lib/audit.c lib/audit.h \
	lib/auth.c lib/auth.h lib/auth_v2.c \
	lib/board.c lib/board.h \
	lib/db.c lib/db.h \
	lib/html.c lib/html.h \
	lib/i18n.c lib/i18n.h \
	lib/oauth.c lib/oauth.h \
	lib/page.c lib/page.h lib/assets.h \
	lib/pagecache.c lib/pagecache.h \
	lib/price.c lib/price.h \
	lib/profile.c lib/profile.h lib/profile_json.c \
	lib/svg.c lib/svg.h \
	lib/metrics.c lib/metrics.h \
	lib/ratelimit.c lib/ratelimit.h \
	lib/replica.c lib/replica.h \
	lib/replay.c lib/replay.h \
	lib/req.c lib/req.h \
	lib/score.c lib/score.h \
	lib/serve.c lib/serve.h \
	lib/session.c lib/session.h \
	lib/stats.c lib/stats.h \
	lib/websession.c lib/websession.h

# Everything that links libarena needs its dependencies too.
ARENA_LIBS = lib/libarena.a lib/libcore.a $(FCGI_LIBS) $(PQ_LIBS) $(CRYPTO_LIBS) $(CJSON_LIBS) -lm
ARENA_CFLAGS = $(AM_CFLAGS) $(FCGI_CFLAGS) $(PQ_CFLAGS) $(CRYPTO_CFLAGS) $(CJSON_CFLAGS)

# Only the programs that talk to an OAuth provider link libcurl (lib/oauth.c).
OAUTH_LIBS = $(CURL_LIBS)

# The message catalogs (lib/i18n.h), installed for i18n_init().
i18ndir = $(pkgdatadir)/i18n
dist_i18n_DATA = lib/i18n/en.json lib/i18n/ko.json lib/i18n/ja.json lib/i18n/zh.json

# Static assets under content-hashed names (lib/assets.h): the build
# writes static/NAME.HASH.EXT and the table lib/assets.c from the files of
# nginx/static and the generated Open Graph image.
ASSET_FILES = nginx/static/arena.css nginx/static/arena.js nginx/static/icon.svg
EXTRA_DIST += $(ASSET_FILES) script/assets.sh
noinst_PROGRAMS += nginx/og-image
nginx_og_image_SOURCES = nginx/og-image.c
nodist_lib_libarena_a_SOURCES = lib/assets.c
BUILT_SOURCES = lib/assets.c
CLEANFILES += lib/assets.c static/og.png
static/og.png: nginx/og-image$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) static && ./nginx/og-image$(EXEEXT) >$@.tmp && mv $@.tmp $@
lib/assets.c: $(ASSET_FILES) static/og.png $(srcdir)/script/assets.sh
	$(AM_V_GEN)$(MKDIR_P) lib && set -e; files=; \
	for f in $(ASSET_FILES); do files="$$files $(srcdir)/$$f"; done; \
	$(SHELL) $(srcdir)/script/assets.sh static/hashed $@ $$files static/og.png
staticdir = $(pkgdatadir)/static
install-static: lib/assets.c
	$(MKDIR_P) $(DESTDIR)$(staticdir)
	$(INSTALL_DATA) static/hashed/*.* $(DESTDIR)$(staticdir)/
uninstall-static:
	for f in static/hashed/*.*; do rm -f "$(DESTDIR)$(staticdir)/$${f##*/}"; done
clean-local:
	rm -rf static/hashed
endif
