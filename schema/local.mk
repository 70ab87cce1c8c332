schemadir = $(pkgdatadir)/schema
dist_schema_DATA = schema/001-core.sql schema/002-ingest.sql schema/003-rankings.sql \
	schema/004-ratelimit.sql schema/005-signing.sql schema/006-profile.sql \
	schema/007-accounts.sql schema/008-evaluations.sql schema/009-job-runs.sql
