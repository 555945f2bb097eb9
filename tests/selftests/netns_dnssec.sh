#!/bin/bash
# vm-kernels: 6.12.*-amd64
# End to end: DNSSEC through the module.  This namespace (the VM's main
# one) holds the module, the signed hierarchy of tests/zones/signed.sh
# served by NSD on loopback addresses, and nfdnsd registered as the
# namespace's resolver, validating with the hierarchy's root DS as its
# trust anchor.  A client namespace joined by veth sends dig queries.
#
# A secure answer must be stored in the kernel with AD: its repeats are
# kernel hits with AD, and nfdnsd sees nothing of them.  AD reaches a
# client that set DO or AD, never one with neither, from the same entry.
# A bogus answer must never enter the kernel's cache: SERVFAIL each time,
# each time a miss sent up to nfdnsd.  With CD the bogus data is served,
# without AD, under a key of its own.
#
#   KEEP=1 tests/selftests/netns_dnssec.sh    keeps the work directory
#   NFDNSD=path/to/nfdnsd ...                 another binary
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/netns.sh"
. "$here/../lib/dig.sh"

ctl_bin=$here/nfdns_testctl
nfdnsd=${NFDNSD:-$top/userspace/nfdnsd/nfdnsd}
signed=$top/tests/zones/signed.sh
work=$(mktemp -d /tmp/nfdns-dnssec.XXXXXX)
cli=nfsec$$
server=198.18.3.1
client=198.18.3.2
nfdnsd_pid=
nfdnsd_log=$work/nfdnsd.log
saved_pending_timeout=
made_dev_fd=

