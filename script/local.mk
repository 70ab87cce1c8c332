EXTRA_DIST += script/lib.sh script/server script/test .ci/run
dist_pkgdata_DATA += script/demo-data.sql
