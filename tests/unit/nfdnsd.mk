# nfdnsd host unit tests (included by tests/unit/Makefile).
NFDNSD_DIR := ../../userspace/nfdnsd
NFDNSD_TEST_CFLAGS := -I$(NFDNSD_DIR) -I../../userspace/common -I../../kmod/uapi -D_GNU_SOURCE \
	$(shell pkg-config --cflags ldns libuv json-c 2>/dev/null)
NFDNSD_TEST_LIBS := $(shell pkg-config --libs ldns 2>/dev/null || echo -lldns) $(shell pkg-config --libs json-c)

UNIT_CFLAGS ?= -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined

UNIT_TESTS += nfdnsd_config_test nfdnsd_resolver_test nfdnsd_kernel_test nfdnsd_resolve_test \
	nfdnsd_validate_test nfdnsd_localdata_test nfdnsd_control_test nfdnsd_histogram_test nfdnsd_cachedb_test

NFDNSD_CONFIG_SRCS := $(addprefix $(NFDNSD_DIR)/,config.c acl.c log.c localdata.c zones.c)
NFDNSD_RESOLVER_SRCS := $(addprefix $(NFDNSD_DIR)/,classify.c cache.c infra.c lru.c dname.c util.c)

nfdnsd_config_test: nfdnsd_config_test.c $(NFDNSD_CONFIG_SRCS) $(wildcard $(NFDNSD_DIR)/*.h)
	$(CC) $(UNIT_CFLAGS) $(NFDNSD_TEST_CFLAGS) -o $@ $< $(NFDNSD_CONFIG_SRCS) $(NFDNSD_TEST_LIBS)

nfdnsd_resolver_test: nfdnsd_resolver_test.c $(NFDNSD_RESOLVER_SRCS) $(wildcard $(NFDNSD_DIR)/*.h)
	$(CC) $(UNIT_CFLAGS) $(NFDNSD_TEST_CFLAGS) -o $@ $< $(NFDNSD_RESOLVER_SRCS) $(NFDNSD_TEST_LIBS)

# Responses for the kernel are checked with the module's own validation.
NFDNSD_KERNEL_SRCS := $(addprefix $(NFDNSD_DIR)/,response.c kernel_msg.c) ../../kmod/dnswire.c
nfdnsd_kernel_test: nfdnsd_kernel_test.c $(NFDNSD_KERNEL_SRCS) $(wildcard $(NFDNSD_DIR)/*.h) ../../kmod/dnswire.h
	$(CC) $(UNIT_CFLAGS) $(NFDNSD_TEST_CFLAGS) -I../../kmod -o $@ $< $(NFDNSD_KERNEL_SRCS) $(NFDNSD_TEST_LIBS) \
		$(shell pkg-config --libs libmnl 2>/dev/null || echo -lmnl)

# cachedb (Redis through hiredis) and the module's DNS wire checks it uses.
NFDNSD_CACHEDB_SRCS := $(NFDNSD_DIR)/cachedb.c ../../kmod/dnswire.c
NFDNSD_CACHEDB_FLAGS := -I../../kmod $(shell pkg-config --cflags hiredis 2>/dev/null)
NFDNSD_CACHEDB_LIBS := $(shell pkg-config --libs hiredis 2>/dev/null || echo -lhiredis)

# The state machine with a scripted upstream in place of upstream.c.
NFDNSD_RESOLVE_SRCS := $(addprefix $(NFDNSD_DIR)/,resolve.c classify.c cache.c infra.c lru.c dname.c util.c acl.c \
	roothints.c trace.c stats.c histogram.c log.c config.c validate.c localdata.c zones.c response.c) \
	$(NFDNSD_CACHEDB_SRCS)
nfdnsd_resolve_test: nfdnsd_resolve_test.c $(NFDNSD_RESOLVE_SRCS) $(wildcard $(NFDNSD_DIR)/*.h)
	$(CC) $(UNIT_CFLAGS) $(NFDNSD_TEST_CFLAGS) $(NFDNSD_CACHEDB_FLAGS) -o $@ $< $(NFDNSD_RESOLVE_SRCS) \
		$(NFDNSD_TEST_LIBS) $(NFDNSD_CACHEDB_LIBS) $(shell pkg-config --libs libuv 2>/dev/null || echo -luv)

# cachedb's keys and values, malformed ones above all.
NFDNSD_CACHEDB_TEST_SRCS := $(addprefix $(NFDNSD_DIR)/,stats.c histogram.c log.c) $(NFDNSD_CONFIG_SRCS:$(NFDNSD_DIR)/log.c=) \
	$(NFDNSD_CACHEDB_SRCS)
nfdnsd_cachedb_test: nfdnsd_cachedb_test.c $(NFDNSD_CACHEDB_TEST_SRCS) $(NFDNSD_DIR)/cachedb.h tap.h
	$(CC) $(UNIT_CFLAGS) $(NFDNSD_TEST_CFLAGS) $(NFDNSD_CACHEDB_FLAGS) -o $@ $< $(NFDNSD_CACHEDB_TEST_SRCS) \
		$(NFDNSD_TEST_LIBS) $(NFDNSD_CACHEDB_LIBS) $(shell pkg-config --libs libuv 2>/dev/null || echo -luv)

# DNSSEC validation against a signed hierarchy that the test generates.
NFDNSD_VALIDATE_SRCS := $(NFDNSD_DIR)/validate.c
nfdnsd_validate_test: nfdnsd_validate_test.c $(NFDNSD_VALIDATE_SRCS) $(NFDNSD_DIR)/validate.h ../zones/signed.sh tap.h
	$(CC) $(UNIT_CFLAGS) $(NFDNSD_TEST_CFLAGS) -DSIGNED_SH='"$(abspath ../zones/signed.sh)"' \
		-o $@ $< $(NFDNSD_VALIDATE_SRCS) $(NFDNSD_TEST_LIBS)

# Local data, local zones and block lists, as nfdnsd answers and pushes them.
nfdnsd_localdata_test: nfdnsd_localdata_test.c $(NFDNSD_DIR)/localdata.c $(NFDNSD_DIR)/localdata.h tap.h
	$(CC) $(UNIT_CFLAGS) $(NFDNSD_TEST_CFLAGS) -o $@ $< $(NFDNSD_DIR)/localdata.c $(NFDNSD_TEST_LIBS)

# The control protocol: requests and answers, without a socket.
nfdnsd_control_test: nfdnsd_control_test.c $(NFDNSD_DIR)/control_proto.c $(NFDNSD_DIR)/control_proto.h tap.h
	$(CC) $(UNIT_CFLAGS) $(NFDNSD_TEST_CFLAGS) $(shell pkg-config --cflags json-c) -o $@ $< \
		$(NFDNSD_DIR)/control_proto.c $(shell pkg-config --libs json-c)

# Histograms: buckets, and the Prometheus text.
nfdnsd_histogram_test: nfdnsd_histogram_test.c $(NFDNSD_DIR)/histogram.c $(NFDNSD_DIR)/histogram.h tap.h
	$(CC) $(UNIT_CFLAGS) $(NFDNSD_TEST_CFLAGS) -o $@ $< $(NFDNSD_DIR)/histogram.c
