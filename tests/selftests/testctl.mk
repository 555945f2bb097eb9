# Rules for the cache selftest and the shell tests' helper; included from
# the Makefile, which provides CFLAGS, LDLIBS and PROGS.
CACHE_TEST_PROGS = nfdns_cache nfdns_testctl
PROGS += $(CACHE_TEST_PROGS)

all: $(CACHE_TEST_PROGS)

nfdns_cache: nfdns_cache.c genl_util.c genl_util.h ../../kmod/uapi/linux/nfdns.h
	$(CC) $(CFLAGS) -o $@ nfdns_cache.c genl_util.c $(LDLIBS)

nfdns_testctl: nfdns_testctl.c genl_util.c genl_util.h ../../kmod/uapi/linux/nfdns.h
	$(CC) $(CFLAGS) -o $@ nfdns_testctl.c genl_util.c $(LDLIBS) -lldns
