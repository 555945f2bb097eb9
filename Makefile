# SPDX-License-Identifier: GPL-2.0
#
#   make                 module (against KDIR) and userspace programs
#   make module          kmod/nfdns.ko against KDIR
#   make userspace       nfdnsd, nfdnsctl
#   make check           checkpatch and sparse on the module
#   make test            every test: host, then VMs (see scripts/test.sh)
#   make demo            the guided tour, in a VM
#   make clean           remove every build output

KDIR ?= /lib/modules/$(shell uname -r)/build
KSELFTEST_DIR = $(shell scripts/test-kernel.sh --path 2>/dev/null | sed 's,/build$$,/src,')/tools/testing/selftests

.PHONY: all module userspace check test demo clean selftests

all: module userspace

module:
	@test -d "$(KDIR)" || { echo "KDIR=$(KDIR) not found: install the kernel headers or pass KDIR=/path/to/build" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace:
	@if [ -f userspace/Makefile ]; then $(MAKE) -C userspace; fi

# kselftest programs, built with the test kernel's kselftest_harness.h.
selftests:
	$(MAKE) -C tests/selftests KSELFTEST_DIR=$(KSELFTEST_DIR)

check:
	scripts/check.sh

test:
	scripts/test.sh

demo:
	scripts/demo.sh

clean:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	@if [ -f userspace/Makefile ]; then $(MAKE) -C userspace clean; fi
	$(MAKE) -C tests/unit clean
	$(MAKE) -C tests/selftests clean
	@if [ -f tests/fuzz/Makefile ]; then $(MAKE) -C tests/fuzz clean; fi
	rm -rf build
