EXTRA_DIST += script/lib.sh script/server script/test .ci/run
if SERVER
dist_pkgdata_DATA += script/demo-data.sql
endif
