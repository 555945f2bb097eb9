#!/bin/bash
# Runs inside a network namespace with loopback only (run.sh starts it with
# unshare -n): IPv6 reaches ::1 and nothing else.  Resolves the same names
# with --no-ipv6 and with IPv6 on, against servers-nov6.conf, where
# g.example.com's server also has an IPv6 address there is no route to.
# Prints one line: "server N1 N2 nfdnsd M1 M2 unreachable L": queries
# counted by the kernel (socket mark), as nfdnsd counted them, and sends
# that found no route, for the --no-ipv6 run then the IPv6 run.
#
#   nov6.sh NFDNSD WORKDIR
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
nfdnsd=$1
work=$2
hierarchy=$here/../zones/hierarchy.sh
listen=127.53.255.1
names="www.g.example.com beta.g.example.com x1.g.example.com x2.g.example.com x3.g.example.com x4.g.example.com x5.g.example.com x6.g.example.com"

ip link set lo up
trap '"$hierarchy" stop "$work/hier" >/dev/null 2>&1' EXIT
NFDNS_SERVERS=$here/../zones/servers-nov6.conf "$hierarchy" start "$work/hier" >"$work/hier.log" 2>&1 || {
	echo "hierarchy failed: $(cat "$work/hier.log")"
	exit 1
}
nft add table inet nov6 &&
	nft add chain inet nov6 out '{ type filter hook output priority 0; }' &&
	nft add rule inet nov6 out meta mark 0x6e66 udp dport 53 counter || exit 1
counted() { nft list chain inet nov6 out | awk '{ for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'; }

# run LOG FLAGS...: prints "KERNEL-COUNT NFDNSD-COUNT UNREACHABLE-SENDS".
run() {
	local log=$1 pid i n before total=0
	shift
	"$nfdnsd" --config /dev/null --dnssec-validation no --no-kernel --root-hints "$work/hier/root.hints" --listen "$listen:53" \
		--do-not-query-localhost no --trace "$@" >"$log" 2>&1 &
	pid=$!
	for i in $(seq 1 50); do
		grep -q 'info: primed' "$log" && break
		sleep 0.1
	done
	before=$(counted)
	for n in $names; do
		dig +time=4 +tries=1 @$listen "$n" A >/dev/null 2>&1
	done
	echo "$(($(counted) - before))"
	for n in $names; do
		i=$(grep "trace: answered $n. A " "$log" | sed -n 's/.* after \([0-9]*\) upstream queries.*/\1/p' | tail -1)
		total=$((total + ${i:-0}))
	done
	echo "$total"
	grep -cE 'trace: (asked .* -> (network|host) is unreachable|cannot query)' "$log"
	kill "$pid"
	wait "$pid" 2>/dev/null
}
mapfile -t a < <(run "$work/no-ipv6.log" --no-ipv6)
mapfile -t b < <(run "$work/ipv6.log")
echo "server ${a[0]} ${b[0]} nfdnsd ${a[1]} ${b[1]} unreachable ${a[2]} ${b[2]}"
