# Batch jobs, run by cron (see cron/crontab.in).
cronbin_PROGRAMS += cron/calculate-rankings cron/cleanup-data
cron_calculate_rankings_SOURCES = cron/calculate-rankings.c cron/job.c cron/job.h
cron_calculate_rankings_CFLAGS = $(ARENA_CFLAGS)
cron_calculate_rankings_LDADD = $(ARENA_LIBS)
cron_cleanup_data_SOURCES = cron/cleanup-data.c cron/job.c cron/job.h
cron_cleanup_data_CFLAGS = $(ARENA_CFLAGS)
cron_cleanup_data_LDADD = $(ARENA_LIBS)
# Project evaluations by a model over HTTPS (libcurl).
cronbin_PROGRAMS += cron/evaluate-projects
cron_evaluate_projects_SOURCES = cron/evaluate-projects.c cron/evalmodel.c cron/evalmodel.h \
	cron/job.c cron/job.h
cron_evaluate_projects_CFLAGS = $(ARENA_CFLAGS) $(CURL_CFLAGS)
cron_evaluate_projects_LDADD = $(ARENA_LIBS) $(CURL_LIBS)

