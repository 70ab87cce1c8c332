fcgibin_PROGRAMS += cgi-bin/status cgi-bin/verify
cgi_bin_status_CFLAGS = $(ARENA_CFLAGS)
cgi_bin_status_LDADD = $(ARENA_LIBS)
cgi_bin_verify_CFLAGS = $(ARENA_CFLAGS)
cgi_bin_verify_LDADD = $(ARENA_LIBS)
fcgibin_PROGRAMS += cgi-bin/sessions
cgi_bin_sessions_CFLAGS = $(ARENA_CFLAGS)
cgi_bin_sessions_LDADD = $(ARENA_LIBS)
fcgibin_PROGRAMS += cgi-bin/leaderboard cgi-bin/rank
cgi_bin_leaderboard_CFLAGS = $(ARENA_CFLAGS)
cgi_bin_leaderboard_LDADD = $(ARENA_LIBS)
cgi_bin_rank_CFLAGS = $(ARENA_CFLAGS)
cgi_bin_rank_LDADD = $(ARENA_LIBS)
# The leaderboard page and GET /api/stats/global (issue 10).
fcgibin_PROGRAMS += cgi-bin/board
cgi_bin_board_CFLAGS = $(ARENA_CFLAGS)
cgi_bin_board_LDADD = $(ARENA_LIBS)
fcgibin_PROGRAMS += cgi-bin/profile
cgi_bin_profile_SOURCES = cgi-bin/profile.c cgi-bin/ui-profile.c cgi-bin/ui-profile.h
cgi_bin_profile_CFLAGS = $(ARENA_CFLAGS)
cgi_bin_profile_LDADD = $(ARENA_LIBS)
# Accounts: sign-in (the only program that calls GitHub) and the user's own data.
fcgibin_PROGRAMS += cgi-bin/auth cgi-bin/me
cgi_bin_auth_CFLAGS = $(ARENA_CFLAGS)
cgi_bin_auth_LDADD = $(ARENA_LIBS) $(OAUTH_LIBS)
cgi_bin_me_SOURCES = cgi-bin/me.c cgi-bin/me.h cgi-bin/dashboard.c
cgi_bin_me_CFLAGS = $(ARENA_CFLAGS)
cgi_bin_me_LDADD = $(ARENA_LIBS)
# Project evaluations: POST/GET /api/v1/evaluations (issue 13).
fcgibin_PROGRAMS += cgi-bin/evaluations
cgi_bin_evaluations_CFLAGS = $(ARENA_CFLAGS)
cgi_bin_evaluations_LDADD = $(ARENA_LIBS)
# README badges (issue 12).
fcgibin_PROGRAMS += cgi-bin/badge
cgi_bin_badge_CFLAGS = $(ARENA_CFLAGS)
cgi_bin_badge_LDADD = $(ARENA_LIBS)
# GET /metrics (issue 12).
fcgibin_PROGRAMS += cgi-bin/metrics
cgi_bin_metrics_CFLAGS = $(ARENA_CFLAGS)
cgi_bin_metrics_LDADD = $(ARENA_LIBS)
