# nfdnsctl host unit test (included by tests/unit/Makefile): nfdnsctl's own
# sources with a transport that needs no kernel.
NFDNSCTL_DIR := ../../userspace/nfdnsctl
NFDNSCTL_TEST_CFLAGS := -I$(NFDNSCTL_DIR) -I../../userspace/common -I../../kmod/uapi -D_GNU_SOURCE \
	-DNFDNSCTL_NO_MAIN $(shell pkg-config --cflags ldns libnl-genl-3.0 json-c 2>/dev/null)
NFDNSCTL_TEST_LIBS := $(shell pkg-config --libs ldns 2>/dev/null || echo -lldns) \
	$(shell pkg-config --libs libnl-genl-3.0 json-c)
NFDNSCTL_SRCS := $(addprefix $(NFDNSCTL_DIR)/,main.c request.c format.c \
	stats.c status.c config.c entry.c cache.c persist.c resolver.c)

UNIT_TESTS += nfdnsctl_test

nfdnsctl_test: nfdnsctl_test.c nfdnsctl_stub.c nfdnsctl_stub.h $(NFDNSCTL_SRCS) $(wildcard $(NFDNSCTL_DIR)/*.h)
	$(CC) $(UNIT_CFLAGS) $(NFDNSCTL_TEST_CFLAGS) -o $@ $< nfdnsctl_stub.c \
		$(NFDNSCTL_SRCS) $(NFDNSCTL_TEST_LIBS)
