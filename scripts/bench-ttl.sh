#!/bin/bash
# `make bench-ttl`: how often clients wait for an upstream resolution when
# names have short TTLs, in a VM on Debian's stock 6.12 kernel.  dnsperf
# asks, at a fixed rate, names whose TTLs run from 20 to 120 s, in a Zipf
# order, of each setup in turn, each from a cold cache:
#
#   nfdns-prefetch-off              the module with prefetch_pct=0, nfdnsd its resolver
#   nfdns-prefetch-on               the same with prefetch_pct=10 (the default,
#                                   with the adaptive rule)
#   nfdns-prefetch-10pct            prefetch_pct=10 alone: prefetch_adaptive=no
#   unbound-prefetch                Unbound, prefetch: yes, serve-expired: no
#   unbound-prefetch-serve-expired  Unbound, prefetch: yes, serve-expired: yes
#   dnsdist-unbound                 dnsdist's packet cache before Unbound with prefetch
#
# The path to the authoritative server (NSD) is delayed by netem, so that an
# answer that waited for it is told by its latency.  Per setup: queries
# sent, answered and lost, the fraction that waited, p50 and p99, upstream
# queries a second as NSD's side counts them, and the module's counters for
# nfdns; the waiting fraction over time is plotted.  Results go to
# bench/results/: ttl-latest.json, ttl-latest.md, ttl-latest.svg and
# ttl-runs.jsonl.  A benchmark: it asserts nothing about the figures.
#
#   scripts/bench-ttl.sh
#
# Settings (environment; the defaults take about 30 minutes under TCG):
#   NFDNS_BENCH_TTL_NAMES=100000      names t<i>.ttl.bench. in NSD's zone
#   NFDNS_BENCH_TTL_MIN=20, NFDNS_BENCH_TTL_MAX=120
#                                     each name's TTL, uniform in MIN..MAX s
#   NFDNS_BENCH_TTL_ZIPF=0.9          exponent s of the Zipf order of queries
#   NFDNS_BENCH_TTL_SEED=1            seed of the TTLs and the query order
#   NFDNS_BENCH_TTL_QPS=200           offered rate (dnsperf -Q); at 300 the
#                                     cold start's misses kept the VM's 2 CPUs
#                                     near saturation under TCG on a shared
#                                     host, and hits slowed towards the threshold
#   NFDNS_BENCH_TTL_SECONDS=300       length of each setup's run
#   NFDNS_BENCH_TTL_DELAY_MS=30       netem delay on NSD's side of its veth
#   NFDNS_BENCH_TTL_THRESHOLD_MS=25   an answer this slow (or lost) waited
#   NFDNS_BENCH_TTL_BUCKET=10         seconds per point of the plot
#   NFDNS_BENCH_TTL_SETUPS="nfdns-prefetch-off nfdns-prefetch-on nfdns-prefetch-10pct unbound-prefetch
#                           unbound-prefetch-serve-expired dnsdist-unbound"
#   NFDNS_BENCH_TTL_MEM=2G            VM memory
#   NFDNS_BENCH_TTL_OUT=bench/results where the results go
#   NFDNS_VM_TIMEOUT                  bound of the whole VM run (default: 240 s
#                                     per setup beyond its run, plus 900 s)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$NFDNS_TOP"

out=${NFDNS_BENCH_TTL_OUT:-$NFDNS_TOP/bench/results}
logdir=$NFDNS_TOP/build/bench-ttl
mkdir -p "$out" "$logdir"
setups=${NFDNS_BENCH_TTL_SETUPS:-nfdns-prefetch-off nfdns-prefetch-on nfdns-prefetch-10pct unbound-prefetch unbound-prefetch-serve-expired dnsdist-unbound}
nsetups=$(wc -w <<<"$setups")

"$NFDNS_TOP/scripts/deps.sh"
make -s userspace
moddir=$(scripts/build-module.sh 6.12)

log=$logdir/latest.log
(
	for _ in $(seq 1 720); do
		cut -d' ' -f1 /proc/loadavg
		sleep 10
	done
) >"$logdir/loadavg" &
sampler=$!
trap 'kill $sampler 2>/dev/null || true' EXIT

echo "bench-ttl: running in the VM; its log: $log"
timeout=${NFDNS_VM_TIMEOUT:-$((nsetups * (${NFDNS_BENCH_TTL_SECONDS:-300} + 240) + 900))}
NFDNS_VM_TIMEOUT=$timeout scripts/vm.sh --kernel 6.12 --smp 2 --mem "${NFDNS_BENCH_TTL_MEM:-2G}" -- \
	scripts/bench/ttl-guest.sh "$moddir" 2>&1 | sed -u 's/\r$//' | tee "$log" | grep --line-buffered -v '^BENCH-'
[ "${PIPESTATUS[0]}" = 0 ] || die "the benchmark failed in the VM (log: $log)"
kill $sampler 2>/dev/null || true

sed -n 's/^BENCH-TTL //p' "$log" | jq -c . >"$out/ttl-runs.jsonl"
grep -q '"kind":"setup"' "$out/ttl-runs.jsonl" || die "no results in $log"

jq -n --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --argjson wall "$SECONDS" \
	--arg cpu "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
	--argjson cpus "$(nproc)" --argjson load "$(jq -s . "$logdir/loadavg")" \
	--arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
	'{date: $date, wall_s: $wall, commit: $commit, host_cpu: $cpu, host_cpus: $cpus,
	  host_load_mean: (if ($load | length) > 0 then ($load | add / length * 100 | round) / 100 else null end),
	  host_load_max: ($load | max)}' >"$logdir/host.json"
scripts/bench/ttl-report.sh "$out/ttl-runs.jsonl" "$out" "$logdir/host.json"
cat "$out/ttl-latest.md"
echo "bench-ttl: results in $out (ttl-latest.json, ttl-latest.md, ttl-latest.svg, ttl-runs.jsonl)"
