#!/bin/bash
# The module's lifetime under load.  Each cycle builds a router namespace
# between a client namespace and NSD, registers a slow resolver there
# (nfdns_testctl resolver --delay-ms) and runs dnsperf through it, hits and
# misses, until the counters show questions in flight (with TTLs of 2 s,
# PREFETCHes and stale answers among them).  Then, in turn:
#
#   rmmod:  20 clients wait on one question; rmmod while dnsperf runs.
#           The waiting clients must all be answered (SERVFAIL), not
#           dropped: counted at the clients.
#   netns:  the same 20 clients; the resolver is killed and the router
#           namespace deleted while dnsperf runs.  They must all be
#           answered too.
#
# NFDNS_CHURN_CYCLES cycles of each (default 3; make stress runs 100).  The
# kernel's verdict (KASAN, kmemleak, lockdep) is vm.sh's.  The module is
# loaded at the end, as run.sh expects.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/netns.sh"

ctl=$here/nfdns_testctl
cycles=${NFDNS_CHURN_CYCLES:-3}
work=$(mktemp -d)
cli=nfccli$$
srv=nfcsrv$$
nsd4=198.18.2.2
resolver_pid=
dnsperf_pid=
burst_pid=

cleanup() {
	local pid
	for pid in $resolver_pid $dnsperf_pid $burst_pid; do
		kill "$pid" 2>/dev/null
	done
	ns_cleanup
	rm -rf "$work"
}
trap cleanup EXIT

loaded() { grep -q '^nfdns ' /proc/modules; }
load() { loaded || insmod "$NFDNS_MODDIR/nfdns.ko"; }

if [ ! -x "$ctl" ] || [ -z "${NFDNS_MODDIR:-}" ]; then
	tap_fail "nfdns_testctl is built and NFDNS_MODDIR is set" "run make selftests; run.sh sets NFDNS_MODDIR"
	tap_done
	exit 1
fi

# NSD on a loopback address of its namespace, so that it outlives the
# links of the routers that come and go.
ns_add $cli && ns_add $srv || { tap_fail "create namespaces"; tap_done; exit 1; }
ip -n $srv addr add $nsd4/32 dev lo
if nsd_start $srv "$work/nsd" example. "$here/zones/example.zone" $nsd4; then
	tap_ok "NSD serves example. in the server namespace"
else
	tap_fail "NSD serves example. in the server namespace" "$(cat "$work/nsd/nsd.log")"
	tap_done
	exit 1
fi

{
	for i in $(seq 1 8); do echo "www.example A"; done
	for i in $(seq 1 400); do echo "m$i.example A"; done
} | shuf --random-source=<(yes) >"$work/queries"

rtr=
ctl() { ip netns exec "$rtr" "$ctl" "$@"; }
counters_read() { ctl stats; }
. "$here/../lib/counters.sh"

# router K: a fresh router namespace between the client and NSD, on links
# of their own (198.19.K.0/25 and .128/25): the last router's links may
# still be going away with its namespace.
router() {
	local net=198.19.$1
	rtr=nfcrtr$$-$1
	ns_add "$rtr" || return 1
	ns_link $cli "$net.2/25" "$rtr" "$net.1/25" || return 1
	ns_link "$rtr" "$net.129/25" $srv "$net.130/25" || return 1
	ip -n $cli route replace default via "$net.1" &&
		ip -n $srv route replace default via "$net.129" &&
		ip -n "$rtr" route add $nsd4/32 via "$net.130" &&
		ip netns exec "$rtr" sysctl -qw net.ipv4.ip_forward=1
}

# in_flight: the router's counters show hits, upcalls and waiting clients.
in_flight() {
	refresh || return 1
	[ "${now[hits]:-0}" -gt 0 ] && [ "${now[upcalls]:-0}" -gt 0 ] &&
		[ "${now[waiters]:-0}" -gt 0 ]
}

