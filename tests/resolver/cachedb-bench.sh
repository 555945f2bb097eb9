#!/bin/bash
# cachedb: what a shared Redis gives a fleet of nfdnsd.  A benchmark: it
# asserts nothing, and make test does not run it.
#
# The names are the main bench's (scripts/bench/guest.sh): h<i>.bench. A,
# asked in order, served by NSD (a root zone of its own and bench.).  All
# of it runs in a private network namespace, so the fixed test addresses of
# a test run on this host are not in the way.
#
#   1. Upstream queries of a fleet: three nfdnsd (A, B, C) are each asked
#      the same NAMES names, A first, then B, then C (sequential), and
#      again with fresh resolvers and a fresh Redis, all three at once
#      (concurrent); with and without cachedb.  Counted by the kernel where
#      they arrive: an nft counter on the servers' addresses.
#   2. A cold node joining a warm fleet: Redis holds the answers (a warm
#      node resolved them), a fresh nfdnsd gets its first COLD queries
#      (dnsperf, the query file once); answers per second, p50 and p99,
#      with cachedb and without.  RUNS fresh nodes each; medians.
#
#   tests/resolver/cachedb-bench.sh     (as root)
#   NAMES=10000 COLD=10000 RUNS=3 OUTSTANDING=100 KEEP=1 NFDNSD=path
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)

if [ -z "${CACHEDB_BENCH_IN_NETNS:-}" ]; then
	unshare --net true 2>/dev/null || { echo "cachedb-bench: cannot make a network namespace" >&2; exit 1; }
	exec unshare --net env CACHEDB_BENCH_IN_NETNS=1 "$0" "$@"
fi
ip link set lo up || exit 1

nfdnsd=${NFDNSD:-$top/userspace/nfdnsd/nfdnsd}
hierarchy=$top/tests/zones/hierarchy.sh
names=${NAMES:-10000}
cold=${COLD:-10000}
runs=${RUNS:-3}
outstanding=${OUTSTANDING:-100}
root_ns=127.54.0.1
bench_ns=127.54.0.2
redis_addr=127.54.1.1
node_addr=(127.54.255.1 127.54.255.2 127.54.255.3)
cold_addr=127.54.255.9

work=$(mktemp -d /tmp/nfdnsd-cachedb-bench.XXXXXX)
declare -a pids=()
redis_pid=

stop_pid() {
	kill "$1" 2>/dev/null
	for _ in $(seq 1 50); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

stop_all() {
	local p
	for p in "${pids[@]}"; do stop_pid "$p"; done
	pids=()
	[ -n "$redis_pid" ] && stop_pid "$redis_pid"
	redis_pid=
}

cleanup() {
	trap '' INT TERM
	stop_all
	NFDNS_SERVERS=$work/servers.conf NFDNS_ROOT_ZONE=$work/root.zone "$hierarchy" stop "$work/hier" >/dev/null 2>&1
	if [ -n "${KEEP:-}" ]; then echo "# work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() {
	echo "cachedb-bench: $*" >&2
	exit 1
}

for tool in dnsperf nsd redis-server redis-cli nft dig; do
	command -v $tool >/dev/null || die "$tool not installed"
done
[ -x "$nfdnsd" ] || die "no nfdnsd binary at $nfdnsd"

# ---- the names and their servers ----

max=$((names > cold ? names : cold))
awk -v n="$max" -v ns="$bench_ns" 'BEGIN {
	print "$TTL 86400"
	print "@ SOA ns1 hostmaster 1 1800 900 604800 86400"
	print "@ NS ns1"
	print "ns1 A " ns
	for (i = 0; i < n; i++)
		printf "h%d A 192.0.2.1\n", i
}' >"$work/bench.zone"
cat >"$work/root.zone" <<EOF
\$TTL 86400
. SOA a.root-servers.test. hostmaster.root-servers.test. 1 1800 900 604800 86400
. NS a.root-servers.test.
bench. NS ns1.bench.
ns1.bench. A $bench_ns
a.root-servers.test. A $root_ns
EOF
printf 'nsd %s .=%s\nnsd %s bench=%s\n' $root_ns "$work/root.zone" $bench_ns "$work/bench.zone" >"$work/servers.conf"
awk -v n="$names" 'BEGIN { for (i = 0; i < n; i++) printf "h%d.bench A\n", i }' >"$work/queries.fleet"
awk -v n="$cold" 'BEGIN { for (i = 0; i < n; i++) printf "h%d.bench A\n", i }' >"$work/queries.cold"

NFDNS_SERVERS=$work/servers.conf NFDNS_ROOT_ZONE=$work/root.zone "$hierarchy" start "$work/hier" >"$work/hier.log" 2>&1 ||
	die "NSD did not start: $(tail -5 "$work/hier.log")"
nft -f - <<EOF || die "nft"
table inet cachedb_bench {
	chain servers {
		type filter hook input priority 0;
		ip daddr { $root_ns, $bench_ns } udp dport 53 counter
		ip daddr { $root_ns, $bench_ns } tcp dport 53 tcp flags & (syn | ack) == syn counter
	}
}
EOF
at_servers() {
	nft list chain inet cachedb_bench servers | awk '{ for (i = 1; i < NF; i++) if ($i == "packets") n += $(i + 1) } END { print n + 0 }'
}

# ---- helpers ----

