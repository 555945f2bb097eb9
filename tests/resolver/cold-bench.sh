#!/bin/bash
# Cold resolution through three levels (root -> com. -> example.com.):
# nfdnsd against Unbound, each started fresh ROUNDS times against the test
# hierarchy; prints the median client-side time and the upstream queries.
#
#   tests/resolver/cold-bench.sh [ROUNDS]     (as root)
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lib/unbound.sh"
top=$(cd "$here/../.." && pwd)
nfdnsd=${NFDNSD:-$top/userspace/nfdnsd/nfdnsd}
rounds=${1:-10}
addr=127.53.255.1
# The test hierarchy binds fixed loopback addresses: one run at a time.
exec 9>/tmp/nfdns-hierarchy.lock
flock 9
work=$(mktemp -d /tmp/nfdnsd-bench.XXXXXX)
pid=

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	"$top/tests/zones/hierarchy.sh" stop "$work/hier" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

# Waits (bounded) until something listens on UDP addr:53, without querying it.
bound() {
	local i
	for i in $(seq 1 100); do
		ss -uln | grep -q " $addr:53 " && return 0
		sleep 0.05
	done
	return 1
}

timed() {
	python3 - "$addr" www.example.com <<'PY'
import socket, struct, sys, time
q = struct.pack("!HHHHHH", 0x4242, 0x0100, 1, 0, 0, 0)
for label in sys.argv[2].split("."):
    q += bytes([len(label)]) + label.encode()
q += b"\0" + struct.pack("!HH", 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
t = time.perf_counter()
s.sendto(q, (sys.argv[1], 53))
r = s.recv(65535)
print(int((time.perf_counter() - t) * 1e6), r[3] & 15)
PY
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

"$top/tests/zones/hierarchy.sh" start "$work/hier" >/dev/null || exit 1
unbound_conf "$work" $addr 127.0.0.0/8 "$work/hier/root.hints" \
	"num-threads: 1" "extended-statistics: yes" >"$work/unbound.conf"

: >"$work/n.times"
: >"$work/u.times"
for i in $(seq 1 "$rounds"); do
	"$nfdnsd" --config /dev/null --dnssec-validation no --no-kernel --root-hints "$work/hier/root.hints" --listen $addr --trace \
		--do-not-query-localhost no \
		>"$work/n.log" 2>&1 &
	pid=$!
	bound && sleep 0.2 && timed | awk '{ print $1 }' >>"$work/n.times"
	nq=$(sed -n 's/.* after \([0-9]*\) upstream queries.*/\1/p' "$work/n.log" | tail -1)
	kill "$pid"
	wait "$pid"

	unbound -d -c "$work/unbound.conf" >/dev/null 2>&1 &
	pid=$!
	bound && sleep 0.2 && timed | awk '{ print $1 }' >>"$work/u.times"
	uq=$(unbound-control -c "$work/unbound.conf" stats_noreset 2>/dev/null |
		awk -F= '$1 == "num.query.udpout" || $1 == "num.query.tcpout" { n += $2 } END { print n + 0 }')
	kill "$pid"
	wait "$pid"
	pid=
done
echo "cold www.example.com A, median of $rounds fresh starts (client-side time):"
echo "  nfdnsd:  $(median <"$work/n.times") us, $nq upstream queries"
echo "  unbound: $(median <"$work/u.times") us, $uq upstream queries"
