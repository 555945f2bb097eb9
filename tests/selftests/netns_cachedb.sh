#!/bin/bash
# vm-kernels: 6.12.*-amd64
# End to end: a fleet of three network namespaces, each with the module's
# own cache (the module keeps one per namespace) and its own nfdnsd
# registered as that namespace's resolver, sharing answers through one
# Redis (cachedb).  The authorities (NSD: a root and fleet.test.) and
# Redis live in this namespace, on a bridge the fleet joins by veth pairs.
# Clients ask their namespace's kernel (dig to 127.0.0.1 from inside it).
#
# A name resolved in f1 must be answered in f2 and f3 with no query
# reaching the servers (an nft counter at their addresses): f2's kernel
# misses, its nfdnsd finds the answer in Redis and pushes it with
# CACHE_PUT like a resolved one, and the next question is a kernel hit.
# With Redis killed the fleet still answers.  It tests nfdnsd rather than
# the module, so it runs in the stock 6.12 VM only.
#
#   KEEP=1   keeps the work directory
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/netns.sh"
. "$here/../lib/dig.sh"

nfdnsctl=$top/userspace/nfdnsctl/nfdnsctl
nfdnsd=${NFDNSD:-$top/userspace/nfdnsd/nfdnsd}
hierarchy=$top/tests/zones/hierarchy.sh
work=$(mktemp -d /tmp/nfdns-cachedb.XXXXXX)
bridge=nfcdb$$
root_ns=198.18.60.1
zone_ns=198.18.60.2
redis=198.18.60.10
fleet=(fc1$$ fc2$$ fc3$$)
fleet_addr=(198.18.61.1 198.18.61.2 198.18.61.3)
declare -a nfdnsd_pid=()
redis_pid=
made_dev_fd=

