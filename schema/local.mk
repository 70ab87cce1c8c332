schemadir = $(pkgdatadir)/schema
dist_schema_DATA = schema/001-core.sql schema/002-ingest.sql

