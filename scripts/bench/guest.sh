#!/bin/bash
# Inside the VM (scripts/bench.sh boots it): the hit path of nfdns against
# its peers, one server at a time, with the same clients throughout, and
# the hit path's own cost from a kernel microbenchmark.
#
# A client namespace asks over a veth pair of this namespace, where the
# servers listen, each on its own address of the veth, and where the module
# hooks.  The VM's CPUs are split: the server's CPU (0) does the server's
# work and nothing else (receive packet steering sends every packet that
# reaches the server end of the veth there, and every userspace server is
# pinned to it), the client's CPU (the last) runs the clients.  The busy
# time of the server's CPU per answer is then the server's cost, whatever
# the client costs; the floor (no server: an nftables rule turns each query
# around at the veth) is what a packet in and a packet out cost there.
#
# The client that measures is kxdpgun (Knot's AF_XDP generator, native XDP
# on the veth), which costs the client's CPU little per query; dnsperf
# remains for the latency percentiles, which kxdpgun does not give.
#
# The names are NSD's: a root zone and a zone bench. holding h<i>.bench.
# 86400 A 192.0.2.1, on loopback addresses.  Every cache is warm before it
# is measured: the query file went through it once.  For nfdns the
# responses nfdnsd would push are pushed with CACHE_PUT instead
# (tests/selftests/nfdns_fill), which takes seconds where resolving a
# million names takes a quarter of an hour under TCG; the first round
# checks that such an entry answers exactly as one nfdnsd stored, and a
# sample of names against NSD.  NFDNS_BENCH_FILL_ABOVE=N sends sizes up to
# N through nfdnsd instead.
#
# One measurement of one server is three runs: kxdpgun at full speed (the
# answers per second one server CPU gives), kxdpgun at a fixed rate that
# every server keeps up with (the server CPU per answer), and dnsperf at a
# low fixed rate, verbose, whose per-answer latencies give p50 and p99.
# Each measurement prints one line
#   BENCH-RUN {json}
# for the host to aggregate (scripts/bench/report.py), and a line for
# people.  The host's load outside the VM during each measurement comes
# from scripts/bench/hostload.sh, through the VM's run directory.
#
#   guest.sh MODDIR        settings: NFDNS_BENCH_* (see scripts/bench.sh)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/netns.sh"
. "$top/tests/lib/unbound.sh"

moddir=${1:?usage: guest.sh MODDIR}
n_peer=${NFDNS_BENCH_N:-100000}
sizes=${NFDNS_BENCH_NFDNS_SIZES:-1000 100000 1000000}
servers=${NFDNS_BENCH_SERVERS:-nfdns nfdnsd unbound dnsmasq dnsdist floor}
repeats=${NFDNS_BENCH_REPEATS:-5}
tput_seconds=${NFDNS_BENCH_TPUT_SECONDS:-5}
gun_max=${NFDNS_BENCH_GUN_QPS:-2000000}
seconds=${NFDNS_BENCH_SECONDS:-10}
rate=${NFDNS_BENCH_RATE:-3000}
lat_qps=${NFDNS_BENCH_LAT_QPS:-500}
lat_seconds=${NFDNS_BENCH_LAT_SECONDS:-5}
fill_above=${NFDNS_BENCH_FILL_ABOVE:-0}
clients=${NFDNS_BENCH_CLIENTS:-2}
threads=${NFDNS_BENCH_THREADS:-1}
outstanding=${NFDNS_BENCH_OUTSTANDING:-200}
warm_limit=${NFDNS_BENCH_WARM_LIMIT:-900}
block_names=${NFDNS_BENCH_BLOCK_NAMES:-200000}
micro_sizes=${NFDNS_BENCH_MICRO_SIZES-1000 100000 1000000 4000000}
micro_ops=${NFDNS_BENCH_MICRO_OPS:-100000}
micro_passes=${NFDNS_BENCH_MICRO_PASSES:-5}

sel=$top/tests/selftests
ctl=$sel/nfdns_testctl
nfdnsd_bin=$top/userspace/nfdnsd/nfdnsd
work=$(mktemp -d /tmp/nfdns-bench.XXXXXX)
cli=bcli
# Client and server ends of the veth.  Each server has its own address, so
# that the warm ones can stay up while another is measured.
client_addr=198.18.1.2
declare -A addr=(
	[nfdns]=198.18.1.1 [nfdnsd]=198.18.1.11 [unbound]=198.18.1.12
	[dnsmasq]=198.18.1.13 [dnsdist]=198.18.1.14 [floor]=198.18.1.15
	[nfdns_ct]=198.18.1.1 [nfdns_rrl]=198.18.1.1 [nfdns_block]=198.18.1.1
)
root_ns=127.53.0.1
bench_ns=127.53.9.1
declare -A pid=()

