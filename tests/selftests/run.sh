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

# The hit path microbenchmark, briefly: that it runs, prints every figure
# and leaves the kernel quiet.  Its timings are not judged here.
if [ -e "$moddir/nfdns_hitbench.ko" ]; then
	echo "# nfdns_hitbench"
	# Its replies are routed, to a client in the benchmarking range.
	hb_client=198.18.255.2
	hb_route=
	ip route add $hb_client dev lo 2>/dev/null && hb_route=$hb_client
	hb_mark="nfdns_hitbench test $$ $RANDOM"
	echo "$hb_mark" >/dev/kmsg
	if insmod "$moddir/nfdns_hitbench.ko" entries=1000 ops=2000 passes=2; then
		tap_ok "nfdns_hitbench loads"
	else
		tap_fail "nfdns_hitbench loads" "$(dmesg | grep nfdns_hitbench | tail -5)"
		rc=1
	fi
	hb_log=$(dmesg | awk -v m="$hb_mark" 'index($0, m) { n = NR } { l[NR] = $0 }
		END { for (i = n + 1; n && i <= NR; i++) print l[i] }')
	hb_ops="empty lookup parse build reply hook"
	for op in $hb_ops; do
		if grep -Eq "nfdns_hitbench: entries=1000 cpus=1 op=$op ns_per_op=([1-9][0-9]*|0)\.[0-9] " <<<"$hb_log" &&
		   ! grep -q "op=$op ns_per_op=0\.0 " <<<"$hb_log"; then
			tap_ok "nfdns_hitbench: op=$op, a positive ns_per_op"
		else
			tap_fail "nfdns_hitbench: op=$op, a positive ns_per_op" "$(grep "op=$op " <<<"$hb_log")"
			rc=1
		fi
	done
	if [ "$(nproc)" -gt 1 ]; then
		if grep -Eq "nfdns_hitbench: entries=1000 cpus=$(nproc) op=hook ns_per_op=[0-9]+\.[0-9] .* aggregate_mops=[0-9.]+ speedup=[0-9.]+$" <<<"$hb_log"; then
			tap_ok "nfdns_hitbench: the hook on $(nproc) CPUs at once"
		else
			tap_fail "nfdns_hitbench: the hook on $(nproc) CPUs at once" "$hb_log"
			rc=1
		fi
	fi
	if grep -Eq "nfdns_hitbench: entries=1000 hook/empty=[0-9.]+ lookup/empty=[0-9.]+ parse/empty=[0-9.]+ build/empty=[0-9.]+ reply/empty=[0-9.]+$" <<<"$hb_log"; then
		tap_ok "nfdns_hitbench: the ratios to the empty hook"
	else
		tap_fail "nfdns_hitbench: the ratios to the empty hook" "$hb_log"
		rc=1
	fi
	hb_bad=$(grep -E 'KASAN|WARNING|lockdep|BUG:|circular locking|suspicious RCU|rcu.*stall|soft lockup|blocked for more' <<<"$hb_log")
	if [ -z "$hb_bad" ]; then
		tap_ok "nfdns_hitbench: no kernel warning"
	else
		tap_fail "nfdns_hitbench: no kernel warning" "$hb_bad"
		rc=1
	fi
	if lsmod | grep -q '^nfdns_hitbench '; then
		tap_check "rmmod nfdns_hitbench" rmmod nfdns_hitbench
	fi
	[ -n "$hb_route" ] && ip route del $hb_route dev lo
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

# Scripts that need not run on every kernel say "# vm-kernels: WHICH..." in
# their header and run only in the VMs that match one: "debug", the debug
# test kernel (scripts/vm.sh sets NFDNS_VM_KERNEL), or a GLOB on uname -r
# ("6.12.*-amd64": the stock 6.12 kernel).
runs_here() {
	local kernels k
	kernels=$(sed -n 's/^# vm-kernels: //p' "$1" | head -1)
	[ -z "$kernels" ] && return 0
	for k in $kernels; do
		if [ "$k" = debug ]; then
			[ "${NFDNS_VM_KERNEL:-}" = debug ] && return 0
			continue
		fi
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
