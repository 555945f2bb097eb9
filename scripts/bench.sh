#!/bin/bash
# `make bench`: the nfdns hit path against its peers, in a VM on Debian's
# stock 6.12 kernel, measured at the server: the VM's first CPU serves, its
# last runs the clients (see scripts/bench/guest.sh).  kxdpgun (AF_XDP)
# asks over a veth pair, from a client network namespace, the same names of
# one query file, all of them cached, of:
#
#   nfdns     the module's hit path, at several cache sizes; and at the
#             largest with conntrack on, with the rate limit on, and with a
#             block list loaded
#   nfdnsd    the resolver alone, module not loaded, from its own cache
#   unbound   Unbound, warm
#   dnsmasq   dnsmasq, warm
#   dnsdist   dnsdist, its packet cache warm
#   floor     no server: an nftables rule turns each query around at the veth
#
# Per server and round: answers per second of one server CPU (kxdpgun at
# full speed), that CPU's busy time per answer at a fixed rate, and p50/p99
# from dnsperf at a low fixed rate.  Each round also loads the kernel
# microbenchmark nfdns_hitbench.ko (kmod/bench/), which times the parts of
# a hit on prebuilt skbs against an empty hook.  The host's load outside
# the VM is sampled every second (scripts/bench/hostload.sh), and rounds
# taken while it was busy are dropped.  Medians and 95% bootstrap intervals
# of every figure and ratio (scripts/bench/report.py) go to bench/results/:
# latest.json, latest.md, latest.svg, micro.svg and runs.jsonl (every
# run).  A benchmark: it asserts nothing about the figures.
#
#   scripts/bench.sh
#
# Settings (environment; the defaults take about 40 minutes under TCG):
#   NFDNS_BENCH_N=100000              names asked of every server (and of nfdns)
#   NFDNS_BENCH_NFDNS_SIZES="1000 100000 1000000"
#                                     cache sizes nfdns is measured at
#   NFDNS_BENCH_SERVERS="nfdns nfdnsd unbound dnsmasq dnsdist floor"
#   NFDNS_BENCH_REPEATS=5             rounds; each measures every server once
#   NFDNS_BENCH_TPUT_SECONDS=5        length of each full-speed run
#   NFDNS_BENCH_GUN_QPS=2000000       kxdpgun's rate at "full speed": above
#                                     what it can send under TCG
#   NFDNS_BENCH_SECONDS=10            length of each fixed-rate CPU run
#   NFDNS_BENCH_RATE=3000             its rate; below what every server
#                                     answers on one CPU under TCG
#   NFDNS_BENCH_LAT_QPS=500           offered rate of each latency run (dnsperf)
#   NFDNS_BENCH_LAT_SECONDS=5         length of each latency run
#   NFDNS_BENCH_FILL_ABOVE=0          nfdns cache sizes above this are filled by
#                                     pushing nfdnsd's responses with CACHE_PUT;
#                                     smaller ones by sending the query file
#                                     through the module and nfdnsd (about 1000
#                                     names a second under TCG, each round)
#   NFDNS_BENCH_CLIENTS=2, NFDNS_BENCH_THREADS=1, NFDNS_BENCH_OUTSTANDING=200
#                                     dnsperf's -c, -T and -q (latency runs and
#                                     warming passes)
#   NFDNS_BENCH_WARM_LIMIT=900        seconds one warming pass may take at most
#   NFDNS_BENCH_BLOCK_NAMES=200000    names of the block list nfdnsd loads into
#                                     the kernel for the block list row (0: no
#                                     such row)
#   NFDNS_BENCH_MICRO_SIZES="1000 100000 1000000 4000000"
#                                     cache sizes of the microbenchmark ("": none)
#   NFDNS_BENCH_MICRO_OPS=100000, NFDNS_BENCH_MICRO_PASSES=5
#                                     its operations per pass, and passes
#   NFDNS_BENCH_BUSY_MAX=0.25         a round in which any measurement saw the
#                                     host busier than this outside the VM (in
#                                     CPUs, mean over the measurement) is dropped
#   NFDNS_BENCH_MEM=4G                VM memory
#   NFDNS_BENCH_SMP=2                 VM CPUs: the server's and the client's
#   NFDNS_BENCH_ICOUNT=SHIFT          run the VM with QEMU's instruction counting
#                                     (vm.sh's NFDNS_VM_ICOUNT): a CPU's busy
#                                     time then counts the instructions it ran,
#                                     whatever else the host runs, and every
#                                     rate and length is in the guest's time
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
# The host is shared: its load outside the VM goes in the results, and
# into the VM, measurement by measurement.
vmrun=$logdir/vm
rm -rf "$vmrun"
mkdir -p "$vmrun"
"$NFDNS_TOP/scripts/bench/hostload.sh" "$logdir/hostload" "$vmrun" 7200 &
sampler=$!
trap 'kill $sampler 2>/dev/null || true' EXIT

