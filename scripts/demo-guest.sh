#!/bin/bash
# The part of `make demo` that runs inside the VM: a small internet of
# network namespaces, nfdns.ko and nfdnsd answering a client's dig, shown
# step by step.  With --check, the same steps are asserted in TAP instead
# (tests/selftests/netns_demo.sh runs it so in every VM of `make test`).
#
#   scripts/demo-guest.sh MODDIR             the tour; loads MODDIR/nfdns.ko
#   scripts/demo-guest.sh --check [MODDIR]   the test; loads nfdns.ko from
#                                            MODDIR (or $NFDNS_MODDIR) unless
#                                            it is loaded already
#   KEEP=1 ...                               keeps the work directory
#
# Every box is a namespace: the client; the resolver, where nfdns.ko hooks
# the traffic and nfdnsd runs; and each name server of
# tests/zones/servers-demo.conf, an NSD with the zones of tests/zones.
# Nothing in userspace listens on the resolver's address: the module
# answers the client there, from its cache or once nfdnsd has resolved the
# question.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/netns.sh"
. "$top/tests/lib/dig.sh"

check=0
if [ "${1:-}" = --check ]; then
	check=1
	shift
fi
moddir=${1:-${NFDNS_MODDIR:-}}

nfdnsd=$top/userspace/nfdnsd/nfdnsd
nfdnsctl=$top/userspace/nfdnsctl/nfdnsctl
hierarchy=$top/tests/zones/hierarchy.sh
servers=$top/tests/zones/servers-demo.conf
work=$(mktemp -d /tmp/nfdns-demo.XXXXXX)
log=$work/nfdnsd.log
res=nfres$$
cli=nfcli$$
resolver=198.18.1.1
client=198.18.1.2
nfdnsd_pid=
failed=0

