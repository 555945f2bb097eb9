#!/bin/bash
# The figures of `make bench-ttl` from its runs: per setup, the waiting
# fraction, latency, upstream rate and the module's counters, the goal, a
# Markdown table and a plot of the waiting fraction over time.
#
#   ttl-report.sh RUNS.jsonl OUTDIR HOST.json
#
# HOST.json holds what only the host knows (date, wall time, its CPU and
# load).  Writes OUTDIR/ttl-latest.json, OUTDIR/ttl-latest.md and
# OUTDIR/ttl-latest.svg.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
runs=$1 out=$2 host=$3

# A p99 that could not be had (more than 1% lost) is null, above every figure.
jq -s --slurpfile host "$host" '
	def inf: if . == null then infinite else . end;
	def delta: . as $r | if $r.kernel_after == null then null else
		($r.kernel_after | to_entries | map(select(.key != "entries")
			| .value -= ($r.kernel_before[.key] // 0)) | from_entries) end;
	(map(select(.kind == "meta")) | first | del(.kind)) as $meta
	| [map(select(.kind == "setup"))[] | del(.kind) | . + {kernel_delta: delta}] as $setups
	| ($setups | map(select(.setup == "nfdns-prefetch-on")) | first) as $on
	| ($setups | map(select(.setup == "nfdns-prefetch-off")) | first) as $off
	| ($setups | map(select(.setup == "unbound-prefetch")) | first) as $ub
	| {meta: ($meta + $host[0]), setups: $setups,
	   goal: (if $on == null or $ub == null then null else
		{goal: "nfdns with prefetch has at most half of Unbound-with-prefetch'"'"'s waiting fraction among repeat queries (a name'"'"'s first query waits in every setup), and a lower p99",
		 nfdns_waited_frac: $on.waited_repeat_frac, unbound_waited_frac: $ub.waited_repeat_frac,
		 nfdns_waited_all_frac: $on.waited_frac, unbound_waited_all_frac: $ub.waited_frac,
		 nfdns_p99_us: $on.p99_us, unbound_p99_us: $ub.p99_us,
		 prefetch_in_module: ($on.prefetch_pct != null),
		 met: ($on.waited_repeat_frac <= $ub.waited_repeat_frac / 2 and ($on.p99_us | inf) < ($ub.p99_us | inf))} end),
	   prefetch_check: (if $on == null or $off == null then null else
		{prefetches: $on.kernel_delta.prefetches, prefetch_errors: $on.kernel_delta.prefetch_errors,
		 waited_on: $on.waited, waited_off: $off.waited,
		 met: (($on.kernel_delta.prefetches // 0) > 0 and $on.waited_repeat_frac < $off.waited_repeat_frac)} end)}
' "$runs" >"$out/ttl-latest.json"

# ---- Markdown ----
jq -r '
	def pct: if . == null then "–" else "\(. * 1000 | round / 10)%" end;
	def ms: if . == null then "–" else "\(. / 100 | round / 10)" end;
	def k(f): if .kernel_delta == null then "–" else (.kernel_delta[f] // "–" | tostring) end;
	def yn: if . then "yes" else "**no**" end;
	.meta as $m
	| "| setup | sent | answered | lost | waited | waited, repeat queries | p50 ms | p99 ms | upstream qps | VM CPUs busy | kernel hits / misses / upcalls | prefetches / errors |",
	  "|---|---|---|---|---|---|---|---|---|---|---|---|",
	  (.setups[] | "| \(.setup) | \(.sent) | \(.answered) | \(.lost) | \(.waited_frac | pct) | \(.waited_repeat_frac | pct) | \(.p50_us | ms) | \(.p99_us | ms) | \(.upstream_qps) | \(.vm_busy_cpus // "–") | \(k("hits")) / \(k("misses")) / \(k("upcalls")) | \(if .unbound_prefetches != null then "\(.unbound_prefetches) (Unbound)" else "\(k("prefetches")) / \(k("prefetch_errors"))" end) |"),
	  "",
	  (.goal | select(. != null) |
	   "Goal: \(.goal). \(if .prefetch_in_module then "Met in this run: \(.met | yn)" else "Not evaluated: the module of this run has no prefetch (figures as without it: \(.met | yn))" end) (repeat queries waited \(.nfdns_waited_frac | pct) against \(.unbound_waited_frac | pct); all queries \(.nfdns_waited_all_frac | pct) against \(.unbound_waited_all_frac | pct); p99 \(.nfdns_p99_us | ms) ms against \(.unbound_p99_us | ms) ms)."),
	  (.prefetch_check | select(. != null) |
	   "", "nfdns-prefetch-on against nfdns-prefetch-off: \(.prefetches // "no") prefetches (\(.prefetch_errors // "no") errors), \(.waited_on) waited against \(.waited_off): prefetch helps: \(.met | yn)."),
	  ([.setups[] | select(.note != null) | "* \(.setup): \(.note)."] | if length > 0 then "", "Notes:", .[] else empty end),
	  "",
	  "* Workload: \($m.names) names t<i>.ttl.bench. A, each with a TTL drawn uniformly from \($m.ttl_min) to \($m.ttl_max) s (seed \($m.seed)); queries in a Zipf(s=\($m.zipf_s)) order over them, at \($m.qps) qps for \($m.seconds) s per setup (dnsperf \($m.versions.dnsperf), the same query file for every setup, \($m.distinct_names_asked) distinct names asked: the first query of each waits whatever the cache does). Each setup starts from a cold cache, after the previous one has stopped.",
	  "* Waited: answered in \($m.threshold_ms) ms or more, or lost. The path to the authoritative server (NSD \($m.versions.nsd)) is delayed by \($m.delay_ms) ms with netem (ping \($m.auth_ping_rtt_ms) ms), so an answer that waited for it takes at least that long; answers between \($m.threshold_ms / 2) and \($m.threshold_ms) ms, neither a hit nor a wait: \([.setups[] | "\(.near_threshold) (\(.setup))"] | join(", ")). Repeat queries: those for a name asked before in the run, whose waits come from expiry. p50 and p99 over every query, a lost one counting as slower than every answer. Upstream qps: queries arriving at NSD (an nft counter there) over the run. VM CPUs busy: the whole VM'"'"'s busy time over the run (client, resolver, NSD) divided by its length, of \($m.cpus): near it, the VM is saturated and hits slow down towards the threshold.",
	  "* nfdns: the module with nfdnsd as its resolver (no serve-stale, its own cache keeps a name no longer than its TTL), prefetch_pct 0 and 10 (prefetch_adaptive \([.setups[] | select(.setup == "nfdns-prefetch-on") | if .prefetch_adaptive == null then "not in this module" else .prefetch_adaptive end | tostring] | first // "–"): a hit also refreshes an entry with less TTL left than 1.5 times the mean gap between its queries; nfdns-prefetch-10pct has it off). Unbound \($m.versions.unbound): 2 threads, prefetch, cache-min-ttl 0, serve-expired as named. dnsdist \($m.versions.dnsdist): a packet cache before such an Unbound. Kernel counters: differences over the run; for Unbound, its own count of prefetches (unbound-control, total.num.prefetch).",
	  "* VM: Debian kernel \($m.kernel), \($m.cpus) CPUs, \($m.mem_mib) MiB, \($m.accel); host: \($m.host_cpus) × \($m.host_cpu), shared, load average \($m.host_load_mean) (max \($m.host_load_max)). \($m.date), commit \($m.commit), make bench-ttl \($m.wall_s / 60 | floor) min."
' "$out/ttl-latest.json" >"$out/ttl-latest.md"

# ---- plot: the waiting fraction per bucket, one column per setup ----
dat=$(mktemp)
trap 'rm -f "$dat"' EXIT
jq -r '.setups as $s
	| (["t"] + ($s | map(.setup)) | join(" ")),
	  (range(0; $s[0].series | length) as $i
		| [$s[0].series[$i].t + .meta.bucket_s / 2] + ($s | map(.series[$i] | if .queries > 0 then .waited / .queries * 100 else "NaN" end))
		| map(tostring) | join(" "))' "$out/ttl-latest.json" >"$dat"
gnuplot -e "datafile='$dat'; outfile='$out/ttl-latest.svg'; ncols=$(jq '.setups | length + 1' "$out/ttl-latest.json"); subtitle='$(jq -r '.meta | "\(.names) names, TTL \(.ttl_min)–\(.ttl_max) s, Zipf \(.zipf_s), \(.qps) qps, \(.delay_ms) ms to the authority; kernel \(.kernel | split("+")[0]), \(.accel); \(.date | split("T")[0])"' "$out/ttl-latest.json")'" \
	"$here/ttl-plot.gp"