# Without CMPXCHG16B: under TCG (QEMU 7.2), SLUB's per-CPU cmpxchg16b
# fast path has left the guest with impossible flags (reserved RFLAGS bits
# set, DF set) and then a double fault, in runs that flood the server
# CPU for half an hour; without the feature the guest kernel uses its own
# irq-off fallback.  KVM guests run the host's CPU unchanged.
export NFDNS_VM_CPU=${NFDNS_VM_CPU:-max,-cx16}
echo "bench: running in the VM; its log: $log"
# The whole run is bounded by the VM's timeout; the guest bounds each step.
NFDNS_VM_ICOUNT=${NFDNS_BENCH_ICOUNT:-} vm_status=0
TMPDIR=$vmrun NFDNS_VM_TIMEOUT=${NFDNS_VM_TIMEOUT:-5400} \
	scripts/vm.sh --kernel 6.12 --smp "${NFDNS_BENCH_SMP:-2}" --mem "${NFDNS_BENCH_MEM:-4G}" -- \
	scripts/bench/guest.sh "$moddir" 2>&1 | sed -u 's/\r$//' | tee "$log" | grep --line-buffered -v '^BENCH-' ||
	vm_status=${PIPESTATUS[0]}
kill $sampler 2>/dev/null || true
# The rounds finished before a failure are still reported, and the run
# still fails.
[ "$vm_status" = 0 ] || echo "bench: the benchmark failed in the VM (log: $log); reporting the rounds it finished" >&2

# Every result line, as JSON lines with their kind.
sed -n 's/^BENCH-\([A-Z]*\) \(.*\)$/\1 \2/p' "$log" |
	while read -r kind json; do
		jq -c --arg kind "${kind,,}" '{kind: $kind} + .' <<<"$json"
	done >"$out/runs.jsonl"
grep -q '"kind":"run"' "$out/runs.jsonl" || die "no results in $log"

jq -n --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --argjson wall "$SECONDS" \
	--arg cpu "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
	--argjson cpus "$(nproc)" \
	--argjson other "$(awk '{ print $2 }' "$logdir/hostload" | jq -s .)" \
	'{date: $date, make_bench_wall_s: $wall, host_cpu: $cpu, host_cpus: $cpus,
	  host_other_cpus_mean: (if ($other | length) > 0 then ($other | add / length * 100 | round) / 100 else null end),
	  host_other_cpus_max: ($other | max)}' >"$logdir/host.json"
python3 scripts/bench/report.py "$out/runs.jsonl" "$out" "$logdir/host.json" \
	--busy-max "${NFDNS_BENCH_BUSY_MAX:-0.25}"
cat "$out/latest.md"
echo "bench: results in $out (latest.json, latest.md, latest.svg, micro.svg, runs.jsonl)"
[ "$vm_status" = 0 ] || die "the benchmark failed in the VM (log: $log)"
