#!/bin/bash
# Forward and stub zones, end to end: nfdnsd against the NSD test
# hierarchy, a real Unbound as the forwarder, and one more NSD serving a
# zone nothing delegates (internal.test).  Every upstream query nfdnsd
# sends is counted by the kernel (nft, by nfdnsd's socket mark and the
# server's address), and Unbound's own counters say what it was asked.
# TAP on stdout.
#
#   tests/resolver/forward.sh        (as root: servers bind port 53)
#   KEEP=1 ...                       keeps the work directory
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lib/unbound.sh"
top=$(cd "$here/../.." && pwd)
nfdnsd=${NFDNSD:-$top/userspace/nfdnsd/nfdnsd}
hierarchy=$top/tests/zones/hierarchy.sh
fwd=127.53.255.21        # nfdnsd: forward and stub zones
first=127.53.255.22      # nfdnsd: forward-first, to a dead forwarder
forwarder=127.53.255.23  # Unbound, iterating over the hierarchy
hidden=127.53.77.1       # NSD: internal.test, delegated from nowhere
dead=127.53.78.1         # nothing listens
mark=0x6e70

exec 9>/tmp/nfdns-hierarchy.lock
flock 9
work=$(mktemp -d /tmp/nfdnsd-forward.XXXXXX)
pids=()
tests=0
failures=0

cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	[ -s "$work/hidden/nsd.pid" ] && kill "$(cat "$work/hidden/nsd.pid")" 2>/dev/null
	"$hierarchy" stop "$work/hier" >/dev/null 2>&1
	nft delete table inet nfdnsd_fwd 2>/dev/null
	if [ -n "${KEEP:-}" ]; then
		echo "# work directory kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ok() {
	tests=$((tests + 1))
	echo "ok $tests - $1"
}
not_ok() {
	tests=$((tests + 1))
	failures=$((failures + 1))
	echo "not ok $tests - $1"
	shift
	printf '%s\n' "$@" | sed 's/^/#   /'
}
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc" "failed: $*" "$out"; fi
}
ask() {
	out=$(dig +time=6 +tries=1 @"$1" "$2" "$3" 2>&1)
}
rcode() { sed -n 's/.*status: \([A-Z]*\),.*/\1/p' <<<"$out" | head -1; }
answer() {
	awk '$0 == ";; ANSWER SECTION:" { on = 1; next } on && /^$/ { on = 0 } on && !/^;/ { print $1, $4, $5 }' <<<"$out"
}
wait_listening() {
	local i
	for i in $(seq 1 50); do
		dig +time=1 +tries=1 @"$1" . NS >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}
