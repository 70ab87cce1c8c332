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
	t/0400-rankings.sh t/0410-cleanup.sh t/0420-swap.sh t/0430-calendar.sh
TESTS += t/0010-json.t t/0020-lib.t t/0040-score.t $(ARENA_SHELL_TESTS)
# 60 ranking runs and PostgreSQL restarts: their time is the database's,
# their C is run by the other tests of the sanitizer pass
PLAIN_ONLY_TESTS += t/0420-swap.sh t/0320-ingest-fault.sh
EXTRA_DIST += $(ARENA_SHELL_TESTS) t/lib/harness.sh t/lib/sessions.sh t/fixtures

# The command-line client: its unit tests, a stand-in server, shell tests.
check_PROGRAMS += t/capture-server t/0500-cli-parse.t
t_capture_server_SOURCES = t/capture-server.c
t_capture_server_CFLAGS = $(ARENA_CFLAGS)
t_capture_server_LDADD = $(ARENA_LIBS)
t_0500_cli_parse_t_SOURCES = t/0500-cli-parse.c t/tap.h
t_0500_cli_parse_t_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/cli $(CURL_CFLAGS) $(CRYPTO_CFLAGS) $(SQLITE_CFLAGS)
t_0500_cli_parse_t_LDADD = $(CLI_LIBS)
CLI_SHELL_TESTS = t/0510-cli-count.sh t/0520-cli-install.sh t/0530-cli-hook.sh \
	t/0540-cli-sync.sh t/0550-cli-privacy.sh t/0560-cli-e2e.sh t/0570-cli-parity.sh \
	t/0575-cli-sqlite.sh t/0580-cli-schedule.sh t/0590-cli-submit.sh
TESTS += t/0500-cli-parse.t $(CLI_SHELL_TESTS)
EXTRA_DIST += $(CLI_SHELL_TESTS) t/lib/cli.sh

# Security (issue 6): unit tests 003x, integration tests 06xx.
check_PROGRAMS += t/0030-sign.t t/0031-netaddr.t t/arena-sign-v2
t_arena_sign_v2_SOURCES = t/arena-sign-v2.c
t_arena_sign_v2_CFLAGS = $(ARENA_CFLAGS)
t_arena_sign_v2_LDADD = $(ARENA_LIBS)
t_0030_sign_t_SOURCES = t/0030-sign.c t/tap.h
t_0030_sign_t_CFLAGS = $(ARENA_CFLAGS)
t_0030_sign_t_LDADD = $(ARENA_LIBS)
t_0031_netaddr_t_SOURCES = t/0031-netaddr.c t/tap.h
t_0031_netaddr_t_CFLAGS = $(ARENA_CFLAGS)
t_0031_netaddr_t_LDADD = $(ARENA_LIBS)
TESTS += t/0030-sign.t t/0031-netaddr.t
ARENA_SEC_SHELL_TESTS = t/0600-ratelimit.sh t/0610-signing.sh t/0620-exposure.sh \
	t/0630-ingest-security.sh
TESTS += $(ARENA_SEC_SHELL_TESTS)
EXTRA_DIST += $(ARENA_SEC_SHELL_TESTS)

# Accounts (issue 11): a stand-in GitHub and the integration tests 09xx.
check_PROGRAMS += t/fake-github
t_fake_github_SOURCES = t/fake-github.c
t_fake_github_CFLAGS = $(ARENA_CFLAGS)
t_fake_github_LDADD = $(ARENA_LIBS)
ACCOUNT_SHELL_TESTS = t/0900-accounts.sh t/0910-device.sh t/0920-dashboard.sh \
	t/0930-cli-login.sh t/0940-accounts-limits.sh
TESTS += $(ACCOUNT_SHELL_TESTS)
EXTRA_DIST += $(ACCOUNT_SHELL_TESTS) t/lib/accounts.sh

