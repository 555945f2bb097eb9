#!/bin/bash
# A hostile network: a namespace with nfdns (the resolver host, "rt") faces
# an attacker namespace on a veth, a second client in another /24, and a
# client behind a VRF.  NSD listens on the resolver's own address and says
# www.example is 192.0.2.44; the module's cache says 192.0.2.99, so the
# source of every answer shows.  What nfdns must not answer reaches NSD, or
# nothing, exactly as it would without nfdns.
#
# NFDNS_HOSTILE_HITS sets how many hits the conntrack check sends (default
# 2000; the stress run uses 100000).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/netns.sh"

ctl=$here/nfdns_testctl
raw=$here/rawdns.py
hits=${NFDNS_HOSTILE_HITS:-2000}
work=$(mktemp -d)
rt=nfrt$$
atk=nfatk$$
cl2=nfcl2$$
vc=nfvc$$
mk=nfmk$$
bg=()

cleanup() {
	local p
	for p in "${bg[@]}"; do kill "$p" 2>/dev/null; done
	ns_cleanup
	rm -rf "$work"
}
trap cleanup EXIT

if [ ! -x "$ctl" ]; then
	tap_fail "nfdns_testctl is built" "run make selftests"
	tap_done
	exit 1
fi

ns_add $rt && ns_add $atk && ns_add $cl2 && ns_add $vc ||
	{ tap_fail "create namespaces"; tap_done; exit 1; }

# veth NS1 IF1 NS2 IF2: a pair with known names, both ends up.
veth() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" &&
		ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}
veth $rt r-atk $atk a-rt
veth $rt r-cl2 $cl2 c-rt
veth $rt r-vc $vc v-rt
# Subnet broadcast addresses (brd +) make directed broadcasts possible.
ip -n $rt addr add 10.53.1.1/24 brd + dev r-atk
ip -n $rt addr add 198.51.100.1/24 brd + dev r-atk
ip -n $rt addr add fd00:53:1::1/64 dev r-atk nodad
ip -n $rt addr add 10.53.2.1/24 brd + dev r-cl2
# Addresses where nothing listens on port 53: only nfdns could answer there.
ip -n $rt addr add 10.53.1.53/32 dev r-atk
ip -n $rt addr add fd00:53:1::53/128 dev r-atk nodad
ip -n $atk addr add 10.53.1.2/24 brd + dev a-rt
ip -n $atk addr add 198.51.100.2/24 brd + dev a-rt
ip -n $atk addr add fd00:53:1::2/64 dev a-rt nodad
ip -n $atk route add default via 10.53.1.1
ip -n $cl2 addr add 10.53.2.2/24 dev c-rt
ip -n $cl2 route add default via 10.53.2.1
# A second prefix of the second client, for the rate limit's check.
ip -n $cl2 addr add 10.53.3.2/32 dev c-rt
ip -n $rt route add 10.53.3.2/32 dev r-cl2
ip netns exec $rt sysctl -qw net.ipv4.ip_forward=1

rtx() { ip netns exec $rt "$@"; }
atkx() { ip netns exec $atk "$@"; }
ctl() { rtx "$ctl" "$@"; }
counters_read() { ctl stats; }
. "$here/../lib/counters.sh"

tap_check "attacker reaches the resolver host" atkx ping -c1 -W5 10.53.1.1
# Neighbours resolved now: a spoofed packet would not get them resolved.
tap_check "... and its other addresses" \
	eval 'atkx ping -c1 -W5 10.53.1.53 && atkx ping -c1 -W5 fd00:53:1::53'
tap_check "second client reaches the resolver host" \
	ip netns exec $cl2 ping -c1 -W5 10.53.2.1

# NSD on the resolver's own addresses, behind nfdns.
if nsd_start $rt "$work/nsd" example. "$here/zones/example.zone" \
	10.53.1.1 fd00:53:1::1; then
	tap_ok "NSD serves example. on the resolver's addresses"
else
	tap_fail "NSD serves example. on the resolver's addresses" "$(cat "$work/nsd/nsd.log")"
fi

ctl config rrl_rate=0
ctl put www.example. A 3600 "www.example. 3600 IN A 192.0.2.99"
ctl put www.example. AAAA 3600 "www.example. 3600 IN AAAA 2001:db8::99"
txt() {
	local name=$1 n=$2 i rrs=()
	for i in $(seq 1 "$n"); do
		rrs+=("$name 3600 IN TXT \"$(printf "%0200d" "$i")\"")
	done
	ctl put "$name" TXT 3600 "${rrs[@]}"
}
tap_check "put a 1.9 kB and a 0.9 kB answer" \
	eval 'txt big.example. 9 && txt mid.example. 4'

