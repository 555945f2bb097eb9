#!/bin/bash
# Installs nfdns on one of Debian's stock kernels in a VM, both ways a host
# would: a copy of the tree is built here (`make`, as a user would before
# `sudo make install`), then tests/install/guest.sh installs it with DKMS
# and with `make install` as root in the guest, whose root is a throwaway
# overlay of this one.  Prints TAP.
#
#   tests/install/vm.sh 6.1|6.12
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../scripts/lib.sh"
. "$here/lib.sh"

series=${1:?usage: vm.sh 6.1|6.12}
release=$(stock_kernel_release "$series") || exit 1
work=$(mktemp -d "${TMPDIR:-/tmp}/nfdns-install-vm.XXXXXX")
trap 'rm -rf "$work"' EXIT
install_tree_copy "$work"

if ! out=$(timeout 900 make -C "$work" -j2 KDIR="/lib/modules/$release/build" 2>&1); then
	printf '%s\n' "$out" | tail -30 | sed 's/^/# /'
	echo "not ok - the tree builds against $release"
	exit 1
fi
echo "ok - the tree builds against $release"

"$NFDNS_TOP/scripts/vm.sh" --kernel "$series" -- "$here/guest.sh" "$work"
