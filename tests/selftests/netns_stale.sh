#!/bin/bash
# vm-kernels: debug
# End to end: prefetch and serve-stale (RFC 8767).  This namespace holds
# the module, nfdnsd registered as its resolver and one NSD, on loopback,
# authoritative for a root zone that holds short-TTL names; a client
# namespace joined by veth asks.  Upstream queries are counted at the NSD's
# address by nft, the kernel's work by its counters, and answers at the
# client.
#
#  - prefetch: a name asked every half second for two of its TTLs never
#    misses once its first answer is in; with prefetch_pct=0 it misses again
#    each time it expires.  An entry gets one PREFETCH however often it is
#    hit, and keeps its mark while the refresh fails.  With the adaptive
#    rule a name asked a few times per TTL is refreshed in time too.
#  - the authorities go silent: an expired name is answered by the kernel from
#    the stale entry with TTL 30, nfdnsd then pushes its own stale copy with
#    TTL 30, and a name never cached gets SERVFAIL.
#  - nfdnsd is killed: expired names are still answered stale, names with
#    no entry pass on (fail-open), and with stale_without_resolver=0 so do
#    expired ones.
#  - the authorities and nfdnsd return: the next resolution replaces the
#    stale entry.  With stale_answer_ms=0 an expired entry is answered stale
#    at once and refreshed behind the client.
#
#   KEEP=1 tests/selftests/netns_stale.sh    keeps the work directory
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/netns.sh"
. "$here/../lib/dig.sh"

ctl_bin=$here/nfdns_testctl
nfdnsd=${NFDNSD:-$top/userspace/nfdnsd/nfdnsd}
work=$(mktemp -d /tmp/nfdns-stale.XXXXXX)
cli=nfst$$
server=198.18.7.1
client=198.18.7.2
auth=127.54.0.1
nfdnsd_pid=
nfdnsd_log=
nsd_pid=
saved=

ctl() { "$ctl_bin" "$@"; }
counters_read() { ctl stats; }
. "$here/../lib/counters.sh"

stop_nfdnsd() {
	if [ -n "$nfdnsd_pid" ]; then
		kill "${1:--TERM}" "$nfdnsd_pid" 2>/dev/null
		wait "$nfdnsd_pid" 2>/dev/null
		nfdnsd_pid=
	fi
}
stop_nsd() {
	if [ -n "$nsd_pid" ]; then
		kill "$nsd_pid" 2>/dev/null
		wait "$nsd_pid" 2>/dev/null
		nsd_pid=
	fi
}