# start_load: the slow resolver, dnsperf, and 20 clients on one question
# that waits behind dnsperf's misses at the resolver.
start_load() {
	# The clients are in 198.18/15, outside the default list, and the
	# load goes over the default rate limit.  Short TTLs and serve-stale:
	# hits send PREFETCHes, and expired entries are answered stale by the
	# questions' timers while the resolver dawdles.
	ctl config pending_timeout_ms=30000 clients=any rrl_rate=0 max_ttl=2 \
		serve_stale=3600 stale_answer_ms=200 prefetch_pct=50 >/dev/null &&
		ctl put www.example. A 300 "www.example. 300 IN A 192.0.2.99" || return 1
	ip netns exec "$rtr" "$ctl" resolver --forward $nsd4 --delay-ms 1000 --rcvbuf 16777216 \
		>"$work/resolver.log" 2>&1 &
	resolver_pid=$!
	wait_for 20 grep -q registered "$work/resolver.log" || return 1
	ip netns exec $cli dnsperf -s $nsd4 -d "$work/queries" -l 30 -c 8 -T 2 \
		-q 500 -t 2 >"$work/dnsperf.log" 2>&1 &
	dnsperf_pid=$!
	wait_for 20 in_flight || return 1
	ip netns exec $cli "$ctl" burst $nsd4 held.example. A 20 >"$work/burst.log" 2>&1 &
	burst_pid=$!
}

stop_pid() {
	[ -n "$1" ] || return 0
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# burst_answered DESC: every one of the 20 waiting clients got its answer.
# Not in a subshell, which could not wait for the burst.
burst_answered() {
	local rc
	wait "$burst_pid"
	rc=$?
	burst_pid=
	if [ $rc = 0 ]; then
		tap_ok "$1"
	else
		tap_fail "$1" "$(cat "$work/burst.log")"
	fi
}

total_waiters=0
k=0
for i in $(seq 1 "$cycles"); do
	for how in rmmod netns; do
		what="cycle $i ($how)"
		k=$((k + 1))
		if ! load || ! router $k || ! start_load; then
			tap_fail "$what: load runs with questions in flight" \
				"$(cat "$work/resolver.log" "$work/dnsperf.log" 2>/dev/null)"
			continue
		fi
		# Once the burst is sent, read what is in flight.
		wait_for 20 grep -q '^sent' "$work/burst.log"
		in_flight
		figures="waiters ${now[waiters]}, pending ${now[pending]}, upcalls ${now[upcalls]}, hits ${now[hits]}"
		figures+=", stale answers ${now[stale_answers]:-0}, prefetches ${now[prefetches]:-0}"
		if [ "${now[waiters]:-0}" -gt 0 ] && [ "${now[upcalls]:-0}" -gt 0 ] &&
			kill -0 "$burst_pid" 2>/dev/null; then
			tap_ok "$what: in flight: $figures, 20 clients waiting"
			total_waiters=$((total_waiters + now[waiters]))
		else
			tap_fail "$what: in flight" "$figures; burst: $(cat "$work/burst.log")"
		fi
		if [ $how = rmmod ]; then
			tap_check "$what: rmmod nfdns under load" rmmod nfdns
			burst_answered "$what: the 20 waiting clients were answered"
			stop_pid "$resolver_pid"
			resolver_pid=
			ip netns del "$rtr"
		else
			kill -9 "$resolver_pid"
			wait "$resolver_pid" 2>/dev/null
			resolver_pid=
			tap_check "$what: delete the router namespace under load" \
				ip netns del "$rtr"
			burst_answered "$what: the 20 waiting clients were answered"
		fi
		stop_pid "$dnsperf_pid"
		dnsperf_pid=
	done
done
echo "# churn: $cycles cycles of each, $total_waiters clients waiting in all at the moments checked"

tap_check "nfdns is loaded at the end" load
rtr=$srv
# The query comes from the server namespace's own 198.18/15 address.
out=$(ctl config clients=any >/dev/null 2>&1 &&
	ctl put www.example. A 300 "www.example. 300 IN A 192.0.2.98" 2>&1 &&
	ip netns exec $srv dig +short +time=5 +tries=1 @$nsd4 www.example A 2>&1)
if [ "$out" = 192.0.2.98 ]; then
	tap_ok "... and answers from its cache"
else
	tap_fail "... and answers from its cache" "$out"
fi
tap_done
