#!/bin/bash
# Flushing a large cache while it serves a hit load.  The flush must not
# hold softirqs off or the CPU for long (no soft lockup, no RCU stall) and
# the hit path must go on answering while it runs.
#
# A router namespace holds the cache: NFDNS_FLUSH_ENTRIES entries (default
# 100000, 20000 on the debug kernel; make stress uses 1000000).  A client namespace sends ~2000 qps
# (dnsperf) for the names inserted last, which the flush deletes last, so
# they are hits until the very end of the flush; an NSD behind the router
# answers them once they are gone (with another address, so answers from
# the kernel and from NSD can be told apart).
#
# The load and the flush run on the same CPU: a flush that keeps softirqs
# or preemption off on its CPU then stops that CPU's queries for its whole
# length, which shows in the kernel's hits counter read just before and
# just after the flush (nfdns_flushwin).  The soft-lockup threshold is
# lowered to 2 s and the RCU stall timeout to 3 s for the flush.  p99
# latencies before and during the flush are printed, never asserted.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/netns.sh"

ctl=$here/nfdns_testctl
fill=$here/nfdns_fill
flushwin=$here/nfdns_flushwin
# The debug kernel (KASAN, lockdep) fills a cache several times slower.
if [ "${NFDNS_VM_KERNEL:-}" = debug ]; then
	entries=${NFDNS_FLUSH_ENTRIES:-20000}
else
	entries=${NFDNS_FLUSH_ENTRIES:-100000}
fi
load_names=100
work=$(mktemp -d)
cli=nfcli$$
rtr=nfrtr$$
rtr4=198.18.1.1
dnsperf_pid=
watchdog_was=
stall_was=
stall_param=/sys/module/rcupdate/parameters/rcu_cpu_stall_timeout

restore_detectors() {
	[ -n "$watchdog_was" ] && sysctl -qw kernel.watchdog_thresh="$watchdog_was"
	[ -n "$stall_was" ] && echo "$stall_was" >"$stall_param"
	watchdog_was=
	stall_was=
}
cleanup() {
	[ -n "$dnsperf_pid" ] && kill "$dnsperf_pid" 2>/dev/null
	restore_detectors
	ns_cleanup
	rm -rf "$work"
}
trap cleanup EXIT

for prog in "$ctl" "$fill" "$flushwin"; do
	if [ ! -x "$prog" ]; then
		tap_fail "${prog##*/} is built" "run make selftests"
		tap_done
		exit 1
	fi
done

ns_add $cli && ns_add $rtr || { tap_fail "create namespaces"; tap_done; exit 1; }
ns_link $cli "198.18.1.2/24" $rtr "$rtr4/24"
ctl() { ip netns exec $rtr "$ctl" "$@"; }
counters_read() { ctl stats; }
. "$here/../lib/counters.sh"

# Every name of the fill, at another address than the cache's 192.0.2.1.
cat >"$work/bench.zone" <<'EOF'
$TTL 300
bench.	IN SOA ns.bench. hostmaster.bench. 1 3600 600 86400 300
bench.	IN NS ns.bench.
ns.bench.	IN A 198.18.1.1
*.bench.	IN A 192.0.2.2
EOF
if nsd_start $rtr "$work/nsd" bench. "$work/bench.zone" $rtr4; then
	tap_ok "NSD serves bench. behind the cache"
else
	tap_fail "NSD serves bench. behind the cache" "$(cat "$work/nsd/nsd.log")"
fi

# The clients are in 198.18/15, outside the default list, and the load
# goes over the default rate limit.
tap_check "room for $entries entries, clients in 198.18/15 answered" \
	ctl config max_entries=$((entries + 1000)) max_bytes=$((1 << 36)) \
	clients=any rrl_rate=0
start=$SECONDS
tap_check "fill the cache with $entries entries" ip netns exec $rtr "$fill" "$entries"
echo "# filled in $((SECONDS - start)) s"
out=$(ctl stats entries)
if [ "$out" = "$entries" ]; then
	tap_ok "the cache holds $entries entries"
else
	tap_fail "the cache holds $entries entries" "entries: $out"
fi

# The load asks for the names inserted last: the flush deletes them last.
for i in $(seq $((entries - load_names)) $((entries - 1))); do
	echo "h$i.bench A"
done >"$work/queries"
out=$(ip netns exec $cli dig +time=5 +tries=1 +short @$rtr4 "h$((entries - 1)).bench" A 2>&1)
if [ "$out" = 192.0.2.1 ]; then
	tap_ok "a load name is answered by the kernel"
else
	tap_fail "a load name is answered by the kernel" "$out"
fi

dmesg_before=$(dmesg | wc -l)
snap
# -S 0.1 stamps the per-query (-v) lines with the wall clock every 0.1 s.
# Bounded: -l 300, and stopped with SIGINT once the flush is over.
taskset -c 0 ip netns exec $cli dnsperf -s $rtr4 -d "$work/queries" \
	-c 4 -Q 2000 -l 300 -t 5 -S 0.1 -v >"$work/dnsperf.log" 2>&1 &
dnsperf_pid=$!
if wait_for 20 eval '[ "$(rose hits)" -gt 500 ]'; then
	tap_ok "the hit load is being answered by the kernel"