cleanup() {
	trap '' INT TERM
	local p
	for p in "${pid[@]}"; do
		kill -CONT "$p" 2>/dev/null || true
		kill "$p" 2>/dev/null || true
	done
	ns_cleanup
	nft delete table netdev nfdns_bench 2>/dev/null || true
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
has() { [[ " $servers " == *" $1 "* ]]; }

# nfdns is compared with the peers at their N: it is always one of its sizes.
[[ " $sizes " == *" $n_peer "* ]] || sizes="$sizes $n_peer"

# The server's CPU and the client's: see above.
ncpus=$(nproc)
[ "$ncpus" -ge 2 ] || die "the bench needs 2 CPUs (one for the server, one for the clients), not $ncpus"
server_cpu=0
client_cpu=$((ncpus - 1))
# Everything this script starts runs on the client's CPU (NSD, nfdnsd as the
# module's resolver, the tools), unless it is the server being measured.
taskset -cp "$client_cpu" $$ >/dev/null

# The run's metadata, for the results.
if dmesg | grep -q 'Hypervisor detected: KVM'; then accel=kvm; else accel=tcg; fi
[ -n "${NFDNS_BENCH_ICOUNT:-}" ] && accel="tcg with -icount shift=$NFDNS_BENCH_ICOUNT (CPU time counts instructions)"
jq -nc --arg kernel "$(uname -r)" --argjson cpus "$(nproc)" --arg accel "$accel" \
	--argjson mem_mib "$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)" \
	--arg dnsperf "$(dnsperf -h 2>&1 | awk '/^Version/ { print $2 }')" \
	--arg kxdpgun "$(kxdpgun -V 2>&1 | awk '{ print $NF; exit }')" \
	--arg unbound "$(unbound -V | awk '/^Version/ { print $2 }')" \
	--arg dnsmasq "$(dnsmasq --version | awk 'NR == 1 { print $3 }')" \
	--arg dnsdist "$(dnsdist --version | awk 'NR == 1 { print $2 }')" \
	--arg nsd "$(nsd -v 2>&1 | awk 'NR == 1 { print $3 }')" \
	--argjson n "$n_peer" --arg sizes "$sizes" --argjson repeats "$repeats" \
	--argjson seconds "$seconds" --argjson lat_qps "$lat_qps" --argjson lat_seconds "$lat_seconds" \
	--argjson tput_seconds "$tput_seconds" --argjson rate "$rate" --argjson gun_max "$gun_max" \
	--argjson server_cpu "$server_cpu" --argjson client_cpu "$client_cpu" \
	--argjson clients "$clients" --argjson threads "$threads" --argjson outstanding "$outstanding" \
	--argjson fill_above "$fill_above" \
	'{kernel: $kernel, cpus: $cpus, accel: $accel, mem_mib: $mem_mib, n: $n,
	  nfdns_sizes: ($sizes | split(" ") | map(select(length > 0) | tonumber)), repeats: $repeats,
	  seconds: $seconds, latency_qps: $lat_qps, latency_seconds: $lat_seconds,
	  tput_seconds: $tput_seconds, rate: $rate, gun_max: $gun_max,
	  server_cpu: $server_cpu, client_cpu: $client_cpu, kxdpgun: $kxdpgun,
	  dnsperf: {version: $dnsperf, clients: $clients, threads: $threads, outstanding: $outstanding},
	  fill_above: $fill_above,
	  versions: {unbound: $unbound, dnsmasq: $dnsmasq, dnsdist: $dnsdist, nsd: $nsd}}' |
	sed 's/^/BENCH-META /'

# ---- names and authoritative servers -----------------------------------------

max_n=$n_peer
for n in $sizes; do
	[ "$n" -gt "$max_n" ] && max_n=$n
done
has nfdns || max_n=$n_peer

# One address for every name: the responses are then exactly those that
# tests/selftests/nfdns_fill pushes (42 bytes for h<i>.bench. A).
awk -v n="$max_n" -v ns="$bench_ns" 'BEGIN {
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
printf '.\t3600000\tNS\ta.root-servers.test.\na.root-servers.test.\t3600000\tA\t%s\n' "$root_ns" >"$work/root.hints"
awk -v n="$max_n" 'BEGIN { for (i = 0; i < n; i++) printf "h%d.bench A\n", i }' >"$work/queries.all"
queries() {
	[ -s "$work/queries.$1" ] || head -n "$1" "$work/queries.all" >"$work/queries.$1"
	echo "$work/queries.$1"
}

ip addr add $root_ns/32 dev lo
ip addr add $bench_ns/32 dev lo
say "starting NSD with $max_n names in bench."
nsd_start "" "$work/nsd-root" . "$work/root.zone" $root_ns || die "NSD for the root did not start"
# A zone of a million names takes NSD a while to load under TCG.
nsd_start "" "$work/nsd-bench" bench "$work/bench.zone" $bench_ns ||
	wait_for 600 dig +time=1 +tries=1 +norecurse @$bench_ns bench SOA ||
	die "NSD for bench. did not start: $(tail -3 "$work/nsd-bench/nsd.log")"
