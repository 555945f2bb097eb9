#!/bin/bash
# Runs inside the VM (scripts/vm.sh): the KUnit suites, the kselftest ABI
# tests and the netns end-to-end scripts, against the modules in MODDIR.
# Prints TAP; exits non-zero when anything failed.
#
#   tests/selftests/run.sh MODDIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"

moddir=${1:?usage: run.sh MODDIR}
moddir=$(cd "$moddir" && pwd)
export NFDNS_MODDIR=$moddir
rc=0

echo "# kernel $(uname -r), $(nproc) CPUs"

if [ -e "$moddir/nfdns_kunit.ko" ]; then
	echo "# KUnit"
	if insmod "$moddir/nfdns_kunit.ko"; then
		for results in /sys/kernel/debug/kunit/nfdns_*/results; do
			awk -f "$here/ktap-flatten.awk" "$results" || rc=1
			if [ -n "${NFDNS_KSRC:-}" ]; then
				python3 "$NFDNS_KSRC/tools/testing/kunit/kunit.py" \
					parse "$results" 2>&1 | grep -E 'Testing complete|FAILED' |
					sed 's/^/# kunit.py: /'
			fi
		done
		rmmod nfdns_kunit || rc=1
	else
		tap_fail "insmod nfdns_kunit.ko"
		rc=1
	fi
fi

echo "# kselftest: netlink ABI"
if ! insmod "$moddir/nfdns.ko"; then
	tap_fail "insmod nfdns.ko"
	tap_done
	exit 1
fi
for prog in nfdns_genl nfdns_cache; do
	echo "# $prog"
	"$here/$prog" || rc=1
done

# Scripts that test nfdnsd rather than the module say "# vm-kernels: GLOB..."
# in their header and run only in the VMs whose uname -r matches a GLOB
# ("6.12.*-amd64": the stock 6.12 kernel; the debug kernel has no suffix).
runs_here() {
	local kernels k
	kernels=$(sed -n 's/^# vm-kernels: //p' "$1" | head -1)
	[ -z "$kernels" ] && return 0
	for k in $kernels; do
		# shellcheck disable=SC2254
		case $(uname -r) in $k) return 0 ;; esac
	done
	return 1
}

for script in "$here"/netns_*.sh; do
	if ! runs_here "$script"; then
		echo "# ${script##*/}: not in this kernel's VM"
		continue
	fi
	echo "# ${script##*/}"
	start=$SECONDS
	"$script" || rc=1
	echo "# ${script##*/}: $((SECONDS - start)) s"
done

if lsmod | grep -q '^nfdns '; then
	tap_check "rmmod nfdns" rmmod nfdns
fi
tap_done || rc=1
exit $rc