else
	tap_fail "the hit load is being answered by the kernel" "$(cat "$work/dnsperf.log")"
fi
sleep 1

watchdog_was=$(sysctl -n kernel.watchdog_thresh 2>/dev/null)
[ -n "$watchdog_was" ] && sysctl -qw kernel.watchdog_thresh=1
if [ -w "$stall_param" ]; then
	stall_was=$(cat "$stall_param")
	echo 3 >"$stall_param"
fi
if win=$(taskset -c 0 ip netns exec $rtr "$flushwin" 2>&1); then
	tap_ok "flush while the load runs"
else
	tap_fail "flush while the load runs" "$win"
fi
# Past the detectors' thresholds, so a stall would have been reported.
sleep 4
restore_detectors
kill -INT "$dnsperf_pid" 2>/dev/null
wait "$dnsperf_pid"
dnsperf_pid=

read -r _ deleted _ hits_during _ t0 _ t1 <<<"$win"
if [ "${deleted:-}" = "$entries" ]; then
	tap_ok "the flush deleted every entry"
else
	tap_fail "the flush deleted every entry" "$win"
fi
if [ "${hits_during:-0}" -gt 0 ]; then
	tap_ok "the kernel answered hits while the flush ran ($hits_during)"
else
	tap_fail "the kernel answered hits while the flush ran" "$win"
fi
reports=$(dmesg | tail -n +$((dmesg_before + 1)) |
	grep -E 'soft lockup|rcu.*(stall|detected stalls)|hung_task|blocked for more than')
if [ -z "$reports" ]; then
	tap_ok "no soft lockup, RCU stall or hung task reported"
else
	tap_fail "no soft lockup, RCU stall or hung task reported" "$reports"
fi

# Queries in flight when dnsperf is stopped are "interrupted", not lost.
sent=$(awk '/Queries sent:/ { print $3 }' "$work/dnsperf.log")
lost=$(awk '/Queries lost:/ { print $3 }' "$work/dnsperf.log")
if [ -n "$sent" ] && [ -n "$lost" ] && [ $((lost * 1000)) -le "$sent" ]; then
	tap_ok "the clients got their answers: $lost of $sent lost"
else
	tap_fail "the clients got their answers" "$(grep -E 'Queries|Latency' "$work/dnsperf.log")
flush from $t0 to $t1; timeouts between these stamps (dnsperf's wall clock):
$(awk '/^[0-9]+\.[0-9]+: / { m = $1 } /^> T / { n[m]++ } END { for (k in n) print k, n[k] }' "$work/dnsperf.log" | sort -n)
counters since the load started: $(deltas hits=? misses=? pass_fail_open=? reply_errors=? 2>&1 | grep -v rose)
$(ip netns exec $cli nstat -az 2>/dev/null | grep -E 'Udp(InErrors|NoPorts|RcvbufErrors)|IcmpInDestUnreachs' | sed 's/^/client: /')
$(ip netns exec $rtr nstat -az 2>/dev/null | grep -E 'Udp(InErrors|NoPorts|RcvbufErrors|InDatagrams)|IcmpOutDestUnreachs' | sed 's/^/router: /')
$(ip -n $cli -s link | grep -A6 veth | head -14)"
fi
out=$(ip netns exec $cli dig +time=5 +tries=1 +short @$rtr4 "h$((entries - 1)).bench" A 2>&1)
if [ "$out" = 192.0.2.2 ]; then
	tap_ok "after the flush the name is a miss, answered by NSD"
else
	tap_fail "after the flush the name is a miss, answered by NSD" "$out"
fi

# Latency of the answers completed before the flush (after the first
# second of load) and in the 0.1 s intervals that overlap it.
awk -v t0="$t0" -v t1="$t1" '
	/^[0-9]+\.[0-9]+: / { n_mark++; mark[n_mark] = $1 + 0; next }
	/^> NOERROR / { n++; at[n] = n_mark; lat[n] = $NF + 0 }
	END {
		for (i = 1; i <= n; i++) {
			m = at[i]
			if (m < 1 || m >= n_mark)
				continue
			lo = mark[m]; hi = mark[m + 1]
			if (hi <= t0 && lo >= mark[1] + 1)
				print "before", lat[i]
			else if (lo < t1 && hi > t0)
				print "during", lat[i]
		}
	}' "$work/dnsperf.log" >"$work/latency"
# p99 WHEN: the 99th percentile latency of the answers of WHEN, in ms.
p99() {
	awk -v w="$1" '$1 == w { print $2 }' "$work/latency" | sort -g |
		awk '{ v[NR] = $1 } END {
			if (NR) printf "%.1f ms (%d answers)", v[int((NR - 1) * 0.99) + 1] * 1000, NR
			else printf "n/a"
		}'
}
echo "# flush of $entries entries: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') s, $hits_during hits during it"
echo "# p99 before the flush: $(p99 before); during it: $(p99 during)"
grep -E 'Queries (sent|completed|lost)|Queries per second|Average Latency' \
	"$work/dnsperf.log" | sed 's/^ */# dnsperf: /'
tap_done