dig +time=5 +tries=2 +norecurse @$bench_ns "h$((max_n - 1)).bench" A | grep -q '192\.0\.2\.1' ||
	die "NSD does not serve the whole bench. zone"

# ---- client namespace and veth ------------------------------------------------

ns_add $cli || die "cannot create the client namespace"
ip link add bsrv type veth peer name bcli netns $cli
ip addr add 198.18.1.1/24 dev bsrv
for s in nfdnsd unbound dnsmasq dnsdist floor; do
	ip addr add "${addr[$s]}/32" dev bsrv
done
ip link set bsrv up
ip -n $cli addr add $client_addr/24 dev bcli
ip -n $cli link set bcli up
ip netns exec $cli ping -c1 -W5 198.18.1.1 >/dev/null || die "no path over the veth"
# Every packet into the server end is handled on the server's CPU; every
# packet into the client's end (one kxdpgun does not take with XDP) on the
# client's.  Both are one-queue devices: rx-0 is all of them.
printf '%x' $((1 << server_cpu)) >/sys/class/net/bsrv/queues/rx-0/rps_cpus
ip netns exec $cli sh -c "printf '%x' $((1 << client_cpu)) >/sys/class/net/bcli/queues/rx-0/rps_cpus"
cli_mac=$(ip netns exec $cli cat /sys/class/net/bcli/address)
srv_mac=$(cat /sys/class/net/bsrv/address)
# dnsperf opens with a burst of every query it may have in flight; with the
# default receive buffer a userspace server drops part of it.  The module
# has no socket; the others get room for the burst.
sysctl -qw net.core.rmem_default=4194304 net.core.rmem_max=4194304

# ---- measuring ------------------------------------------------------------------

clk_tck=$(getconf CLK_TCK)
# Busy time of the whole VM so far, in hundredths of a second: the time
# elapsed on every CPU less their idle time (to tell when the VM is idle).
busy_ticks() { awk -v n="$ncpus" '{ printf "%d\n", ($1 * n - $2) * 100 + 0.5 }' /proc/uptime; }
busy_hz=100
# The server CPU's busy time so far, "busy user system softirq" in clock
# ticks.  The kernel takes a CPU's idle time exactly, at each idle entry
# and exit, and /proc/stat gives it rounded to the tick: busy is all but
# idle (and iowait).  The split, sampled at the tick (nice in user, irq in
# softirq), only tells where the time goes.
server_ticks() {
	awk -v c="cpu$server_cpu" '$1 == c { t = 0; for (i = 2; i <= NF; i++) t += $i
		print t - $5 - $6, $2 + $3, $4, $7 + $8 }' /proc/stat
}
# UDP datagrams dropped on full receive buffers in a namespace ("" = here).
rcvbuf_errors() {
	ns_exec "$1" awk '$1 == "Udp:" && !h { h = 1; next } $1 == "Udp:" { print $6 }' /proc/net/snmp
}
# dnsperf_field FILE LABEL: the number after LABEL in a dnsperf summary.
dnsperf_field() {
	awk -v k="$2" 'i = index($0, k) { split(substr($0, i + length(k)), f, " "); print f[1] + 0; exit }' "$1"
}

# json_num VALUE: VALUE if it is a number, else null.
json_num() { if [[ $1 =~ ^-?[0-9]+([.][0-9]+)?$ ]]; then echo "$1"; else echo null; fi; }

# dnsperf_run LIMIT OUT ARGS...: dnsperf in the client namespace, on the
# client's CPU, for at most LIMIT seconds (-l), killed if it overstays that
# by a minute.
dnsperf_run() {
	local limit=$1 out=$2
	shift 2
	timeout $((limit + 60)) ip netns exec $cli taskset -c "$client_cpu" dnsperf -l "$limit" "$@" >"$out" 2>&1 ||
		die "dnsperf $*: $(tail -3 "$out")"
}

# Upstream queries a server has sent so far: a cache miss shows here.
upstream_count() {
	case $1 in
	nfdns | nfdns_ct | nfdns_rrl | nfdns_block) "$ctl" stats misses ;;
	nfdnsd) nfdnsd_counter "$work/nfdnsd.log" upstream_queries ;;
	unbound) timeout 20 unbound-control -c "$work/unbound.conf" stats_noreset |
		awk -F= '$1 == "total.num.cachemiss" { print $2 }' ;;
	dnsmasq) dnsmasq_sent ;;
	dnsdist) timeout 20 dnsdist -C "$work/dnsdist.conf" -c -e 'dumpStats()' |
		awk '{ for (i = 1; i < NF; i++) if ($i == "cache-misses") print $(i + 1) }' ;;
	*) echo 0 ;;
	esac
}

# nfdnsd_counter LOG NAME: one counter from a fresh SIGUSR1 dump.
nfdnsd_counter() {
	local before _
	before=$(grep -c ' stats: ' "$1" || true)
	kill -USR1 "${pid[nfdnsd]}"
	for _ in $(seq 1 100); do
		[ "$(grep -c ' stats: ' "$1" || true)" -gt "$before" ] && break
		sleep 0.1
	done
	grep ' stats: ' "$1" | tail -1 | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }'
}