out=
# dig FROM-NS DIG-ARGS...: one try, output in $out.
dig1() {
	local ns=$1
	shift
	out=$(ip netns exec "$ns" dig +time=3 +tries=1 +short "$@" 2>&1)
}
result() {
	local desc=$1
	shift
	if "$@"; then tap_ok "$desc"; else tap_fail "$desc" "$out"; fi
}
is() { [ "$out" = "$1" ]; }

# --- clients --------------------------------------------------------------
snap
dig1 $atk @10.53.1.1 www.example A
result "a client in the default clients list gets the cache's answer" is 192.0.2.99
dig1 $atk -b 198.51.100.2 @10.53.1.1 www.example A
result "a source outside clients passes on to NSD" is 192.0.2.44
tap_check "... counted: hits +1, pass_acl +1" deltas hits=1 pass_acl=1

# --- DNSSEC bits ------------------------------------------------------------
# An answer fetched with checking disabled is another entry: a client that
# wants validation never gets it.
ctl put --cd www.example. A 3600 "www.example. 3600 IN A 192.0.2.98"
out=$(atkx dig +time=3 +tries=1 +cdflag @10.53.1.1 www.example A 2>&1)
result "a CD query gets the CD entry, CD echoed" \
	eval '[[ $out == *"flags: qr rd ra cd;"* && $out == *192.0.2.98* ]]'
dig1 $atk @10.53.1.1 www.example A
result "... a query without CD the other one" is 192.0.2.99

# --- martian sources ------------------------------------------------------
# spoofed SRC LISTEN-ADDR PORT: a query from SRC:PORT to an address where
# only nfdns could answer; the listener on LISTEN-ADDR:PORT in the
# resolver's namespace must get nothing.
spoofed() {
	local src=$1 addr=$2 port=$3 dst=10.53.1.53 got
	[[ $src == *:* ]] && dst=fd00:53:1::53
	snap
	rtx python3 "$raw" listen "$addr" "$port" 3 >"$work/listen" &
	wait_for 20 grep -q ready "$work/listen"
	atkx python3 "$raw" spoof "$src" "$dst" "$port" www.example >/dev/null
	wait $!
	got=$(tail -n1 "$work/listen")
	[ "$got" = 0 ] || { echo "the service on $addr:$port got $got datagrams"; return 1; }
	# Counted as a martian, not answered.
	deltas pass_martian=1 answers=0 hits=0
}
tap_check "source 127.0.0.1 from the veth: nothing reaches a loopback service" \
	spoofed 127.0.0.1 127.0.0.1 5300
tap_check "source = the host's own address: nothing reaches its service" \
	spoofed 10.53.2.1 10.53.2.1 5301
tap_check "IPv6 source = the host's own address: nothing reaches its service" \
	spoofed fd00:53:1::1 fd00:53:1::1 5302

# --- broadcast and multicast ------------------------------------------------
# none WHAT RAWDNS-ASK-ARGS...: the attacker gets no reply at all.
none() {
	local got
	got=$(atkx python3 "$raw" ask "$@" 2>&1)
	[ -z "$got" ] || { echo "$got"; return 1; }
}
snap
tap_check "limited broadcast query: no reply" \
	none 255.255.255.255 www.example --bcast --mcast-if a-rt
tap_check "directed broadcast to the other subnet: no reply" \
	none 10.53.2.255 www.example --bcast
ip -n $atk route add 224.0.0.0/4 dev a-rt
tap_check "multicast query: no reply" none 239.53.53.53 www.example --mcast-if a-rt
tap_check "... the directed broadcast counted as not for this host, none answered" \
	deltas pass_not_host=1 answers=0

# --- fragments and GSO ----------------------------------------------------
# from_nsd N RAWDNS-ASK-ARGS...: exactly N replies, each NSD's.
from_nsd() {
	local n=$1 got
	shift
	got=$(atkx python3 "$raw" ask "$@" 2>&1)
	[ "$(grep -c ' 192.0.2.44$' <<<"$got")" = "$n" ] &&
		[ "$(wc -l <<<"$got")" = "$n" ] || { echo "$got"; return 1; }
}
snap
tap_check "a fragmented query passes to NSD" from_nsd 1 10.53.1.1 www.example --pad 2000
tap_check "a GSO train of two queries passes to NSD" from_nsd 2 10.53.1.1 www.example --gso 2
tap_check "... neither was answered by nfdns" deltas hits=0 answers=0

