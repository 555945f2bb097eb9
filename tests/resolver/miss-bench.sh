#!/bin/bash
# Sustained cache-miss throughput and cache memory: nfdnsd against Unbound.
#
# A generated zone, bench.example.com., holds NAMES distinct A records and is
# delegated from a generated copy of example.com. in the test hierarchy.
# dnsperf asks every name once, so every question is a miss the resolver has
# to take upstream.  Each resolver is started fresh for each run; after its
# run, its RSS is read with the whole zone in its cache.  Prints one line per
# run and a table of medians and spreads.  A benchmark: it asserts nothing.
#
#   tests/resolver/miss-bench.sh [RUNS]       (as root; RUNS defaults to 3)
#
#   NAMES=100000      names in the zone, each asked once per run
#   OUTSTANDING=200   dnsperf's bound on queries in flight (-q); above about 220
#                     dnsperf's opening burst overflows a resolver socket's
#                     default receive buffer (net.core.rmem_default) and the
#                     overflow is lost, whichever the resolver
#   QPS=              dnsperf's bound on queries per second (-Q; unset: none)
#   TIME_LIMIT=40     seconds one dnsperf run may take at most (-l)
#   NETNS=0           run in the host's network namespace instead of a new one
#   KEEP=1            keep the work directory (logs, dnsperf output)
#   NFDNSD=path       another nfdnsd binary
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lib/unbound.sh"
top=$(cd "$here/../.." && pwd)

# The hierarchy's fixed 127.53.x.y addresses would collide with a test run
# (tests/resolver/run.sh) going on at the same time on this host; a private
# network namespace has its own loopback, as fast as the host's.
if [ "${NETNS:-1}" != 0 ] && [ -z "${MISS_BENCH_IN_NETNS:-}" ]; then
	if unshare --net true 2>/dev/null; then
		exec unshare --net env MISS_BENCH_IN_NETNS=1 "$0" "$@"
	fi
	echo "miss-bench: cannot make a network namespace; running in the host's" >&2
fi
if [ -n "${MISS_BENCH_IN_NETNS:-}" ]; then
	ip link set lo up || exit 1
fi

nfdnsd=${NFDNSD:-$top/userspace/nfdnsd/nfdnsd}
hierarchy=$top/tests/zones/hierarchy.sh
runs=${1:-3}
names=${NAMES:-100000}
outstanding=${OUTSTANDING:-200}
qps_limit=${QPS:-}
time_limit=${TIME_LIMIT:-40}
zone=bench.example.com
# Free in tests/zones/servers.conf.
zone_server=127.53.9.1
nfdnsd_addr=127.53.255.21
unbound_addr=127.53.255.22

# The test hierarchy binds fixed loopback addresses: one run at a time.
exec 9>/tmp/nfdns-hierarchy.lock
flock 9
work=$(mktemp -d /tmp/nfdnsd-miss-bench.XXXXXX)
resolver_pid=

# Stops the resolver under test: SIGTERM, then SIGKILL after 5 s.
stop_resolver() {
	[ -n "$resolver_pid" ] || return 0
	kill "$resolver_pid" 2>/dev/null
	for _ in $(seq 1 50); do
		kill -0 "$resolver_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$resolver_pid" 2>/dev/null
	wait "$resolver_pid" 2>/dev/null
	resolver_pid=
}

cleanup() {
	# A second interruption must not leave servers or files behind.
	trap '' INT TERM
	stop_resolver
	NFDNS_SERVERS=$work/servers.conf "$hierarchy" stop "$work/hier" >/dev/null 2>&1
	if [ -n "${KEEP:-}" ]; then
		echo "work directory kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() {
	echo "miss-bench: $*" >&2
	exit 1
}

for tool in dnsperf unbound unbound-control nsd dig; do
	command -v $tool >/dev/null || die "$tool not installed"
done
[ -x "$nfdnsd" ] || die "no nfdnsd binary at $nfdnsd (make -C userspace)"

