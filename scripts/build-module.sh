#!/bin/bash
# Build the module for one kernel in its own tree under build/, so builds
# for several kernels do not overwrite each other's objects.
#
#   scripts/build-module.sh debug|6.1|6.12     prints the directory of the .ko files
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=${1:?usage: build-module.sh debug|6.1|6.12}
case $kernel in
debug) kdir=$("$NFDNS_TOP/scripts/test-kernel.sh" --path) ;;
6.1|6.12) kdir=/lib/modules/$(stock_kernel_release "$kernel")/build ;;
*) die "unknown kernel: $kernel" ;;
esac
[ -d "$kdir" ] || die "no kernel build tree at $kdir"

out=$NFDNS_TOP/build/$kernel
mkdir -p "$out"
rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	"$NFDNS_TOP/Kbuild" "$NFDNS_TOP/kmod" "$out/"
# W=1 warnings are errors for the module: it must build clean everywhere.
# The tests and the benches also get the hit path microbenchmark, which
# `make module` and the installs leave out.
if ! make -C "$kdir" M="$out" KCFLAGS=-Werror NFDNS_HITBENCH=m modules >"$out/build.log" 2>&1; then
	cat "$out/build.log" >&2
	die "module build failed for the $kernel kernel"
fi
if grep -E -q 'warning:|WARNING:' "$out/build.log"; then
	grep -E 'warning:|WARNING:' "$out/build.log" >&2
	die "module build warned for the $kernel kernel"
fi
echo "$out/kmod"
