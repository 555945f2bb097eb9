#!/bin/bash
# `make demo`: boot Debian's stock 6.12 kernel in a VM and show nfdns at
# work there (scripts/demo-guest.sh): a small DNS internet of NSD servers,
# each in its own network namespace; nfdns.ko and nfdnsd answering a
# client's dig, first through nfdnsd from the root down, then from the
# kernel's cache; a CNAME into another zone; nfdnsctl dump and stats.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$NFDNS_TOP"

"$NFDNS_TOP/scripts/deps.sh"
echo "== building nfdns.ko for Debian's stock 6.12 kernel, nfdnsd and nfdnsctl"
moddir=$(scripts/build-module.sh 6.12)
make -s userspace
echo "== booting the VM (QEMU; without KVM this takes a few minutes)"
# The guest's serial console ends its lines with CR LF.
scripts/vm.sh --kernel 6.12 -- "$NFDNS_TOP/scripts/demo-guest.sh" "$moddir" 2>&1 |
	sed -u 's/\r$//'
