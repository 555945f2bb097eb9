#!/bin/bash
# Runs inside the VM (scripts/vm.sh) on a stock kernel, as root: installs
# nfdns from TREE, a tree already built for this kernel, the two ways the
# README gives, and checks each step.  First DKMS: the source under
# /usr/src, dkms add, build and install, the module loads, and dkms remove
# takes it away.  Then make install: the module loads, nfdnsd runs from
# where it was installed and registers with it, and make uninstall takes
# everything away.  The guest's root is a throwaway overlay, so installing
# here is harmless to the host.  Prints TAP.
#
#   tests/install/guest.sh TREE
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"

tree=$(cd "${1:?usage: guest.sh TREE}" && pwd)
rel=$(uname -r)
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$tree/dkms.conf")
echo "# kernel $rel, nfdns $version"

# loaded: the module is in the kernel and its netlink family is there.
loaded() {
	[ -d /sys/module/nfdns ] && genl ctrl get name nfdns | grep -q '^Name: nfdns$'
}

# unload: modprobe -r takes the module out.  (Asking for the family now
# would load it again: it carries the family's module alias.)
unload() {
	modprobe -r nfdns || return 1
	if [ -e /sys/module/nfdns ]; then
		echo "/sys/module/nfdns is still there"
		return 1
	fi
}

# in_dir DIR PATH: PATH lies under DIR.
in_dir() {
	case $2 in "$1"/*) return 0 ;; esac
	echo "$2 is not under $1"
	return 1
}

# Under TCG a module build or a depmod takes minutes: say how long each
# step took.
step() {
	local start=$SECONDS
	tap_check "$@"
	echo "# $((SECONDS - start))s"
}

tap_check "nfdns is not installed before the test" bash -c '! modinfo nfdns'

# DKMS, as the README gives it.
echo "# DKMS"
src=/usr/src/nfdns-$version
step "make dkms-source puts the source in $src" \
	bash -c 'make -C "$1" dkms-source && [ -f "$2/dkms.conf" ]' _ "$tree" "$src"
step "dkms add nfdns/$version" timeout 120 dkms add "nfdns/$version"
step "dkms build -k $rel nfdns/$version" \
	timeout 1500 dkms build -k "$rel" "nfdns/$version"
step "dkms install -k $rel nfdns/$version" \
	timeout 900 dkms install -k "$rel" "nfdns/$version"
tap_check "the module is DKMS's, under updates/dkms" \
	in_dir "/lib/modules/$rel/updates/dkms" "$(modinfo -n nfdns 2>&1)"
tap_check "modprobe nfdns loads DKMS's module" modprobe nfdns
tap_check "the nfdns family is registered" loaded
tap_check "modprobe -r nfdns" unload
step "make dkms-uninstall" timeout 900 make -C "$tree" dkms-uninstall
tap_check "DKMS knows no nfdns any more and its source is gone" \
	bash -c '[ -z "$(dkms status -m nfdns)" ] && [ ! -e "$1" ]' _ "$src"
tap_check "modprobe finds no nfdns after dkms remove" bash -c '! modprobe nfdns'

# make install, then the daemon from where it was installed.
echo "# make install"
step "make install" timeout 900 make -C "$tree" install
tap_check "the module is under updates/kmod" \
	in_dir "/lib/modules/$rel/updates/kmod" "$(modinfo -n nfdns 2>&1)"
tap_check "modprobe nfdns" modprobe nfdns
tap_check "the nfdns family is registered" loaded
tap_check "nfdnsd is installed in /usr/sbin" \
	bash -c '[ "$(command -v nfdnsd)" = /usr/sbin/nfdnsd ]'
tap_check "nfdnsd --help" nfdnsd --help
tap_check "/etc/nfdns/nfdnsd.conf is the shipped default" \
	cmp "$tree/userspace/nfdnsd/nfdnsd.conf" /etc/nfdns/nfdnsd.conf
if command -v man >/dev/null; then
	tap_check "man -w nfdnsd finds the installed page" \
		bash -c '[ "$(man -w nfdnsd)" = /usr/share/man/man8/nfdnsd.8 ]'
fi
if command -v systemd-analyze >/dev/null; then
	tap_check "systemd-analyze verify accepts the installed units" \
		timeout 60 systemd-analyze verify /usr/lib/systemd/system/nfdnsd.service \
		/usr/lib/systemd/system/nfdns-cache.service
fi

# registers: nfdnsd, started as the unit starts it, registers with the
# installed module.
registers() {
	local log=$1 pid rc=1
	/usr/sbin/nfdnsd --config /etc/nfdns/nfdnsd.conf 2>"$log" &
	pid=$!
	for _ in $(seq 60); do
		if grep -q 'registered as the resolver' "$log"; then
			rc=0
			break
		fi
		kill -0 $pid 2>/dev/null || break
		sleep 0.5
	done
	kill -TERM $pid 2>/dev/null
	wait $pid
	[ $rc -eq 0 ] || cat "$log"
	return $rc
}
tap_check "nfdnsd with the installed configuration registers with the module" \
	registers /tmp/nfdnsd-install.log

tap_check "nfdnsctl is installed in /usr/sbin" \
	bash -c '[ "$(command -v nfdnsctl)" = /usr/sbin/nfdnsctl ]'
tap_check "nfdnsctl stats" timeout 30 nfdnsctl stats
tap_check "modprobe -r nfdns" unload

echo "# make uninstall"
step "make uninstall" timeout 900 make -C "$tree" uninstall
tap_check "make uninstall removes every installed file" \
	bash -c 'left=$(ls -d /usr/sbin/nfdnsd /usr/sbin/nfdnsctl \
		/usr/share/man/man8/nfdnsd.8 /usr/share/man/man8/nfdnsctl.8 \
		/usr/lib/systemd/system/nfdnsd.service /etc/nfdns \
		/usr/share/bash-completion/completions/nfdnsctl \
		/usr/lib/systemd/system/nfdns-cache.service \
		"/lib/modules/$1/updates/kmod" 2>/dev/null); [ -z "$left" ] || { echo "$left"; exit 1; }' _ "$rel"
tap_check "modprobe nfdns fails after make uninstall" bash -c '! modprobe nfdns'

tap_done
