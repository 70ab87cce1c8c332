fcgibin_PROGRAMS += cgi-bin/status cgi-bin/verify
cgi_bin_status_CFLAGS = $(ARENA_CFLAGS)
cgi_bin_status_LDADD = $(ARENA_LIBS)
cgi_bin_verify_CFLAGS = $(ARENA_CFLAGS)
cgi_bin_verify_LDADD = $(ARENA_LIBS)
fcgibin_PROGRAMS += cgi-bin/sessions
cgi_bin_sessions_CFLAGS = $(ARENA_CFLAGS)
cgi_bin_sessions_LDADD = $(ARENA_LIBS)
