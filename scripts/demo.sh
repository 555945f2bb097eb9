#!/bin/bash
# `make demo`: boot Debian's stock 6.12 kernel in a VM, load nfdns.ko and
# show what it registers.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$NFDNS_TOP"

"$NFDNS_TOP/scripts/deps.sh"
echo "== building nfdns.ko for Debian's stock 6.12 kernel"
moddir=$(scripts/build-module.sh 6.12)
echo "== booting the VM"
exec scripts/vm.sh --kernel 6.12 -- "$NFDNS_TOP/scripts/demo-guest.sh" "$moddir"
