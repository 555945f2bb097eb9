#!/bin/bash
# Inside the VM (scripts/bench-ttl.sh boots it): how often a client waits
# for an upstream resolution when names have short TTLs, per setup, each
# from a cold cache and each after the previous one has stopped.
#
# Three namespaces: the client (dnsperf), this one (the resolvers and the
# module) and the authoritative one (NSD: a root zone and bench., whose
# names t<i>.ttl.bench. A have TTLs drawn from TTL_MIN..TTL_MAX).  NSD's
# end of its veth delays every packet by DELAY_MS (netem), so that an
# answer that waited for NSD is told by its latency (>= THRESHOLD_MS).  An
# nft counter there counts the upstream queries.  dnsperf asks the names
# in a Zipf order at a fixed rate; each answer's latency (-v) is stamped
# with the time it came.  Each setup prints one line
#   BENCH-TTL {json}
# for the host (scripts/bench/ttl-report.sh), and a line for people.
#
#   ttl-guest.sh MODDIR        settings: NFDNS_BENCH_TTL_* (see scripts/bench-ttl.sh)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/netns.sh"
. "$top/tests/lib/unbound.sh"

moddir=${1:?usage: ttl-guest.sh MODDIR}
n=${NFDNS_BENCH_TTL_NAMES:-100000}
ttl_min=${NFDNS_BENCH_TTL_MIN:-20}
ttl_max=${NFDNS_BENCH_TTL_MAX:-120}
zipf_s=${NFDNS_BENCH_TTL_ZIPF:-0.9}
seed=${NFDNS_BENCH_TTL_SEED:-1}
qps=${NFDNS_BENCH_TTL_QPS:-200}
seconds=${NFDNS_BENCH_TTL_SECONDS:-300}
delay_ms=${NFDNS_BENCH_TTL_DELAY_MS:-30}
threshold_ms=${NFDNS_BENCH_TTL_THRESHOLD_MS:-25}
bucket=${NFDNS_BENCH_TTL_BUCKET:-10}
setups=${NFDNS_BENCH_TTL_SETUPS:-nfdns-prefetch-off nfdns-prefetch-on nfdns-prefetch-10pct unbound-prefetch unbound-prefetch-serve-expired dnsdist-unbound}

nfdnsctl=$top/userspace/nfdnsctl/nfdnsctl
nfdnsd_bin=$top/userspace/nfdnsd/nfdnsd
work=$(mktemp -d /tmp/nfdns-bench-ttl.XXXXXX)
cli=tcli auth=tauth
client_addr=198.18.1.2
nfdns_addr=198.18.1.1 unbound_addr=198.18.1.12 dd_unbound_addr=198.18.1.13 dnsdist_addr=198.18.1.14
root_ns=198.18.2.53 bench_ns=198.18.2.54
declare -A pid=()

