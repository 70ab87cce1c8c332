# The Debian packaging (dpkg-buildpackage -us -uc -b), in the tarball too.
EXTRA_DIST += debian/control debian/rules debian/changelog debian/copyright \
	debian/source/format debian/modu-arena-server.install debian/modu-arena.install \
	debian/modu-arena-server.postinst debian/modu-arena-server.postrm