cleanup() {
	local p
	for p in "${nfdnsd_pid[@]}" $redis_pid; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	NFDNS_SERVERS=$work/servers.conf NFDNS_ROOT_ZONE=$work/root.zone "$hierarchy" stop "$work/hier" >/dev/null 2>&1
	nft delete table inet nfdns_cachedb 2>/dev/null
	ns_cleanup
	ip link del "$bridge" 2>/dev/null
	[ -n "$made_dev_fd" ] && rm -f /dev/fd
	tap_work_done "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tap_need_built "$nfdnsd" "$nfdnsctl"
for tool in redis-server redis-cli nsd nft; do
	command -v $tool >/dev/null || { tap_fail "$tool installed"; tap_done; exit 1; }
done

# ask I NAME TYPE: the client's dig in fleet namespace I, to its own kernel.
ask() {
	local i=$1
	shift
	ip netns exec "${fleet[$i]}" dig +time=5 +tries=1 @127.0.0.1 "$@" >"$work/dig" 2>&1
	dig_parse "$work/dig"
}
show() { printf '%s\n' "$out"; }
result() {
	local desc=$1
	shift
	if "$@"; then tap_ok "$desc"; else tap_fail "$desc" "$(show)"; fi
}
# Queries that reached the servers, by the kernel's count: in $served.
at_servers() {
	local line n
	served=0
	while read -r line; do
		[[ $line == *packets* ]] || continue
		n=${line#*packets }
		served=$((served + ${n%% *}))
	done < <(nft list chain inet nfdns_cachedb servers)
}
# kstat I NAME: the module's counter NAME in fleet namespace I, in $kv.
kstat() {
	kv=$("$nfdnsctl" --netns "${fleet[$1]}" stats | awk -v k="$2" '$1 == k { print $2 }')
}
# dstat I NAME: nfdnsd's counter in fleet namespace I, in $dv.
dstat() {
	dv=$("$nfdnsctl" resolver --socket "$work/nfdnsd$1.sock" stats | awk -v k="$2" '$1 == k { print $2 }')
}
registered() { log_has "$work/nfdnsd$1.log" 'registered as the resolver of the nfdns kernel module' \
	'cachedb: connected to redis' 'info: primed'; }
redis_up() { redis-cli -h $redis ping 2>/dev/null | grep -q PONG; }
in_redis() { [ "$(redis-cli -h $redis exists "$("$nfdnsd" --cachedb-key "$@")")" = 1 ]; }

# --- set up --------------------------------------------------------------------
if [ ! -e /dev/fd ]; then
	ln -s /proc/self/fd /dev/fd && made_dev_fd=1
fi
ip link add "$bridge" type bridge && ip link set "$bridge" up &&
	ip addr add $root_ns/16 dev "$bridge" && ip addr add $zone_ns/16 dev "$bridge" &&
	ip addr add $redis/16 dev "$bridge"
tap_check "a bridge for the authorities and Redis" ip link show "$bridge"

awk 'BEGIN {
	print "$TTL 3600"
	print "@ SOA ns1 hostmaster 1 1800 900 604800 300"
	print "@ NS ns1"
	print "ns1 A '$zone_ns'"
	for (i = 1; i <= 3; i++) printf "www%d A 192.0.2.%d\n", i, i
	print "www A 192.0.2.10"
}' >"$work/fleet.test.zone"
cat >"$work/root.zone" <<EOF
\$TTL 86400
. SOA a.root-servers.test. hostmaster.root-servers.test. 1 1800 900 604800 86400
. NS a.root-servers.test.
fleet.test. NS ns1.fleet.test.
ns1.fleet.test. A $zone_ns
a.root-servers.test. A $root_ns
EOF
printf 'nsd %s .=%s\nnsd %s fleet.test=%s\n' $root_ns "$work/root.zone" $zone_ns "$work/fleet.test.zone" \
	>"$work/servers.conf"
if NFDNS_SERVERS=$work/servers.conf NFDNS_ROOT_ZONE=$work/root.zone "$hierarchy" start "$work/hier" \
	>"$work/hier.log" 2>&1; then
	tap_ok "NSD serves the root and fleet.test."
else
	tap_fail "NSD serves the root and fleet.test." "$(cat "$work/hier.log")"
	tap_done
	exit 1
fi
nft -f - <<EOF
table inet nfdns_cachedb {
	chain servers {
		type filter hook input priority 0;
		ip daddr { $root_ns, $zone_ns } udp dport 53 counter
		ip daddr { $root_ns, $zone_ns } tcp dport 53 tcp flags & (syn | ack) == syn counter
	}
}
EOF
tap_check "nft counts the queries reaching the servers" nft list chain inet nfdns_cachedb servers

redis-server --bind $redis --port 6379 --save "" --appendonly no --protected-mode no --dir "$work" \
	--logfile "$work/redis.log" &
redis_pid=$!
if wait_for 20 redis_up; then tap_ok "Redis on $redis"; else tap_fail "Redis on $redis" "$(cat "$work/redis.log")"; fi

for i in 0 1 2; do
	ns_add "${fleet[$i]}" &&
		ip link add "cdb$i$$" type veth peer name "cdbp$i$$" &&
		ip link set "cdbp$i$$" netns "${fleet[$i]}" &&
		ip -n "${fleet[$i]}" addr add "${fleet_addr[$i]}/16" dev "cdbp$i$$" &&
		ip -n "${fleet[$i]}" link set "cdbp$i$$" up &&
		ip link set "cdb$i$$" master "$bridge" up
done
for i in 0 1 2; do
	ip netns exec "${fleet[$i]}" "$nfdnsd" --config /dev/null --dnssec-validation no \
		--root-hints "$work/hier/root.hints" --listen none --control-socket "$work/nfdnsd$i.sock" \
		--redis-server $redis --trace >"$work/nfdnsd$i.log" 2>&1 &
	nfdnsd_pid+=($!)
done
ok_all=1
for i in 0 1 2; do
	wait_for 60 registered $i || ok_all=0
done
if [ $ok_all = 1 ]; then
	tap_ok "three namespaces, each with its nfdnsd registered with its own kernel cache and connected to Redis"
else
	tap_fail "three namespaces, each with its nfdnsd registered and connected to Redis" \
		"$(tail -5 "$work"/nfdnsd?.log)"
	tap_done
	exit 1
fi

# --- a name resolved in f1 is answered in f2 and f3 from Redis ---------------------
at_servers
s0=$served
ask 0 www.fleet.test A
result "f1: www.fleet.test A is 192.0.2.10" looks NOERROR "www.fleet.test. A 192.0.2.10"
at_servers
s1=$served
result "f1 resolved it: $((s1 - s0)) queries reached the servers" [ "$s1" -gt "$s0" ]
tap_check "f1's nfdnsd wrote it to Redis" wait_for 10 in_redis www.fleet.test A
for i in 1 2; do
	kstat $i upcalls
	up0=$kv
	kstat $i inserts
	in0=$kv
	ask $i www.fleet.test A
	result "f$((i + 1)): the same answer" looks NOERROR "www.fleet.test. A 192.0.2.10"
	kstat $i upcalls
	up1=$kv
	kstat $i inserts
	result "f$((i + 1))'s kernel missed, asked its nfdnsd, and stored the answer (upcalls +$((up1 - up0)), inserts +$((kv - in0)))" \
		[ $((up1 - up0)) = 1 -a $((kv - in0)) = 1 ]
	tap_check "f$((i + 1))'s nfdnsd answered the kernel from Redis" \
		log_has "$work/nfdnsd$i.log" 'answered www.fleet.test. A NOERROR (1 records) from cachedb [kernel]'
done
at_servers
result "no query reached the servers for f2 and f3 ($s1 -> $served)" [ "$served" = "$s1" ]
kstat 1 hits
h0=$kv
kstat 1 upcalls
up0=$kv
ask 1 www.fleet.test A
kstat 1 hits
h1=$kv
kstat 1 upcalls
result "f2 again: a hit in f2's own kernel cache (hits +$((h1 - h0)), upcalls +$((kv - up0)))" \
	[ $((h1 - h0)) = 1 -a $((kv - up0)) = 0 ]
dstat 1 cachedb_hits
result "f2's nfdnsd counted one cachedb hit ($dv)" [ "$dv" = 1 ]

# A negative answer travels the same way.
ask 0 nx.fleet.test A
result "f1: nx.fleet.test A is NXDOMAIN" [ "$status" = NXDOMAIN ]
wait_for 10 in_redis nx.fleet.test A
at_servers
s1=$served
ask 2 nx.fleet.test A
at_servers
result "f3: NXDOMAIN too, with no query at the servers ($s1 -> $served)" [ "$status" = NXDOMAIN -a "$served" = "$s1" ]

# --- Redis killed: the fleet still answers --------------------------------------------
kill -9 $redis_pid
wait $redis_pid 2>/dev/null
redis_pid=
good=1
for i in 0 1 2; do
	ask $i www$((i + 1)).fleet.test A
	[ "$status" = NOERROR ] || good=0
	ask $i www.fleet.test A
	[ "$status" = NOERROR ] || good=0
done
result "Redis killed: every namespace still answers, new names and old" [ $good = 1 ]
alive=1
for p in "${nfdnsd_pid[@]}"; do kill -0 "$p" 2>/dev/null || alive=0; done
result "every nfdnsd still runs" [ $alive = 1 ]
tap_done