# Queries dnsmasq has forwarded upstream, from a fresh SIGUSR1 dump.
dnsmasq_sent() {
	local before _
	before=$(grep -c 'queries sent' "$work/dnsmasq.log" || true)
	kill -USR1 "${pid[dnsmasq]}"
	for _ in $(seq 1 100); do
		[ "$(grep -c 'queries sent' "$work/dnsmasq.log" || true)" -gt "$before" ] && break
		sleep 0.1
	done
	grep 'queries sent' "$work/dnsmasq.log" | tail -1 | sed 's/.*queries sent \([0-9]*\).*/\1/'
}

# percentiles FILE: "p50_us p99_us answered lost" of a verbose dnsperf
# run.  A lost query counts as slower than every answer: when more than 1%
# are lost there is no p99 ("null").
percentiles() {
	awk '/^> / { if ($2 == "T" || $2 == "I") lost++; else print $NF }
		END { if (lost) print "LOST " lost > "/dev/stderr" }' "$1" 2>"$1.lost" |
		sort -g >"$1.lat"
	awk -v lost="$(awk '{ print $2 }' "$1.lost")" '
		{ v[NR] = $1 }
		function pct(p,   k, tot) {
			tot = NR + lost
			k = int(tot * p); if (k < tot * p) k++
			if (k < 1) k = 1
			return k <= NR ? sprintf("%.0f", v[k] * 1e6) : "null"
		}
		END { printf "%s %s %d %d\n", NR ? pct(0.5) : "null", NR ? pct(0.99) : "null", NR, lost + 0 }' "$1.lat"
}

# settle: wait (at most 30 s) until the VM is idle, so that work left over
# from filling a cache (a hash table still growing, say) is not measured.
settle() {
	local b0 _
	for _ in $(seq 1 30); do
		b0=$(busy_ticks)
		sleep 1
		[ $(($(busy_ticks) - b0)) -lt $((busy_hz / 4)) ] && return 0
	done
	say "the VM did not go idle: measuring anyway"
}

# The host's load outside the VM (scripts/bench/hostload.sh): a mark
# before a measurement, then the mean over the seconds since the mark of
# the host CPUs busy with anything else, or null when nobody samples.
hostload_file=${NFDNS_VM_RUNDIR:-/nonexistent}/hostload
hostload_mark() { if [ -r "$hostload_file" ]; then wc -l <"$hostload_file"; else echo -1; fi; }
hostload_since() {
	[ "$1" -ge 0 ] && [ -r "$hostload_file" ] || { echo null; return; }
	awk -v from="$1" 'NR > from { o += $2; k++ } END { if (k) printf "%.3f\n", o / k; else print "null" }' "$hostload_file"
}

# gun SECONDS QPS SERVER QUERIES OUT: kxdpgun in the client namespace, on
# the client's CPU, sending the query file to SERVER at QPS (it sends as
# fast as it can below that), and counting the answers.
gun() {
	local t=$1 qps=$2 s=$3 q=$4 out=$5
	timeout $((t + 60)) ip netns exec $cli kxdpgun -t "$t" -Q "$qps" -i "$q" -I bcli \
		-F "$client_cpu" -L "$cli_mac" -R "$srv_mac" "${addr[$s]}" >"$out" 2>&1 ||
		die "kxdpgun against $s: $(tail -3 "$out")"
}

