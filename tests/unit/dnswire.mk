# SPDX-License-Identifier: GPL-2.0
# nfdns: host unit test of kmod/dnswire.c.  Included by tests/unit/Makefile,
# run from tests/unit.

UNIT_CFLAGS ?= -std=gnu11 -O1 -g -Wall -Wextra -Werror \
	-fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

UNIT_TESTS += dnswire_test

# The test also runs the fuzzer's checks, so it builds with its source.
dnswire_test: dnswire_test.c ../fuzz/fuzz_dnswire.c ../../kmod/dnswire.c \
		../../kmod/dnswire.h ../../kmod/dnswire_compat.h \
		../../kmod/kunit/dnswire_cases.h
	$(CC) $(UNIT_CFLAGS) -I../../kmod -o $@ dnswire_test.c \
		../../kmod/dnswire.c $(LDFLAGS)