redis_start() {
	[ -n "$redis_pid" ] && stop_pid "$redis_pid"
	redis-server --bind $redis_addr --port 6379 --save "" --appendonly no --protected-mode no \
		--dir "$work" --logfile "$work/redis.log" &
	redis_pid=$!
	for _ in $(seq 1 50); do
		redis-cli -h $redis_addr ping 2>/dev/null | grep -q PONG && return 0
		sleep 0.1
	done
	die "redis did not start"
}

# node_start NAME ADDR [options]: a fresh nfdnsd.
node_start() {
	local name=$1 addr=$2
	shift 2
	"$nfdnsd" --config /dev/null --dnssec-validation no --no-kernel --root-hints "$work/hier/root.hints" \
		--listen "$addr:53" --do-not-query-localhost no --control-socket none "$@" >"$work/$name.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 1 100); do
		dig +time=1 +tries=1 @"$addr" . NS >/dev/null 2>&1 && break
		sleep 0.05
	done
	if [ $# -gt 0 ]; then
		for _ in $(seq 1 100); do
			grep -q 'cachedb: connected' "$work/$name.log" && return 0
			sleep 0.05
		done
		die "$name did not connect to redis"
	fi
}

# perf ADDR QUERIES OUT: dnsperf through the file once, latencies kept (-v).
perf() {
	timeout 120 dnsperf -s "$1" -d "$2" -n 1 -l 60 -c 8 -q "$outstanding" -t 5 -v >"$3" 2>&1
}

# summary OUT: "qps p50_ms p99_ms completed lost"
summary() {
	local lat
	lat=$(awk '/^> / && $2 != "T" && $2 != "I" { print $NF }' "$1" | sort -g |
		awk '{ v[NR] = $1 } END {
			if (!NR) { print "- -"; exit }
			k50 = int(NR * 0.5); if (k50 < 1) k50 = 1
			k99 = int(NR * 0.99); if (k99 < NR * 0.99) k99++
			printf "%.3f %.3f\n", v[k50] * 1000, v[k99] * 1000 }')
	awk -v lat="$lat" '
		/Queries completed:/ { c = $3 }
		/Queries lost:/ { l = $3 }
		/Queries per second:/ { q = $4 }
		END { split(lat, a, " "); printf "%d %s %s %d %d\n", q, a[1], a[2], c, l }' "$1"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# ---- 1. upstream queries of a fleet ----

# fleet MODE CACHEDB: upstream queries for NAMES names asked of A, B and C.
fleet() {
	local mode=$1 with=$2 i n0 opts=()
	stop_all
	[ "$with" = yes ] && { redis_start; opts=(--redis-server $redis_addr); }
	for i in 0 1 2; do node_start "fleet$i" "${node_addr[$i]}" "${opts[@]}"; done
	sleep 0.5
	n0=$(at_servers)
	if [ "$mode" = sequential ]; then
		for i in 0 1 2; do perf "${node_addr[$i]}" "$work/queries.fleet" "$work/fleet.$mode.$with.$i"; done
	else
		local perfs=()
		for i in 0 1 2; do
			perf "${node_addr[$i]}" "$work/queries.fleet" "$work/fleet.$mode.$with.$i" &
			perfs+=($!)
		done
		wait "${perfs[@]}"
	fi
	up[$mode.$with]=$(($(at_servers) - n0))
}

echo "# $names names, fleet of 3 nfdnsd; upstream queries counted at the servers"
declare -A up
for mode in sequential concurrent; do
	for with in no yes; do
		fleet $mode $with
		echo "fleet $mode cachedb=$with: ${up[$mode.$with]} upstream queries for $names names x 3 nodes"
	done
done
stop_all

# ---- 2. a cold node joining a warm fleet ----

echo "# cold node: its first $cold queries (dnsperf -q $outstanding), $runs fresh nodes each"
redis_start
node_start warm "${node_addr[0]}" --redis-server $redis_addr
perf "${node_addr[0]}" "$work/queries.cold" "$work/warm.out"
echo "warm node filled Redis: $(redis-cli -h $redis_addr dbsize) keys"
for with in no yes; do
	for r in $(seq 1 "$runs"); do
		if [ $with = yes ]; then
			node_start "cold.$with.$r" $cold_addr --redis-server $redis_addr
		else
			node_start "cold.$with.$r" $cold_addr
		fi
		n0=$(at_servers)
		perf $cold_addr "$work/queries.cold" "$work/cold.$with.$r"
		read -r qps p50 p99 done lost < <(summary "$work/cold.$with.$r")
		echo "cold cachedb=$with run $r: $qps answers/s, p50 $p50 ms, p99 $p99 ms, $done answered, $lost lost, $(($(at_servers) - n0)) upstream"
		echo "$qps $p50 $p99" >>"$work/cold.$with"
		stop_pid "${pids[-1]}"
		unset 'pids[-1]'
	done
done
echo
echo "| cold node, first $cold queries | answers/s | p50 ms | p99 ms |"
echo "|---|---|---|---|"
for with in no yes; do
	printf '| %s | %s | %s | %s |\n' "$([ $with = yes ] && echo 'with cachedb (warm Redis)' || echo 'without cachedb')" \
		"$(awk '{ print $1 }' "$work/cold.$with" | median)" "$(awk '{ print $2 }' "$work/cold.$with" | median)" \
		"$(awk '{ print $3 }' "$work/cold.$with" | median)"
done
echo
echo "| fleet of 3, $names names each | without cachedb | with cachedb |"
echo "|---|---|---|"
echo "| upstream queries, A then B then C | ${up[sequential.no]} | ${up[sequential.yes]} |"
echo "| upstream queries, A, B and C at once | ${up[concurrent.no]} | ${up[concurrent.yes]} |"