# measure SERVER N REP: the server's capacity, its CPU per answer and its
# latency; see the top of this file.
measure() {
	local s=$1 n=$2 rep=$3 q out=$work/run.$1.$2.$3 up0 up1 rb0 rb1 h0 host
	local t_sent t_done run_s f0 f1 c0 c1 u0 u1 sent done_q busy cpu_m cpu_full split p50 p99 lat_done lat_lost upstream
	q=$(queries "$n")
	settle
	up0=$(upstream_count "$s" || true)
	h0=$(hostload_mark)
	read -r f0 _ < <(server_ticks)
	gun "$tput_seconds" "$gun_max" "$s" "$q" "$out.tput"
	read -r f1 _ < <(server_ticks)
	settle
	rb0=$(rcvbuf_errors "")
	read -r c0 u0 < <(server_ticks)
	gun "$seconds" "$rate" "$s" "$q" "$out.cpu"
	read -r c1 u1 < <(server_ticks)
	rb1=$(rcvbuf_errors "")
	dnsperf_run "$lat_seconds" "$out.lat" -s "${addr[$s]}" -d "$q" \
		-c "$clients" -T "$threads" -Q "$lat_qps" -t 5 -v
	up1=$(upstream_count "$s" || true)
	host=$(hostload_since "$h0")
	# A counter that could not be read is unknown, not zero.
	upstream=null
	[ -n "$up0" ] && [ -n "$up1" ] && upstream=$((up1 - up0))
	t_sent=$(dnsperf_field "$out.tput" 'total queries:')
	t_done=$(dnsperf_field "$out.tput" 'total replies:')
	sent=$(dnsperf_field "$out.cpu" 'total queries:')
	done_q=$(dnsperf_field "$out.cpu" 'total replies:')
	run_s=$(dnsperf_field "$out.cpu" 'duration:')
	# A figure a run did not print is unknown (null), and said so; the
	# round is then incomplete, and the report leaves it out.
	[ -n "$t_done" ] && [ -n "$done_q" ] && [ -n "$run_s" ] ||
		say "$s N=$n run $rep: kxdpgun printed no summary: $(tail -3 "$out.tput" "$out.cpu" | tr '\n' ' ')"
	t_sent=$(json_num "$t_sent") t_done=$(json_num "$t_done")
	sent=$(json_num "$sent") done_q=$(json_num "$done_q") run_s=$(json_num "$run_s")
	busy=$(awk -v t=$((c1 - c0)) -v hz="$clk_tck" 'BEGIN { printf "%.2f", t / hz }')
	split=$(awk -v a="$u0" -v b="$u1" -v hz="$clk_tck" 'BEGIN { split(a, x, " "); split(b, y, " ")
		printf "{\"user\":%.2f,\"system\":%.2f,\"softirq\":%.2f}", (y[1] - x[1]) / hz, (y[2] - x[2]) / hz, (y[3] - x[3]) / hz }')
	cpu_m=$(awk -v b="$busy" -v d="$done_q" 'BEGIN { if (d + 0 > 0) printf "%.3f", b / d * 1e6; else print "null" }')
	cpu_full=$(awk -v t=$((f1 - f0)) -v hz="$clk_tck" -v d="$t_done" 'BEGIN { if (d + 0 > 0) printf "%.3f", t / hz / d * 1e6; else print "null" }')
	read -r p50 p99 lat_done lat_lost < <(percentiles "$out.lat")
	lat_done=$(json_num "$lat_done") lat_lost=$(json_num "$lat_lost")
	jq -nc --arg server "$s" --argjson n "$n" --argjson rep "$rep" \
		--argjson qps "$(awk -v d="$t_done" -v t="$tput_seconds" 'BEGIN { if (d == "null") print d; else printf "%.0f", d / t }')" \
		--argjson tput_sent "$t_sent" --argjson tput_answered "$t_done" \
		--argjson sent "$sent" --argjson answered "$done_q" \
		--argjson run_s "$run_s" --argjson busy_s "$busy" --argjson cpu "$cpu_m" \
		--argjson split "$split" --argjson host "$host" \
		--argjson cpu_full "$cpu_full" --argjson tput_busy_s "$(awk -v t=$((f1 - f0)) -v hz="$clk_tck" 'BEGIN { printf "%.2f", t / hz }')" \
		--argjson p50 "$p50" --argjson p99 "$p99" --argjson lat_answered "$lat_done" \
		--argjson lat_lost "$lat_lost" --argjson upstream "$upstream" \
		--argjson srv_drops "$((rb1 - rb0))" \
		'{server: $server, n: $n, rep: $rep, qps: $qps, tput_sent: $tput_sent, tput_answered: $tput_answered,
		  sent: $sent, answered: $answered,
		  lost: (if $sent != null and $answered != null then $sent - $answered else null end), run_s: $run_s,
		  tput_server_busy_s: $tput_busy_s, cpu_s_per_million_full_speed: $cpu_full,
		  server_busy_s: $busy_s, cpu_s_per_million: $cpu, server_busy_split_s: $split,
		  p50_us: $p50, p99_us: $p99, lat_answered: $lat_answered, lat_lost: $lat_lost,
		  upstream: $upstream, server_rcvbuf_drops: $srv_drops, host_other_cpus: $host}' |
		sed 's/^/BENCH-RUN /'
	say "$(printf '%-11s N=%-8s run %d: %6s qps at full speed, %6s CPU-s/M at %s qps (%d lost), p50 %s us, p99 %s us, %s upstream, host %s' \
		"$s" "$n" "$rep" "$(awk -v d="$t_done" -v t="$tput_seconds" 'BEGIN { printf "%d", d / t }')" "$cpu_m" "$rate" \
		"$(awk -v a="$sent" -v b="$done_q" 'BEGIN { printf "%d", a - b }')" "$p50" "$p99" "$upstream" "$host")"
}

