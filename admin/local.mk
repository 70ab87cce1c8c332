sbin_PROGRAMS += admin/arena-admin
admin_arena_admin_CFLAGS = $(ARENA_CFLAGS)
admin_arena_admin_LDADD = $(ARENA_LIBS)
dist_man8_MANS = admin/arena-admin.8
