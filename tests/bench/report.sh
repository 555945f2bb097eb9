#!/bin/bash
# scripts/bench/report.py on made-up runs whose figures are known: medians,
# intervals, ratios above the floor, the goals on the right bound, and a
# round taken on a busy host dropped.  Prints TAP.
#
#   tests/bench/report.sh
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/tap.sh"

work=$(mktemp -d /tmp/nfdns-report.XXXXXX)

# Six rounds.  Per answer, in CPU-s per million, at the fixed rate: the
# floor 10, nfdns 12 at 1k and 13 at 1M, conntrack 13.15, the rate limit
# 14.5, Unbound 25, dnsdist 16; at full speed, half of each.  The kernel's
# rows are costed at full speed: the floor 5, nfdns 1.5 above it at 1M
# (the dearest), conntrack +5%, the rate limit +50%; the userspace ones at
# the fixed rate: Unbound 15 above the floor (10x nfdns), dnsdist 6 (4x).
# Each figure moves from round to round by up to 0.04, and round 4 is wild
# and taken on a busy host.
{
	echo '{"kind":"meta","n":1000000,"nfdns_sizes":[1000,1000000],"rate":3000,"seconds":10}'
	for rep in 1 2 3 4 5 6; do
		busy=0.05
		wild=1
		if [ "$rep" = 4 ]; then busy=0.9 wild=5; fi
		k=0
		for row in "nfdns 1000 12" "nfdns 1000000 13" "nfdns_ct 1000000 13.15" \
			"nfdns_rrl 1000000 14.5" "unbound 1000000 25" "dnsdist 1000000 16" "floor 1000000 10"; do
			set -- $row
			k=$((k + 1))
			cpu=$(awk -v c="$3" -v j="$(((rep * 7 + k * 3) % 5 - 2))" -v w="$wild" -v s="$1" \
				'BEGIN { if (w > 1 && s != "floor") c *= w; printf "%.3f", c + j * 0.02 }')
			jq -nc --arg s "$1" --argjson n "$2" --argjson rep "$rep" --argjson cpu "$cpu" --argjson busy "$busy" \
				'{kind: "run", server: $s, n: $n, rep: $rep, qps: 1000, sent: 30000, answered: 30000, lost: 0,
				  cpu_s_per_million: $cpu, cpu_s_per_million_full_speed: ($cpu / 2), p50_us: 300, p99_us: 900, lat_lost: 0, upstream: 0,
				  server_busy_split_s: {user: 0.1, system: 0.2, softirq: 0.3}, host_other_cpus: $busy}'
		done
		for e in 1000 4000000; do
			for op in "empty 20" "lookup 50" "hook 70"; do
				set -- $op
				ns=$(awk -v v="$2" -v e="$e" -v w="$wild" 'BEGIN { printf "%.1f", v * (e > 1000 ? 1.5 : 1) * w }')
				echo "{\"kind\":\"micro\",\"rep\":$rep,\"entries\":$e,\"cpus\":1,\"op\":\"$1\",\"ns_per_op\":$ns}"
			done
			echo "{\"kind\":\"micro\",\"rep\":$rep,\"entries\":$e,\"cpus\":2,\"speedup\":1.9}"
		done
	done
} >"$work/runs.jsonl"
echo '{"date":"2026-01-01T00:00:00Z","make_bench_wall_s":60}' >"$work/host.json"

if ! out=$(python3 "$top/scripts/bench/report.py" "$work/runs.jsonl" "$work" "$work/host.json" --busy-max 0.25 2>&1); then
	tap_fail "report.py runs" "$out"
	tap_done
	exit 1
fi
tap_ok "report.py runs"
j=$work/latest.json
# jq_is DESC FILTER: ok when FILTER yields true on latest.json.
jq_is() { tap_check "$1" jq -e "$2" "$j"; }

jq_is "round 4, on a busy host, is dropped and the others kept" \
	'.meta.rounds_dropped == [{"round": 4, "host_other_cpus": 0.9}] and .meta.rounds_kept == [1, 2, 3, 5, 6]'
# near X Y: |X - Y| < 0.05, in jq.
jq_is "the floor's median is that of the kept rounds, without the wild one" \
	'(.servers[] | select(.server == "floor") | .cpu_s_per_million.median) as $m | $m >= 9.96 and $m <= 10.04'
jq_is "the kernel's rows are costed at full speed, userspace ones at the fixed rate" \
	'[.servers[] | select(.server == "nfdns_ct" or .server == "unbound") | .cost_measured] == ["full speed", "fixed rate"]'
jq_is "every interval holds its median, and is not a point" \
	'[.servers[] | .cpu_s_per_million | .ci95[0] <= .median and .median <= .ci95[1] and .ci95[0] < .ci95[1]] | all'
jq_is "nfdns's cost above the floor at 1M entries: about 1.5" \
	'(.servers[] | select(.server == "nfdns" and .n == 1000000) | .cost_above_floor.median) as $m | $m > 1.45 and $m < 1.55'
goal() { echo ".goals[] | select(.goal | test(\"$1\"))"; }
jq_is "the Unbound goal is judged at the dearest size (1M), ratio about 10, met" \
	"$(goal Unbound) | (.goal | test(\"1M\")) and .ratio.median > 9.5 and .ratio.median < 10.5 and .met"
jq_is "the dnsdist goal: ratio about 4, its interval reaching below 4: not met" \
	"$(goal dnsdist) | .ratio.median > 3.8 and .ratio.median < 4.2 and .ratio.ci95[0] < 4 and (.met | not)"
jq_is "conntrack adds about 5%: met on the interval's upper bound" \
	"$(goal conntrack) | .ratio.median > 1.02 and .ratio.ci95[1] <= 1.1 and .met"
jq_is "the rate limit adds about 50%: not met" \
	"$(goal 'rate limit') | .ratio.median > 1.4 and (.met | not)"
jq_is "the hook costs 3.5x an empty hook at its dearest size: not met" \
	"$(goal 'empty hook') | .ratio.median == 3.5 and (.goal | test(\"4M\")) and (.met | not)"
jq_is "scaling over CPUs is reported" \
	'.scaling | length == 2 and all(.speedup.median == 1.9)'
tap_check "latest.md says which round was dropped" grep -q 'Dropped, the host busy outside the VM: round 4' "$work/latest.md"
tap_check "latest.svg and micro.svg are drawn" test -s "$work/latest.svg" -a -s "$work/micro.svg"

# Every round busy: no figures rather than figures from a busy host.
jq -c 'if .kind == "run" then .host_other_cpus = 1.5 else . end' "$work/runs.jsonl" >"$work/busy.jsonl"
mkdir -p "$work/busy"
if python3 "$top/scripts/bench/report.py" "$work/busy.jsonl" "$work/busy" "$work/host.json" >"$work/busy.out" 2>&1; then
	tap_fail "a run with every round on a busy host is refused"
else
	tap_check "a run with every round on a busy host is refused, saying why" grep -q 'busy host' "$work/busy.out"
fi

tap_work_done "$work"
tap_done