# warm SERVER N: send the query file once through the server; once more
# for what the first pass lost.  Bounded by NFDNS_BENCH_WARM_LIMIT each.
warm() {
	local s=$1 n=$2 q out=$work/warm.$1.$2 pass lost start
	q=$(queries "$n")
	start=$(date +%s)
	for pass in 1 2; do
		dnsperf_run "$warm_limit" "$out.$pass" -s "${addr[$s]}" -d "$q" -n 1 \
			-c "$clients" -q 100 -t 5
		lost=$(dnsperf_field "$out.$pass" 'Queries lost:')
		say "$s: warm pass $pass over $n names: $(dnsperf_field "$out.$pass" 'Queries completed:') answered," \
			"$lost lost, $(dnsperf_field "$out.$pass" 'Queries per second:') qps"
		[ "$lost" = 0 ] && break
	done
	echo "BENCH-WARM {\"server\":\"$s\",\"n\":$n,\"seconds\":$(($(date +%s) - start))}"
}

# ---- 1. nfdns: the module's hit path at each cache size ------------------------

# reply_sig NAME: the kernel's answer as the client sees it, without what
# changes from one query to the next (ID, TTL, timing).
reply_sig() {
	ip netns exec $cli dig +noedns +time=5 +tries=1 @"${addr[nfdns]}" "$1" A |
		awk '/^;; flags:/ || /^;; MSG SIZE/ { print } /^h[0-9]*\.bench\./ { print $1, $3, $4, $5 }'
}

# check_answers N: a sample of names answered from the kernel against the
# authoritative server's answers.
check_answers() {
	local n=$1 i a b
	for i in 0 $((n / 2)) $((n - 1)); do
		a=$(ip netns exec $cli dig +time=5 +tries=1 +noall +answer @"${addr[nfdns]}" "h$i.bench" A |
			awk '{ print $1, $3, $4, $5 }')
		b=$(dig +time=5 +tries=1 +noall +answer +norecurse @$bench_ns "h$i.bench" A |
			awk '{ print $1, $3, $4, $5 }')
		if [ -z "$a" ] || [ "$a" != "$b" ]; then
			die "h$i.bench: the kernel answers '$a', NSD '$b'"
		fi
	done
}

# fill_nfdns N CHECK: an empty cache, then N entries, through nfdnsd (a
# warm pass of the query file) or pushed with CACHE_PUT by nfdns_fill; with
# CHECK, a sample of them against NSD and nfdnsd.
fill_nfdns() {
	local n=$1 check=$2 start
	"$ctl" flush >/dev/null
	start=$(date +%s)
	if [ "$n" -gt "$fill_above" ]; then
		"$sel/nfdns_fill" "$n"
		echo "BENCH-WARM {\"server\":\"nfdns\",\"n\":$n,\"seconds\":$(($(date +%s) - start)),\"method\":\"CACHE_PUT\"}"
		if [ -n "$check" ] && [ "$(reply_sig h0.bench)" != "$nfdnsd_sig" ]; then
			die "a pushed entry differs from nfdnsd's: $(reply_sig h0.bench) / $nfdnsd_sig"
		fi
	else
		warm nfdns "$n"
	fi
	[ "$("$ctl" stats entries)" = "$n" ] || die "nfdns holds $("$ctl" stats entries) entries, not $n"
	[ -z "$check" ] || check_answers "$n"
	say "nfdns: $n entries, $("$ctl" stats bytes) bytes, in $(($(date +%s) - start)) s"
}

# Conntrack on in this namespace, as on a host with a stateful firewall (a
# ct rule turns it on: every conntrack hook, for every packet); the rule
# sits where a stateful ruleset's does, and answered queries never reach
# it.  The rate limit on, above the bench's rate (the client is one /24).
conntrack_on() {
	nft -f - <<-EOF
		table inet nfdns_ct {
			chain pre { type filter hook prerouting priority 0; ct state new counter; }
		}
	EOF
}
conntrack_off() { nft delete table inet nfdns_ct; }
rrl_on() { "$ctl" config rrl_rate=1000000 >/dev/null; }
rrl_off() { "$ctl" config rrl_rate=0 >/dev/null; }

# start_nfdnsd_kernel [ARGS...]: nfdnsd as the module's resolver, registered.
start_nfdnsd_kernel() {
	"$nfdnsd_bin" --config /dev/null --dnssec-validation no --root-hints "$work/root.hints" --listen none \
		--do-not-query-localhost no "$@" \
		>"$work/nfdnsd-kernel.log" 2>&1 &
	pid[nfdnsd_kernel]=$!
	wait_for 30 eval '"$ctl" config | grep -q "^resolver_pid [0-9]"' || die "nfdnsd did not register"
}
stop_nfdnsd_kernel() {
	kill "${pid[nfdnsd_kernel]}"
	wait "${pid[nfdnsd_kernel]}" 2>/dev/null || true
	unset 'pid[nfdnsd_kernel]'
}