cleanup() {
	trap '' INT TERM
	local p
	for p in "${pid[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	ns_cleanup
	rmmod nfdns 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t_start=$(date +%s)
say() { printf '[%4ds] %s\n' $(($(date +%s) - t_start)) "$*"; }
die() {
	say "error: $*" >&2
	exit 1
}

# ---- names, queries, authoritative servers ------------------------------------

# The zone and the query file, from one seed: TTLs uniform in
# TTL_MIN..TTL_MAX, queries Zipf(s) over the names (t0 the most asked),
# QPS * SECONDS of them plus a margin.
python3 - "$work" "$n" "$ttl_min" "$ttl_max" "$zipf_s" "$seed" $((qps * seconds * 11 / 10)) "$bench_ns" <<'EOF'
import itertools, random, sys
work, n, lo, hi, s, seed, m, ns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
rng = random.Random(seed)
with open(work + "/bench.zone", "w") as z:
    z.write("$TTL 86400\n@ SOA ns1 hostmaster 1 1800 900 604800 60\n@ NS ns1\nns1 A %s\n" % ns)
    for i in range(n):
        z.write("t%d.ttl %d A 192.0.2.1\n" % (i, rng.randint(lo, hi)))
cum = list(itertools.accumulate(k ** -s for k in range(1, n + 1)))
with open(work + "/queries", "w") as q:
    q.writelines("t%d.ttl.bench A\n" % i for i in rng.choices(range(n), cum_weights=cum, k=m))
EOF
cat >"$work/root.zone" <<EOF
\$TTL 86400
. SOA a.root-servers.test. hostmaster.root-servers.test. 1 1800 900 604800 86400
. NS a.root-servers.test.
bench. NS ns1.bench.
ns1.bench. A $bench_ns
a.root-servers.test. A $root_ns
EOF
printf '.\t3600000\tNS\ta.root-servers.test.\na.root-servers.test.\t3600000\tA\t%s\n' "$root_ns" >"$work/root.hints"
# What a run asks: distinct names, and the queries that are a name's first.
distinct=$(head -n $((qps * seconds)) "$work/queries" | sort -u | wc -l)

# NSD's namespace, behind a veth that delays what leaves it by DELAY_MS.
ns_add $auth || die "cannot create the authoritative namespace"
ns_add $cli || die "cannot create the client namespace"
ip link add tres type veth peer name tauthv netns $auth
ip addr add 198.18.2.1/24 dev tres
ip link set tres up
for a in 198.18.2.2 $root_ns $bench_ns; do
	ip -n $auth addr add $a/24 dev tauthv
done
ip -n $auth link set tauthv up
modprobe sch_netem || die "no sch_netem module for $(uname -r)"
ip netns exec $auth tc qdisc add dev tauthv root netem delay "${delay_ms}ms" limit 100000 ||
	die "cannot put netem on NSD's veth"
# Upstream queries, counted where they arrive.
ip netns exec $auth nft -f - <<-EOF
	table inet ttl_auth {
		counter upstream { }
		chain in { type filter hook input priority 0; policy accept; udp dport 53 counter name "upstream"; }
	}
EOF
upstream() { ip netns exec $auth nft -j list counter inet ttl_auth upstream | jq '.nftables[] | select(.counter) | .counter.packets'; }

say "starting NSD with $n names in bench."
nsd_start $auth "$work/nsd-root" . "$work/root.zone" $root_ns || die "NSD for the root did not start"
nsd_start $auth "$work/nsd-bench" bench "$work/bench.zone" $bench_ns ||
	wait_for 300 ip netns exec $auth dig +time=1 +tries=1 +norecurse @$bench_ns bench SOA ||
	die "NSD for bench. did not start: $(tail -3 "$work/nsd-bench/nsd.log")"
dig +time=5 +tries=2 +norecurse @$bench_ns "t$((n - 1)).ttl.bench" A | grep -q '192\.0\.2\.1' ||
	die "NSD does not serve the whole bench. zone"
rtt=$(ping -c 3 -i 0.3 -q $bench_ns | awk -F/ '/^rtt/ { print $5 }')
say "NSD answers over a delayed path: ping rtt $rtt ms ($(ip netns exec $auth tc qdisc show dev tauthv | head -1))"

# The client's namespace; every resolver listens here, on its own address.
ip link add tsrv type veth peer name tcliv netns $cli
ip addr add $nfdns_addr/24 dev tsrv
for a in $unbound_addr $dd_unbound_addr $dnsdist_addr; do
	ip addr add $a/32 dev tsrv
done
ip link set tsrv up
ip -n $cli addr add $client_addr/24 dev tcliv
ip -n $cli link set tcliv up
ip netns exec $cli ping -c1 -W5 $nfdns_addr >/dev/null || die "no path over the client veth"
sysctl -qw net.core.rmem_default=4194304 net.core.rmem_max=4194304

if dmesg | grep -q 'Hypervisor detected: KVM'; then accel=kvm; else accel=tcg; fi
jq -nc --arg kernel "$(uname -r)" --argjson cpus "$(nproc)" --arg accel "$accel" \
	--argjson mem_mib "$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)" \
	--arg dnsperf "$(dnsperf -h 2>&1 | awk '/^Version/ { print $2 }')" \
	--arg unbound "$(unbound -V | awk '/^Version/ { print $2 }')" \
	--arg dnsdist "$(dnsdist --version | awk 'NR == 1 { print $2 }')" \
	--arg nsd "$(nsd -v 2>&1 | awk 'NR == 1 { print $3 }')" \
	--argjson names "$n" --argjson ttl_min "$ttl_min" --argjson ttl_max "$ttl_max" \
	--argjson zipf_s "$zipf_s" --argjson seed "$seed" --argjson qps "$qps" --argjson seconds "$seconds" \
	--argjson delay_ms "$delay_ms" --argjson threshold_ms "$threshold_ms" --argjson bucket_s "$bucket" \
	--argjson distinct "$distinct" --arg rtt "$rtt" \
	'{kind: "meta", kernel: $kernel, cpus: $cpus, accel: $accel, mem_mib: $mem_mib,
	  names: $names, ttl_min: $ttl_min, ttl_max: $ttl_max, zipf_s: $zipf_s, seed: $seed,
	  qps: $qps, seconds: $seconds, delay_ms: $delay_ms, threshold_ms: $threshold_ms, bucket_s: $bucket_s,
	  distinct_names_asked: $distinct, auth_ping_rtt_ms: ($rtt | tonumber? // null),
	  versions: {dnsperf: $dnsperf, unbound: $unbound, dnsdist: $dnsdist, nsd: $nsd}}' |
	sed 's/^/BENCH-TTL /'

# ---- the setups ------------------------------------------------------------------

# stop_pid NAME: stop one started process and wait until it has exited.
stop_pid() {
	kill "${pid[$1]}" 2>/dev/null || true
	timeout 30 tail --pid="${pid[$1]}" -f /dev/null || kill -9 "${pid[$1]}" 2>/dev/null || true
	wait "${pid[$1]}" 2>/dev/null || true
	unset "pid[$1]"
}

start_unbound() { # NAME ADDR OPTION...
	local name=$1 a=$2
	shift 2
	unbound_conf "$work/$name" "$a" 198.18.0.0/15 "$work/root.hints" \
		"num-threads: 2" "so-reuseport: yes" "do-ip6: no" \
		"msg-cache-size: 128m" "rrset-cache-size: 256m" "cache-min-ttl: 0" "$@" >"$work/$name.conf"
	mkdir -p "$work/$name"
	unbound -d -c "$work/$name.conf" >"$work/$name.out" 2>&1 &
	pid[$name]=$!
}

start_dnsdist() {
	cat >"$work/dnsdist.conf" <<-EOF
	setLocal("$dnsdist_addr:53", {reusePort=true})
	addLocal("$dnsdist_addr:53", {reusePort=true})
	addACL("198.18.0.0/15")
	setSecurityPollSuffix("")
	newServer({address="$dd_unbound_addr:53", checkName="bench.", checkType="SOA", checkInterval=60})
	pc = newPacketCache($((n * 2)), {maxTTL=86400, minTTL=0, numberOfShards=16})
	getPool(""):setCache(pc)
	EOF
	dnsdist --supervised --disable-syslog -C "$work/dnsdist.conf" >"$work/dnsdist.log" 2>&1 &
	pid[dnsdist]=$!
}

# nfdns with prefetch_pct=PCT (and prefetch_adaptive=no with a second
# argument no): the module, nfdnsd registered as its
# resolver with a cache of its own that keeps a name no longer than its TTL
# (nfdnsd serves nothing stale; the module's serve_stale is 0).  A module
# without the prefetch_pct setting is run as it is, with a note.
start_nfdns() {
	insmod "$moddir/nfdns.ko"
	"$nfdnsctl" config max_entries=$((n + 10000)) max_bytes=256M clients=any rrl_rate=0 \
		serve_stale=0 min_ttl=0 >/dev/null
	if "$nfdnsctl" config --json | jq -e 'has("prefetch_pct")' >/dev/null; then
		"$nfdnsctl" config prefetch_pct="$1" >/dev/null || die "nfdnsctl config prefetch_pct=$1 failed"
		if [ "${2:-}" = no ]; then
			"$nfdnsctl" config prefetch_adaptive=no >/dev/null || die "nfdnsctl config prefetch_adaptive=no failed"
		fi
		prefetch_pct=$1
		prefetch_adaptive=$("$nfdnsctl" config --json | jq 'if has("prefetch_adaptive") then .prefetch_adaptive else null end')
	else
		prefetch_pct=null
		note="this module has no prefetch_pct setting: run without prefetch"
		say "note: $note"
	fi
	"$nfdnsd_bin" --config /dev/null --dnssec-validation no --root-hints "$work/root.hints" \
		--listen none --control-socket none --do-not-query-localhost no --qname-minimisation no \
		--cache-size $((n * 2)) --kernel-min-ttl 0 >"$work/nfdnsd.$1.log" 2>&1 &
	pid[nfdnsd]=$!
	wait_for 30 eval '"$nfdnsctl" status --json | jq -e ".resolver.port > 0"' || die "nfdnsd did not register"
}
stop_nfdns() {
	stop_pid nfdnsd
	rmmod nfdns
}

# kstats: the module's counters this bench reports (prefetches and
# prefetch_errors when the module has them).
kstats() {
	"$nfdnsctl" stats --json | jq -c 'with_entries(select(.key | IN("hits", "misses", "upcalls",
		"coalesced", "servfails", "stale_answers", "entries", "prefetches", "prefetch_errors")))'
}

