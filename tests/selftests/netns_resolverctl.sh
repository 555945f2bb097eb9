#!/bin/bash
# vm-kernels: 6.12.*-amd64
# End to end: `nfdnsctl resolver` against nfdnsd registered with the
# module.  One NSD serves a small root zone on loopback (every name the
# test asks is in it, or delegated to an address nothing answers); nfdnsd
# resolves from it, and a client namespace joined by veth asks the kernel.
# Each subcommand is checked by its effect where it shows: upstream
# queries counted by nft on nfdnsd's mark, the kernel's entries and
# counters, and the answers at the client.  Reload runs under a dnsperf
# load, which must lose nothing.  It tests nfdnsd rather than the module,
# so it runs in the stock 6.12 VM only.
#
#   KEEP=1   keeps the work directory
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/netns.sh"
. "$here/../lib/dig.sh"

ctl_bin=$here/nfdns_testctl
nfdnsctl=$top/userspace/nfdnsctl/nfdnsctl
nfdnsd=${NFDNSD:-$top/userspace/nfdnsd/nfdnsd}
work=$(mktemp -d /tmp/nfdns-resolverctl.XXXXXX)
sock=$work/nfdnsd.sock
cli=nfrc$$
server=198.18.4.1
client=198.18.4.2
root=127.53.90.1
mark=0x6e66
nfdnsd_pid=
dnsperf_pid=

ctl() { "$ctl_bin" "$@"; }
r() { "$nfdnsctl" resolver --socket "$sock" "$@"; }