# ---- the zone and the hierarchy around it ----

awk -v n="$names" -v zone="$zone" -v ns="$zone_server" 'BEGIN {
	print "$TTL 3600"
	print "$ORIGIN " zone "."
	print "@ SOA ns1 hostmaster 1 1800 900 604800 300"
	print "@ NS ns1"
	print "ns1 A " ns
	# Addresses in 10/8 so that each record is distinct.
	for (i = 0; i < n; i++)
		printf "name%d A 10.%d.%d.%d\n", i, int(i / 65536) % 256, int(i / 256) % 256, i % 256
}' >"$work/$zone.zone"

# The committed example.com. zone stays as it is: its servers load a copy
# that also delegates the bench zone.
{
	cat "$top/tests/zones/example.com.zone"
	printf '\n%s.\tNS\tns1.%s.\nns1.%s.\tA\t%s\n' "$zone" "$zone" "$zone" "$zone_server"
} >"$work/example.com.zone"

# Only the servers on the path root -> com. -> example.com., from the
# committed address plan, the example.com. ones pointed at the copy (NSD takes
# an absolute zone file path), plus the bench zone's own server.
{
	awk '$1 == "nsd" && ($3 == "." || $3 == "com" || $3 == "example.com")' "$top/tests/zones/servers.conf" |
		sed "s|[[:space:]]example\.com\$| example.com=$work/example.com.zone|"
	echo "nsd $zone_server $zone=$work/$zone.zone"
} >"$work/servers.conf"

awk -v zone="$zone" '/^name/ { print $1 "." zone " A" }' "$work/$zone.zone" >"$work/queries"
# Every 100th name: asked again after a run to see that the cache kept them.
awk 'NR % 100 == 1' "$work/queries" >"$work/requeries"

echo "starting the hierarchy with $names names in $zone. on $zone_server"
NFDNS_SERVERS=$work/servers.conf "$hierarchy" start "$work/hier" >"$work/hier.log" 2>&1 ||
	die "the hierarchy did not start: $(tail -5 "$work/hier.log")"
dig +norec +time=2 +tries=1 @$zone_server name$((names - 1)).$zone A 2>/dev/null | grep -q 'status: NOERROR' ||
	die "$zone_server does not serve the whole bench zone"

# ---- helpers ----

# Waits (bounded) until something listens on UDP addr:53.
wait_bound() {
	local addr=$1
	for _ in $(seq 1 100); do
		ss -uln | grep -q " $addr:53 " && return 0
		sleep 0.05
	done
	return 1
}

# CPU time (user + system) a process has used, in microseconds: per miss,
# it says what the resolver costs whatever else the host is doing.
cpu_us() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d\n", ($14 + $15) * 1000000 / hz }' "/proc/$1/stat"; }

vm_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# UDP receive errors of this network namespace: datagrams the kernel dropped
# because a socket's buffer was full (the resolver's or dnsperf's).
udp_rcvbuf_errors() { awk '$1 == "Udp:" && !h { h = 1; next } $1 == "Udp:" { print $6 }' /proc/net/snmp; }

# nfdnsd counters: a fresh SIGUSR1 dump, one "name=value" per line.
nfdnsd_counters() {
	local log=$1 before _
	before=$(grep -c ' stats: ' "$log")
	kill -USR1 "$resolver_pid"
	for _ in $(seq 1 50); do
		[ "$(grep -c ' stats: ' "$log")" -gt "$before" ] && break
		sleep 0.05
	done
	grep ' stats: ' "$log" | tail -1 | sed 's/.* stats: //' | tr ' ' '\n'
}

unbound_counters() {
	timeout 10 unbound-control -c "$work/unbound.conf" stats_noreset 2>/dev/null
}

# counter FILE NAME
counter() { awk -F= -v k="$2" '$1 == k { print $2; exit }' "$1"; }

