#!/bin/bash
# The benchmark's figures from its runs: medians and spreads (min-max) per
# server, ratios to nfdns, the goals, a Markdown table and a plot.
#
#   report.sh RUNS.jsonl OUTDIR HOST.json
#
# HOST.json holds what only the host knows (date, wall time, its CPU and
# load).  Writes OUTDIR/latest.json, OUTDIR/latest.md and OUTDIR/latest.svg.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
runs=$1 out=$2 host=$3

# Medians of odd counts are the middle run; of even counts the mean of the
# two middle ones.  A p99 that could not be had (too many queries lost) is
# null and sorts above every figure.
jq -s --slurpfile host "$host" '
	def inf_if_null: if . == null then infinite else . end;
	def med: map(inf_if_null) | sort | if length == 0 then null
		elif length % 2 == 1 then .[length / 2 | floor]
		else (.[length / 2 - 1] + .[length / 2]) / 2 end;
	def back: if . == null or . >= 1e300 then null else (. * 100 | round) / 100 end;
	def fig(k): map(.[k]) | {median: (med | back), min: (map(inf_if_null) | min | back),
		max: (map(inf_if_null) | max | back)};
	def human: if . >= 1000000 then "\(. / 1000000)M" elif . >= 1000 then "\(. / 1000)k" else "\(.)" end;
	def names: {nfdns: "nfdns hit path", nfdnsd: "nfdnsd alone", unbound: "Unbound",
		dnsmasq: "dnsmasq", dnsdist: "dnsdist packet cache", floor: "floor (no server)"};
	def order: {nfdns: 0, nfdns_ct: 0.5, nfdns_block: 0.7, nfdnsd: 1, unbound: 2, dnsmasq: 3, dnsdist: 4, floor: 5};
	(map(select(.kind == "meta")) | first) as $meta
	| (map(select(.kind == "idle")) | first // {}) as $idle
	| (map(select(.kind == "warm"))) as $warm
	| (map(select(.kind == "block")) | first // {}) as $block
	| (map(select(.kind == "triple" and .plain != null and .ct != null and .floor != null
		and .plain > .floor))) as $triples
	| [map(select(.kind == "run")) | group_by([.server, .n])[]
		| {server: .[0].server, n: .[0].n,
		   label: (if .[0].server == "nfdns" then "nfdns, \(.[0].n | human) entries"
			   elif .[0].server == "nfdns_ct" then "nfdns, \(.[0].n | human) entries, conntrack and RRL on"
			   elif .[0].server == "nfdns_block" then "nfdns, \(.[0].n | human) entries, \($block.rules // 0 | human)-name block list"
			   else names[.[0].server] end),
		   runs: length,
		   q: fig("qps"), p50: fig("p50_us"), p99: fig("p99_us"), cpu: fig("cpu_s_per_million"),
		   sat_avg: fig("sat_avg_us"),
		   lost: (map(.lost) | add), latency_lost: (map(.lat_lost) | add),
		   upstream: (map(.upstream) | add),
		   warm_s: ([$warm[] as $w | select($w.server == .[0].server and $w.n == .[0].n) | $w.seconds] | first),
		   warm_method: ([$warm[] as $w | select($w.server == .[0].server and $w.n == .[0].n) | $w.method // "query file"] | first)}]
	| sort_by(order[.server], .n) as $groups
	| ($groups | map(select(.server == "nfdns" and .n == $meta.n)) | first) as $ref
	| ($groups | map(select(.server == "floor")) | first) as $floor
	| def ratio(k): if $ref == null or $ref[k].median == null or $ref[k].median == 0 or .[k].median == null
		then null else (.[k].median / $ref[k].median * 100 | round) / 100 end;
	  def by(s; n): $groups | map(select(.server == s and (n == null or .n == n))) | first;
	  ($groups | map(select(.server == "nfdns")) | sort_by(.n)) as $sizes
	| {meta: ($meta | del(.kind) + $host[0] + {idle_busy_cpus: $idle.busy_cpus}),
	   servers: [$groups[] | {server, n, label: .label, runs,
		qps: .q.median, p50_us: .p50.median, p99_us: .p99.median,
		cpu_s_per_million: .cpu.median,
		spread: {qps: [.q.min, .q.max], p50_us: [.p50.min, .p50.max], p99_us: [.p99.min, .p99.max],
			cpu_s_per_million: [.cpu.min, .cpu.max]},
		ratio_to_nfdns: {qps: ratio("q"), p50_us: ratio("p50"), p99_us: ratio("p99"),
			cpu_s_per_million: ratio("cpu")},
		saturated_avg_latency_us: .sat_avg.median,
		cpu_above_floor_s_per_million: (if $floor == null or .server == "floor" then null
			else ((.cpu.median - $floor.cpu.median) * 100 | round) / 100 end),
		lost, latency_lost, upstream_during_runs: .upstream, warm_s, warm_method}],
	   goals: [
		(by("unbound"; $meta.n) as $u | select($u != null and $ref != null)
			| {goal: "nfdns uses at least 3x less VM CPU per million answers than Unbound",
			   value: (($u.cpu.median / $ref.cpu.median * 100 | round) / 100), target: 3,
			   figure: "Unbound \($u.cpu.median) / nfdns \($ref.cpu.median) = \(($u.cpu.median / $ref.cpu.median * 100 | round) / 100)", want: "≥ 3",
			   met: ($u.cpu.median >= 3 * $ref.cpu.median)}),
		(by("dnsdist"; $meta.n) as $d | select($d != null and $ref != null)
			| {goal: "nfdns uses at least 2x less VM CPU per million answers than dnsdist packet cache",
			   value: (($d.cpu.median / $ref.cpu.median * 100 | round) / 100), target: 2,
			   figure: "dnsdist \($d.cpu.median) / nfdns \($ref.cpu.median) = \(($d.cpu.median / $ref.cpu.median * 100 | round) / 100)", want: "≥ 2",
			   met: ($d.cpu.median >= 2 * $ref.cpu.median)}),
		(select(($triples | length) > 0)
			| def mean(k): map(.[k]) | add / length;
			  ($triples | mean("plain")) as $p | ($triples | mean("ct")) as $c
			| ($triples | mean("floor")) as $f | (($c - $f) / ($p - $f)) as $r
			| ($triples | map(.ct - .plain)) as $d
			| ($d | add / length) as $dm
			| (($d | map((. - $dm) * (. - $dm)) | add) / (($d | length) - 1 | if . < 1 then 1 else . end)
				/ ($d | length) | sqrt) as $se
			| {goal: "conntrack loaded and RRL on cost at most 10% more CPU above the floor",
			   value: (($r * 100 | round) / 100), target: 1.1,
			   figure: "means of \($triples | length) interleaved triples at \($triples[0].n | human) entries: (\($c * 10 | round / 10) − \($f * 10 | round / 10)) / (\($p * 10 | round / 10) − \($f * 10 | round / 10)) = \(($r * 100 | round) / 100); conntrack and RRL add \($dm * 10 | round / 10) ± \($se * 10 | round / 10) (standard error) CPU-s/M", want: "≤ 1.10",
			   met: ($r <= 1.1)}),
		(by("nfdns_block"; null) as $b | select($b != null) | by("nfdns"; $b.n) as $p
			| select($p != null and $floor != null)
			| (($b.cpu.median - $floor.cpu.median) / ($p.cpu.median - $floor.cpu.median)) as $r
			| {goal: "a \($block.rules // 0 | human)-name block list leaves the CPU of a hit above the floor within 10%",
			   value: (($r * 100 | round) / 100), target: 1.1,
			   figure: "row medians at \($b.n | human) entries: (\($b.cpu.median) − \($floor.cpu.median)) / (\($p.cpu.median) − \($floor.cpu.median)) = \(($r * 100 | round) / 100); the list loaded in \($block.load_s) s and takes \(($block.bytes // 0) / ($block.rules // 1) * 10 | round / 10) bytes per rule in the kernel",
			   want: "≤ 1.10", met: ($r <= 1.1)}),
		([$groups[] | select(.server != "nfdns" and .server != "nfdns_ct" and .server != "nfdns_block" and .server != "floor")] as $peers
			| select(($peers | length) > 0 and $ref != null)
			| {goal: "nfdns p99 lower than every peer (nfdnsd, Unbound, dnsmasq, dnsdist)",
			   value: $ref.p99.median, target: ($peers | map(.p99.median | inf_if_null) | min | back),
			   figure: "nfdns \($ref.p99.median) µs; lowest peer \($peers | map(.p99.median | inf_if_null) | min | back) µs", want: "nfdns lower",
			   met: ($ref.p99.median != null and ($peers | all(.p99.median == null or .p99.median > $ref.p99.median)))}),
		(select(($sizes | length) > 1)
			| ($sizes | first) as $lo | ($sizes | last) as $hi
			| {goal: "nfdns CPU per million answers at \($hi.n | human) entries within 15% of \($lo.n | human)",
			   value: (($hi.cpu.median / $lo.cpu.median * 100 | round) / 100), target: 1.15,
			   figure: "\($hi.cpu.median) / \($lo.cpu.median) = \(($hi.cpu.median / $lo.cpu.median * 100 | round) / 100)", want: "≤ 1.15",
			   met: ($hi.cpu.median <= 1.15 * $lo.cpu.median)})
	   ]}' "$runs" >"$out/latest.json"

# ---- Markdown ----
jq -r '
	def r: if . == null then "–" elif . >= 100 then (. | round | tostring)
		else ((. * 10 | round) / 10 | tostring) end;
	def cell(k): "\(.[k] | r) (\(.spread[k][0] | r)–\(.spread[k][1] | r))";
	def x(k): if .ratio_to_nfdns[k] == null then "–" else "\(.ratio_to_nfdns[k])" end;
	def human: if . >= 1000000 then "\(. / 1000000)M" elif . >= 1000 then "\(. / 1000)k" else "\(.)" end;
	.meta as $m
	| "| server | qps | p50 µs | p99 µs | VM CPU-s per million answers | ÷ nfdns \($m.n | human): qps / p99 / CPU |",
	  "|---|---|---|---|---|---|",
	  (.servers[] | "| \(.label) | \(cell("qps")) | \(cell("p50_us")) | \(cell("p99_us")) | \(cell("cpu_s_per_million")) | \(x("qps")) / \(x("p99_us")) / \(x("cpu_s_per_million")) |"),
	  "",
	  "Medians of \($m.repeats) runs (min–max). \($m.n | human) distinct names asked of every server; nfdns also with \($m.nfdns_sizes | map(human) | join(", ")) entries (then asked for those names). \($m.date), make bench \($m.make_bench_wall_s / 60 | floor) min.",
	  "",
	  "| goal | figure | target | met |",
	  "|---|---|---|---|",
	  (.goals[] | "| \(.goal) | \(.figure) | \(.want) | \(if .met then "yes" else "**no**" end) |"),
	  "",
	  "| server | VM CPU-s per million above the floor | mean latency at full speed, µs | answers lost (full speed / latency runs) | upstream queries while measured | cache filled by |",
	  "|---|---|---|---|---|---|",
	  (.servers[] | "| \(.label) | \(.cpu_above_floor_s_per_million | r) | \(.saturated_avg_latency_us | r) | \(.lost) / \(.latency_lost) | \(.upstream_during_runs) | \(if .server == "floor" then "–" elif .server == "nfdns_ct" or .server == "nfdns_block" then "the same entries as without" else "\(.warm_method // "query file") in \(.warm_s // "?") s" end) |"),
	  "",
	  "* VM: Debian kernel \($m.kernel), \($m.cpus) CPUs, \($m.mem_mib) MiB, \($m.accel); host: \($m.host_cpus) × \($m.host_cpu), shared, load average \($m.host_load_mean) (max \($m.host_load_max)) during the run. Busy VM with every server stopped: \($m.idle_busy_cpus) CPUs.",
	  "* Client: dnsperf \($m.dnsperf.version) (-c \($m.dnsperf.clients) -T \($m.dnsperf.threads)) in its own network namespace, over a veth pair.",
	  "* qps and CPU: \($m.seconds) s at full speed (-q \($m.dnsperf.outstanding)); CPU is the whole VM'"'"'s busy time (the time elapsed on every CPU less their idle time, which the kernel takes exactly at each idle entry and exit; the client'"'"'s included) over the run, divided by the answers.",
	  "* p50 and p99: a separate \($m.latency_seconds) s run at a fixed \($m.latency_qps) qps, from each answer'"'"'s latency as dnsperf -v prints it (a lost query counts as slower than every answer).",
	  "* Peers: Unbound \($m.versions.unbound) (2 threads, iterating from the root), dnsmasq \($m.versions.dnsmasq) (forwarding to the zone'"'"'s server, one thread), dnsdist \($m.versions.dnsdist) (2 listeners, packet cache), nfdnsd without the module; the names come from NSD \($m.versions.nsd). The floor is no server: an nftables rule at the veth turns each query around."
' "$out/latest.json" >"$out/latest.md"

# ---- plot ----
dat=$(mktemp)
trap 'rm -f "$dat"' EXIT
jq -r '.servers[] | [.label, .cpu_s_per_million, .spread.cpu_s_per_million[0], .spread.cpu_s_per_million[1],
	(.p99_us // "NaN"), (.spread.p99_us[0] // "NaN"), (.spread.p99_us[1] // "NaN")]
	| "\"\(.[0])\" " + (.[1:] | map(tostring) | join(" "))' "$out/latest.json" >"$dat"
gnuplot -e "datafile='$dat'; outfile='$out/latest.svg'; subtitle='$(jq -r '.meta | "kernel \(.kernel | split("+")[0]), \(.cpus) CPUs, \(.accel); \(.n) names; medians of \(.repeats) runs, bars min–max; \(.date | split("T")[0])"' "$out/latest.json")'" \
	"$here/plot.gp"