# sent TAG: nfdnsd's upstream packets counted by the nft rule with that comment.
sent() {
	nft list chain inet nfdnsd_fwd out 2>/dev/null |
		awk -v c="\"$1\"" '$NF == c { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}
# unbound_got: client queries Unbound has received.
unbound_got() {
	unbound-control -c "$work/unbound/unbound.conf" stats_noreset 2>/dev/null |
		awk -F= '$1 == "total.num.queries" { print $2 }'
}

echo "# work directory $work"
if ! "$hierarchy" start "$work/hier" >"$work/hier.log" 2>&1; then
	not_ok "test hierarchy started" "$(cat "$work/hier.log")"
	echo "1..$tests"
	exit 1
fi

# internal.test: served by one NSD that no parent knows of.
mkdir -p "$work/hidden"
cat >"$work/hidden/internal.test.zone" <<'EOF'
$TTL 300
@	IN SOA ns.internal.test. admin.internal.test. 1 3600 600 86400 300
	IN NS ns.internal.test.
ns	IN A 127.53.77.1
www	IN A 10.77.0.1
EOF
cat >"$work/hidden/nsd.conf" <<EOF
server:
    ip-address: $hidden
    port: 53
    server-count: 1
    database: ""
    zonelistfile: "$work/hidden/zone.list"
    xfrdfile: "$work/hidden/xfrd.state"
    xfrdir: "$work/hidden"
    pidfile: "$work/hidden/nsd.pid"
    logfile: "$work/hidden/nsd.log"
    username: ""
    chroot: ""
    zonesdir: "$work/hidden"
    verbosity: 0
remote-control:
    control-enable: no
zone:
    name: internal.test
    zonefile: internal.test.zone
EOF
nsd -c "$work/hidden/nsd.conf"
wait_listening $hidden || not_ok "the hidden zone's NSD answers" "$(cat "$work/hidden/nsd.log" 2>/dev/null)"

mkdir -p "$work/unbound"
unbound_conf "$work/unbound" $forwarder 127.0.0.0/8 "$work/hier/root.hints" \
	"verbosity: 1" "num-threads: 1" "so-reuseport: no" >"$work/unbound/unbound.conf"
unbound -d -c "$work/unbound/unbound.conf" >"$work/unbound/stdout.log" 2>&1 &
pids+=($!)
wait_listening $forwarder || not_ok "Unbound answers" "$(cat "$work/unbound/stdout.log")"

nft delete table inet nfdnsd_fwd 2>/dev/null
nft -f - <<EOF
table inet nfdnsd_fwd {
	chain out {
		type filter hook output priority 0;
		meta mark $mark ip daddr $forwarder udp dport 53 counter comment "forwarder"
		meta mark $mark ip daddr 127.53.0.0/16 ip daddr != { $forwarder, $dead } udp dport 53 counter comment "authoritative"
		meta mark $mark ip daddr $hidden udp dport 53 counter comment "hidden"
		meta mark $mark ip daddr $dead udp dport 53 counter comment "dead"
	}
}
EOF

cat >"$work/fwd.conf" <<EOF
forward-zone example.com $forwarder
stub-zone internal.test $hidden
forward-zone net $forwarder@53
stub-zone hosting.net 127.53.3.1
forward-zone dead.example $dead
EOF
"$nfdnsd" --config "$work/fwd.conf" --dnssec-validation no --no-kernel --root-hints "$work/hier/root.hints" \
	--listen $fwd --do-not-query-localhost no --mark $mark --resolve-timeout-ms 1500 --trace \
	>"$work/fwd.log" 2>&1 &
pids+=($!)
wait_listening $fwd || not_ok "nfdnsd answers on $fwd" "$(tail "$work/fwd.log")"

# --- forward zone ----------------------------------------------------------------
u0=$(unbound_got) f0=$(sent forwarder) a0=$(sent authoritative)
ask $fwd www.example.com A
check "forwarded name answered as the zone says" [ "$(rcode) $(answer)" = "NOERROR www.example.com. A 192.0.2.44" ]
check "one query to the forwarder, none to an authoritative server" \
	[ "$(( $(sent forwarder) - f0 )) $(( $(sent authoritative) - a0 ))" = "1 0" ]
check "Unbound was asked once" [ "$(( $(unbound_got) - u0 ))" = 1 ]
check "the query to the forwarder asked for recursion (trace)" grep -q 'forward example.com. -> 127.53.255.23:53' "$work/fwd.log"
f0=$(sent forwarder)
ask $fwd www.example.com A
check "the repeat comes from nfdnsd's cache: no query" [ "$(rcode) $(( $(sent forwarder) - f0 ))" = "NOERROR 0" ]
ask $fwd nxd.example.com A
check "a negative answer from the forwarder is passed on" [ "$(rcode)" = NXDOMAIN ]

# --- stub zone -------------------------------------------------------------------
h0=$(sent hidden) a0=$(sent authoritative) f0=$(sent forwarder)
ask $fwd www.internal.test A
check "stub zone: a zone nothing delegates is answered" [ "$(rcode) $(answer)" = "NOERROR www.internal.test. A 10.77.0.1" ]
# The hidden server's address is one of the authoritative ones too.
check "stub zone: one query in all, to the stub server" \
	[ "$(( $(sent hidden) - h0 )) $(( $(sent authoritative) - a0 )) $(( $(sent forwarder) - f0 ))" = "1 1 0" ]
check "the trace names the stub zone" grep -q 'stub internal.test. -> 127.53.77.1:53' "$work/fwd.log"

# --- the most specific zone wins -------------------------------------------------
f0=$(sent forwarder) u0=$(unbound_got)
ask $fwd ns.hosting.net A
check "a stub zone inside a forward zone: answered" [ "$(rcode) $(answer)" = "NOERROR ns.hosting.net. A 127.53.3.2" ]
check "... by the stub server, not the forwarder" [ "$(( $(sent forwarder) - f0 )) $(( $(unbound_got) - u0 ))" = "0 0" ]
f0=$(sent forwarder)
ask $fwd hosting.net SOA
ask $fwd net SOA
check "the forward zone's own name goes to the forwarder" [ "$(rcode) $(( $(sent forwarder) - f0 ))" = "NOERROR 1" ]

# --- a dead forwarder ------------------------------------------------------------
d0=$(sent dead) a0=$(sent authoritative)
ask $fwd www.dead.example A
check "every forwarder dead: SERVFAIL" [ "$(rcode)" = SERVFAIL ]
check "... after asking it, and without iterating" [ "$(( $(sent dead) - d0 > 0 )) $(( $(sent authoritative) - a0 ))" = "1 0" ]

cat >"$work/first.conf" <<EOF
forward-zone example.com $dead
forward-first yes
EOF
"$nfdnsd" --config "$work/first.conf" --dnssec-validation no --no-kernel --root-hints "$work/hier/root.hints" \
	--listen $first --do-not-query-localhost no --mark $mark --resolve-timeout-ms 4000 --trace \
	>"$work/first.log" 2>&1 &
pids+=($!)
wait_listening $first || not_ok "nfdnsd answers on $first" "$(tail "$work/first.log")"
d0=$(sent dead) a0=$(sent authoritative)
ask $first www.example.com A
check "forward-first: a dead forwarder, then iteration answers" [ "$(rcode) $(answer)" = "NOERROR www.example.com. A 192.0.2.44" ]
check "... after asking the forwarder, from the authoritative servers" \
	[ "$(( $(sent dead) - d0 > 0 )) $(( $(sent authoritative) - a0 > 0 ))" = "1 1" ]
check "the trace says so" grep -q 'no forwarder of example.com. answered: iterating (forward-first)' "$work/first.log"

# --- configuration errors --------------------------------------------------------
bad() {
	local desc=$1 line=$2 want=$3 rc
	printf 'listen none\n%s\n' "$line" >"$work/bad.conf"
	"$nfdnsd" --config "$work/bad.conf" --no-kernel >"$work/bad.log" 2>&1
	rc=$?
	if [ $rc = 2 ] && grep -q "bad.conf:2: .*$want" "$work/bad.log"; then
		ok "$desc"
	else
		not_ok "$desc" "exit $rc" "$(cat "$work/bad.log")"
	fi
}
bad "forward-zone without an address is refused with FILE:LINE" "forward-zone example.com" "has no address"
bad "a bad forwarder address is refused" "forward-zone example.com 10.0.0.300" "bad address"
bad "a bad zone name is refused" "stub-zone bad..name 10.0.0.1" "bad name"
printf 'forward-zone example.com 10.0.0.1\nstub-zone EXAMPLE.com. 10.0.0.2\n' >"$work/bad.conf"
"$nfdnsd" --config "$work/bad.conf" --no-kernel --listen none >"$work/bad.log" 2>&1
check "one zone given twice is refused" grep -q 'bad.conf:2: stub-zone: the zone is already a forward-zone' "$work/bad.log"

echo "1..$tests"
[ "$failures" -eq 0 ]