# setup_start NAME: start the setup; sets addr, where it answers.
setup_start() {
	case $1 in
	nfdns-prefetch-off) start_nfdns 0; addr=$nfdns_addr ;;
	nfdns-prefetch-on) start_nfdns 10; addr=$nfdns_addr ;;
	nfdns-prefetch-10pct) start_nfdns 10 no; addr=$nfdns_addr ;;
	unbound-prefetch) start_unbound unbound $unbound_addr "prefetch: yes" "serve-expired: no"; addr=$unbound_addr ;;
	unbound-prefetch-serve-expired)
		start_unbound unbound $unbound_addr "prefetch: yes" "serve-expired: yes"; addr=$unbound_addr ;;
	dnsdist-unbound)
		start_unbound dd-unbound $dd_unbound_addr "prefetch: yes" "serve-expired: no"
		start_dnsdist; addr=$dnsdist_addr ;;
	*) die "unknown setup: $1" ;;
	esac
}
setup_stop() {
	case $1 in
	nfdns-*) stop_nfdns ;;
	unbound-*) stop_pid unbound ;;
	dnsdist-unbound) stop_pid dnsdist; stop_pid dd-unbound ;;
	esac
}

# analyse FILE RUN_S: the stamped dnsperf -v output as JSON fields: waited
# (latency >= THRESHOLD_MS, or lost), the same among queries for a name
# asked before, p50 and p99 (a lost query counts as slower than every
# answer; null when more than 1% are lost), answers near the threshold
# (THRESHOLD/2 up to it: few, when hits and waits are told apart), and per
# BUCKET seconds the queries and the waited ones.
analyse() {
	awk -v thr="$threshold_ms" -v b="$bucket" -v secs="$2" -v lat="$1.lat" '
		$2 != ">" { next }
		{ lost = ($3 == "T" || $3 == "I"); w = lost || $NF * 1000 >= thr
		  k = int($1 / b); if (k >= nb) k = nb - 1; q[k]++; wq[k] += w
		  n++; waited += w; lostn += lost
		  if (seen[$4]++) { rep++; wrep += w }
		  if (!lost) { print $NF > lat; if ($3 != "NOERROR") err++
			if ($NF * 1000 >= thr / 2 && $NF * 1000 < thr) near++ } }
		BEGIN { nb = int((secs + b - 1) / b) }
		END { printf "{\"responses\":%d,\"waited\":%d,\"lost_v\":%d,\"repeat\":%d,\"waited_repeat\":%d,\"not_noerror\":%d,\"near_threshold\":%d,\"series\":[",
			n, waited, lostn, rep, wrep, err, near
		  for (k = 0; k < nb; k++) printf "%s{\"t\":%d,\"queries\":%d,\"waited\":%d}", k ? "," : "", k * b, q[k], wq[k]
		  print "]}" }' "$1" >"$1.json"
	sort -g "$1.lat" | awk -v lost="$(jq .lost_v "$1.json")" '
		{ v[NR] = $1 }
		function pct(p,   k, tot) {
			tot = NR + lost; k = int(tot * p); if (k < tot * p) k++; if (k < 1) k = 1
			return k <= NR ? sprintf("%.0f", v[k] * 1e6) : "null"
		}
		END { printf "{\"p50_us\":%s,\"p99_us\":%s}\n", NR ? pct(0.5) : "null", NR ? pct(0.99) : "null" }' >"$1.pct"
	jq -c -s 'add' "$1.json" "$1.pct"
}
# Busy CPU time of the whole VM so far, in hundredths of a second: the
# time elapsed on every CPU less their idle time (as scripts/bench/guest.sh).
ncpus=$(nproc)
busy_ticks() { awk -v n="$ncpus" '{ printf "%d\n", ($1 * n - $2) * 100 + 0.5 }' /proc/uptime; }
dnsperf_field() {
	awk -v k="$2" 'i = index($0, k) { split(substr($0, i + length(k)), f, " "); print f[1] + 0; exit }' "$1"
}

