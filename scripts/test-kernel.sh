#!/bin/bash
# Build (once) the debug test kernel from Debian's linux-source-6.12 with
# scripts/kernel/debug.config, and print its build tree: the directory to
# pass as KDIR, holding .config, Module.symvers and arch/x86/boot/bzImage.
#
#   scripts/test-kernel.sh          build if needed, print the build tree
#   scripts/test-kernel.sh --path   print the build tree, fail if not built
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dir=$(debug_kernel_dir)
build=$dir/build

if [ -e "$dir/done" ]; then
	echo "$build"
	exit 0
fi
[ "${1:-}" = --path ] && die "debug kernel not built: run scripts/test-kernel.sh"

tarball=/usr/src/$NFDNS_KSRC_PKG.tar.xz
[ -r "$tarball" ] || die "$tarball missing (run scripts/deps.sh)"

rm -rf "$dir"
mkdir -p "$dir"
start=$(date +%s)
echo "test-kernel: extracting $tarball" >&2
tar -C "$dir" -xf "$tarball"
mv "$dir/$NFDNS_KSRC_PKG" "$dir/src"

log=$dir/build.log
echo "test-kernel: configuring (log: $log)" >&2
make -C "$dir/src" O="$build" allnoconfig >"$log" 2>&1
"$dir/src/scripts/kconfig/merge_config.sh" -m -O "$build" "$build/.config" \
	"$NFDNS_TOP/scripts/kernel/debug.config" >>"$log" 2>&1
make -C "$dir/src" O="$build" olddefconfig >>"$log" 2>&1

# A fragment line that did not survive olddefconfig means a missing
# dependency: fail now rather than boot a kernel without it.
missing=0
while IFS= read -r line; do
	case $line in CONFIG_*=*) ;; *) continue ;; esac
	if ! grep -qx "$line" "$build/.config"; then
		echo "test-kernel: not set in .config: $line" >&2
		missing=1
	fi
done <"$NFDNS_TOP/scripts/kernel/debug.config"
[ $missing -eq 0 ] || die "config fragment not satisfied"

echo "test-kernel: building with $(nproc) jobs" >&2
if ! make -C "$dir/src" O="$build" -j"$(nproc)" >>"$log" 2>&1; then
	tail -40 "$log" >&2
	die "kernel build failed (log: $log)"
fi
echo "test-kernel: built in $(( $(date +%s) - start ))s" >&2
touch "$dir/done"
echo "$build"
