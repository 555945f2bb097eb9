#!/bin/bash
# make install and make uninstall into a DESTDIR, in a copy of the tree,
# with the module built against Debian's stock 6.12 headers: exactly the
# expected files, nothing left behind, nfdnsd.conf kept when it was
# changed, prefix and KDIR honoured, and the DKMS source tree.  Touches
# nothing outside its temporary directory.  Prints TAP.
#
#   tests/install/host.sh
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../scripts/lib.sh"
. "$here/../lib/tap.sh"
. "$here/lib.sh"

release=$(stock_kernel_release 6.12) || exit 1
kdir=/lib/modules/$release/build
suffix=$(module_suffix "$kdir")
version=$(nfdns_version)
work=$(mktemp -d "${TMPDIR:-/tmp}/nfdns-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
tree=$work/tree
mkdir "$tree"
install_tree_copy "$tree"

echo "# kernel headers $release, module suffix '${suffix}'"

# mk ARGS...: make in the copy, bounded; the end of its output on failure.
mk() {
	local out
	out=$(timeout 900 make -C "$tree" KDIR="$kdir" "$@" 2>&1) && return 0
	printf '%s\n' "$out" | tail -30
	return 1
}

# same_files DIR EXPECTED: the files under DIR are exactly EXPECTED.
same_files() {
	local got
	got=$(files_under "$1")
	if [ "$got" != "$2" ]; then
		diff <(printf '%s\n' "$2") <(printf '%s\n' "$got") | grep '^[<>]'
		return 1
	fi
}

if ! tap_check "the tree builds against $release" mk -j2; then
	tap_done
	exit 1
fi

dest=$work/dest
conf=$dest/etc/nfdns/nfdnsd.conf
expected=$(installed_files /usr "$release" "$suffix")
tap_check "make install DESTDIR= succeeds" mk install DESTDIR="$dest"
tap_check "make install DESTDIR= installs exactly the expected files" \
	same_files "$dest" "$expected"
tap_check "the installed module is built for $release" \
	bash -c '[ "$(modinfo -F vermagic "$1" | cut -d" " -f1)" = "$2" ]' _ \
	"$dest/lib/modules/$release/updates/kmod/nfdns.ko$suffix" "$release"
tap_check "the unit starts /usr/sbin/nfdnsd" \
	grep -qx 'ExecStart=/usr/sbin/nfdnsd --config /etc/nfdns/nfdnsd.conf' \
	"$dest/usr/lib/systemd/system/nfdnsd.service"
tap_check "nfdnsd.conf is the shipped default" \
	cmp "$tree/userspace/nfdnsd/nfdnsd.conf" "$conf"

# The administrator's changes survive a second install and an uninstall.
echo "listen 192.0.2.1:53" >>"$conf"
cp "$conf" "$work/changed.conf"
tap_check "a second make install succeeds" mk install DESTDIR="$dest"
tap_check "a second make install keeps a changed nfdnsd.conf" \
	cmp "$work/changed.conf" "$conf"
tap_check "a second make install installs the same files" \
	same_files "$dest" "$expected"
tap_check "make uninstall DESTDIR= succeeds" mk uninstall DESTDIR="$dest"
tap_check "make uninstall leaves only the changed nfdnsd.conf" \
	same_files "$dest" "etc/nfdns/nfdnsd.conf"
rm -f "$conf"

tap_check "make install, then make uninstall, with an unchanged nfdnsd.conf" \
	bash -c 'make -C "$1" KDIR="$2" install DESTDIR="$3" >/dev/null &&
		make -C "$1" KDIR="$2" uninstall DESTDIR="$3"' _ "$tree" "$kdir" "$dest"
tap_check "make uninstall leaves no file behind" same_files "$dest" ""
tap_check "make uninstall removes /etc/nfdns" test ! -e "$dest/etc/nfdns"

# prefix moves the programs, man pages and unit, and the unit follows.
dest=$work/local
tap_check "make install prefix=/usr/local succeeds" \
	mk install DESTDIR="$dest" prefix=/usr/local
tap_check "make install prefix=/usr/local installs exactly the expected files" \
	same_files "$dest" "$(installed_files /usr/local "$release" "$suffix")"
tap_check "the unit starts /usr/local/sbin/nfdnsd" \
	grep -qx 'ExecStart=/usr/local/sbin/nfdnsd --config /etc/nfdns/nfdnsd.conf' \
	"$dest/usr/local/lib/systemd/system/nfdnsd.service"
tap_check "the cache unit saves with /usr/local/sbin/nfdnsctl" \
	grep -qx 'ExecStop=/usr/local/sbin/nfdnsctl save /var/lib/nfdns/cache' \
	"$dest/usr/local/lib/systemd/system/nfdns-cache.service"
tap_check "make uninstall prefix=/usr/local leaves no file behind" \
	bash -c 'make -C "$1" KDIR="$2" uninstall DESTDIR="$3" prefix=/usr/local &&
		[ -z "$(find "$3" -type f -o -type l)" ]' _ "$tree" "$kdir" "$dest"

# A relative DESTDIR is relative to the top of the tree, for the module
# (installed from the kernel's directory) as for the programs.
tap_check "a relative DESTDIR is relative to the top of the tree" \
	bash -c 'cd "$1" && make KDIR="$2" install DESTDIR=rel >/dev/null &&
		[ -e "rel/lib/modules/$3/updates/kmod/nfdns.ko$4" ] &&
		[ -e rel/usr/sbin/nfdnsd ] &&
		make KDIR="$2" uninstall DESTDIR=rel >/dev/null &&
		[ -z "$(find rel -type f -o -type l)" ]' _ "$tree" "$kdir" "$release" "$suffix"

# DKMS: the source tree holds the module's sources and nothing built, and
# the build command of dkms.conf makes nfdns.ko alone.
src=$work/dkms/usr/src/nfdns-$version
tap_check "make dkms-source DESTDIR= succeeds" mk dkms-source DESTDIR="$work/dkms"
tap_check "the DKMS source holds the module's sources and no build output" \
	bash -c 'cd "$1" && [ -f dkms.conf ] && [ -f Makefile ] && [ -f Kbuild ] &&
		[ -f kmod/Kbuild ] && [ -f kmod/main.c ] && [ -f kmod/uapi/linux/nfdns.h ] &&
		[ -z "$(find . -name "*.o" -o -name "*.ko" -o -name ".*.cmd" -o -path ./userspace)" ]' \
	_ "$src"

# dkms_make DIR KDIR: run MAKE[0] of DIR/dkms.conf as DKMS would.
dkms_make() {
	(
		cd "$1" || exit 1
		# shellcheck disable=SC2034  # dkms.conf reads it
		kernel_source_dir=$2
		# shellcheck disable=SC1091
		. ./dkms.conf
		eval "timeout 900 ${MAKE[0]}" >build.log 2>&1 || { tail -20 build.log; exit 1; }
		built=$(find . -name '*.ko' | sort)
		[ "$built" = ./kmod/nfdns.ko ] || { echo "built: $built"; exit 1; }
	)
}
tap_check "the dkms.conf build makes kmod/nfdns.ko alone for $release" \
	dkms_make "$src" "$kdir"

# The test kernel has KUnit: the DKMS build must still leave its suites out.
debug_kdir=$("$NFDNS_TOP/scripts/test-kernel.sh" --path 2>/dev/null)
if [ -n "$debug_kdir" ] && [ -f "$debug_kdir/.config" ] &&
   grep -q '^CONFIG_KUNIT=y' "$debug_kdir/.config"; then
	cp -r "$src" "$work/dkms-debug"
	tap_check "the dkms.conf build leaves the KUnit suites out on a KUnit kernel" \
		dkms_make "$work/dkms-debug" "$debug_kdir"
else
	tap_ok "the dkms.conf build leaves the KUnit suites out on a KUnit kernel # SKIP no test kernel built"
fi

tap_check "make dkms-uninstall DESTDIR= removes the source" \
	bash -c 'make -C "$1" dkms-uninstall DESTDIR="$2" >/dev/null && [ ! -e "$3" ]' \
	_ "$tree" "$work/dkms" "$src"

tap_done