cleanup() {
	if [ -n "$nfdnsd_pid" ]; then
		kill "$nfdnsd_pid" 2>/dev/null
		wait "$nfdnsd_pid" 2>/dev/null
	fi
	"$signed" stop "$work/signed" >/dev/null 2>&1
	ns_cleanup
	[ -n "$made_dev_fd" ] && rm -f /dev/fd
	# The module stays loaded for whatever runs next: as it was found, empty.
	if [ -n "$saved_pending_timeout" ]; then
		"$ctl_bin" config pending_timeout_ms="$saved_pending_timeout" \
			clients="$default_clients" >/dev/null 2>&1
		"$ctl_bin" flush >/dev/null 2>&1
	fi
	tap_work_done "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tap_need_built "$ctl_bin" "$nfdnsd"

ctl() { "$ctl_bin" "$@"; }
default_clients=127.0.0.0/8,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10
default_clients+=,169.254.0.0/16,fc00::/7,fe80::/10,::1/128

counters_read() { ctl stats; }
. "$here/../lib/counters.sh"
declare -A conf
portid=
load_config() {
	local name value
	ctl config >"$work/config" || return 1
	conf=()
	while read -r name value; do
		conf[$name]=$value
	done <"$work/config"
	portid=${conf[resolver_pid]:-}
}
no_resolver() { load_config && [ -z "$portid" ]; }

# ask NAME TYPE [DIG-ARGS...]: the client's dig, parsed; one try, so that
# a retry never blurs the counters.
ask() {
	ip netns exec $cli dig +time=10 +tries=1 @$server "$@" >"$work/dig" 2>&1
	dig_parse "$work/dig"
}
show() { printf '%s\n' "$out"; }
result() {
	local desc=$1
	shift
	if "$@"; then tap_ok "$desc"; else tap_fail "$desc" "$(show)"; fi
}
# has_flag FLAG: the last answer's header has it.
has_flag() {
	[[ $out =~ ";; flags: "([a-z ]*)";" ]] && [[ " ${BASH_REMATCH[1]} " == *" $1 "* ]]
}
has_rrsig() {
	local rr
	for rr in "${answer[@]}"; do
		[[ $rr == *" RRSIG "* ]] && return 0
	done
	return 1
}
logged() { log_has "$nfdnsd_log" "$@"; }
trace_count() {
	local line
	local -a lines
	mapfile -t lines <"$nfdnsd_log"
	traced=0
	for line in "${lines[@]}"; do
		[[ $line == *"nfdnsd trace: "*"$1"* ]] && traced=$((traced + 1))
	done
	return 0
}
nfdnsd_registered() {
	load_config && [ -n "$portid" ] &&
		logged 'registered as the resolver of the nfdns kernel module' >/dev/null
}

# --- set up --------------------------------------------------------------------
if no_resolver; then
	tap_ok "no resolver is registered in this namespace yet"
else
	tap_fail "no resolver is registered in this namespace yet" "$(cat "$work/config")"
fi
saved_pending_timeout=${conf[pending_timeout_ms]:-}
ctl flush >/dev/null
ctl config clients="$default_clients,198.18.0.0/15"

ns_add $cli || { tap_fail "create the client namespace"; tap_done; exit 1; }
ns_link $cli "$client/24" "" "$server/24"
tap_check "veth path client -> $server" ip netns exec $cli ping -c1 -W5 $server

# hierarchy.sh reads through process substitution, which needs /dev/fd.
if [ ! -e /dev/fd ]; then
	ln -s /proc/self/fd /dev/fd && made_dev_fd=1
fi
if "$signed" start "$work/signed" >"$work/signed.log" 2>&1; then
	tap_ok "signed hierarchy generated and served by NSD"
else
	tap_fail "signed hierarchy generated and served by NSD" "$(tail -20 "$work/signed.log")"
	tap_done
	exit 1
fi

"$nfdnsd" --config /dev/null --root-hints "$work/signed/root.hints" --listen none \
	--do-not-query-localhost no --trust-anchor-file "$work/signed/root.ds" \
	--trace >"$nfdnsd_log" 2>&1 &
nfdnsd_pid=$!
if wait_for 30 nfdnsd_registered; then
	tap_ok "nfdnsd (validating, the hierarchy's root DS as anchor) registers (port id $portid)"
else
	tap_fail "nfdnsd registers" "$(cat "$work/config" "$nfdnsd_log")"
fi
if wait_for 60 logged 'info: primed: '; then
	tap_ok "nfdnsd primed the root"
else
	tap_fail "nfdnsd primed the root" "$(cat "$nfdnsd_log")"
fi
echo "# set up in $SECONDS s"

# --- 1. a secure name: stored with AD, repeats are kernel hits with AD ---------
snap
ask www.sec. A +dnssec
result "www.sec. A +dnssec: NOERROR, AD, the A record and its RRSIG" \
	eval '[ "$status" = NOERROR ] && has_flag ad && has_rrsig'
tap_check "a miss resolved and validated by nfdnsd: upcalls +1, inserts +1" \
	deltas misses=1 upcalls=1 inserts=1 hits=0
tap_check "nfdnsd's trace shows the chain and the verdict" \
	logged "validate: sec. DNSKEY: secure" "validate www.sec. A: secure"
trace_count " www.sec. "
traced_before=$traced
for i in 1 2; do
	snap
	ask www.sec. A +dnssec
	result "repeat $i: NOERROR with AD and the RRSIG" eval '[ "$status" = NOERROR ] && has_flag ad && has_rrsig'
	tap_check "repeat $i: a kernel hit (hits +1, no miss, no upcall)" deltas hits=1 misses=0 upcalls=0
done
trace_count " www.sec. "
result "nfdnsd saw nothing of the repeats (no new trace line)" [ "$traced" = "$traced_before" ]

# The DO=0 entry carries AD too; the kernel gives it to AD=1 clients only.
snap
ask www.sec. A +noadflag
result "no DO, no AD: NOERROR without AD and without RRSIG" \
	eval '[ "$status" = NOERROR ] && ! has_flag ad && ! has_rrsig'
tap_check "a miss for the DO=0 key" deltas misses=1 upcalls=1 hits=0
snap
ask www.sec. A +adflag
result "AD=1 without DO: AD from the same DO=0 entry" eval '[ "$status" = NOERROR ] && has_flag ad && ! has_rrsig'
tap_check "a kernel hit" deltas hits=1 misses=0 upcalls=0
snap
ask www.sec. A +noadflag
result "neither DO nor AD again: the same entry, still no AD" eval '[ "$status" = NOERROR ] && ! has_flag ad'
tap_check "a kernel hit" deltas hits=1 misses=0 upcalls=0

# --- 2. a bogus name: SERVFAIL, never in the kernel's cache ------------------------
for i in 1 2; do
	snap
	ask www.badsig. A +dnssec
	result "www.badsig. A, time $i: SERVFAIL" eval '[ "$status" = SERVFAIL ] && [ ${#answer[@]} = 0 ]'
	tap_check "time $i: a miss sent up to nfdnsd, never a kernel hit, nothing stored" \
		deltas misses=1 upcalls=1 hits=0 inserts=0
done
tap_check "nfdnsd's trace: bogus, EDE 6" logged "validate www.badsig. A: bogus, EDE 6"

# --- 3. CD: the bogus data, unvalidated, under the CD=1 key ---------------------------
snap
ask www.badsig. A +dnssec +cd
result "www.badsig. A +cd: NOERROR with the data, without AD" \
	eval '[ "$status" = NOERROR ] && [[ "${answer[*]}" == *"www.badsig. A 192.0.2.1"* ]] && ! has_flag ad'
tap_check "a miss for the CD=1 key, its answer stored" deltas misses=1 upcalls=1 inserts=1 hits=0
snap
ask www.badsig. A +dnssec +cd
result "+cd again: the data" eval '[ "$status" = NOERROR ] && [ ${#answer[@]} -ge 1 ]'
tap_check "a kernel hit on the CD=1 entry" deltas hits=1 misses=0 upcalls=0
snap
ask www.badsig. A +dnssec
result "without CD after that: still SERVFAIL" eval '[ "$status" = SERVFAIL ]'
tap_check "still no kernel hit for the CD=0 key" deltas hits=0 misses=1 upcalls=1

if [ "$TAP_FAILED" -gt 0 ]; then
	echo "# --- $nfdnsd_log"
	sed 's/^/# /' "$nfdnsd_log"
fi
echo "# whole test: $SECONDS s"
tap_done
