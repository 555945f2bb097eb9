#!/bin/bash
# End to end through the cache: a client namespace asks a DNS server (NSD)
# in another namespace through a router namespace, whose copy of the
# module's state is the one under test.  Answers put into the router's
# cache are served by the kernel (they differ from what NSD would say, so
# NSD answering instead shows), misses go to a resolver registered there
# (nfdns_testctl resolver, forwarding to NSD), and the module must survive
# malformed queries and an rmmod under load.
#
# Every process costs much in a VM without KVM, so each dig's output is
# checked in the shell, several results per query, and counters are read
# once per check.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/netns.sh"

ctl=$here/nfdns_testctl
corpus=$here/../fuzz/corpus/malformed-queries
work=$(mktemp -d)
cli=nfcli$$
rtr=nfrtr$$
srv=nfsrv$$
nsd4=198.18.2.2
nsd6=fd00:53:2::2
resolver_pid=
dnsperf_pid=

cleanup() {
	[ -n "$resolver_pid" ] && kill "$resolver_pid" 2>/dev/null
	[ -n "$dnsperf_pid" ] && kill "$dnsperf_pid" 2>/dev/null
	ns_cleanup
	rm -rf "$work"
}
trap cleanup EXIT

if [ ! -x "$ctl" ]; then
	tap_fail "nfdns_testctl is built" "run make selftests"
	tap_done
	exit 1
fi

ns_add $cli && ns_add $rtr && ns_add $srv ||
	{ tap_fail "create namespaces"; tap_done; exit 1; }
ns_link $cli "198.18.1.2/24 fd00:53:1::2/64" $rtr "198.18.1.1/24 fd00:53:1::1/64"
ns_link $rtr "198.18.2.1/24 fd00:53:2::1/64" $srv "$nsd4/24 $nsd6/64"
ip -n $cli route add default via 198.18.1.1
ip -n $cli -6 route add default via fd00:53:1::1
ip -n $srv route add default via 198.18.2.1
ip -n $srv -6 route add default via fd00:53:2::1
ip netns exec $rtr sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

# The router namespace holds the cache under test.
ctl() { ip netns exec $rtr "$ctl" "$@"; }
# Its clients are in 198.18/15, outside the default list; the load below
# goes over the default rate limit.
ctl config clients=any rrl_rate=0

tap_check "veth path client -> server through the router (IPv4)" \
	ip netns exec $cli ping -c1 -W5 $nsd4
tap_check "veth path client -> server through the router (IPv6)" \
	ip netns exec $cli ping -c1 -W5 $nsd6

if nsd_start $srv "$work/nsd" example. "$here/zones/example.zone" $nsd4 $nsd6; then
	tap_ok "NSD serves example. in the server namespace"
else
	tap_fail "NSD serves example. in the server namespace" "$(cat "$work/nsd/nsd.log")"
fi

# Counters of the namespace under test (tests/lib/counters.sh).
counters_read() { ctl stats; }
. "$here/../lib/counters.sh"

# ask DIG-ARGS...: the client's dig, its output in $out.  One try: a retry
# would be a second query and blur the counters.
out=
ask() {
	out=$(ip netns exec $cli dig +time=5 +tries=1 "$@" 2>&1)
}
# has TEXT: the last dig output contains TEXT (a shell pattern).
has() { [[ $out == *$1* ]]; }
show() { printf '%s\n' "$out"; }
# answer EXPECTED DIG-ARGS...: dig +short prints exactly EXPECTED.
answer() {
	local want=$1
	shift
	ask +short "$@"
	[ "$out" = "$want" ] || { echo "expected '$want', got:"; show; return 1; }
}
# result DESC COND...: one TAP result from a condition on the last output.
result() {
	local desc=$1
	shift
	if "$@"; then tap_ok "$desc"; else tap_fail "$desc" "$(show)"; fi
}

# --- no resolver: fail-open --------------------------------------------------
snap
tap_check "a miss without resolver reaches NSD (fail-open)" \
	answer 192.0.2.44 @$nsd4 www.example A
tap_check "fail-open counted: misses +1, pass_fail_open +1, no hit or upcall" \
	deltas misses=1 pass_fail_open=1 hits=0 upcalls=0

