#!/bin/bash
# End to end: nfdnsd with the module.  This namespace (the VM's main one)
# holds the module, a DNS hierarchy of NSD servers on loopback addresses
# (tests/zones, with its own root), nfdnsd registered as the namespace's
# resolver, and Unbound, a plain recursive server over the same hierarchy,
# listening on the address the client asks.  A client namespace joined by
# veth sends dig queries to that address.
#
# While nfdnsd is registered the module must take every query: misses go to
# nfdnsd, which resolves them from the root down and pushes the answer back,
# repeats are kernel hits, and Unbound sees nothing.  With nfdnsd gone the
# queries must pass untouched (fail-open) and Unbound answers them, and
# clients caught waiting when nfdnsd goes must get SERVFAIL at once, not a
# timeout.
#
# Every process costs much in a VM without KVM: outputs are parsed with
# bash builtins, and each helper that reads state sets variables instead of
# printing into a command substitution.
#
#   KEEP=1 tests/selftests/netns_nfdnsd.sh    keeps the work directory
#   NFDNSD=path/to/nfdnsd ...                 another binary
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/netns.sh"
. "$here/../lib/unbound.sh"
. "$here/../lib/dig.sh"

ctl_bin=$here/nfdns_testctl
nfdnsd=${NFDNSD:-$top/userspace/nfdnsd/nfdnsd}
hierarchy=$top/tests/zones/hierarchy.sh
work=$(mktemp -d /tmp/nfdns-nfdnsd.XXXXXX)
cli=nfcli$$
server=198.18.1.1
client=198.18.1.2
nfdnsd_pid=
nfdnsd_log=
unbound_pid=
unbound_conf=$work/unbound/unbound.conf
saved_pending_timeout=
made_dev_fd=