# dnsperf over the whole name list once, bounded in time; verbose, so that
# each response's latency is there for the 99th percentile.
run_dnsperf() {
	local addr=$1 out=$2
	# shellcheck disable=SC2046
	timeout $((time_limit + 30)) dnsperf -s "$addr" -d "$work/queries" -n 1 -l "$time_limit" -c 8 \
		-q "$outstanding" $([ -n "$qps_limit" ] && echo "-Q $qps_limit") -t 5 -v >"$out" 2>&1
}

# Summary of dnsperf output: "sent completed lost qps avg_ms p99_ms noerror servfail".
summarize_dnsperf() {
	local p99
	# Verbose lines: "> RCODE name type latency"; T and I are timeouts and interruptions.
	p99=$(awk '/^> / && $2 != "T" && $2 != "I" { print $NF }' "$1" | sort -g |
		awk '{ v[NR] = $1 } END { if (NR) { k = int(NR * 0.99); if (k < NR * 0.99) k++; printf "%.2f", v[k] * 1000 } else print "-" }')
	awk -v p99="$p99" '
		/Queries sent:/ { sent = $3 }
		/Queries completed:/ { completed = $3 }
		/Queries lost:/ { lost = $3 }
		/Queries per second:/ { qps = $4 }
		/Average Latency \(s\):/ { avg = $4 * 1000 }
		/Response codes:/ { for (i = 3; i < NF; i += 2) rc[$i] = $(i + 1) + 0 }
		END { printf "%d %d %d %s %.2f %s %d %d\n", sent, completed, lost, qps, avg, p99, rc["NOERROR"], rc["SERVFAIL"] }' "$1"
}

# ---- one run of one resolver ----

# bench NAME ADDR RUN: the resolver is already started as $resolver_pid.
# Appends "name run qps completed% avg_ms p99_ms servfail lost rss_kib rss0_kib hwm_kib noerror cpu_us_per_miss"
# to $work/results, and its own notes to $work/notes.
bench() {
	local name=$1 addr=$2 run=$3 out=$work/$1.$3.dnsperf rss0 rss hwm drops0 drops1 summary
	local sent completed lost qps avg p99 noerror servfail cpu0 cpu1 per_miss
	wait_bound "$addr" || die "$name does not listen on $addr"
	# One question through the whole chain first: the delegations to the
	# bench zone are cached, and what is measured is one upstream query per name.
	dig +time=5 +tries=2 @"$addr" $zone SOA 2>/dev/null | grep -q 'status: NOERROR' ||
		die "$name does not resolve $zone SOA"
	rss0=$(vm_kib "$resolver_pid" VmRSS)
	cpu0=$(cpu_us "$resolver_pid")
	drops0=$(udp_rcvbuf_errors)
	run_dnsperf "$addr" "$out"
	drops1=$(udp_rcvbuf_errors)
	rss=$(vm_kib "$resolver_pid" VmRSS)
	cpu1=$(cpu_us "$resolver_pid")
	hwm=$(vm_kib "$resolver_pid" VmHWM)
	summary=$(summarize_dnsperf "$out")
	read -r sent completed lost qps avg p99 noerror servfail <<<"$summary"
	local pct
	pct=$(awk -v d="$completed" -v n="$names" 'BEGIN { printf "%.2f", n ? 100 * d / n : 0 }')
	per_miss=$(awk -v c=$((cpu1 - cpu0)) -v n="$completed" 'BEGIN { printf "%.1f", n ? c / n : 0 }')
	echo "$name $run $qps $pct $avg $p99 $servfail $lost $rss $rss0 $hwm $noerror $per_miss" >>"$work/results"
	printf '  %-8s run %d: %8.0f qps, %6s%% of %d answered (%d NOERROR, %d SERVFAIL, %d lost), latency avg %s ms p99 %s ms; CPU %s us/miss; RSS %d -> %d KiB (peak %d); UDP receive-buffer drops %d\n' \
		"$name" "$run" "$qps" "$pct" "$names" "$noerror" "$servfail" "$lost" "$avg" "$p99" "$per_miss" "$rss0" "$rss" "$hwm" \
		$((drops1 - drops0))
	[ "$sent" -lt "$names" ] && echo "    only $sent of $names names sent within ${time_limit}s" | tee -a "$work/notes"
	[ $((drops1 - drops0)) -gt 0 ] &&
		echo "    $name run $run: $((drops1 - drops0)) UDP datagrams dropped on full receive buffers" >>"$work/notes"
	return 0
}