# --- reply size and DF ------------------------------------------------------
atkx python3 "$raw" sniff 15 >"$work/sniff" &
sniff=$!
bg+=($sniff)
wait_for 20 grep -q ready "$work/sniff"
out=$(atkx dig +time=3 +tries=1 +bufsize=4096 +ignore @10.53.1.1 big.example TXT 2>&1)
result "an answer over 1232 bytes goes out with TC=1, even to EDNS 4096" \
	eval '[[ $out == *"flags: qr tc"* ]]'
out=$(atkx dig +time=3 +tries=1 +bufsize=4096 +ignore @fd00:53:1::1 big.example TXT 2>&1)
result "... over IPv6 too" eval '[[ $out == *"flags: qr tc"* ]]'
out=$(atkx dig +time=3 +tries=1 +bufsize=4096 @10.53.1.1 mid.example TXT 2>&1)
result "a 0.9 kB answer goes out whole" \
	eval '[[ $out == *"ANSWER: 4,"* && $out != *"flags: qr tc"* ]]'
wait $sniff
replies() {
	local n
	sed -i '/^ready$/d' "$work/sniff"
	n=$(grep -c . "$work/sniff")
	[ "$n" -ge 3 ] || { echo "saw $n replies"; return 1; }
	awk '$2 > 1232 || ($1 == "udp4" && $3 != "df=1") { bad = 1; print }
		END { exit bad }' "$work/sniff"
}
tap_check "every reply seen by the client is at most 1232 bytes, IPv4 ones with DF" replies

# --- EDNS version and double counting ---------------------------------------
snap
out=$(rtx dig +time=3 +tries=1 +short @10.53.1.1 nothere.example A 2>&1)
tap_check "a local miss passed at LOCAL_OUT is not counted again on lo" \
	deltas misses=1 pass_fail_open=1

rtx "$ctl" resolver --forward 10.53.1.1 >"$work/resolver.log" 2>&1 &
bg+=($!)
if wait_for 20 grep -q registered "$work/resolver.log"; then
	snap
	out=$(atkx dig +time=3 +tries=1 +edns=1 +noednsnegotiation @10.53.1.53 nothere.example 2>&1)
	result "a miss with EDNS version 1 gets BADVERS from the kernel" \
		eval '[[ $out == *"status: BADVERS"* ]]'
	tap_check "... without an upcall" deltas answers=1 misses=1 upcalls=0
else
	tap_fail "a resolver registers" "$(cat "$work/resolver.log")"
fi
kill "${bg[-1]}"
wait "${bg[-1]}" 2>/dev/null
# --- interfaces -------------------------------------------------------------
ctl config ifaces=r-cl2
snap
dig1 $atk @10.53.1.1 www.example A
result "ifaces=r-cl2: the attacker's interface passes to NSD" is 192.0.2.44
dig1 $cl2 @10.53.2.1 www.example A
result "... the listed interface is answered" is 192.0.2.99
tap_check "... counted: pass_iface +1, hits +1" deltas pass_iface=1 hits=1
ctl config ifaces=any

# --- response rate limiting -------------------------------------------------
flood() {
	atkx python3 "$raw" spoof 10.53.1.2 10.53.1.1 20000 www.example --count 300 >/dev/null
}
ctl config rrl_rate=5 rrl_slip=2
snap
flood
# Prefixes share a bucket when their keyed hashes meet (1 in 4096): then
# the other client's next prefix, in another bucket, must be answered.
dig1 $cl2 @10.53.2.1 www.example A
is 192.0.2.99 || dig1 $cl2 -b 10.53.3.2 @10.53.2.1 www.example A
result "during a flood from 10.53.1.0/24, a client in another /24 is answered" is 192.0.2.99
refresh
limited=$(( ${now[rrl_dropped]} - ${was[rrl_dropped]} + ${now[rrl_slipped]} - ${was[rrl_slipped]} ))
slipped=$(( ${now[rrl_slipped]} - ${was[rrl_slipped]} ))
result "300 queries at rate 5/s: at least 200 limited ($limited)" \
	eval '[ "$limited" -ge 200 ]'
result "... about every second one slipped as TC=1 ($slipped)" \
	eval '[ "$slipped" -ge $((limited / 2 - 2)) ] && [ "$slipped" -le $((limited / 2 + 2)) ]'
ctl config rrl_slip=0
snap
flood
refresh
result "with rrl_slip=0 nothing slips" \
	eval '[ $(( ${now[rrl_slipped]} - ${was[rrl_slipped]} )) = 0 ] &&
		[ $(( ${now[rrl_dropped]} - ${was[rrl_dropped]} )) -ge 200 ]'
ctl config rrl_rate=0