cleanup() {
	if [ -n "$nfdnsd_pid" ]; then
		kill -9 "$nfdnsd_pid" 2>/dev/null
		wait "$nfdnsd_pid" 2>/dev/null
	fi
	if [ -n "$unbound_pid" ]; then
		kill "$unbound_pid" 2>/dev/null
		wait "$unbound_pid" 2>/dev/null
	fi
	"$hierarchy" stop "$work/hier" >/dev/null 2>&1
	ns_cleanup
	[ -n "$made_dev_fd" ] && rm -f /dev/fd
	# The module stays loaded for whatever runs next in this namespace:
	# leave it as it was found, with an empty cache.
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

# now_ms: milliseconds since the epoch, in $ms_now (no process).
now_ms() {
	local t=${EPOCHREALTIME/[.,]/}
	ms_now=$((t / 1000))
}

# --- the module's state in this namespace --------------------------------------
# Counters: tests/lib/counters.sh.  (tap_check runs its command in a
# subshell: what deltas reads there does not survive it.)
counters_read() { ctl stats; }
. "$here/../lib/counters.sh"
# waiting PENDING WAITERS: the pending table holds that many questions and
# clients.
waiting() {
	refresh && [ "${now[pending]}" = "$1" ] && [ "${now[waiters]}" = "$2" ]
}
# load_config: the settings in conf[], the registered resolver's netlink
# port id in $portid (empty when none).
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
# load_entry NAME TYPE: the kernel's entry for the question in entry[].
declare -A entry
load_entry() {
	local name value
	entry=()
	ctl get "$1" "$2" >"$work/entry" 2>&1 || return 1
	while read -r name value; do
		entry[$name]=$value
	done <"$work/entry"
}

# --- the client's dig ----------------------------------------------------------
# ask NAME TYPE [DIG-ARGS...]: the client's dig, parsed (dig_parse in
# tests/lib/dig.sh).  One try: a retry would be a second query and blur the
# counters.
ask() {
	ip netns exec $cli dig +time=5 +tries=1 @$server "$@" >"$work/dig" 2>&1
	dig_parse "$work/dig"
}
show() { printf '%s\n' "$out"; }
# result DESC COND...: one TAP result from a condition; the last dig output
# as the diagnostic.
result() {
	local desc=$1
	shift
	if "$@"; then tap_ok "$desc"; else tap_fail "$desc" "$(show)"; fi
}

# bg_dig FILE NAME TYPE: the client's dig in the background, its output in
# FILE and the time it returned (ms since the epoch) in FILE.end.
bg_dig() {
	local file=$1
	shift
	(
		ip netns exec $cli dig +time=15 +tries=1 @$server "$@" >"$file" 2>&1
		now_ms
		echo $ms_now >"$file.end"
	) &
}
# bg_done FILE...: each background dig has returned.
bg_done() {
	local f
	for f in "$@"; do
		[ -s "$f.end" ] || return 1
	done
}
# bg_last FILE...: the latest return time of those digs, in $last_end.
bg_last() {
	local f end
	last_end=0
	for f in "$@"; do
		read -r end <"$f.end" 2>/dev/null || end=0
		[ "$end" -gt "$last_end" ] && last_end=$end
	done
}

# --- nfdnsd --------------------------------------------------------------------
start_nfdnsd() {
	nfdnsd_log=$1
	"$nfdnsd" --config /dev/null --dnssec-validation no --root-hints "$work/hier/root.hints" --listen none \
		--do-not-query-localhost no \
		--trace >"$nfdnsd_log" 2>&1 &
	nfdnsd_pid=$!
}
# logged TEXT...: each TEXT is in some line of nfdnsd's log.
logged() { log_has "$nfdnsd_log" "$@"; }
# trace_count TEXT: lines of nfdnsd's trace containing TEXT, in $traced.
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
alive() { kill -0 "$1" 2>/dev/null; }

# --- Unbound -------------------------------------------------------------------
# unbound_count: client queries Unbound has received, in $uq (empty when
# Unbound does not answer).
uq=
unbound_count() {
	local line
	uq=
	unbound-control -c "$unbound_conf" stats_noreset >"$work/unbound.stats" 2>&1 || return 1
	while IFS= read -r line; do
		[[ $line == total.num.queries=* ]] && uq=${line#*=}
	done <"$work/unbound.stats"
	[ -n "$uq" ]
}

# --- set up --------------------------------------------------------------------
if no_resolver; then
	tap_ok "no resolver is registered in this namespace yet"
else
	tap_fail "no resolver is registered in this namespace yet" "$(cat "$work/config")"
fi
saved_pending_timeout=${conf[pending_timeout_ms]:-}
ctl flush >/dev/null
# The client is in 198.18/15, outside the default list.
ctl config clients="$default_clients,198.18.0.0/15"

ns_add $cli || { tap_fail "create the client namespace"; tap_done; exit 1; }
ns_link $cli "$client/24" "" "$server/24"
tap_check "veth path client -> $server" ip netns exec $cli ping -c1 -W5 $server

# hierarchy.sh reads through process substitution, which needs /dev/fd; the
# test VM's /dev is a bare devtmpfs without it.
if [ ! -e /dev/fd ]; then
	ln -s /proc/self/fd /dev/fd && made_dev_fd=1
fi

# Only the servers these cases need, so that the hierarchy starts quickly:
# both roots, both com. servers, example.com., g.example.com. and the slow
# server of slow.com.
cat >"$work/servers.conf" <<'EOF'
nsd      127.53.0.1     .
nsd      127.53.0.2     .
nsd      127.53.1.1     com
nsd      127.53.1.2     com
nsd      127.53.2.1     example.com
nsd      127.53.2.2     example.com
nsd      127.53.2.3     g.example.com
hostile  127.53.8.3     slow
EOF
if NFDNS_SERVERS=$work/servers.conf "$hierarchy" start "$work/hier" >"$work/hier.log" 2>&1; then
	tap_ok "DNS hierarchy on loopback started (root, com., example.com., slow.com.)"
else
	tap_fail "DNS hierarchy on loopback started (root, com., example.com., slow.com.)" \
		"$(cat "$work/hier.log")"
	tap_done
	exit 1
fi

mkdir -p "$work/unbound"
unbound_conf "$work/unbound" $server 198.18.0.0/15 "$work/hier/root.hints" \
	"verbosity: 1" "num-threads: 1" "so-reuseport: no" >"$unbound_conf"
unbound -d -c "$unbound_conf" >"$work/unbound/stdout.log" 2>&1 &
unbound_pid=$!
if wait_for 30 unbound_count; then
	tap_ok "Unbound runs on $server"
else
	tap_fail "Unbound runs on $server" "$(cat "$work/unbound/stdout.log" "$work/unbound/unbound.log" 2>&1)"
fi

# Before nfdnsd: the module has no resolver here, so the query must pass
# untouched and Unbound answer it.  This also shows that Unbound would see
# the client's queries if the module let them through.
unbound_count
u0=$uq
snap
ask www.example.com A
result "without a resolver, the client's query reaches Unbound (fail-open): 192.0.2.44" \
	looks NOERROR "www.example.com. A 192.0.2.44"
tap_check "counted as fail-open: misses +1, pass_fail_open +1, no upcall" \
	deltas misses=1 pass_fail_open=1 upcalls=0 hits=0
unbound_count
result "Unbound received it ($u0 -> $uq)" [ "$uq" = $((u0 + 1)) ]

echo "# set up in $SECONDS s"

# --- 1. nfdnsd registers ----------------------------------------------------------
start_nfdnsd "$work/nfdnsd1.log"
if wait_for 30 nfdnsd_registered; then
	tap_ok "nfdnsd registers: CONFIG_GET shows its socket (port id $portid, pid $nfdnsd_pid)"
else
	tap_fail "nfdnsd registers: CONFIG_GET shows its socket" "$(cat "$work/config" "$nfdnsd_log")"
fi
# Resolutions are counted below: the root must be primed first.
if wait_for 30 logged 'info: primed: 2 root servers'; then
	tap_ok "nfdnsd primed the root from the test hierarchy's hints"
else
	tap_fail "nfdnsd primed the root from the test hierarchy's hints" "$(cat "$nfdnsd_log")"
fi
# Unbound must hear nothing from here until nfdnsd is killed.
unbound_count
unbound_before=$uq

# --- 2. scenario 1: a delegation from the root down --------------------------------
snap
ask www.example.com A
miss_ms=$query_time
result "www.example.com A from the client: 192.0.2.44" looks NOERROR "www.example.com. A 192.0.2.44"
tap_check "it was a miss sent up to nfdnsd: misses +1, upcalls +1, inserts +1, no hit" \
	deltas misses=1 upcalls=1 inserts=1 answers=1 hits=0 pass_fail_open=0
# tap_check ran deltas in a subshell: read the counters here again.
refresh
# Each query leaves through LOCAL_OUT and, on loopback, comes back through
# PRE_ROUTING with its mark: at least once per upstream query.
marked=$((${now[pass_marked]:-0} - ${was[pass_marked]:-0}))
result "nfdnsd's own upstream queries passed the hook by their mark (pass_marked +$marked)" \
	[ "$marked" -ge 3 ]
tap_check "nfdnsd resolved it for the kernel in 3 upstream queries" \
	logged "trace: answered www.example.com. A NOERROR (1 records) after 3 upstream queries"
# QNAME minimisation: the root is asked com. only, com. example.com. only.
tap_check "nfdnsd's trace shows root -> com. -> example.com., each asked one more label" \
	logged "root-servers.test (127.53.0." "for com. A -> referral to com. (2 NS, 2 glue)" \
	".nic.com (127.53.1." "for example.com. A -> referral to example.com. (2 NS, 2 glue)" \
	".example.com (127.53.2." "for www.example.com. A -> answer (1 A)"
load_entry www.example.com A
tap_check "the kernel holds www.example.com A with the zone's TTL (3600)" \
	eval '[ "${entry[ttl]:-}" = 3600 ] || { cat "$work/entry"; false; }'

trace_count " www.example.com. "
traced_before=$traced
snap
ask www.example.com A
hit_ms=$query_time
result "the same query again: 192.0.2.44" looks NOERROR "www.example.com. A 192.0.2.44"
tap_check "a kernel hit: hits +1, no miss, no upcall" deltas hits=1 answers=1 misses=0 upcalls=0
trace_count " www.example.com. "
result "nfdnsd saw nothing of it (no new trace line)" [ "$traced" = "$traced_before" ]
echo "# dig query time for www.example.com A: miss through nfdnsd ${miss_ms:-?} ms, kernel hit ${hit_ms:-?} ms"

# --- 3. scenario 2: a CNAME into another zone --------------------------------------
snap
ask beta.example.com A
result "beta.example.com A: the CNAME to beta.g.example.com, then 192.0.2.55" \
	looks NOERROR "beta.example.com. CNAME beta.g.example.com." "beta.g.example.com. A 192.0.2.55"
tap_check "a miss resolved through nfdnsd: upcalls +1, inserts +1" \
	deltas misses=1 upcalls=1 inserts=1 hits=0
tap_check "nfdnsd followed the CNAME into g.example.com." \
	logged "trace: answered beta.example.com. A NOERROR (2 records)" \
	"(127.53.2.3) for beta.g.example.com. A -> answer (1 A)"
snap
ask beta.example.com A
result "again: the same chain" \
	looks NOERROR "beta.example.com. CNAME beta.g.example.com." "beta.g.example.com. A 192.0.2.55"
tap_check "a kernel hit" deltas hits=1 misses=0 upcalls=0

# --- 4. a name in a zone nfdnsd knows -----------------------------------------------
snap
ask other.example.com A
result "other.example.com A: 192.0.2.45" looks NOERROR "other.example.com. A 192.0.2.45"
tap_check "a miss resolved through nfdnsd" deltas misses=1 upcalls=1 hits=0
tap_check "nfdnsd asked example.com.'s servers once, nothing else" \
	logged "trace: answered other.example.com. A NOERROR (1 records) after 1 upstream queries"
# Every upstream query for it went to 127.53.2.1 or .2 (example.com.).
trace_count " for other.example.com. A -> "
asked_all=$traced
trace_count ".example.com (127.53.2.1) for other.example.com. A -> "
asked_example=$traced
trace_count ".example.com (127.53.2.2) for other.example.com. A -> "
asked_example=$((asked_example + traced))
tap_check "no step through the root or com. for it ($asked_example of $asked_all queries to example.com.'s servers)" \
	eval '[ "$asked_all" -ge 1 ] && [ "$asked_all" = "$asked_example" ]'

# --- 5. NXDOMAIN -----------------------------------------------------------------------
snap
ask nx.example.com A
result "nx.example.com A: NXDOMAIN with example.com.'s SOA" \
	eval 'looks NXDOMAIN >/dev/null && [[ ${authority[0]:-} == "example.com. SOA "* ]]'
tap_check "a miss resolved through nfdnsd, its answer stored" \
	deltas misses=1 upcalls=1 inserts=1 hits=0
load_entry nx.example.com A
tap_check "the kernel holds it as a negative entry (flag 2), TTL 300 from the SOA" \
	eval '[ "${entry[flags]:-}" = 2 ] && [ "${entry[ttl]:-}" = 300 ] || { cat "$work/entry"; false; }'
snap
ask nx.example.com A
result "again: NXDOMAIN" looks NXDOMAIN
tap_check "a kernel hit on the negative entry" deltas hits=1 misses=0 upcalls=0

# --- 6. coalescing ---------------------------------------------------------------------
# nfdnsd is stopped while the 50 questions arrive, so that all of them find
# the first one still pending however slow the VM is; then it goes on.
tap_check "pending timeout 30 s (a stopped nfdnsd must not be overtaken by it)" \
	ctl config pending_timeout_ms=30000
snap
kill -STOP "$nfdnsd_pid"
ip netns exec $cli "$ctl_bin" burst $server www.slow.com. A 50 >"$work/burst.out" 2>&1 &
burst_pid=$!
if wait_for 30 waiting 1 50; then
	tap_ok "50 concurrent identical queries wait on one pending question"
else
	tap_fail "50 concurrent identical queries wait on one pending question" "$(cat "$work/stats")"
fi
kill -CONT "$nfdnsd_pid"
wait $burst_pid
burst_rc=$?
burst=$(<"$work/burst.out")
if [ $burst_rc = 0 ] && [[ $burst == *$'\nrcode NOERROR 50'* ]]; then
	tap_ok "all 50 answered NOERROR, each with its own ID"
else
	tap_fail "all 50 answered NOERROR, each with its own ID" "$burst"
fi
tap_check "exactly one upcall: upcalls +1, coalesced +49, answers +50" \
	deltas misses=50 upcalls=1 coalesced=49 answers=50 hits=0
trace_count "answered www.slow.com. A NOERROR (1 records) after"
result "nfdnsd resolved www.slow.com. once ($traced)" [ "$traced" = 1 ]
ask www.slow.com A
result "the answer is the slow server's" looks NOERROR "www.slow.com. A 192.0.2.111"

unbound_count
tap_check "Unbound received none of the queries while nfdnsd was registered ($unbound_before -> $uq)" \
	eval '[ -n "$uq" ] && [ "$uq" = "$unbound_before" ]'

# --- 7. nfdnsd killed --------------------------------------------------------------------
# A client is waiting when nfdnsd dies: the kernel must answer it when the
# netlink socket goes, not leave it to the pending timeout.
snap
kill -STOP "$nfdnsd_pid"
bg_dig "$work/killed.dig" other.example.com AAAA
if wait_for 30 waiting 1 1; then
	tap_ok "a client waits on a question nfdnsd has not answered"
else
	tap_fail "a client waits on a question nfdnsd has not answered" "$(cat "$work/stats")"
fi
now_ms
killed_at=$ms_now
kill -9 "$nfdnsd_pid"
wait "$nfdnsd_pid" 2>/dev/null
nfdnsd_pid=
wait_for 20 bg_done "$work/killed.dig"
bg_last "$work/killed.dig"
dig_parse "$work/killed.dig"
ms=$((last_end - killed_at))
result "kill -9 nfdnsd: the waiting client gets SERVFAIL at once ($ms ms)" \
	eval '[ "$status" = SERVFAIL ] && [ $ms -ge 0 ] && [ $ms -lt 5000 ]'
tap_check "SERVFAIL counted, not a timeout; nothing left pending" \
	eval 'deltas servfails=1 timeouts=0 upcalls=1 && waiting 0 0'
tap_check "no resolver registered any more" no_resolver

unbound_count
u0=$uq
snap
ask text.example.com TXT
result "a miss now passes to Unbound (fail-open): the TXT record" \
	looks NOERROR 'text.example.com. TXT "only text here"'
tap_check "counted as fail-open: pass_fail_open +1, no upcall" \
	deltas misses=1 pass_fail_open=1 upcalls=0 hits=0
unbound_count
result "Unbound received it ($u0 -> $uq)" [ "$uq" = $((u0 + 1)) ]
u0=$uq
snap
ask www.example.com A
result "a cached name is still answered: 192.0.2.44" looks NOERROR "www.example.com. A 192.0.2.44"
tap_check "... by the kernel: hits +1, no fail-open" deltas hits=1 misses=0 pass_fail_open=0
unbound_count
result "Unbound did not see it ($u0 -> $uq)" [ "$uq" = "$u0" ]

# --- 8. nfdnsd restarted ----------------------------------------------------------------
start_nfdnsd "$work/nfdnsd2.log"
if wait_for 30 nfdnsd_registered; then
	tap_ok "restarted nfdnsd registers again (port id $portid, pid $nfdnsd_pid)"
else
	tap_fail "restarted nfdnsd registers again" "$(cat "$work/config" "$nfdnsd_log")"
fi
u0=$uq
snap
ask chain1.example.com A
result "chain1.example.com A: three CNAMEs across two zones, then 192.0.2.56" \
	looks NOERROR "chain1.example.com. CNAME chain2.g.example.com." \
	"chain2.g.example.com. CNAME chain3.example.com." \
	"chain3.example.com. CNAME chain4.g.example.com." "chain4.g.example.com. A 192.0.2.56"
tap_check "the miss went to the new nfdnsd: upcalls +1, no fail-open" \
	deltas misses=1 upcalls=1 pass_fail_open=0 hits=0
tap_check "the new nfdnsd resolved it from the root" \
	logged "trace: answered chain1.example.com. A NOERROR (4 records)" \
	"for com. A -> referral to com."
unbound_count
result "Unbound did not see it ($u0 -> $uq)" [ "$uq" = "$u0" ]

# --- 9. SIGTERM with clients waiting ----------------------------------------------------
# The slow server holds answers to held.slow.com and the names under it
# for 2 s, so these questions are still being resolved when nfdnsd is told
# to stop.  With QNAME minimisation each is held from its first query on:
# held.slow.com is one label below the zone, and also.held.slow.com is
# asked held.slow.com first.
# Their answer would be NXDOMAIN; SERVFAIL shows the shutdown answered them,
# and with a 30 s pending timeout and 15 s dig timeouts a lost client shows.
snap
bg_dig "$work/term1.dig" held.slow.com A
bg_dig "$work/term2.dig" held.slow.com A
bg_dig "$work/term3.dig" also.held.slow.com A
if wait_for 30 waiting 2 3; then
	tap_ok "three clients wait on two questions for the slow server"
else
	tap_fail "three clients wait on two questions for the slow server" "$(cat "$work/stats")"
fi
now_ms
term_at=$ms_now
kill -TERM "$nfdnsd_pid"
wait_for 20 bg_done "$work/term1.dig" "$work/term2.dig" "$work/term3.dig"
bg_last "$work/term1.dig" "$work/term2.dig" "$work/term3.dig"
ms=$((last_end - term_at))
bad=
for f in term1 term2 term3; do
	dig_parse "$work/$f.dig"
	[ "$status" = SERVFAIL ] || bad="$bad $f:${status:-none}"
done
out=$(cat "$work"/term[123].dig)
result "SIGTERM: each waiting client gets SERVFAIL promptly (the last after $ms ms)" \
	eval '[ -z "$bad" ] && [ $ms -ge 0 ] && [ $ms -lt 5000 ]'
tap_check "SERVFAILs counted, no timeout, nothing left pending" \
	eval 'deltas upcalls=2 coalesced=1 servfails=3 timeouts=0 hits=0 && waiting 0 0'
if wait_for 10 eval '! alive $nfdnsd_pid'; then
	wait "$nfdnsd_pid"
	exit_status=$?
	nfdnsd_pid=
	tap_check "nfdnsd stops cleanly (status $exit_status) and says it unregistered" \
		eval '[ $exit_status = 0 ] && logged "unregistered from the nfdns kernel module" "nfdnsd info: stopped"'
else
	tap_fail "nfdnsd stops within 10 s of SIGTERM" "$(cat "$nfdnsd_log")"
fi
tap_check "no resolver registered any more" no_resolver
unbound_count
u0=$uq
snap
ask ns1.example.com A
result "after nfdnsd stopped, a miss passes to Unbound again: 127.53.2.1" \
	looks NOERROR "ns1.example.com. A 127.53.2.1"
tap_check "counted as fail-open" deltas pass_fail_open=1 upcalls=0
unbound_count
result "Unbound received it ($u0 -> $uq)" [ "$uq" = $((u0 + 1)) ]

if [ "$TAP_FAILED" -gt 0 ]; then
	for f in "$work"/nfdnsd*.log; do
		echo "# --- $f"
		sed 's/^/# /' "$f"
	done
fi
echo "# whole test: $SECONDS s"
tap_done
