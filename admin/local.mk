bin_PROGRAMS += admin/arena-admin
admin_arena_admin_CFLAGS = $(ARENA_CFLAGS)
admin_arena_admin_LDADD = $(ARENA_LIBS)