# --- conntrack --------------------------------------------------------------
modprobe nf_conntrack 2>/dev/null
# A rule that needs conntrack turns it on in the namespace.
rtx nft -f - <<'EOF'
table inet nfct {
	chain pre { type filter hook prerouting priority 0; ct state new counter; }
	chain out { type filter hook output priority 0; ct state new counter; }
}
EOF
count=/proc/sys/net/netfilter/nf_conntrack_count
if rtx test -r $count; then
	tap_ok "conntrack is on in the resolver's namespace"
	# The replies take many ports: each would be a connection of its own.
	snap
	c0=$(rtx cat $count)
	atkx python3 "$raw" spoof 10.53.1.2 10.53.1.1 1024 www.example --count "$hits" >/dev/null
	sleep 1
	c1=$(rtx cat $count)
	refresh
	got=$(( ${now[hits]} - ${was[hits]} ))
	result "$hits hits sent, $got answered (at least 90%)" \
		eval '[ "$got" -ge $((hits * 9 / 10)) ]'
	result "conntrack entries before and after: $c0, $c1" \
		eval '[ "$c1" -le $((c0 + 5)) ]'
	snap
	tap_check "with defragmentation before the hook, a fragmented query still passes to NSD" \
		from_nsd 1 10.53.1.1 www.example --pad 2000
	tap_check "... and nfdns did not answer it" deltas hits=0 answers=0
else
	tap_fail "conntrack is on in the resolver's namespace"
fi
rtx nft delete table inet nfct

# --- the firewall ---------------------------------------------------------
rtx nft -f - <<'EOF'
table inet nfraw {
	chain pre {
		type filter hook prerouting priority raw;
		iifname "r-atk" udp dport 53 drop
	}
}
EOF
snap
dig1 $atk @10.53.1.1 www.example A
result "an nft drop rule at priority raw stops answers on that interface" \
	eval '[[ $out != *192.0.2.* ]]'
dig1 $cl2 @10.53.2.1 www.example A
result "... not on the others" is 192.0.2.99
tap_check "... the dropped query never reached nfdns" deltas hits=1
rtx nft delete table inet nfraw
dig1 $atk @10.53.1.1 www.example A
result "without the rule, answered again" is 192.0.2.99

# --- policy routing by mark ---------------------------------------------------
# The client's network is routed only in table 7, for packets marked 7; a
# raw-priority rule marks its queries.  Only a reply that carries the
# query's mark finds its way back.
ns_add $mk
veth $rt r-mk $mk m-rt
ip -n $rt addr add 10.53.7.1/32 dev r-mk
ip -n $rt addr add fd00:53:7::1/128 dev r-mk nodad
ip -n $rt route add 10.53.7.0/24 dev r-mk table 7
ip -n $rt -6 route add fd00:53:7::/64 dev r-mk table 7
ip -n $rt rule add fwmark 7 lookup 7 pref 100
ip -n $rt -6 rule add fwmark 7 lookup 7 pref 100
ip -n $mk addr add 10.53.7.2/24 dev m-rt
ip -n $mk addr add fd00:53:7::2/64 dev m-rt nodad
rtx nft -f - <<'EOF'
table inet nfmark {
	chain pre {
		type filter hook prerouting priority raw;
		iifname "r-mk" meta mark set 7
	}
}
EOF
snap
dig1 $mk @10.53.7.1 www.example A
result "a client routed by the query's mark is answered (IPv4)" is 192.0.2.99
dig1 $mk @fd00:53:7::1 www.example AAAA
result "... and over IPv6" is 2001:db8::99
tap_check "... both from the cache" deltas hits=2
rtx nft delete table inet nfmark

# --- VRF ------------------------------------------------------------------
if modprobe vrf 2>/dev/null || [ -d /sys/module/vrf ]; then
	ip -n $rt link add nfvrf type vrf table 53
	ip -n $rt link set nfvrf up
	ip -n $rt link set r-vc master nfvrf
	ip -n $rt addr add 10.53.9.1/24 dev r-vc
	ip -n $rt addr add fd00:53:9::1/64 dev r-vc nodad
	ip -n $vc addr add 10.53.9.2/24 dev v-rt
	ip -n $vc addr add fd00:53:9::2/64 dev v-rt nodad
	snap
	dig1 $vc @fd00:53:9::1 www.example AAAA
	result "an IPv6 client behind a VRF is answered" is 2001:db8::99
	dig1 $vc @10.53.9.1 www.example A
	result "an IPv4 client behind a VRF is answered" is 192.0.2.99
	tap_check "... both from the cache" deltas hits=2
else
	tap_ok "# SKIP no vrf module"
fi
tap_done