# The web (issue 10): escapers, catalogs and formatting, page chrome.
check_PROGRAMS += t/0700-html.t t/0710-i18n.t t/0720-page.t
t_0700_html_t_SOURCES = t/0700-html.c t/tap.h
t_0700_html_t_CFLAGS = $(ARENA_CFLAGS)
t_0700_html_t_LDADD = $(ARENA_LIBS)
t_0710_i18n_t_SOURCES = t/0710-i18n.c t/tap.h
t_0710_i18n_t_CFLAGS = $(ARENA_CFLAGS)
t_0710_i18n_t_LDADD = $(ARENA_LIBS)
t_0720_page_t_SOURCES = t/0720-page.c t/tap.h
t_0720_page_t_CFLAGS = $(ARENA_CFLAGS)
t_0720_page_t_LDADD = $(ARENA_LIBS)
TESTS += t/0700-html.t t/0710-i18n.t t/0720-page.t
WEB_SHELL_TESTS = t/0730-board.sh
TESTS += $(WEB_SHELL_TESTS)
EXTRA_DIST += $(WEB_SHELL_TESTS)

# Public profiles (issue 10).
PROFILE_SHELL_TESTS = t/0735-profile.sh
TESTS += $(PROFILE_SHELL_TESTS)
EXTRA_DIST += $(PROFILE_SHELL_TESTS)

# Real-browser tests: Debian's chromium driven by playwright-core, axe-core
# for accessibility (t/browser/, npm ci there); plain builds only.
BROWSER_SHELL_TESTS = t/0800-browser-lib.sh t/0810-browser-pages.sh t/0820-browser-accounts.sh
if BROWSER_TESTS
TESTS += $(BROWSER_SHELL_TESTS)
endif
PLAIN_ONLY_TESTS += $(BROWSER_SHELL_TESTS)
EXTRA_DIST += $(BROWSER_SHELL_TESTS) t/browser/package.json t/browser/package-lock.json \
	t/browser/lib.js t/browser/selftest.js t/browser/selftest t/browser/pages.js \
	t/browser/accounts.js
clean-local: clean-screenshots
clean-screenshots:
	-rm -rf t/screenshots
.PHONY: clean-screenshots

# Operations (issue 12): packages, client-only build, units, cron and the
# configuration file, command-line manners, log lines.
OPS_SHELL_TESTS = t/1000-deb.sh t/1001-client-only.sh t/1002-units.sh t/1003-cron-env.sh \
	t/1004-manners.sh t/1005-logs.sh
TESTS += $(OPS_SHELL_TESTS)
# building the packages and checking unit files says nothing new under ASan
PLAIN_ONLY_TESTS += t/1000-deb.sh t/1001-client-only.sh t/1002-units.sh
EXTRA_DIST += $(OPS_SHELL_TESTS)

# Project evaluations (issue 13): a stand-in model endpoint and the tests.
check_PROGRAMS += t/fake-model
t_fake_model_SOURCES = t/fake-model.c
t_fake_model_CFLAGS = $(ARENA_CFLAGS)
t_fake_model_LDADD = $(ARENA_LIBS)
EVAL_SHELL_TESTS = t/1200-evaluations.sh t/1210-evaluations-profile.sh
TESTS += $(EVAL_SHELL_TESTS)
EXTRA_DIST += $(EVAL_SHELL_TESTS)

# Operations (issue 12): other web servers, PgBouncer, a standby, backups.
HOSTING_SHELL_TESTS = t/1100-apache.sh t/1101-lighttpd.sh t/1105-badge.sh t/1108-metrics.sh \
	t/1110-pgbouncer.sh t/1112-replica.sh t/1115-backup.sh
TESTS += $(HOSTING_SHELL_TESTS)
# the other hosts, the pooler, the standby and the restore run the same C
# as the tests above: under ASan they would add minutes and nothing new
PLAIN_ONLY_TESTS += t/1100-apache.sh t/1101-lighttpd.sh t/1110-pgbouncer.sh t/1112-replica.sh \
	t/1115-backup.sh
EXTRA_DIST += $(HOSTING_SHELL_TESTS) t/lib/hosting.sh t/lib/cluster.sh