# block_on: nfdnsd again, with a block list of NFDNS_BENCH_BLOCK_NAMES
# names (none of them asked), all in the kernel.  Rules are looked at on a
# cache miss only, so a hit must cost what it cost without them.
block_on() {
	local t0=$SECONDS
	if [ ! -s "$work/block.txt" ]; then
		awk -v n="$block_names" 'BEGIN {
			for (i = 0; i < n * 3 / 4; i++) printf "0.0.0.0 ad%d.tracker%d.example\n", i, i % 997
			for (; i < n; i++) printf "track%d.example\n", i }' >"$work/block.txt"
	fi
	stop_nfdnsd_kernel
	start_nfdnsd_kernel --blocklist "$work/block.txt"
	wait_for 120 eval '[ "$("$ctl" stats local_rules)" = "$block_names" ]' ||
		die "the block list did not reach the kernel: $("$ctl" stats local_rules) rules"
	say "nfdns: $block_names block list rules in the kernel after $((SECONDS - t0)) s, $("$ctl" stats local_bytes) bytes"
	echo "BENCH-BLOCK {\"rules\":$block_names,\"bytes\":$("$ctl" stats local_bytes),\"load_s\":$((SECONDS - t0))}"
}

# nfdns_round REP: the module loaded, nfdnsd registered as its resolver
# (it takes the misses of a warm pass, and is idle while hits are
# measured), one measurement at each cache size, the module unloaded.
nfdns_round() {
	local rep=$1 n check=
	[ "$rep" = 1 ] && check=1
	insmod "$moddir/nfdns.ko"
	# The client is in 198.18/15, and sends far above the default rate limit.
	"$ctl" config max_entries=$((max_n + 1000)) max_bytes=1073741824 \
		clients=any rrl_rate=0 >/dev/null
	start_nfdnsd_kernel
	if [ -n "$check" ]; then
		# What nfdnsd stores for a name, as a client gets it from the
		# kernel: a cache filled without nfdnsd must answer the same.
		ip netns exec $cli dig +time=5 +tries=2 @"${addr[nfdns]}" h0.bench A >/dev/null
		[ "$("$ctl" stats inserts)" = 1 ] || die "nfdnsd did not answer the module's first miss"
		nfdnsd_sig=$(reply_sig h0.bench)
		say "nfdns: nfdnsd's entry for h0.bench A: $("$ctl" get h0.bench A | tr '\n' ' ')"
	fi
	for n in $(printf '%s\n' $sizes | sort -n); do
		fill_nfdns "$n" "$check"
		measure nfdns "$n" "$rep"
	done
	# The same hits, largest cache, on a host as it usually is.
	conntrack_on
	measure nfdns_ct "$n" "$rep"
	say "nfdns with conntrack: $(cat /proc/sys/net/netfilter/nf_conntrack_count) conntrack entries"
	conntrack_off
	rrl_on
	measure nfdns_rrl "$n" "$rep"
	say "nfdns with the rate limit: $("$ctl" stats rrl_dropped) dropped, $("$ctl" stats rrl_slipped) slipped"
	rrl_off
	if [ "$block_names" -gt 0 ]; then
		block_on
		measure nfdns_block "$n" "$rep"
	fi
	say "nfdns: $("$ctl" stats | tr '\n' ' ')"
	stop_nfdnsd_kernel
	rmmod nfdns
}

# ---- the hit path's own cost: the kernel microbenchmark ------------------------

# micro REP: nfdns_hitbench.ko (kmod/bench/) at each of
# NFDNS_BENCH_MICRO_SIZES entries: the nanoseconds per operation of each
# part of a hit, and of an empty hook on the same skbs, on one CPU and on
# every CPU at once.  Each of its "key=value ..." lines becomes a
# BENCH-MICRO line.
micro() {
	local rep=$1 n ko=$moddir/nfdns_hitbench.ko
	[ -e "$ko" ] || die "no $ko: the module tree was built without the microbenchmark"
	# Its replies are routed (and then dropped by its stub) to a client
	# in the benchmarking range.
	ip route replace 198.18.255.2 dev lo
	for n in $micro_sizes; do
		dmesg -C
		insmod "$ko" entries="$n" ops="$micro_ops" passes="$micro_passes" ||
			die "nfdns_hitbench at $n entries: $(dmesg | tail -3)"
		rmmod nfdns_hitbench
		dmesg | sed -n 's/.*nfdns_hitbench: //p' | grep '=' | while read -r line; do
			jq -nc --argjson rep "$rep" --arg l "$line" \
				'$l | split(" ") | map(select(test("=")) | split("=") | {(.[0]): (.[1] | tonumber? // .)}) | add + {rep: $rep}'
		done | sed 's/^/BENCH-MICRO /'
		say "nfdns_hitbench: $n entries: $(dmesg | sed -n 's/.*nfdns_hitbench: //p' | grep -E 'empty|cpus=1 op=hook' | tr '\n' ' ' | cut -c1-300)"
	done
}

# ---- 2. the peers ----------------------------------------------------------------

# Every server has the server's CPU, and one thread: the figures are those
# of one CPU each.
start_nfdnsd() {
	taskset -c $server_cpu "$nfdnsd_bin" --config /dev/null --dnssec-validation no --no-kernel --root-hints "$work/root.hints" \
		--do-not-query-localhost no --access-control "198.18.0.0/15 allow" \
		--listen "${addr[nfdnsd]}:53" --cache-size $((n_peer + 1000)) >"$work/nfdnsd.log" 2>&1 &
	pid[nfdnsd]=$!
}

