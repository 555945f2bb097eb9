#!/bin/bash
# `make bench`: the nfdns hit path against its peers, in a VM on Debian's
# stock 6.12 kernel.  dnsperf in a client network namespace asks, over a
# veth pair, the same names of one query file, all of them cached, of:
#
#   nfdns     the module's hit path, at several cache sizes
#   nfdnsd    the resolver alone, module not loaded, from its own cache
#   unbound   Unbound, warm
#   dnsmasq   dnsmasq, warm
#   dnsdist   dnsdist, its packet cache warm
#   floor     no server: an nftables rule turns each query around at the veth
#
# Per server: qps, latency p50 and p99 at a fixed offered rate, and the
# whole VM's busy CPU-seconds per million answers; medians and spreads of
# the repeats, and ratios to nfdns.  Results go to bench/results/:
# latest.json, latest.md, latest.svg and runs.jsonl (every run).  A
# benchmark: it asserts nothing about the figures.
#
#   scripts/bench.sh
#
# Settings (environment; the defaults take about 20 minutes under TCG):
#   NFDNS_BENCH_N=100000              names asked of every server (and of nfdns)
#   NFDNS_BENCH_NFDNS_SIZES="1000 100000 1000000"
#                                     cache sizes nfdns is measured at
#   NFDNS_BENCH_SERVERS="nfdns nfdnsd unbound dnsmasq dnsdist floor"
#   NFDNS_BENCH_REPEATS=3             measurements of each server
#   NFDNS_BENCH_SECONDS=10            length of each throughput run
#   NFDNS_BENCH_LAT_QPS=500           offered rate of each latency run; below
#                                     what every server sustains under TCG
#   NFDNS_BENCH_LAT_SECONDS=6         length of each latency run
#   NFDNS_BENCH_FILL_ABOVE=0          nfdns cache sizes above this are filled by
#                                     pushing nfdnsd's responses with CACHE_PUT;
#                                     smaller ones by sending the query file
#                                     through the module and nfdnsd (about 1000
#                                     names a second under TCG, each round)
#   NFDNS_BENCH_CLIENTS=2, NFDNS_BENCH_THREADS=1, NFDNS_BENCH_OUTSTANDING=200
#                                     dnsperf's -c, -T and -q; one thread costs
#                                     the 2-CPU VM less per query than two (see
#                                     the floor) and outpaces every peer
#   NFDNS_BENCH_WARM_LIMIT=900        seconds one warming pass may take at most
#   NFDNS_BENCH_TRIPLES=4, NFDNS_BENCH_TRIPLE_SECONDS=5
#                                     per round, short full-speed runs of nfdns,
#                                     nfdns with conntrack and RRL on, and the
#                                     floor, one after the other: the cost of
#                                     conntrack and RRL, from runs close in time
#   NFDNS_BENCH_CT_PARTS=0            1: each triple also measures conntrack
#                                     alone and the rate limit alone
#   NFDNS_BENCH_BLOCK_NAMES=200000    names of the block list nfdnsd loads into
#                                     the kernel for the block list row (0: no
#                                     such row)
#   NFDNS_BENCH_MEM=3G                VM memory
#   NFDNS_BENCH_SMP=2                 VM CPUs (1 with NFDNS_BENCH_ICOUNT)
#   NFDNS_BENCH_ICOUNT=SHIFT          run the VM with QEMU's instruction counting
#                                     (vm.sh's NFDNS_VM_ICOUNT) on one CPU: its
#                                     busy time then counts the instructions
#                                     it ran, so a shared, busy host does not
#                                     move the CPU figures (on two, the shared
#                                     clock advances with both CPUs' work);
#                                     qps and latency are in the guest's time
#   NFDNS_BENCH_OUT=bench/results     where the results go
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$NFDNS_TOP"

out=${NFDNS_BENCH_OUT:-$NFDNS_TOP/bench/results}
logdir=$NFDNS_TOP/build/bench
mkdir -p "$out" "$logdir"

"$NFDNS_TOP/scripts/deps.sh"
make -s userspace
# Only the two helpers that talk to the module; neither needs the kernel
# tree's kselftest headers that the other selftests do.
make -s -C tests/selftests KSELFTEST_DIR=unused nfdns_fill nfdns_testctl
moddir=$(scripts/build-module.sh 6.12)

log=$logdir/latest.log
# The host is shared: its load average over the run goes in the results.
(
	for _ in $(seq 1 720); do
		cut -d' ' -f1 /proc/loadavg
		sleep 10
	done
) >"$logdir/loadavg" &
sampler=$!
trap 'kill $sampler 2>/dev/null || true' EXIT

echo "bench: running in the VM; its log: $log"
# The whole run is bounded by the VM's timeout; the guest bounds each step.
smp=${NFDNS_BENCH_SMP:-$([ -n "${NFDNS_BENCH_ICOUNT:-}" ] && echo 1 || echo 2)}
NFDNS_VM_ICOUNT=${NFDNS_BENCH_ICOUNT:-} NFDNS_VM_TIMEOUT=${NFDNS_VM_TIMEOUT:-3600} \
	scripts/vm.sh --kernel 6.12 --smp "$smp" --mem "${NFDNS_BENCH_MEM:-3G}" -- \
	scripts/bench/guest.sh "$moddir" 2>&1 | sed -u 's/\r$//' | tee "$log" | grep --line-buffered -v '^BENCH-'
[ "${PIPESTATUS[0]}" = 0 ] || die "the benchmark failed in the VM (log: $log)"
kill $sampler 2>/dev/null || true

# Every result line, as JSON lines with their kind.
sed -n 's/^BENCH-\([A-Z]*\) \(.*\)$/\1 \2/p' "$log" |
	while read -r kind json; do
		jq -c --arg kind "${kind,,}" '{kind: $kind} + .' <<<"$json"
	done >"$out/runs.jsonl"
grep -q '"kind":"run"' "$out/runs.jsonl" || die "no results in $log"

jq -n --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --argjson wall "$SECONDS" \
	--arg cpu "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
	--argjson cpus "$(nproc)" --argjson load "$(jq -s . "$logdir/loadavg")" \
	'{date: $date, make_bench_wall_s: $wall, host_cpu: $cpu, host_cpus: $cpus,
	  host_load_mean: (if ($load | length) > 0 then ($load | add / length * 100 | round) / 100 else null end),
	  host_load_max: ($load | max)}' >"$logdir/host.json"
scripts/bench/report.sh "$out/runs.jsonl" "$out" "$logdir/host.json"
cat "$out/latest.md"
echo "bench: results in $out (latest.json, latest.md, latest.svg, runs.jsonl)"