cleanup() {
	stop_nfdnsd -9
	stop_nsd
	ns_cleanup
	nft delete table inet nfdns_stale 2>/dev/null
	if [ -n "$saved" ]; then
		ctl config $saved >/dev/null 2>&1
		ctl flush >/dev/null 2>&1
	fi
	tap_work_done "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tap_need_built "$ctl_bin" "$nfdnsd"

# ask NAME: the client's dig, parsed; the answer's TTL in $ttl.  One try,
# so that counters stay exact.
ttl=
ask() {
	local owner rest
	ip netns exec $cli dig +time=5 +tries=1 @$server "$1" A >"$work/dig" 2>&1
	dig_parse "$work/dig"
	ttl=
	if [ ${#answer_lines[@]} -gt 0 ]; then
		read -r owner ttl rest <<<"${answer_lines[0]}"
	fi
}
# upstream: queries that reached the authoritative server's address, in $upstream.
upstream() {
	local line
	upstream=
	while read -r line; do
		[[ $line == *'counter packets '* ]] || continue
		line=${line#*counter packets }
		upstream=${line%% *}
	done < <(nft list chain inet nfdns_stale out)
}
# load_entry NAME: the kernel's entry for NAME A in entry[].
declare -A entry
load_entry() {
	local name value
	entry=()
	ctl get "$1" A >"$work/entry" 2>&1 || return 1
	while read -r name value; do
		entry[$name]=$value
	done <"$work/entry"
}
# entry_is NAME TTL: the kernel holds a live entry for NAME stored with TTL.
entry_is() {
	load_entry "$1" && [ "${entry[ttl]}" = "$2" ] && [ $((${entry[flags]} & 4)) = 0 ]
}
registered() { ctl config | grep -q '^resolver_pid [0-9]'; }
unregistered() { ! ctl config | grep -q '^resolver_pid [0-9]'; }

# The authorities go silent (their queries are dropped, so they time out
# rather than fail at once), and come back.
servers_down() { nft add rule inet nfdns_stale down ip daddr $auth drop; }
servers_up() { nft flush chain inet nfdns_stale down; }

start_nsd() {
	nsd -d -c "$work/nsd/nsd.conf" >"$work/nsd/nsd.log" 2>&1 &
	nsd_pid=$!
	wait_for 20 dig +time=1 +tries=1 +norecurse @$auth . SOA
}
start_nfdnsd() {
	nfdnsd_log=$work/nfdnsd-$1.log
	"$nfdnsd" --config /dev/null --dnssec-validation no --root-hints "$work/root.hints" \
		--listen none --do-not-query-localhost no --resolve-timeout-ms 1500 \
		--serve-stale 3600 --kernel-retry 1 --trace >"$nfdnsd_log" 2>&1 &
	nfdnsd_pid=$!
	wait_for 30 registered
}

# --- set up --------------------------------------------------------------------
saved=$(ctl config | awk '$1 ~ /^(prefetch_pct|prefetch_adaptive|serve_stale|stale_answer_ms|stale_without_resolver|pending_timeout_ms)$/ { printf "%s=%s ", $1, $2 }')
ns_add $cli
ns_link "" "$server/24" $cli "$client/24" || exit 1
ctl flush >/dev/null
ctl config clients=any pending_timeout_ms=5000 >/dev/null

mkdir -p "$work/nsd"
cat >"$work/nsd/root.zone" <<EOF
\$TTL 3600
.                SOA  a.root.test. hostmaster.root.test. 1 1800 900 604800 60
.                NS   a.root.test.
a.root.test.     A    $auth
pre.stale.test.  12   A 192.0.2.1
off.stale.test.  3    A 192.0.2.2
one.stale.test.  30   A 192.0.2.3
down.stale.test. 3    A 192.0.2.4
kill.stale.test. 3    A 192.0.2.5
once.stale.test. 3    A 192.0.2.6
gap.stale.test.  20   A 192.0.2.7
nogap.stale.test. 20  A 192.0.2.8
EOF
cat >"$work/nsd/nsd.conf" <<EOF
server:
	ip-address: $auth
	port: 53
	username: ""
	chroot: ""
	zonesdir: "$work/nsd"
	database: ""
	pidfile: "$work/nsd/nsd.pid"
	xfrdfile: "$work/nsd/xfrd.state"
	zonelistfile: "$work/nsd/zone.list"
	server-count: 1
	rrl-ratelimit: 0
	verbosity: 0
remote-control:
	control-enable: no
zone:
	name: "."
	zonefile: "root.zone"
EOF
printf '.\t3600000\tIN\tNS\ta.root.test.\na.root.test.\t3600000\tIN\tA\t%s\n' $auth >"$work/root.hints"
nft -f - <<EOF
table inet nfdns_stale {
	chain out {
		type filter hook output priority 0;
		ip daddr $auth udp dport 53 counter
	}
	chain down {
		type filter hook output priority 1;
	}
}
EOF
if start_nsd; then
	tap_ok "the authoritative server answers"
else
	tap_fail "the authoritative server answers" "$(cat "$work/nsd/nsd.log")"
	tap_done
	exit 1
fi
if start_nfdnsd a; then
	tap_ok "nfdnsd registers"
else
	tap_fail "nfdnsd registers" "$(cat "$nfdnsd_log")"
	tap_done
	exit 1
fi

# --- prefetch --------------------------------------------------------------------
# keep_asking NAME N [GAP]: ask NAME N times, GAP seconds apart (default
# 0.5); $answered counts the NOERROR answers with its address.
answered=0
keep_asking() {
	local i
	answered=0
	for ((i = 0; i < $2; i++)); do
		ask "$1"
		[ "$status" = NOERROR ] && [ ${#answer[@]} = 1 ] && answered=$((answered + 1))
		sleep "${3:-0.5}"
	done
}

# A window of 90% of a TTL of 12 s: a refresh slowed by a busy VM still
# lands before expiry, and so does a question after a slow dig.
ctl config prefetch_pct=90 serve_stale=0 >/dev/null
ask pre.stale.test
tap_check "a first question is resolved" looks NOERROR "pre.stale.test. A 192.0.2.1"
snap
upstream
up0=$upstream
keep_asking pre.stale.test 48
upstream
tap_check "prefetch: 48 questions over 2 TTLs of 12 s are all answered" [ $answered = 48 ]
tap_check "prefetch: none of them misses, and each is a kernel hit" \
	deltas misses=0 upcalls=0 hits=48
prefetched=$(rose prefetches)
tap_check "prefetch: the kernel asked nfdnsd to refresh the entry ($prefetched times)" \
	[ "$prefetched" -ge 2 ]
tap_check "prefetch: the authoritative server saw the refreshes ($((upstream - up0)) queries)" \
	[ $((upstream - up0)) -ge "$prefetched" ]
tap_check "prefetch: no refresh failed to reach nfdnsd" deltas prefetch_errors=0
load_entry pre.stale.test
tap_check "prefetch: the entry holds a whole fresh TTL (ttl ${entry[ttl]:-?}, ${entry[remaining]:-?} s left)" \
	[ "${entry[ttl]:-}" = 12 ]

# The same with prefetch off: the name expires and misses again.
ctl config prefetch_pct=0 >/dev/null
ask off.stale.test
snap
keep_asking off.stale.test 24
misses=$(rose misses)
tap_check "prefetch_pct=0: a name with TTL 3 asked for 12 s misses again ($misses times)" \
	[ "$misses" -ge 2 ]
tap_check "prefetch_pct=0: no PREFETCH is sent" deltas prefetches=0

# Adaptive: a name asked about every 8 s with TTL 20 is refreshed at its
# second hit, the last before it would expire, whatever prefetch_pct says;
# without the adaptive rule (and a window of 1%) it expires and misses.
# Any gap from 6.7 s to nearly 20 s between the questions (a slow VM's
# dig) gives the same outcome.
ctl config prefetch_pct=1 prefetch_adaptive=1 >/dev/null
ask gap.stale.test
sleep 7.5
snap
keep_asking gap.stale.test 4 7.5
tap_check "adaptive: a name asked every 8 s with TTL 20 is a hit each time ($answered answers)" \
	eval '[ $answered = 4 ] && deltas misses=0 upcalls=0 hits=4'
tap_check "adaptive: refreshed with a PREFETCH ($(rose prefetches)), not 1% before expiry" \
	eval '[ "$(rose prefetches)" -ge 1 ]'
ctl config prefetch_adaptive=0 >/dev/null
ask nogap.stale.test
sleep 7.5
snap
keep_asking nogap.stale.test 4 7.5
tap_check "adaptive off: the same name expires and misses ($(rose misses) misses)" \
	[ "$(rose misses)" -ge 1 ]
ctl config prefetch_adaptive=1 >/dev/null

# One PREFETCH per entry, however many hits: the refresh cannot succeed
# while the server is down, so the entry keeps its mark.  A window of 90%
# of a TTL of 30 s leaves 27 s for the hits, however slow the VM.
ctl config prefetch_pct=90 >/dev/null
ask one.stale.test
tap_check "a name with TTL 30 is resolved" looks NOERROR "one.stale.test. A 192.0.2.3"
servers_down
sleep 3.5
snap
for _ in 1 2 3 4 5 6; do ask one.stale.test; done
tap_check "six hits in the last 90% of its TTL send one PREFETCH" deltas hits=6 prefetches=1 misses=0
load_entry one.stale.test
tap_check "the entry shows the prefetch mark while its refresh fails (flags ${entry[flags]:-?})" \
	[ $((${entry[flags]:-0} & 8)) = 8 ]

# --- the authorities are down ----------------------------------------------------
ctl config prefetch_pct=0 serve_stale=3600 stale_answer_ms=300 >/dev/null
servers_up
# cached NAME: asked, and its answer in the kernel.  nfdnsd may take a
# while to ask a server again that did not answer its refresh.
cached() { ask "$1" && entry_is "$1" 3; }
for name in down kill once; do
	tap_check "$name.stale.test is cached" wait_for 30 cached $name.stale.test
done
servers_down
sleep 3.5
# nfdnsd, stopped, cannot answer within stale_answer_ms: the kernel does.
kill -STOP "$nfdnsd_pid"
snap
ask down.stale.test
tap_check "resolver slow: an expired name is answered from the stale entry" \
	looks NOERROR "down.stale.test. A 192.0.2.4"
tap_check "resolver slow: its TTL is 30 (got $ttl)" [ "$ttl" = 30 ]
tap_check "resolver slow: the kernel answered it stale, and the question stays pending" \
	eval 'deltas stale_answers=1 hits=0 upcalls=1 && [ "${now[pending]}" = 1 ]'
kill -CONT "$nfdnsd_pid"
tap_check "servers down: nfdnsd then answers from its own stale copy, pushed with TTL 30" \
	wait_for 10 entry_is down.stale.test 30
ask nothing.stale.test
tap_check "servers down: a name with no entry gets SERVFAIL" looks SERVFAIL

# --- nfdnsd is killed -------------------------------------------------------------
stop_nfdnsd -9
tap_check "nfdnsd is gone" wait_for 10 unregistered
snap
ask kill.stale.test
tap_check "no resolver: an expired name is answered stale (TTL $ttl)" \
	eval '[ "$status" = NOERROR ] && [ "$ttl" = 30 ] && [ "${answer[0]}" = "kill.stale.test. A 192.0.2.5" ]'
tap_check "no resolver: by the kernel, nothing passed on" deltas stale_answers=1 pass_fail_open=0
snap
ask nocache.stale.test
tap_check "no resolver: a name with no entry passes on (fail-open)" deltas pass_fail_open=1 stale_answers=0
ctl config stale_without_resolver=0 >/dev/null
snap
ask kill.stale.test
tap_check "stale_without_resolver=0: the expired name passes on too" deltas pass_fail_open=1 stale_answers=0
ctl config stale_without_resolver=1 >/dev/null

# --- the servers and nfdnsd return -----------------------------------------------
servers_up
# Long enough for a resolution: this client must get the fresh answer.
ctl config stale_answer_ms=1800 >/dev/null
start_nfdnsd b || tap_fail "nfdnsd registers again" "$(cat "$nfdnsd_log")"
snap
upstream
up0=$upstream
ask kill.stale.test
upstream
tap_check "back: the next question is resolved afresh (TTL $ttl)" \
	eval '[ "$status" = NOERROR ] && [ "$ttl" -le 3 ] && [ $((upstream - up0)) -ge 1 ]'
tap_check "back: the fresh answer replaced the stale entry" entry_is kill.stale.test 3

# stale_answer_ms=0: stale at once, refreshed behind the client.
ctl config stale_answer_ms=0 >/dev/null
sleep 3.5
snap
ask once.stale.test
tap_check "stale_answer_ms=0: an expired name is answered stale at once (TTL $ttl)" \
	eval '[ "$status" = NOERROR ] && [ "$ttl" = 30 ]'
tap_check "stale_answer_ms=0: and refreshed with one PREFETCH, no waiting client" \
	deltas stale_answers=1 prefetches=1 upcalls=0
tap_check "stale_answer_ms=0: the refresh replaces the entry" wait_for 10 entry_is once.stale.test 3

tap_done
