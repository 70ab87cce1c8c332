# Batch jobs, run by cron (see cron/crontab.in).
cronbin_PROGRAMS += cron/calculate-rankings cron/cleanup-data
cron_calculate_rankings_SOURCES = cron/calculate-rankings.c cron/job.c cron/job.h
cron_calculate_rankings_CFLAGS = $(ARENA_CFLAGS)
cron_calculate_rankings_LDADD = $(ARENA_LIBS)
cron_cleanup_data_SOURCES = cron/cleanup-data.c cron/job.c cron/job.h
cron_cleanup_data_CFLAGS = $(ARENA_CFLAGS)
cron_cleanup_data_LDADD = $(ARENA_LIBS)
