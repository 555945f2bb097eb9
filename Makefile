# SPDX-License-Identifier: GPL-2.0
#
#   make                 module (against KDIR) and userspace programs
#   make module          kmod/nfdns.ko against KDIR
#   make userspace       nfdnsd, nfdnsctl
#   make check           checkpatch and sparse on the module
#   make test            every test: host, then VMs (see scripts/test.sh)
#   make stress          the long runs, in a VM on the debug kernel: 100 module
#                        churn cycles under load, a 1M-entry flush under hits,
#                        100k hits with conntrack, every entry size
#                        (scripts/stress.sh)
#   make demo            the guided tour, in a VM
#   make bench           the hit path against Unbound, dnsmasq, dnsdist, in a VM (scripts/bench.sh)
#   make bench-ttl       waits for upstream with short TTLs: nfdns prefetch against Unbound, dnsdist, in a VM (scripts/bench-ttl.sh)
#   make clean           remove every build output
#   make install         the module (into /lib/modules/<release>/updates, then
#                        depmod), the programs, man pages, systemd unit and a
#                        default /etc/nfdns/nfdnsd.conf; DESTDIR, prefix, KDIR
#   make uninstall       remove them (a changed nfdnsd.conf stays)
#   make dkms-source     the module's source into /usr/src/nfdns-<version>
#   make dkms-install    dkms-source, then dkms add, build and install
#   make dkms-uninstall  dkms remove, and the source from /usr/src

KDIR ?= /lib/modules/$(shell uname -r)/build
KSELFTEST_DIR = $(shell scripts/test-kernel.sh --path 2>/dev/null | sed 's,/build$$,/src,')/tools/testing/selftests

.PHONY: all module userspace check test stress demo clean selftests
.PHONY: install uninstall module-install module-uninstall
.PHONY: dkms-source dkms-install dkms-uninstall

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

stress:
	scripts/stress.sh

demo:
	scripts/demo.sh

# bench/ holds the results: without .PHONY the target would be up to date.
.PHONY: bench bench-ttl
bench:
	scripts/bench.sh

bench-ttl:
	scripts/bench-ttl.sh

clean:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	@if [ -f userspace/Makefile ]; then $(MAKE) -C userspace clean; fi
	$(MAKE) -C tests/unit clean
	$(MAKE) -C tests/selftests clean
	@if [ -f tests/fuzz/Makefile ]; then $(MAKE) -C tests/fuzz clean; fi
	@if [ -f tests/fuzz/nfdnsd/Makefile ]; then $(MAKE) -C tests/fuzz/nfdnsd clean; fi
	rm -rf build

# Installing.  The module goes to /lib/modules/<KDIR's release>/updates/kmod/
# through the kernel's modules_install; depmod runs here, once, and only
# for the running system (DEPMOD=true: the kernel's own depmod would write
# its index under DESTDIR whenever the build tree has a System.map).
# DESTDIR is made absolute: the installs run in other directories.
INSTALL_MOD_DIR ?= updates
DEST = $(abspath $(DESTDIR))
KRELEASE = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
MODDEST = $(DEST)/lib/modules/$(KRELEASE)/$(INSTALL_MOD_DIR)/kmod
# Distribution build trees have no signing key: sign only with one.
MODSIGN = $(if $(wildcard $(KDIR)/certs/signing_key.x509),,CONFIG_MODULE_SIG_ALL=)
NFDNS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(CURDIR)/dkms.conf)
DKMS_SRC = $(DEST)/usr/src/nfdns-$(NFDNS_VERSION)
DKMS_FILES = Kbuild Makefile dkms.conf \
	$(shell find kmod \( -name Kbuild -o -name '*.[ch]' \) ! -name '*.mod.c' | sort)
need_release = @test -n "$(KRELEASE)" || { echo "no kernel release in KDIR=$(KDIR)" >&2; exit 1; }
need_version = @test -n "$(NFDNS_VERSION)" || { echo "no PACKAGE_VERSION in dkms.conf" >&2; exit 1; }

install: module-install
	$(MAKE) -C userspace install DESTDIR=$(DEST)

uninstall: module-uninstall
	$(MAKE) -C userspace uninstall DESTDIR=$(DEST)

module-install: module
	$(need_release)
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DEST) \
		INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) DEPMOD=true $(MODSIGN) modules_install
	$(if $(DEST),,depmod -a $(KRELEASE))

module-uninstall:
	$(need_release)
	rm -f $(MODDEST)/nfdns.ko* $(MODDEST)/nfdns_kunit.ko*
	@for d in $(MODDEST) $(dir $(MODDEST)); do \
		if [ -d $$d ]; then rmdir --ignore-fail-on-non-empty $$d; fi; done
	$(if $(DEST),,depmod -a $(KRELEASE))

# DKMS: the module's source alone, with dkms.conf, in DKMS's source tree.
dkms-source:
	$(need_version)
	rm -rf $(DKMS_SRC)
	@for f in $(DKMS_FILES); do install -D -m 0644 $$f $(DKMS_SRC)/$$f || exit 1; done
	@echo "nfdns $(NFDNS_VERSION) source in $(DKMS_SRC)"

# A fresh add, build and install for the running kernel; DKMS then rebuilds
# the module for each kernel installed later.
dkms-install:
	$(MAKE) dkms-uninstall
	$(MAKE) dkms-source
	dkms add nfdns/$(NFDNS_VERSION)
	dkms build nfdns/$(NFDNS_VERSION)
	dkms install nfdns/$(NFDNS_VERSION)

# With DESTDIR, only the staged source goes: DKMS itself is the system's.
dkms-uninstall:
	$(need_version)
	$(if $(DEST),,if dkms status -m nfdns -v $(NFDNS_VERSION) | grep -q .; then \
		dkms remove nfdns/$(NFDNS_VERSION) --all; fi)
	rm -rf $(DKMS_SRC)
