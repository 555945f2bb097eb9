#!/bin/bash
# End to end: a client namespace reaches a DNS server in another namespace
# through this one (where nfdns.ko is loaded), over veth, IPv4 and IPv6.
# With no resolver registered the module must let every query through
# untouched (fail-open), and unloading it must not disturb DNS.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/netns.sh"

work=$(mktemp -d)
cli=nfcli$$
srv=nfsrv$$
trap 'ns_cleanup; rm -rf "$work"' EXIT

ns_add $cli && ns_add $srv || { tap_fail "create namespaces"; tap_done; exit 1; }
ns_link $cli "198.18.1.2/24 fd00:53:1::2/64" "" "198.18.1.1/24 fd00:53:1::1/64"
ns_link "" "198.18.2.1/24 fd00:53:2::1/64" $srv "198.18.2.2/24 fd00:53:2::2/64"
ip -n $cli route add default via 198.18.1.1
ip -n $cli -6 route add default via fd00:53:1::1
ip -n $srv route add default via 198.18.2.1
ip -n $srv -6 route add default via fd00:53:2::1
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

tap_check "veth path client -> server (IPv4)" ip netns exec $cli ping -c1 -W5 198.18.2.2
tap_check "veth path client -> server (IPv6)" ip netns exec $cli ping -c1 -W5 fd00:53:2::2

if nsd_start $srv "$work/nsd" example. "$here/zones/example.zone" 198.18.2.2 fd00:53:2::2; then
	tap_ok "NSD serves example. in the server namespace"
else
	tap_fail "NSD serves example. in the server namespace" "$(cat "$work/nsd/nsd.log")"
fi

# answer EXPECTED DIG-ARGS...: the client's dig prints exactly EXPECTED.
answer() {
	local want=$1 got
	shift
	got=$(ip netns exec $cli dig +time=2 +tries=2 +short "$@" 2>&1)
	[ "$got" = "$want" ] || { echo "expected '$want', got '$got'"; return 1; }
}

lsmod | grep -q '^nfdns ' && tap_ok "nfdns.ko is loaded" || tap_fail "nfdns.ko is loaded"
tap_check "query over IPv4 passes through (no resolver: fail-open)" \
	answer 192.0.2.44 @198.18.2.2 www.example A
tap_check "query over IPv6 passes through" \
	answer 2001:db8::44 @fd00:53:2::2 www.example AAAA
tap_check "query over TCP passes through" \
	answer 192.0.2.44 +tcp @198.18.2.2 www.example A
tap_check "iterative (RD=0) query passes through" \
	answer 192.0.2.44 +norecurse @198.18.2.2 www.example A
tap_check "NXDOMAIN passes through" \
	sh -c "ip netns exec $cli dig +time=2 @198.18.2.2 nope.example A | grep -q 'status: NXDOMAIN'"

tap_check "rmmod nfdns with namespaces alive" rmmod nfdns
tap_check "query still answered after rmmod" \
	answer 192.0.2.44 @198.18.2.2 www.example A
tap_check "insmod nfdns again" insmod "$NFDNS_MODDIR/nfdns.ko"
tap_check "query answered after reload" \
	answer 192.0.2.44 @fd00:53:2::2 www.example A
tap_done
