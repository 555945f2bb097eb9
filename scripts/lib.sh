# Shared by the scripts in this folder: where things are cached, and how the
# test kernel is named.  Sourced, not run.

NFDNS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NFDNS_CACHE=${NFDNS_CACHE:-$HOME/.cache/nfdns}
NFDNS_KSRC_PKG=linux-source-6.12

die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

# The debug kernel lives under a key made of the source package version and
# a hash of everything that shapes the build, so a change to either builds
# a fresh one and an unchanged pair is reused.
debug_kernel_dir() {
	local ver hash
	ver=$(dpkg-query -W -f='${Version}' "$NFDNS_KSRC_PKG" 2>/dev/null) ||
		die "$NFDNS_KSRC_PKG is not installed (run scripts/deps.sh)"
	hash=$(cat "$NFDNS_TOP/scripts/kernel/debug.config" \
		"$NFDNS_TOP/scripts/test-kernel.sh" | sha256sum | cut -c1-12)
	echo "$NFDNS_CACHE/kernel/${ver//[~:+]/_}-$hash"
}

# Stock Debian kernels: the newest installed release of each series.
stock_kernel_release() {
	local series=$1 rel
	case $series in
	6.1)  rel=$(ls -d /lib/modules/6.1.0-*-amd64 2>/dev/null | sort -V | tail -1) ;;
	6.12) rel=$(ls -d /lib/modules/6.12.*+deb12-amd64 2>/dev/null | sort -V | tail -1) ;;
	*) die "unknown kernel series: $series" ;;
	esac
	[ -n "$rel" ] || die "no stock $series kernel installed (run scripts/deps.sh)"
	basename "$rel"
}