# --- answers put into the cache ----------------------------------------------
# NSD says 192.0.2.44; the cache says .99, so the source of an answer shows.
tap_check "put www.example. A into the router's cache" \
	ctl put www.example. A 300 "www.example. 300 IN A 192.0.2.99"
tap_check "put ttl.example. A with TTL 300" \
	ctl put ttl.example. A 300 "ttl.example. 300 IN A 192.0.2.98"
ttl_put_at=$SECONDS
rrs=()
for i in $(seq 1 40); do
	rrs+=("big.example. 300 IN A 192.0.2.$i")
done
tap_check "put 40 A records for big.example." ctl put big.example. A 300 "${rrs[@]}"

snap
ask +bufsize=4096 @$nsd4 WwW.ExAmPlE. A
result "a cached answer is served by the kernel, not NSD" has $'\t192.0.2.99'
tap_check "the hit is counted: hits +1, answers +1, misses +0" \
	deltas hits=1 answers=1 misses=0
result "the client's QNAME case comes back in the question" has $'\n;WwW.ExAmPlE.\t'
result "... and in the answer's owner (a pointer to the question)" \
	has $'\nWwW.ExAmPlE.\t'
result "an EDNS query gets an OPT record with udp: 1232" has 'udp: 1232'
ask +noedns @$nsd4 www.example A
result "a query without EDNS gets no OPT record" \
	eval '! has "OPT PSEUDOSECTION" && has 192.0.2.99'

snap
tap_check "an iterative (RD=0) query passes to NSD" \
	answer 192.0.2.44 +norecurse @$nsd4 www.example A
tap_check "counted as pass_norecurse, not as a hit" deltas pass_norecurse=1 hits=0
tap_check "a TCP query passes to NSD" answer 192.0.2.44 +tcp @$nsd4 www.example A
tap_check "a DO=1 query is another key: it misses and fails open to NSD" \
	answer 192.0.2.44 +dnssec @$nsd4 www.example A

# At least 2 s after the put: the TTL must have gone down by 2 or more.
[ $((SECONDS - ttl_put_at)) -lt 3 ] && sleep $((3 - (SECONDS - ttl_put_at)))
ask +noall +answer @$nsd4 ttl.example A
ttl=$(awk '$4 == "A" { print $2 }' <<<"$out")
result "answer TTLs count down (put with 300, >= 2 s later <= 298)" \
	eval '[ -n "$ttl" ] && [ "$ttl" -le 298 ] && [ "$ttl" -ge 1 ]'

tc_flag='flags:[a-z ]* tc[ ;]'
snap
ask +noedns +ignore @$nsd4 big.example A
result "an answer over 512 bytes without EDNS comes back with TC, no records" \
	eval '[[ $out =~ $tc_flag ]] && has "ANSWER: 0,"'
tap_check "counted as truncated" deltas truncated=1 hits=1
ask +bufsize=1232 @$nsd4 big.example A
result "the same answer fits in 1232 bytes of EDNS" \
	eval '! [[ $out =~ $tc_flag ]] && has "ANSWER: 40,"'

snap
tap_check "a client over IPv6 is answered from the cache" \
	answer 192.0.2.99 @$nsd6 www.example A
out=$(ip netns exec $rtr dig +time=5 +tries=1 +short @$nsd4 www.example A 2>&1)
result "a query from the router's own namespace (LOCAL_OUT) is answered" \
	eval '[ "$out" = 192.0.2.99 ]'
tap_check "both were hits" deltas hits=2 misses=0

# --- a resolver forwarding to NSD ---------------------------------------------
# start_resolver LOG ARGS...: run it in the router namespace until it says
# it registered.
start_resolver() {
	local log=$1
	shift
	ip netns exec $rtr "$ctl" resolver --forward $nsd4 "$@" >"$log" 2>&1 &
	resolver_pid=$!
	wait_for 20 grep -q registered "$log" && kill -0 $resolver_pid
}
stop_resolver() {
	[ -n "$resolver_pid" ] || return 0
	kill "$resolver_pid"
	wait "$resolver_pid" 2>/dev/null
	resolver_pid=
}
# lines FILE N: FILE has N lines (a missing file has none).
lines() {
	local got=0
	[ -f "$1" ] && got=$(wc -l <"$1")
	[ "$got" = "$2" ] || { echo "$1 has $got lines, expected $2:"; cat "$1" 2>/dev/null; return 1; }
}