start_unbound() {
	# Room for every name of the run.
	unbound_conf "$work" ${addr[unbound]} 198.18.0.0/15 "$work/root.hints" \
		"num-threads: 1" "do-ip6: no" \
		"msg-cache-size: 256m" "rrset-cache-size: 256m" >"$work/unbound.conf"
	taskset -c $server_cpu unbound -d -c "$work/unbound.conf" >"$work/unbound.out" 2>&1 &
	pid[unbound]=$!
}

start_dnsmasq() {
	# dnsmasq forwards; its upstream is the authoritative server itself.
	taskset -c $server_cpu dnsmasq -k --conf-file=/dev/null --no-resolv --no-hosts --bind-interfaces \
		--listen-address="${addr[dnsmasq]}" --server=$bench_ns --cache-size=$((n_peer + 1000)) \
		--user=root --pid-file="$work/dnsmasq.pid" --log-facility="$work/dnsmasq.log" &
	pid[dnsmasq]=$!
}

start_dnsdist() {
	cat >"$work/dnsdist.conf" <<-EOF
	setLocal("${addr[dnsdist]}:53")
	addACL("198.18.0.0/15")
	setSecurityPollSuffix("")
	newServer({address="$bench_ns:53", checkInterval=60})
	pc = newPacketCache($((n_peer * 2)), {maxTTL=86400, numberOfShards=16})
	getPool(""):setCache(pc)
	controlSocket("127.0.0.1:5199")
	setKey("$(head -c 32 /dev/urandom | base64)")
	EOF
	taskset -c $server_cpu dnsdist --supervised --disable-syslog -C "$work/dnsdist.conf" >"$work/dnsdist.log" 2>&1 &
	pid[dnsdist]=$!
}

# The floor: an nftables rule at the server end's ingress turns each query
# around (QR set, addresses and ports swapped) and sends it back: the same
# client, veth and packets both ways, with no lookup and no server at all.
# The rule is there only while the floor is measured.
start_floor() {
	local cmac smac
	cmac=$(ip netns exec $cli cat /sys/class/net/bcli/address)
	smac=$(cat /sys/class/net/bsrv/address)
	cat >"$work/floor.nft" <<-EOF
	table netdev nfdns_bench {
		chain reflect {
			type filter hook ingress device "bsrv" priority 0; policy accept;
			ip daddr ${addr[floor]} udp dport 53 ether daddr set $cmac ether saddr set $smac \
				ip daddr set $client_addr ip saddr set ${addr[floor]} \
				udp dport set udp sport udp sport set 53 @ih,16,1 set 1 fwd to "bsrv"
		}
	}
	EOF
	nft -f "$work/floor.nft"
}

answers() { ip netns exec $cli dig +time=1 +tries=1 @"${addr[$1]}" h0.bench A 2>/dev/null | grep -q 'status: NOERROR'; }

# Only the server being measured runs: the others are stopped (SIGSTOP),
# so that their timers do not count against it.
pause() {
	if [ "$1" = floor ]; then
		nft delete table netdev nfdns_bench
	elif [ -n "${pid[$1]:-}" ]; then
		kill -STOP "${pid[$1]}"
	fi
}
resume() {
	if [ "$1" = floor ]; then
		nft -f "$work/floor.nft"
	elif [ -n "${pid[$1]:-}" ]; then
		kill -CONT "${pid[$1]}"
	fi
}

peers=()
for s in nfdnsd unbound dnsmasq dnsdist floor; do
	has $s && peers+=("$s")
done
for s in "${peers[@]}"; do
	say "$s: starting"
	"start_$s"
	wait_for 60 answers "$s" || die "$s does not answer on ${addr[$s]}"
	[ "$s" = floor ] || warm "$s" "$n_peer"
	pause "$s"
done
# What the VM does with every server stopped: the background in every figure.
b0=$(busy_ticks)
sleep 5
idle=$(awk -v t=$(($(busy_ticks) - b0)) -v hz="$busy_hz" 'BEGIN { printf "%.3f", t / hz / 5 }')
say "idle VM: $idle CPUs busy"
echo "BENCH-IDLE {\"busy_cpus\":$idle}"

# ---- 3. rounds: every server once per round ----------------------------------

# Round after round rather than server after server, so that a slow moment
# of the host (it is shared) falls on all of them alike.  The module is
# loaded for the nfdns measurements only, and its cache filled anew.
for rep in $(seq 1 "$repeats"); do
	say "round $rep of $repeats"
	[ -n "$micro_sizes" ] && micro "$rep"
	has nfdns && nfdns_round "$rep"
	for s in "${peers[@]}"; do
		resume "$s"
		measure "$s" "$n_peer" "$rep"
		pause "$s"
	done
done
for s in "${peers[@]}"; do
	[ "$s" = floor ] || resume "$s"
done
say "done"