# recheck NAME ADDR UPSTREAM-COUNTER-COMMAND: asks every 100th name again;
# prints how many of them went upstream (0: the cache kept them all).
recheck() {
	local addr=$2 before after
	before=$($3)
	timeout 30 dnsperf -s "$addr" -d "$work/requeries" -n 1 -l 20 -q 50 -t 5 >"$work/$1.recheck" 2>&1
	after=$($3)
	echo $((after - before))
}

nfdnsd_upstream() { nfdnsd_counters "$work/nfdnsd.log" | awk -F= '$1 == "upstream_queries" { print $2 }'; }
unbound_misses() { unbound_counters | awk -F= '$1 == "total.num.cachemiss" { print $2 }'; }

# One thread, as nfdnsd has one event loop; caches big enough that no name
# of the run is evicted.
unbound_conf "$work" $unbound_addr 127.0.0.0/8 "$work/hier/root.hints" \
	"verbosity: 1" "num-threads: 1" "so-reuseport: no" \
	"msg-cache-size: 256m" "rrset-cache-size: 256m" "extended-statistics: yes" \
	>"$work/unbound.conf"

: >"$work/results"
: >"$work/notes"
echo "$runs runs of $names unique names, at most $outstanding in flight${qps_limit:+, at most $qps_limit qps}, each run at most ${time_limit}s"
for run in $(seq 1 "$runs"); do
	# A cache bigger than the zone: the memory figure is for every name kept.
	"$nfdnsd" --config /dev/null --dnssec-validation no --no-kernel --root-hints "$work/hier/root.hints" --listen "$nfdnsd_addr:53" \
		--cache-size $((names + 1000)) --do-not-query-localhost no >"$work/nfdnsd.log" 2>&1 &
	resolver_pid=$!
	bench nfdnsd $nfdnsd_addr "$run"
	nfdnsd_counters "$work/nfdnsd.log" >"$work/nfdnsd.$run.counters"
	went=$(recheck nfdnsd $nfdnsd_addr nfdnsd_upstream)
	echo "    nfdnsd: $(counter "$work/nfdnsd.$run.counters" upstream_queries) upstream queries" \
		"($(counter "$work/nfdnsd.$run.counters" upstream_timeouts) timeouts," \
		"$(counter "$work/nfdnsd.$run.counters" upstream_errors) errors)," \
		"$(counter "$work/nfdnsd.$run.counters" answers_servfail) SERVFAIL," \
		"$(counter "$work/nfdnsd.$run.counters" limit_hits) work-bound hits;" \
		"$went of $(wc -l <"$work/requeries") names asked again went upstream"
	stop_resolver
	grep -E ' (error|warning): ' "$work/nfdnsd.log" | sed "s/^/    nfdnsd run $run log: /" | head -5 >>"$work/notes"

	unbound -d -c "$work/unbound.conf" >"$work/unbound.stdout" 2>&1 &
	resolver_pid=$!
	bench unbound $unbound_addr "$run"
	unbound_counters >"$work/unbound.$run.counters"
	went=$(recheck unbound $unbound_addr unbound_misses)
	echo "    unbound: $(counter "$work/unbound.$run.counters" total.num.cachemiss) cache misses," \
		"$(counter "$work/unbound.$run.counters" num.answer.rcode.SERVFAIL) SERVFAIL," \
		"$(counter "$work/unbound.$run.counters" total.requestlist.exceeded) dropped (request list full)," \
		"rrset cache $(counter "$work/unbound.$run.counters" rrset.cache.count) RRsets," \
		"msg cache $(counter "$work/unbound.$run.counters" msg.cache.count) messages;" \
		"$went of $(wc -l <"$work/requeries") names asked again went upstream"
	stop_resolver
	grep -iE 'error|warning' "$work/unbound.log" | sed "s/^/    unbound run $run log: /" | head -5 >>"$work/notes"