cleanup() {
	[ -n "$dnsperf_pid" ] && kill "$dnsperf_pid" 2>/dev/null
	if [ -n "$nfdnsd_pid" ]; then
		kill "$nfdnsd_pid" 2>/dev/null
		wait "$nfdnsd_pid" 2>/dev/null
	fi
	[ -s "$work/root/nsd.pid" ] && kill "$(cat "$work/root/nsd.pid")" 2>/dev/null
	ns_cleanup
	nft delete table inet nfdns_rc 2>/dev/null
	ctl flush >/dev/null 2>&1
	tap_work_done "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tap_need_built "$ctl_bin" "$nfdnsctl" "$nfdnsd"

ask() {
	ip netns exec $cli dig +time=5 +tries=1 @$server "$@" >"$work/dig" 2>&1
	dig_parse "$work/dig"
}
# upstream: nfdnsd's queries to the root server so far, by nft, in $upstream.
upstream() {
	local line
	upstream=0
	while read -r line; do
		[[ $line == *'counter packets '* ]] || continue
		line=${line#*counter packets }
		upstream=${line%% *}
	done < <(nft list chain inet nfdns_rc out)
}
result() {
	local desc=$1
	shift
	if "$@" >"$work/why" 2>&1; then tap_ok "$desc"; else tap_fail "$desc" "$(cat "$work/why")"; fi
}

# --- set up --------------------------------------------------------------------
ns_add $cli
ns_link "" "$server/24" $cli "$client/24" || exit 1
ip addr add $root/32 dev lo 2>/dev/null
ctl flush >/dev/null
ctl config clients=any >/dev/null
cat >"$work/root.zone" <<EOF
\$TTL 300
.	SOA	ns.root. admin.root. 1 3600 600 86400 60
.	NS	ns.root.
ns.root.	A	$root
www.test.	A	192.0.2.1
mail.test.	A	192.0.2.2
dead.	NS	ns.dead.
ns.dead.	A	198.18.4.99
EOF
for i in $(seq 1 50); do printf 'n%d.test.\tA\t192.0.2.%d\n' $i $((i + 10)); done >>"$work/root.zone"
nsd_start "" "$work/root" . "$work/root.zone" $root ||
	tap_fail "the root server starts" "$(cat "$work/root/nsd.log")"
printf '.\t3600000\tIN\tNS\tns.root.\nns.root.\t3600000\tIN\tA\t%s\n' $root >"$work/root.hints"
nft -f - <<EOF
table inet nfdns_rc {
	chain out {
		type filter hook output priority 0;
		meta mark $mark ip daddr $root udp dport 53 counter
	}
}
EOF
cat >"$work/nfdnsd.conf" <<EOF
dnssec-validation no
root-hints $work/root.hints
do-not-query-localhost no
listen 127.0.0.1:5300
control-socket $sock
qname-minimisation no
metrics 9153
resolve-timeout-ms 4000
local-data "old.test 60 A 10.0.0.6"
EOF
"$nfdnsd" --config "$work/nfdnsd.conf" >"$work/nfdnsd.log" 2>&1 &
nfdnsd_pid=$!
registered() { r status | grep -qx 'kernel_registered true'; }
result "status: nfdnsd is registered with the kernel" wait_for 30 registered
result "status: names its configuration file" bash -c "'$nfdnsctl' resolver --socket '$sock' status | grep -qx 'config_file $work/nfdnsd.conf'"
result "the socket is mode 0600 without a control group" [ "$(stat -c %a "$sock")" = 600 ]
# The socket's mode alone must keep another user out: the way to it is open.
chmod 711 "$work"
cp "$nfdnsctl" "$work/nfdnsctl-other"
chmod 755 "$work/nfdnsctl-other"
if setpriv --reuid 65534 --regid 65534 --clear-groups "$work/nfdnsctl-other" resolver --socket "$sock" status >"$work/other" 2>&1; then
	tap_fail "another user is refused" "$(cat "$work/other")"
elif grep -q 'not in its control group' "$work/other"; then
	tap_ok "another user is refused, and told why"
else
	tap_fail "another user is refused, and told why" "$(cat "$work/other")"
fi

# --- flush ---------------------------------------------------------------------
upstream
u0=$upstream
ask www.test A
looks NOERROR "www.test. A 192.0.2.1" >"$work/why" && tap_ok "a first query is resolved" || tap_fail "a first query is resolved" "$(cat "$work/why")"
upstream
result "... with one upstream query" [ $((upstream - u0)) = 1 ]
result "... and the kernel holds it" ctl get www.test A
result "flush: both caches" bash -c "'$nfdnsctl' resolver --socket '$sock' flush www.test | grep -q '^1 RRsets flushed from nfdnsd; the kernel.s entries deleted'"
result "flush: the kernel's entry is gone" bash -c "! '$ctl_bin' get www.test A"
upcalls0=$(ctl stats upcalls)
upstream
u0=$upstream
ask www.test A
upstream
upcalls1=$(ctl stats upcalls)
result "flush: the next query goes to nfdnsd, and upstream (1 upcall, 1 query)" \
	[ "$((upstream - u0)) $((upcalls1 - upcalls0))" = "1 1" ]
ask mail.test A
result "flush --subtree: a second name cached" ctl get mail.test A
result "flush --subtree test: every name below" bash -c "'$nfdnsctl' resolver --socket '$sock' flush --subtree test >/dev/null && ! '$ctl_bin' get mail.test A && ! '$ctl_bin' get www.test A"
upstream
u0=$upstream
dig +time=3 +tries=1 -p 5300 @127.0.0.1 mail.test A >/dev/null
upstream
result "... nfdnsd's own cache too (a query on its port goes upstream)" [ $((upstream - u0)) = 1 ]

# --- flush-negative --------------------------------------------------------------
dig +time=3 +tries=1 -p 5300 @127.0.0.1 nx.test A >"$work/dig"
dig_parse "$work/dig"
result "a negative answer" [ "$status" = NXDOMAIN ]
upstream
u0=$upstream
dig +time=3 +tries=1 -p 5300 @127.0.0.1 nx.test A >/dev/null
upstream
result "... cached by nfdnsd (no query)" [ $((upstream - u0)) = 0 ]
ask nx2.test A
result "a negative answer through the kernel is a kernel entry" ctl get nx2.test A
upstream
u0=$upstream
result "flush-negative" bash -c "'$nfdnsctl' resolver --socket '$sock' flush-negative | grep -q '^[1-9][0-9]* flushed (rrsets)'"
dig +time=3 +tries=1 -p 5300 @127.0.0.1 nx.test A >/dev/null
upstream
result "... then asked upstream again" [ $((upstream - u0)) = 1 ]
result "... and the kernel's negative entry is gone" bash -c "! '$ctl_bin' get nx2.test A"

# --- infra -----------------------------------------------------------------------
result "dump-infra: the root server, with its RTT" bash -c "'$nfdnsctl' resolver --socket '$sock' dump-infra | grep -q '^server=$root:53 srtt_ms=[0-9]* '"
result "flush-infra all" bash -c "'$nfdnsctl' resolver --socket '$sock' flush-infra all | grep -q 'flushed (entries)'"
result "... leaves dump-infra empty" bash -c "[ -z \"\$('$nfdnsctl' resolver --socket '$sock' dump-infra)\" ]"

# --- requests --------------------------------------------------------------------
# www.dead is delegated to an address whose queries vanish: it stays in flight.
ip -n $cli addr add 198.18.4.99/32 dev lo
ip netns exec $cli nft -f - <<EOF
table inet sink {
	chain in {
		type filter hook input priority 0;
		ip daddr 198.18.4.99 udp dport 53 drop
	}
}
EOF
dig +time=8 +tries=1 -p 5300 @127.0.0.1 www.dead A >/dev/null &
dead_pid=$!
inflight() { r requests | grep -q '^name=www.dead. type=A .* state=WAIT_REPLY .*zone=dead. server=198.18.4.99:53'; }
result "requests: a question in flight, its zone and server" wait_for 5 inflight
result "requests --json is the raw answer" bash -c "'$nfdnsctl' resolver --socket '$sock' --json requests | jq -e '.ok and (.requests | length) >= 1' >/dev/null"
wait $dead_pid

# --- log-level -------------------------------------------------------------------
result "log-level debug" bash -c "[ \"\$('$nfdnsctl' resolver --socket '$sock' log-level debug)\" = debug ]"
result "log-level shows it" bash -c "[ \"\$('$nfdnsctl' resolver --socket '$sock' log-level)\" = debug ]"
"$nfdnsctl" resolver --socket "$sock" log-level loud >"$work/out" 2>&1
rc=$?
result "an unknown level: exit 1 and why" bash -c "[ $rc = 1 ] && grep -q 'unknown log level' '$work/out' || { cat '$work/out'; false; }"
r log-level info >/dev/null

# --- stats -----------------------------------------------------------------------
result "stats: counters as NAME VALUE" bash -c "'$nfdnsctl' resolver --socket '$sock' stats | grep -qx 'kernel_registrations 1'"
result "stats --prometheus passes promtool" bash -c "'$nfdnsctl' resolver --socket '$sock' stats --prometheus | promtool check metrics"

# --- metrics ---------------------------------------------------------------------
scrape() { curl -sf http://127.0.0.1:9153/metrics >"$work/metrics"; }
metric() { awk -v m="$1" '$1 == m { print $2 }' "$work/metrics"; }
result "metrics: /metrics answers, and promtool passes it" bash -c "curl -sf http://127.0.0.1:9153/metrics | promtool check metrics"
scrape
hits=$(ctl stats hits)
if [ "$(metric nfdns_kernel_up) $(metric nfdns_hits_total)" = "1 $hits" ]; then
	tap_ok "metrics: the module's counters, read over netlink (hits $hits)"
else
	tap_fail "metrics: the module's counters, read over netlink (hits $hits)" "$(grep -E '^nfdns_kernel_up|^nfdns_hits' "$work/metrics"; tail -5 "$work/nfdnsd.log")"
fi
q0=$(metric nfdnsd_client_queries_total)
c0=$(metric 'nfdnsd_resolution_duration_seconds_count{how="cache"}')
for i in 1 2 3; do dig +time=3 +tries=1 -p 5300 @127.0.0.1 old.test A >/dev/null; done
scrape
result "metrics: 3 questions count 3, and 3 answers from the cache in the histogram" \
	[ "$(($(metric nfdnsd_client_queries_total) - q0)) $(($(metric 'nfdnsd_resolution_duration_seconds_count{how="cache"}') - c0))" = "3 3" ]
result "metrics: another path is 404" [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:9153/x)" = 404 ]
result "metrics: on loopback only, not on the address clients reach" \
	bash -c "! ip netns exec $cli curl -s -m 3 http://$server:9153/metrics >/dev/null"

# --- reload ----------------------------------------------------------------------
ask old.test A
result "local data before the reload" looks NOERROR "old.test. A 10.0.0.6"
sed -i 's/^local-data .*/local-data "new.test 60 A 10.0.0.7"/' "$work/nfdnsd.conf"
result "reload" bash -c "[ \"\$('$nfdnsctl' resolver --socket '$sock' reload)\" = reloaded ]"
ask new.test A
result "the kernel answers the new local data" looks NOERROR "new.test. A 10.0.0.7"
result "the old static entry is gone from the kernel" bash -c "! '$ctl_bin' get old.test A"
printf 'max-ttl forever\n' >>"$work/nfdnsd.conf"
"$nfdnsctl" resolver --socket "$sock" reload >"$work/out" 2>&1
rc=$?
result "a broken file: reload fails with FILE:LINE" bash -c "[ $rc = 1 ] && grep -q 'nfdnsd.conf:10: max-ttl wants a number' '$work/out' || { cat '$work/out'; false; }"
ask new.test A
result "... and the running configuration stays" looks NOERROR "new.test. A 10.0.0.7"
kill -HUP $nfdnsd_pid
result "SIGHUP with the broken file: refused, and logged" wait_for 5 grep -q 'reload refused, the running configuration stays: .*nfdnsd.conf:10' "$work/nfdnsd.log"
sed -i '$d' "$work/nfdnsd.conf"
printf 'listen 127.0.0.1:5301\n' >>"$work/nfdnsd.conf"
result "reload: a restart-only setting is named, and kept" bash -c "'$nfdnsctl' resolver --socket '$sock' reload 2>&1 | grep -q 'needs a restart, running value kept: listen'"
sed -i '$d' "$work/nfdnsd.conf"

# Reload under load: 10 s of queries over 52 names, 5 reloads, nothing lost.
for i in $(seq 1 50); do echo "n$i.test A"; done >"$work/queries"
echo "new.test A" >>"$work/queries"
echo "www.test A" >>"$work/queries"
ip netns exec $cli dnsperf -s $server -d "$work/queries" -l 10 -Q 300 -c 4 -t 5 >"$work/dnsperf" 2>&1 &
dnsperf_pid=$!
sleep 1
for i in 1 2 3 4 5; do
	kill -HUP $nfdnsd_pid
	r reload >/dev/null 2>&1
	sleep 1
done
wait $dnsperf_pid
dnsperf_pid=
lost=$(awk '/Queries lost:/ { print $3 }' "$work/dnsperf")
sent=$(awk '/Queries sent:/ { print $3 }' "$work/dnsperf")
reloads=$(r status | awk '$1 == "reloads" { print $2 }')
result "reload under load: $sent queries, $lost lost, across $reloads reloads" \
	bash -c "[ '${lost:-x}' = 0 ] && [ '${sent:-0}' -gt 1000 ] && [ '${reloads:-0}' -ge 11 ]"
result "nfdnsd still runs" kill -0 $nfdnsd_pid

# --- JSON logs and the query log -------------------------------------------------
printf 'log-format json\nlog-queries yes\nlog-queries-rate 20\n' >>"$work/nfdnsd.conf"
from=$(($(wc -l <"$work/nfdnsd.log") + 1))
r reload >/dev/null
d0=$(r stats | awk '$1 == "querylog_dropped" { print $2 }')
echo "new.test A" >"$work/one"
dnsperf -s 127.0.0.1 -p 5300 -d "$work/one" -l 2 -Q 400 -c 1 -t 3 >"$work/dnsperf2" 2>&1
completed=$(awk '/Queries completed:/ { print $3 }' "$work/dnsperf2")
# One more answer, a second later, writes the last second's drop summary.
sleep 1.1
dig +time=3 +tries=1 -p 5300 @127.0.0.1 new.test A >/dev/null
completed=$((completed + 1))
d1=$(r stats | awk '$1 == "querylog_dropped" { print $2 }')
tail -n +$from "$work/nfdnsd.log" >"$work/json.log"
result "log-format json: every line after the reload is one JSON object" \
	bash -c "[ -s '$work/json.log' ] && jq -e 'type == \"object\" and has(\"ts\") and has(\"type\")' '$work/json.log' >/dev/null"
lines=$(jq -r 'select(.type == "query" and .name == "new.test.") | .name' "$work/json.log" | wc -l)
result "query log: $lines lines and $((d1 - d0)) dropped for $completed answers (rate 20/s)" \
	bash -c "[ '${completed:-0}' -gt 100 ] && [ $((lines + d1 - d0)) = '$completed' ] && [ $lines -le 80 ]"
result "query log: a line has the client, name, type, rcode and how" \
	bash -c "jq -e 'select(.type == \"query\") | select(.client | startswith(\"127.0.0.1#\") or startswith(\"127.0.0.1:\")) | select(.qtype == \"A\" and .rcode == \"NOERROR\" and .how == \"cache\")' '$work/json.log' | grep -q new.test"
if grep -q '"type":"querylog"' "$work/json.log"; then
	tap_ok "query log: the drops are said"
else
	tap_fail "query log: the drops are said" "$(grep -v '"type":"query"' "$work/json.log" | tail -5)"
fi

tap_done
