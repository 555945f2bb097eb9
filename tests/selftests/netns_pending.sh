#!/bin/bash
# Clients waiting for the resolver, counted at the clients: none is ever
# dropped.  A client namespace asks NSD through a router namespace that
# holds the module's state, with a resolver registered there that never
# reads its MISS messages (nfdns_testctl deaf).
#
#   bounds:   the waiters of a namespace are bounded in number and in bytes,
#             not only per question; clients over a bound pass on to NSD.
#   failing upcall: with the resolver's receive buffer full every upcall
#             fails while clients on two CPUs ask one question: the client
#             whose upcall failed passes on to NSD, those that joined it
#             meanwhile are answered SERVFAIL.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/netns.sh"

ctl=$here/nfdns_testctl
work=$(mktemp -d)
cli=nfpcli$$
rtr=nfprtr$$
srv=nfpsrv$$
nsd4=198.18.2.2
deaf_pid=

cleanup() {
	[ -n "$deaf_pid" ] && kill "$deaf_pid" 2>/dev/null
	ns_cleanup
	rm -rf "$work"
}
trap cleanup EXIT

if [ ! -x "$ctl" ]; then
	tap_fail "nfdns_testctl is built" "run make selftests"
	tap_done
	exit 1
fi

ns_add $cli && ns_add $rtr && ns_add $srv ||
	{ tap_fail "create namespaces"; tap_done; exit 1; }
ns_link $cli "198.18.1.2/24" $rtr "198.18.1.1/24"
ns_link $rtr "198.18.2.1/24" $srv "$nsd4/24"
ip -n $cli route add default via 198.18.1.1
ip -n $srv route add default via 198.18.2.1
ip netns exec $rtr sysctl -qw net.ipv4.ip_forward=1
if nsd_start $srv "$work/nsd" example. "$here/zones/example.zone" $nsd4; then
	tap_ok "NSD serves example. in the server namespace"
else
	tap_fail "NSD serves example. in the server namespace" "$(cat "$work/nsd/nsd.log")"
fi

ctl() { ip netns exec $rtr "$ctl" "$@"; }
counters_read() { ctl stats; }
. "$here/../lib/counters.sh"
# The clients are in 198.18/15, outside the default list, and the load
# goes over the default rate limit.
tap_check "clients in 198.18/15 are answered, without a rate limit" \
	ctl config clients=any rrl_rate=0

start_deaf() {
	ip netns exec $rtr "$ctl" deaf "$@" >"$work/deaf.log" 2>&1 &
	deaf_pid=$!
	wait_for 20 grep -q registered "$work/deaf.log" && kill -0 $deaf_pid
}
stop_deaf() {
	kill "$deaf_pid"
	wait "$deaf_pid" 2>/dev/null
	deaf_pid=
}

# burst NAME TYPE N: N clients ask at once; all must be answered.
out=
burst() {
	out=$(ip netns exec $cli "$ctl" burst $nsd4 "$@" 2>&1)
}
has() { [[ $out == *$1* ]]; }
result() {
	local desc=$1
	shift
	if "$@"; then tap_ok "$desc"; else tap_fail "$desc" "$out"; fi
}

# --- bounds over the namespace --------------------------------------------------
# Two questions may be pending, so at most 8 clients may wait in all; one
# question may hold 64 of them, so only the namespace's bound stops them.
tap_check "max_pending=2 (8 waiters in all), 2 s pending timeout" \
	ctl config max_pending=2 max_waiters=64 pending_timeout_ms=2000
if start_deaf; then
	tap_ok "a resolver that never answers is registered"
else
	tap_fail "a resolver that never answers is registered" "$(cat "$work/deaf.log")"
fi
snap
burst www.example. A 30
result "30 clients on one question are all answered" has $'matched 30\n'
result "... 22 over the bound passed on to NSD, 8 waited for the timeout" \
	eval 'has "rcode NOERROR 22" && has "rcode SERVFAIL 8"'
tap_check "... counted: 1 upcall, 7 joined, 22 passed over the limit" \
	deltas upcalls=1 coalesced=7 pass_over_limit=22 timeouts=1 servfails=8

# Bytes: the pending table may use a quarter of max_bytes, 1 KiB here.
tap_check "max_bytes=4096 (1 KiB of waiters), max_pending=4096" \
	ctl config max_bytes=4096 max_pending=4096
snap
burst www.example. AAAA 30
result "30 clients on one question are all answered" has $'matched 30\n'
refresh
joined=$((now[coalesced] - was[coalesced]))
over=$((now[pass_over_limit] - was[pass_over_limit]))
result "... the byte bound let some wait ($((joined + 1))) and passed the others ($over)" \
	eval '[ $joined -ge 1 ] && [ $over -ge 16 ] && [ $((joined + 1 + over)) = 30 ] &&
	      has "rcode NOERROR $over" && has "rcode SERVFAIL $((joined + 1))"'
tap_check "restore the defaults" \
	ctl config max_bytes=67108864 max_pending=4096 pending_timeout_ms=5000
stop_deaf

# --- a failing upcall while clients coalesce ------------------------------------
if start_deaf --rcvbuf 1; then
	tap_ok "a resolver with a tiny receive buffer that never reads is registered"
else
	tap_fail "a resolver with a tiny receive buffer that never reads is registered" \
		"$(cat "$work/deaf.log")"
fi
# A few MISS messages fill its buffer; the next upcall fails.
upcalls_fail() {
	local n
	for n in $(seq 1 20); do
		ip netns exec $cli dig +time=3 +tries=1 @$nsd4 fill$n.example A >/dev/null 2>&1
		refresh && [ "${now[upcall_errors]:-0}" -gt 0 ] && return 0
	done
	return 1
}
tap_check "the resolver's receive buffer fills: upcalls fail" upcalls_fail

# Both CPUs send the same question; each run is bounded in queries.
for i in $(seq 1 40); do echo "www.example A"; done >"$work/queries"
coalesced=0
for run in 1 2 3; do
	snap
	ip netns exec $cli dnsperf -s $nsd4 -d "$work/queries" -n 100 -c 8 -T 2 \
		-q 16 -t 10 >"$work/dnsperf.log" 2>&1
	refresh
	coalesced=$((now[coalesced] - was[coalesced]))
	[ $coalesced -gt 0 ] && break
done
d=$(cat "$work/dnsperf.log")
field() { sed -n "s/^ *$1: *\([0-9]*\).*/\1/p" <<<"$d" | head -1; }
rcode() { grep -o "$1 [0-9]*" <<<"$d" | head -1 | awk '{ print $2 }'; }
sent=$(field 'Queries sent')
lost=$(field 'Queries lost')
noerror=$(rcode NOERROR)
servfail=$(rcode SERVFAIL)
errors=$((now[upcall_errors] - was[upcall_errors]))
echo "# failing upcall: run $run, $sent queries, $errors failed upcalls, $coalesced joined them"
out=$d
result "clients joined questions whose upcall failed (the case under test)" \
	eval '[ $coalesced -gt 0 ] && [ $errors -gt 0 ]'
result "no query vanished: dnsperf lost none of $sent" eval '[ "$lost" = 0 ]'
result "each failed upcall's own client passed on to NSD (NOERROR = failed upcalls)" \
	eval '[ "${noerror:-0}" = $errors ]'
result "each client that joined it was answered SERVFAIL (SERVFAIL = joined)" \
	eval '[ "${servfail:-0}" = $coalesced ]'
stop_deaf
tap_done
