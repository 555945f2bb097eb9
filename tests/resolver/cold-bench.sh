#!/bin/bash
# Cold resolution through three levels (root -> com. -> example.com.):
# nfdnsd against Unbound, each started fresh ROUNDS times against the test
# hierarchy; prints the median client-side time and the upstream queries.
# With SIGNED=1, www.a.sec. through the signed hierarchy (root -> sec. ->
# a.sec., tests/zones/signed.sh), each resolver with validation on and off,
# both minimising query names: what validation costs a cold answer.
#
#   tests/resolver/cold-bench.sh [ROUNDS]     (as root)
#   SIGNED=1 tests/resolver/cold-bench.sh [ROUNDS]
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
signed=${SIGNED:-}
name=www.example.com
hierarchy=$top/tests/zones/hierarchy.sh
if [ -n "$signed" ]; then
	name=www.a.sec
	hierarchy=$top/tests/zones/signed.sh
fi

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	"$hierarchy" stop "$work/hier" >/dev/null 2>&1
	[ -n "${KEEP:-}" ] && echo "# kept: $work" || rm -rf "$work"
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
	python3 - "$addr" "$name" <<'PY'
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

"$hierarchy" start "$work/hier" >/dev/null || exit 1

# nfdnsd_round NAME ARGS...: nfdnsd started fresh, asked once.
nfdnsd_round() {
	local tag=$1
	shift
	"$nfdnsd" --config /dev/null --no-kernel --root-hints "$work/hier/root.hints" --listen $addr --trace \
		--do-not-query-localhost no "$@" >"$work/$tag.log" 2>&1 &
	pid=$!
	bound && sleep 0.2 && timed | awk '{ print $1 }' >>"$work/$tag.times"
	sed -n 's/.* after \([0-9]*\) upstream queries.*/\1/p' "$work/$tag.log" | tail -1 >"$work/$tag.queries"
	kill "$pid"
	wait "$pid"
	pid=
}

# unbound_round NAME: Unbound started fresh with $work/NAME.conf, asked once.
unbound_round() {
	unbound -d -c "$work/$1.conf" >/dev/null 2>&1 &
	pid=$!
	bound && sleep 0.2 && timed | awk '{ print $1 }' >>"$work/$1.times"
	unbound-control -c "$work/$1.conf" stats_noreset 2>/dev/null |
		awk -F= '$1 == "num.query.udpout" || $1 == "num.query.tcpout" { n += $2 } END { print n + 0 }' \
		>"$work/$1.queries"
	kill "$pid"
	wait "$pid"
	pid=
}

report() { echo "  $2: $(median <"$work/$1.times") us, $(cat "$work/$1.queries") upstream queries"; }

if [ -z "$signed" ]; then
	unbound_conf "$work" $addr 127.0.0.0/8 "$work/hier/root.hints" \
		"num-threads: 1" "extended-statistics: yes" >"$work/u.conf"
	for i in $(seq 1 "$rounds"); do
		nfdnsd_round n --dnssec-validation no
		unbound_round u
	done
	echo "cold $name A, median of $rounds fresh starts (client-side time):"
	report n "nfdnsd "
	report u "unbound"
	exit 0
fi

anchor=$work/hier/root.ds
unbound_conf "$work" $addr 127.0.0.0/8 "$work/hier/root.hints" \
	"num-threads: 1" "extended-statistics: yes" "qname-minimisation: yes" \
	"module-config: \"validator iterator\"" "trust-anchor-file: \"$anchor\"" >"$work/uv.conf"
unbound_conf "$work" $addr 127.0.0.0/8 "$work/hier/root.hints" \
	"num-threads: 1" "extended-statistics: yes" "qname-minimisation: yes" >"$work/u.conf"
for i in $(seq 1 "$rounds"); do
	nfdnsd_round nv --trust-anchor-file "$anchor"
	nfdnsd_round n --dnssec-validation no
	unbound_round uv
	unbound_round u
done
echo "cold $name A through the signed hierarchy, median of $rounds fresh starts (client-side time):"
report nv "nfdnsd validating    "
report n "nfdnsd not validating"
report uv "unbound validating   "
report u "unbound not validating"