cleanup() {
	if [ -n "$nfdnsd_pid" ]; then
		kill "$nfdnsd_pid" 2>/dev/null
		wait_for 10 eval "! kill -0 $nfdnsd_pid" || kill -9 "$nfdnsd_pid" 2>/dev/null
		wait "$nfdnsd_pid" 2>/dev/null
	fi
	"$hierarchy" stop "$work/hier" >/dev/null 2>&1
	ns_cleanup
	rm -rf "/etc/netns/$cli"
	if [ -n "${KEEP:-}" ]; then
		echo "# work directory kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- what the reader sees, or what the test asserts -----------------------------
# heading TEXT: a step of the tour (a TAP comment when checking).
heading() {
	if [ $check = 1 ]; then
		echo "# $*"
	else
		printf '\n== %s\n' "$*"
	fi
}
# say LINE...: text for the reader, indented; nothing when checking.
say() {
	local line
	[ $check = 1 ] && return 0
	for line in "$@"; do
		if [ -n "$line" ]; then printf '   %s\n' "$line"; else echo; fi
	done
}
# expect DESC COND...: a TAP result when checking.  The tour checks the
# same conditions and says so when one fails, so that it cannot show a
# story that did not happen.
expect() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		[ $check = 1 ] && tap_ok "$desc"
	elif [ $check = 1 ]; then
		tap_fail "$desc" "$out"
	else
		echo "demo: FAILED: $desc"
		printf '%s\n' "$out" | sed 's/^/  | /'
		failed=1
	fi
	return 0
}
# bail DESC [DETAIL]: a step the rest depends on failed.
bail() {
	if [ $check = 1 ]; then
		tap_fail "$1" "${2:-}"
		tap_done
	else
		echo "demo: FAILED: $1"
		[ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/  | /'
	fi
	exit 1
}

# --- the module's counters in the resolver's namespace ----------------------------
counters_read() { "$nfdnsctl" --netns $res stats; }
. "$top/tests/lib/counters.sh"
# risen NAME...: "NAME +N" for each, since snap (after refresh).
risen() {
	local name sep=
	for name in "$@"; do
		printf '%s%s +%s' "$sep" "$name" $((${now[$name]:-0} - ${was[$name]:-0}))
		sep=', '
	done
}

# --- nfdnsd's log -------------------------------------------------------------------
# mark: remember how long the log is; since: the lines after the mark, in new[].
marked=0
new=()
mark() {
	local -a all
	mapfile -t all <"$log"
	marked=${#all[@]}
}
since() {
	local -a all
	mapfile -t all <"$log"
	new=("${all[@]:marked}")
}
# show_trace: the trace lines of new[], without timestamps.
show_trace() {
	local line n=0
	for line in "${new[@]}"; do
		[[ $line == *' nfdnsd trace: '* ]] || continue
		say "nfdnsd: ${line#* nfdnsd trace: }"
		n=$((n + 1))
	done
	[ $n -gt 0 ] || say "nfdnsd: (nothing)"
}
# logged TEXT...: each TEXT is in some line of the log.
logged() { log_has "$log" "$@"; }
# in_order PATTERN...: lines of new[] match the patterns, in this order.
in_order() {
	local p i=0 line found
	for p in "$@"; do
		found=
		while [ $i -lt ${#new[@]} ]; do
			line=${new[i]}
			i=$((i + 1))
			# shellcheck disable=SC2053
			[[ $line == $p ]] && { found=1; break; }
		done
		if [ -z "$found" ]; then
			echo "no trace line matching '$p' after the ones before it; the trace:"
			printf '%s\n' "${new[@]}"
			return 1
		fi
	done
}

# --- the client's dig ------------------------------------------------------------------
# ask NAME: the client's dig, parsed (dig_parse in tests/lib/dig.sh).
ask() {
	ip netns exec $cli dig "$@" >"$work/dig" 2>&1
	dig_parse "$work/dig"
}
show_answer() {
	local line
	say "dig: status ${status:-none}, query time ${query_time:-none} msec"
	for line in "${answer_lines[@]}"; do
		say "  $line"
	done
}

# --- 0. what runs ------------------------------------------------------------------------
if [ $check = 0 ]; then
	echo "nfdns demo: Debian's stock kernel $(uname -r), $(nproc) CPUs, in a VM"
fi
for prog in "$nfdnsd" "$nfdnsctl"; do
	[ -x "$prog" ] || bail "${prog#"$top"/} is built" "run make userspace"
done

# --- 1. the network --------------------------------------------------------------------------
heading "The network: every box a network namespace"
{ ns_add $res && ns_add $cli; } || bail "create the client and resolver namespaces"
ns_link $cli "$client/24" $res "$resolver/24"
expect "the client reaches the resolver's address $resolver" \
	ip netns exec $cli ping -c1 -W5 $resolver
# The client's resolv.conf names the resolver.  ip netns exec binds it
# over /etc/resolv.conf, which must exist: a host whose resolv.conf links
# into /run has no target in the VM's fresh /run.
if [ ! -e /etc/resolv.conf ]; then
	target=$(readlink -f /etc/resolv.conf)
	mkdir -p "$(dirname "$target")" && : >"$target"
fi
mkdir -p "/etc/netns/$cli"
echo "nameserver $resolver" >"/etc/netns/$cli/resolv.conf"

say "client $client --- $resolver resolver (nfdns.ko's hooks, nfdnsd)" \
	"resolver --- one link to each name server: NSD with the zones of tests/zones"
declare -A zone_addrs
zones=()
nservers=0
while read -r kind addr zone _; do
	[ "$kind" = nsd ] || continue
	[ -n "${zone_addrs[$zone]:-}" ] || zones+=("$zone")
	zone_addrs[$zone]="${zone_addrs[$zone]:-}  $addr"
	nservers=$((nservers + 1))
done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$servers")
for zone in "${zones[@]}"; do
	label=$zone.
	[ "$zone" = . ] && label=.
	say "$(printf '  %-16s%s' "$label" "${zone_addrs[$zone]}")"
done
started=$SECONDS
if ! NFDNS_SERVERS=$servers "$hierarchy" start "$work/hier" $res >"$work/hier.log" 2>&1; then
	bail "the name servers start, each in its own namespace" "$(cat "$work/hier.log")"
fi
say "$nservers name servers up in $((SECONDS - started)) s"
count_server_ns() {
	local n=0 name _
	while read -r name _; do
		[[ $name == "$res"-* ]] && n=$((n + 1))
	done < <(ip netns list)
	[ $n = "$nservers" ] || { echo "$n server namespaces, expected $nservers"; return 1; }
}
expect "$nservers name servers answer, each in a namespace of its own" count_server_ns

# --- 2. the module and nfdnsd ---------------------------------------------------------------
heading "nfdns.ko and nfdnsd in the resolver's namespace"
if [ ! -d /sys/module/nfdns ]; then
	[ -n "$moddir" ] || bail "nfdns.ko is loaded" "no module directory given"
	say "resolver# insmod nfdns.ko"
	insmod "$moddir/nfdns.ko" || bail "insmod nfdns.ko"
	line=$(dmesg | grep 'nfdns: ' | tail -1)
	say "  ${line#*] }"
fi
expect "nfdns.ko is loaded" test -d /sys/module/nfdns
# The demo's addresses are in 198.18/15, which nfdns does not answer by
# default (it answers loopback and the private ranges).
say "resolver# nfdnsctl config clients=198.18.0.0/15"
"$nfdnsctl" --netns $res config clients=198.18.0.0/15 ||
	bail "nfdns answers the demo's network"

say "resolver# nfdnsd --trace --root-hints root.hints --listen none --do-not-query-localhost no"
: >"$log"
mark
ip netns exec $res "$nfdnsd" --config /dev/null --dnssec-validation no --root-hints "$work/hier/root.hints" \
	--listen none --do-not-query-localhost no --trace >"$log" 2>&1 &
nfdnsd_pid=$!
if ! wait_for 60 logged 'registered as the resolver of the nfdns kernel module' 'info: primed: '; then
	bail "nfdnsd registers with the module and primes the root" "$(cat "$log")"
fi
expect "nfdnsd registers with the module and primes the root from the demo's hints" true
since
for line in "${new[@]}"; do
	case $line in
	*'registered as the resolver'* | *'info: primed: '* | *' trace: '*)
		line=${line#* nfdnsd }
		line=${line#trace: }
		say "nfdnsd: ${line#info: }"
		;;
	esac
done
say "Nothing in userspace listens on $resolver port 53: the module answers there."

# --- 3. a miss -------------------------------------------------------------------------------
heading "client\$ dig www.example.com    (a miss: nfdnsd resolves it from the root)"
snap
mark
ask www.example.com
since
refresh
show_trace
show_answer
say "kernel counters: $(risen misses upcalls hits)"
miss_time=$query_time
expect "www.example.com A: NOERROR, 192.0.2.44" looks NOERROR "www.example.com. A 192.0.2.44"
expect "nfdnsd's trace: root -> referral to com. -> referral to example.com. -> answer, for the kernel" \
	in_order \
	"* trace: asked *.root-servers.test (127.53.0.*) for com. A -> referral to com. *" \
	"* trace: asked *.nic.com (127.53.1.*) for example.com. A -> referral to example.com. *" \
	"* trace: asked *.example.com (127.53.2.*) for www.example.com. A -> answer (1 A)*" \
	"* trace: answered www.example.com. A NOERROR (1 records) after * \[kernel\]"
expect "the module sent it up once: upcalls +1, misses +1, hits +0" \
	deltas upcalls=1 misses=1 hits=0

# --- 4. a hit --------------------------------------------------------------------------------
heading "client\$ dig www.example.com    (again: the kernel answers)"
snap
mark
ask www.example.com
since
refresh
show_trace
show_answer
say "kernel counters: $(risen misses upcalls hits)"
say "query time: ${miss_time:-?} msec through nfdnsd, ${query_time:-?} msec from the kernel's cache"
expect "again: NOERROR, 192.0.2.44" looks NOERROR "www.example.com. A 192.0.2.44"
expect "a kernel hit: hits +1, misses +0, upcalls +0" deltas hits=1 misses=0 upcalls=0
no_new_lines() {
	[ ${#new[@]} = 0 ] || { echo "nfdnsd logged:"; printf '%s\n' "${new[@]}"; return 1; }
}
expect "nfdnsd printed nothing: it never saw the query" no_new_lines

# --- 5. a CNAME into another zone ---------------------------------------------------------------
heading "client\$ dig beta.example.com   (a CNAME into g.example.com., on other servers)"
snap
mark
ask beta.example.com
since
refresh
show_trace
show_answer
say "kernel counters: $(risen misses upcalls hits)"
expect "beta.example.com A: NOERROR, the CNAME to beta.g.example.com. and its A 192.0.2.55" \
	looks NOERROR "beta.example.com. CNAME beta.g.example.com." "beta.g.example.com. A 192.0.2.55"
expect "nfdnsd's trace: a CNAME and a referral to g.example.com., then g.example.com.'s server answers" \
	in_order \
	"* trace: asked * for beta.example.com. A -> CNAME to beta.g.example.com., referral to g.example.com. *" \
	"* trace: asked ns1.g.example.com (127.53.2.3) for beta.g.example.com. A -> answer (1 A)*" \
	"* trace: answered beta.example.com. A NOERROR (2 records) after * \[kernel\]"
expect "the module sent it up once: upcalls +1, hits +0" deltas upcalls=1 hits=0

# --- 6. the cache ----------------------------------------------------------------------------------
heading "resolver# nfdnsctl dump"
"$nfdnsctl" --netns $res dump >"$work/dump" 2>&1
dump_rc=$?
while IFS= read -r line; do say "$line"; done <"$work/dump"
has_www() {
	local line
	[ $dump_rc = 0 ] || { echo "nfdnsctl dump exited with $dump_rc"; cat "$work/dump"; return 1; }
	while IFS= read -r line; do
		[[ $line =~ ^www\.example\.com\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.0\.2\.44$ ]] &&
			return 0
	done <"$work/dump"
	echo "no record www.example.com. A 192.0.2.44 in:"
	cat "$work/dump"
	return 1
}
expect "nfdnsctl dump lists www.example.com. with 192.0.2.44" has_www

heading "resolver# nfdnsctl stats"
say "(one counter a line; here in three columns)"
"$nfdnsctl" --netns $res stats >"$work/nstats" 2>&1
stats_rc=$?
# Three columns, down then across, to keep the tour short.
mapfile -t lines <"$work/nstats"
rows=$(((${#lines[@]} + 2) / 3))
for ((r = 0; r < rows; r++)); do
	row=$(printf '%-26s%-26s%s' "${lines[r]}" "${lines[r + rows]:-}" "${lines[r + 2 * rows]:-}")
	say "${row%"${row##*[! ]}"}"
done
hits_shown() {
	local name value
	[ $stats_rc = 0 ] || { echo "nfdnsctl stats exited with $stats_rc"; cat "$work/nstats"; return 1; }
	while read -r name value; do
		[ "$name" = hits ] && [ "$value" -ge 1 ] 2>/dev/null && return 0
	done <"$work/nstats"
	echo "no hits >= 1 in:"
	cat "$work/nstats"
	return 1
}
expect "nfdnsctl stats shows hits >= 1" hits_shown

if [ $check = 1 ]; then
	[ "$TAP_FAILED" -gt 0 ] && sed 's/^/# nfdnsd: /' "$log"
	echo "# whole demo: $SECONDS s"
	tap_done
	exit
fi
[ $failed = 0 ] || exit 1
echo
echo "== done in $SECONDS s"
