# systemd units, the cron file, the nginx snippet and the configuration
# file, with this installation's paths (configure: RUNDIR, CONFDIR,
# MICROCACHE, SERVICE_USER, --with-systemdsystemunitdir).
ARENA_SUBST = sed -e 's|@fcgibindir[@]|$(fcgibindir)|g' \
	-e 's|@cronbindir[@]|$(cronbindir)|g' \
	-e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	-e 's|@pkgdatadir[@]|$(pkgdatadir)|g' \
	-e 's|@localstatedir[@]|$(localstatedir)|g' \
	-e 's|@SERVICE_USER[@]|$(SERVICE_USER)|g' \
	-e 's|@RUNDIR[@]|$(RUNDIR)|g' \
	-e 's|@CONFDIR[@]|$(CONFDIR)|g' \
	-e 's|@MICROCACHE[@]|$(MICROCACHE)|g' \
	-e 's|@STATICDIR[@]|$(pkgdatadir)/static|g' \
	-e '/@HARDENING[@]/{r $(srcdir)/systemd/hardening.conf' -e 'd;}'

UNITS_GEN = systemd/modu-arena@.socket systemd/modu-arena@.service \
	systemd/modu-arena-rankings.service systemd/modu-arena-cleanup.service \
	systemd/modu-arena-evaluations.service
UNITS_STATIC = systemd/modu-arena-rankings.timer systemd/modu-arena-cleanup.timer \
	systemd/modu-arena-evaluations.timer \
	systemd/modu-arena.target
OPS_GEN = $(UNITS_GEN) cron/modu-arena.cron nginx/locations.conf nginx/site.conf etc/arena.env
EXTRA_DIST += systemd/modu-arena@.socket.in systemd/modu-arena@.service.in \
	systemd/modu-arena-rankings.service.in systemd/modu-arena-cleanup.service.in \
	systemd/modu-arena-evaluations.service.in \
	systemd/hardening.conf systemd/modu-arena-auth-egress.conf $(UNITS_STATIC) \
	cron/modu-arena.cron.in etc/arena.env.in nginx/site.conf.in
CLEANFILES += $(OPS_GEN)
noinst_DATA = $(OPS_GEN)

$(OPS_GEN): Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(ARENA_SUBST) $(srcdir)/$@.in >$@.tmp && mv $@.tmp $@

systemd/modu-arena@.socket: $(srcdir)/systemd/modu-arena@.socket.in
systemd/modu-arena@.service: $(srcdir)/systemd/modu-arena@.service.in $(srcdir)/systemd/hardening.conf
systemd/modu-arena-rankings.service: $(srcdir)/systemd/modu-arena-rankings.service.in $(srcdir)/systemd/hardening.conf
systemd/modu-arena-cleanup.service: $(srcdir)/systemd/modu-arena-cleanup.service.in $(srcdir)/systemd/hardening.conf
systemd/modu-arena-evaluations.service: $(srcdir)/systemd/modu-arena-evaluations.service.in $(srcdir)/systemd/hardening.conf
cron/modu-arena.cron: $(srcdir)/cron/modu-arena.cron.in
nginx/locations.conf: $(srcdir)/nginx/locations.conf.in
nginx/site.conf: $(srcdir)/nginx/site.conf.in
etc/arena.env: $(srcdir)/etc/arena.env.in

# make install: units where systemd looks, the cron file under /etc/cron.d,
# the rendered nginx snippet beside fastcgi.conf, the configuration file
# (never overwritten once there: it holds the secrets; uninstall removes
# it only while it is unchanged).
install-ops: $(OPS_GEN)
	$(MKDIR_P) $(DESTDIR)$(systemdsystemunitdir) $(DESTDIR)$(systemdsystemunitdir)/modu-arena@auth.service.d
	for f in $(UNITS_GEN); do $(INSTALL_DATA) $$f $(DESTDIR)$(systemdsystemunitdir)/; done
	for f in $(UNITS_STATIC); do $(INSTALL_DATA) $(srcdir)/$$f $(DESTDIR)$(systemdsystemunitdir)/; done
	$(INSTALL_DATA) $(srcdir)/systemd/modu-arena-auth-egress.conf \
		$(DESTDIR)$(systemdsystemunitdir)/modu-arena@auth.service.d/egress.conf
	$(MKDIR_P) $(DESTDIR)$(sysconfdir)/cron.d $(DESTDIR)$(nginxdir) $(DESTDIR)$(sysconfdir)/modu-arena
	$(INSTALL_DATA) cron/modu-arena.cron $(DESTDIR)$(sysconfdir)/cron.d/modu-arena
	$(INSTALL_DATA) nginx/locations.conf nginx/site.conf $(DESTDIR)$(nginxdir)/
	test -f $(DESTDIR)$(sysconfdir)/modu-arena/arena.env || \
		$(INSTALL) -m 0640 etc/arena.env $(DESTDIR)$(sysconfdir)/modu-arena/arena.env
uninstall-ops:
	for f in $(UNITS_GEN) $(UNITS_STATIC); do rm -f $(DESTDIR)$(systemdsystemunitdir)/$${f##*/}; done
	rm -f $(DESTDIR)$(systemdsystemunitdir)/modu-arena@auth.service.d/egress.conf
	rm -f $(DESTDIR)$(sysconfdir)/cron.d/modu-arena $(DESTDIR)$(nginxdir)/locations.conf $(DESTDIR)$(nginxdir)/site.conf
	-cmp -s etc/arena.env $(DESTDIR)$(sysconfdir)/modu-arena/arena.env && \
		rm -f $(DESTDIR)$(sysconfdir)/modu-arena/arena.env