# unbound_prefetches NAME: the prefetches an Unbound has made so far.
unbound_prefetches() {
	timeout 20 unbound-control -c "$work/$1.conf" stats_noreset 2>/dev/null |
		awk -F= '$1 == "total.num.prefetch" { print $2 }'
}

# run_setup NAME: cold start, one dnsperf run of SECONDS at QPS, stop.
run_setup() {
	local s=$1 out=$work/run.$1 addr up0 up1 b0 b1 k0=null k1=null ub_pf="" prefetch_adaptive=null prefetch_pct=null note="" figs
	say "$s: starting"
	setup_start "$s"
	wait_for 60 eval "ip netns exec $cli dig +time=1 +tries=1 @$addr bench SOA | grep -q 'status: NOERROR'" ||
		die "$s does not answer on $addr"
	[[ $s == nfdns-* ]] && k0=$(kstats)
	up0=$(upstream)
	b0=$(busy_ticks)
	timeout $((seconds + 90)) ip netns exec $cli stdbuf -oL dnsperf -s "$addr" -d "$work/queries" \
		-l "$seconds" -Q "$qps" -c 2 -T 1 -q 500 -t 5 -v 2>&1 |
		python3 -u -c '
import sys, time
t0 = time.monotonic()
for l in sys.stdin:
    sys.stdout.write("%.3f %s" % (time.monotonic() - t0, l))' >"$out" ||
		die "dnsperf against $s: $(tail -3 "$out")"
	b1=$(busy_ticks)
	up1=$(upstream)
	[[ $s == nfdns-* ]] && k1=$(kstats)
	case $s in
	unbound-*) ub_pf=$(unbound_prefetches unbound || true) ;;
	dnsdist-unbound) ub_pf=$(unbound_prefetches dd-unbound || true) ;;
	esac
	setup_stop "$s"
	figs=$(analyse "$out" "$seconds")
	jq -nc --arg setup "$s" --argjson figs "$figs" \
		--argjson sent "$(dnsperf_field "$out" 'Queries sent:')" \
		--argjson answered "$(dnsperf_field "$out" 'Queries completed:')" \
		--argjson lost "$(dnsperf_field "$out" 'Queries lost:')" \
		--argjson run_s "$(dnsperf_field "$out" 'Run time (s):')" \
		--argjson busy $((b1 - b0)) \
		--argjson upstream $((up1 - up0)) --argjson k0 "$k0" --argjson k1 "$k1" \
		--argjson prefetch_pct "$prefetch_pct" --arg note "$note" --arg ub_pf "$ub_pf" \
		--argjson prefetch_adaptive "$prefetch_adaptive" \
		'{kind: "setup", setup: $setup, sent: $sent, answered: $answered, lost: $lost, run_s: $run_s,
		  waited: $figs.waited, waited_frac: (if $sent > 0 then $figs.waited / $sent else null end),
		  repeat_queries: $figs.repeat,
		  waited_repeat_frac: (if $figs.repeat > 0 then $figs.waited_repeat / $figs.repeat else null end),
		  p50_us: $figs.p50_us, p99_us: $figs.p99_us, not_noerror: $figs.not_noerror,
		  near_threshold: $figs.near_threshold,
		  upstream: $upstream, upstream_qps: (if $run_s > 0 then $upstream / $run_s * 10 | round / 10 else null end),
		  vm_busy_cpus: (if $run_s > 0 then $busy / $run_s | round / 100 else null end),
		  prefetch_pct: $prefetch_pct, prefetch_adaptive: $prefetch_adaptive, unbound_prefetches: ($ub_pf | tonumber? // null), note: (if $note == "" then null else $note end),
		  kernel_before: $k0, kernel_after: $k1, series: $figs.series}' >"$out.result"
	sed 's/^/BENCH-TTL /' "$out.result"
	say "$(jq -r '"\(.setup): \(.sent) sent, \(.lost) lost, \(.waited_frac * 1000 | round / 10)% waited (\((.waited_repeat_frac // 0) * 1000 | round / 10)% of repeats), p50 \(.p50_us) us, p99 \(.p99_us) us, \(.upstream_qps) upstream qps, VM \(.vm_busy_cpus) CPUs busy" + (if .kernel_after then ", kernel \(.kernel_after)" else "" end)' "$out.result")"
}

for s in $setups; do
	run_setup "$s"
	sleep 2
done
say "done"
