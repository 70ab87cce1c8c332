nginxdir = $(pkgdatadir)/nginx
dist_nginx_DATA = nginx/fastcgi.conf nginx/errors.conf nginx/locations.conf.in \
	nginx/standalone.conf.in