tap_check "flush the router's cache" ctl flush
if start_resolver "$work/resolver1.log" --count-file "$work/misses"; then
	tap_ok "resolver registered in the router namespace"
else
	tap_fail "resolver registered in the router namespace" "$(cat "$work/resolver1.log")"
fi
snap
tap_check "first query: a miss, answered through the resolver" \
	answer 192.0.2.44 @$nsd4 www.example A
tap_check "one upcall; the resolver's own marked query passed; one insert" \
	deltas misses=1 upcalls=1 pass_fail_open=0 pass_marked=1 hits=0 inserts=1
tap_check "the resolver saw one MISS" lines "$work/misses" 1
snap
tap_check "second query: answered from the cache" \
	answer 192.0.2.44 @$nsd4 www.example A
tap_check "a hit, no upcall" deltas hits=1 upcalls=0 misses=0
tap_check "the resolver saw no second MISS" lines "$work/misses" 1

# 200 identical questions at once: one upcall, 199 join it.  The resolver
# holds its answer until all 200 wait, so the count does not depend on speed.
stop_resolver
tap_check "allow 256 waiters and a 30 s pending timeout" \
	ctl config max_waiters=256 pending_timeout_ms=30000
if start_resolver "$work/resolver2.log" --count-file "$work/burst-misses" \
	--hold-waiters 200; then
	tap_ok "resolver registered again, holding answers for 200 waiters"
else
	tap_fail "resolver registered again, holding answers for 200 waiters" \
		"$(cat "$work/resolver2.log")"
fi
snap
tap_check "200 concurrent identical queries are all answered with their own IDs" \
	ip netns exec $cli "$ctl" burst $nsd4 www.example. AAAA 200
tap_check "one upcall, 199 coalesced, 200 answers" \
	deltas upcalls=1 coalesced=199 misses=200 answers=200 hits=0
tap_check "the resolver saw one MISS for the 200" lines "$work/burst-misses" 1

# --- malformed queries pass untouched -----------------------------------------
files=("$corpus"/*)
snap
tap_check "send ${#files[@]} malformed or non-query packets to port 53" \
	ip netns exec $cli "$ctl" send $nsd4 53 "${files[@]}"
all_passed() {
	load_stats now &&
		[ $((now[pass_malformed] + now[pass_not_query] - was[pass_malformed] -
			was[pass_not_query])) -eq ${#files[@]} ]
}
if wait_for 20 all_passed; then
	tap_ok "each one passed: pass_malformed + pass_not_query rose by ${#files[@]}"
else
	tap_fail "each one passed: pass_malformed + pass_not_query rose by ${#files[@]}" \
		"$(deltas pass_malformed=? pass_not_query=?)"
fi
tap_check "none was taken for a query" deltas hits=0 misses=0 upcalls=0 answers=0
result "pass_malformed rose" eval '[ $((now[pass_malformed] - was[pass_malformed])) -ge 1 ]'
tap_check "the cache still answers" answer 192.0.2.44 @$nsd4 www.example A

# --- rmmod under load ---------------------------------------------------------
printf '%s\n' "www.example A" "www.example AAAA" "nope.example A" >"$work/queries"
snap
ip netns exec $cli dnsperf -s $nsd4 -d "$work/queries" -l 5 -c 4 -Q 2000 \
	>"$work/dnsperf.log" 2>&1 &
dnsperf_pid=$!
if wait_for 20 eval '[ "$(rose hits)" -gt 0 ]'; then
	tap_ok "dnsperf is being answered by the module"
else
	tap_fail "dnsperf is being answered by the module" "$(cat "$work/dnsperf.log")"
fi
tap_check "rmmod nfdns while dnsperf runs" rmmod nfdns
if wait "$dnsperf_pid"; then
	tap_ok "dnsperf finished"
else
	tap_fail "dnsperf finished" "$(cat "$work/dnsperf.log")"
fi
dnsperf_pid=
stop_resolver
tap_check "query answered by NSD after rmmod" answer 192.0.2.44 @$nsd4 www.example A
tap_check "insmod nfdns again" insmod "$NFDNS_MODDIR/nfdns.ko"
out=$(ctl stats entries 2>&1)
result "the reloaded module starts with an empty cache" eval '[ "$out" = 0 ]'
tap_check "query answered after reload (fail-open)" \
	answer 192.0.2.44 @$nsd4 www.example A
tap_done