done

# ---- the table ----

# Per resolver: median and spread (min-max) of each figure over the runs.
# Memory per RRset: RSS after the run over the names answered NOERROR (one A
# RRset each), and the growth over the run over the same count.  Unbound
# keeps a message as well as an RRset per name; both are in its figure.
awk -v names="$names" '
	function med(a, n,   i, j, t) {
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	function lo(a, n,   i, m) { m = a[1]; for (i = 2; i <= n; i++) if (a[i] < m) m = a[i]; return m }
	function hi(a, n,   i, m) { m = a[1]; for (i = 2; i <= n; i++) if (a[i] > m) m = a[i]; return m }
	{
		r = $1; k = ++n[r]
		qps[r, k] = $3; pct[r, k] = $4; avg[r, k] = $5; p99[r, k] = ($6 == "-" ? 0 : $6); sf[r, k] = $7
		cpu[r, k] = $13; rss[r, k] = $9 / 1024; per[r, k] = $12 ? $9 * 1024 / $12 : 0; grow[r, k] = $12 ? ($9 - $10) * 1024 / $12 : 0
	}
	function fig(name, arr, r, fmt,   i, v) {
		for (i = 1; i <= n[r]; i++) v[i] = arr[r, i]
		m[name, r] = med(v, n[r])
		return sprintf(fmt " (" fmt "-" fmt ")", m[name, r], lo(v, n[r]), hi(v, n[r]))
	}
	END {
		printf "\n%-8s %-22s %-21s %-21s %-21s %-12s %-18s %-20s %-21s %-18s\n", "", "qps", "answered %", "latency avg ms", "latency p99 ms", "SERVFAIL", "CPU us/miss", "RSS after, MiB", "B/RRset (RSS)", "B/RRset (growth)"
		for (ri = 1; ri <= 2; ri++) {
			r = ri == 1 ? "nfdnsd" : "unbound"
			if (!n[r]) continue
			printf "%-8s %-22s %-21s %-21s %-21s %-12s %-18s %-20s %-21s %-18s\n", r,
				fig("qps", qps, r, "%.0f"), fig("pct", pct, r, "%.1f"), fig("avg", avg, r, "%.2f"),
				fig("p99", p99, r, "%.1f"), fig("sf", sf, r, "%d"), fig("cpu", cpu, r, "%.1f"), fig("rss", rss, r, "%.1f"),
				fig("per", per, r, "%.0f"), fig("grow", grow, r, "%.0f")
		}
		if (m["qps", "unbound"] > 0 && m["rss", "unbound"] > 0)
			printf "\nnfdnsd/unbound (medians): qps %.2f, CPU per miss %.2f, RSS %.2f, bytes per RRset (growth) %.2f\n",
				m["qps", "nfdnsd"] / m["qps", "unbound"], m["cpu", "unbound"] ? m["cpu", "nfdnsd"] / m["cpu", "unbound"] : 0,
				m["rss", "nfdnsd"] / m["rss", "unbound"],
				m["grow", "unbound"] ? m["grow", "nfdnsd"] / m["grow", "unbound"] : 0
		printf "median (min-max) of %d runs; %d names each\n", n["nfdnsd"], names
	}' "$work/results"

if [ -s "$work/notes" ]; then
	echo
	echo "notes:"
	cat "$work/notes"
fi
