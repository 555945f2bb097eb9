# shellcheck shell=bash
# Shared by the install tests.  Sourced, after scripts/lib.sh.

# install_tree_copy DEST: what `make install` needs from the checkout,
# without build outputs, so the tests build in their own tree and never
# race other builds of the checkout.
install_tree_copy() {
	rsync -a --exclude '*.o' --exclude '*.ko' --exclude '*.d' \
		--exclude '.*.cmd' --exclude '*.mod' --exclude '*.mod.c' \
		--exclude modules.order --exclude Module.symvers \
		--exclude /userspace/nfdnsd/nfdnsd --exclude /userspace/nfdnsctl/nfdnsctl \
		"$NFDNS_TOP/Makefile" "$NFDNS_TOP/Kbuild" "$NFDNS_TOP/dkms.conf" \
		"$NFDNS_TOP/kmod" "$NFDNS_TOP/userspace" "$1/"
}

# nfdns_version: PACKAGE_VERSION of dkms.conf.
nfdns_version() {
	sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$NFDNS_TOP/dkms.conf"
}

# module_suffix KDIR: what modules_install appends to .ko for that kernel.
module_suffix() {
	local conf=$1/include/config/auto.conf
	grep -q '^CONFIG_MODULE_COMPRESS_ALL=y' "$conf" || return 0
	if grep -q '^CONFIG_MODULE_COMPRESS_XZ=y' "$conf"; then echo .xz
	elif grep -q '^CONFIG_MODULE_COMPRESS_ZSTD=y' "$conf"; then echo .zst
	elif grep -q '^CONFIG_MODULE_COMPRESS_GZIP=y' "$conf"; then echo .gz
	fi
}

# installed_files PREFIX RELEASE SUFFIX: every file `make install` puts
# under DESTDIR, sorted, relative to it.
installed_files() {
	local p=${1#/} rel=$2 suffix=$3
	{
		echo "lib/modules/$rel/updates/kmod/nfdns.ko$suffix"
		echo "$p/sbin/nfdnsd"
		echo "$p/share/man/man8/nfdnsd.8"
		echo "$p/lib/systemd/system/nfdnsd.service"
		echo "etc/nfdns/nfdnsd.conf"
		echo "$p/sbin/nfdnsctl"
		echo "$p/share/man/man8/nfdnsctl.8"
		echo "$p/share/bash-completion/completions/nfdnsctl"
		echo "$p/lib/systemd/system/nfdns-cache.service"
	} | sort
}

# files_under DIR: the files and links under DIR, sorted, relative to it.
files_under() {
	(cd "$1" && find . \( -type f -o -type l \) | sed 's,^\./,,' | sort)
}
