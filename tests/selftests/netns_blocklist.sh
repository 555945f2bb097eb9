#!/bin/bash
# End to end: local data, local zones and block lists, answered by the
# kernel.  nfdnsd, registered as the namespace's resolver, pushes its
# local rules and static entries into the module; a client namespace
# joined by veth asks.  Blocked and local names must be answered by the
# kernel itself: its local_answers (or hits) counter rises by exactly the
# queries sent, it sends nfdnsd no upcall, and no upstream query leaves
# (an nft counter on nfdnsd's mark).  Then a large block list is loaded and
# its cost in the kernel reported, the rules are replaced while a client
# keeps asking, and the module is unloaded with the rules in place.
#
#   NFDNS_BLOCKLIST_NAMES=N   names in the large list (default 20000;
#                             make stress: 200000)
#   KEEP=1                    keeps the work directory
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/netns.sh"
. "$here/../lib/dig.sh"

ctl_bin=$here/nfdns_testctl
nfdnsd=${NFDNSD:-$top/userspace/nfdnsd/nfdnsd}
moddir=${NFDNS_MODDIR:-}
big=${NFDNS_BLOCKLIST_NAMES:-20000}
work=$(mktemp -d /tmp/nfdns-blocklist.XXXXXX)
cli=nfbl$$
server=198.18.3.1
client=198.18.3.2
mark=0x6e66
nfdnsd_pid=
nfdnsd_log=

ctl() { "$ctl_bin" "$@"; }
counters_read() { ctl stats; }
. "$here/../lib/counters.sh"

stop_nfdnsd() {
	if [ -n "$nfdnsd_pid" ]; then
		kill "$nfdnsd_pid" 2>/dev/null
		wait "$nfdnsd_pid" 2>/dev/null
		nfdnsd_pid=
	fi
}

cleanup() {
	stop_nfdnsd
	ns_cleanup
	nft delete table inet nfdns_bl 2>/dev/null
	tap_work_done "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tap_need_built "$ctl_bin" "$nfdnsd"

# ask NAME TYPE: the client's dig, parsed.  One try, so counters stay exact.
ask() {
	ip netns exec $cli dig +time=5 +tries=1 @$server "$@" >"$work/dig" 2>&1
	dig_parse "$work/dig"
}
# upstream: packets nfdnsd sent to port 53, in $upstream.
upstream() {
	local line
	upstream=
	while read -r line; do
		[[ $line == *'counter packets '* ]] || continue
		line=${line#*counter packets }
		upstream=${line%% *}
	done < <(nft list chain inet nfdns_bl out)
}
# registered_with N: nfdnsd registered and the kernel holds N local rules.
registered_with() {
	refresh && [ "${now[local_rules]}" = "$1" ] && ctl config | grep -q '^resolver_pid [0-9]'
}
start_nfdnsd() {
	nfdnsd_log=$work/nfdnsd-$1.log
	"$nfdnsd" --config "$work/$1.conf" --dnssec-validation no --root-hints "$work/root.hints" \
		--listen none --resolve-timeout-ms 500 --kernel-retry 1 >"$nfdnsd_log" 2>&1 &
	nfdnsd_pid=$!
}

# --- set up --------------------------------------------------------------------
ns_add $cli
ns_link "" "$server/24" $cli "$client/24" || exit 1
ctl flush >/dev/null
ctl config clients=any >/dev/null
# A root nobody answers: every upstream query shows in the counter.
printf '.\t3600000\tIN\tNS\ta.root.test.\na.root.test.\t3600000\tIN\tA\t198.18.3.99\n' >"$work/root.hints"
nft -f - <<EOF
table inet nfdns_bl {
	chain out {
		type filter hook output priority 0;
		meta mark $mark udp dport 53 counter
	}
}
EOF

cat >"$work/hosts.txt" <<'EOF'
# a hosts file
127.0.0.1 localhost
0.0.0.0 ads.example.com tracker.example.net
0.0.0.0 Mixed.Case.Example
EOF
cat >"$work/domains.txt" <<'EOF'
# whole subtrees
telemetry.test
*.wild.test
||adblock.test^
EOF
printf 'evil.test\n' >"$work/nx.txt"
cat >"$work/a.conf" <<EOF
blocklist $work/hosts.txt
blocklist $work/domains.txt
blocklist $work/nx.txt nxdomain
local-zone home.lan static
local-data "nas.home.lan 300 A 192.168.1.10"
local-zone corp.test refuse
local-zone redir.test redirect
local-data "redir.test 120 A 10.9.9.9"
EOF
# Rules: 3 exact, 3 subtrees, 1 nxdomain subtree; home.lan (a subtree, and NODATA for
# itself), nas.home.lan (NODATA), corp.test, redir.test.
rules_a=12

start_nfdnsd a
if wait_for 30 registered_with $rules_a; then
	tap_ok "nfdnsd registers and the kernel holds its $rules_a local rules"
else
	tap_fail "nfdnsd registers and the kernel holds its $rules_a local rules" "$(ctl stats; cat "$nfdnsd_log")"
fi
if wait_for 10 eval 'ctl get nas.home.lan A >/dev/null 2>&1'; then
	tap_ok "local data is a static entry in the kernel"
else
	tap_fail "local data is a static entry in the kernel" "$(cat "$nfdnsd_log")"
fi

# --- answered by the kernel ---------------------------------------------------
upstream
up0=$upstream
snap
check() {
	local desc=$1
	shift
	if looks "$@" >"$work/why"; then tap_ok "$desc"; else tap_fail "$desc" "$(cat "$work/why")"; fi
}
ask ads.example.com A
check "hosts-file name: A 0.0.0.0" NOERROR "ads.example.com. A 0.0.0.0"
ask ads.example.com AAAA
check "hosts-file name: AAAA ::" NOERROR "ads.example.com. AAAA ::"
ask ads.example.com MX
check "hosts-file name: other types NODATA" NOERROR
ask mixed.CASE.example A
check "names match without case, and the client's case comes back" NOERROR "mixed.CASE.example. A 0.0.0.0"
ask a.b.telemetry.test A
check "domain-list name: its subtree is blocked" NOERROR "a.b.telemetry.test. A 0.0.0.0"
ask telemetry.test AAAA
check "domain-list name: the name itself is blocked" NOERROR "telemetry.test. AAAA ::"
ask x.wild.test A
check "*.NAME blocks the subtree" NOERROR "x.wild.test. A 0.0.0.0"
ask x.adblock.test A
check "||NAME^ blocks the subtree" NOERROR "x.adblock.test. A 0.0.0.0"
ask www.evil.test A
check "a block list in nxdomain mode answers NXDOMAIN" NXDOMAIN
ask nas.home.lan MX
check "static zone: other types of a local name are NODATA" NOERROR
ask printer.home.lan A
check "static zone: other names are NXDOMAIN" NXDOMAIN
ask www.corp.test A
check "refuse zone: REFUSED" REFUSED
ask deep.x.redir.test A
check "redirect zone: every name below gets the zone's address" NOERROR "deep.x.redir.test. A 10.9.9.9"
rule_queries=13
ask nas.home.lan A
check "local data: answered from the static entry" NOERROR "nas.home.lan. A 192.168.1.10"

if deltas local_answers=$rule_queries hits=1 upcalls=0 misses=0 >"$work/why"; then
	tap_ok "the kernel answered all 14: $rule_queries by local rules, 1 hit, no upcall"
else
	tap_fail "the kernel answered all 14: $rule_queries by local rules, 1 hit, no upcall" "$(cat "$work/why")"
fi
upstream
if [ "$upstream" = "$up0" ]; then
	tap_ok "no upstream query left for a local name ($upstream packets in all)"
else
	tap_fail "no upstream query left for a local name" "upstream packets $up0 -> $upstream"
fi

# An exact rule covers the name only: a name below it goes to nfdnsd.
snap
ask sub.ads.example.com A
if deltas upcalls=1 local_answers=0 >"$work/why"; then
	tap_ok "an exact block leaves the names below it alone (one upcall)"
else
	tap_fail "an exact block leaves the names below it alone (one upcall)" "$(cat "$work/why")"
fi

# --- a large list ---------------------------------------------------------------
hosts_n=$((big * 3 / 4))
awk -v n=$hosts_n -v m=$((big - hosts_n)) 'BEGIN {
	for (i = 0; i < n; i++) printf "0.0.0.0 ad%d.tracker%d.example\n", i, i % 977 > "'"$work/big-hosts.txt"'"
	for (i = 0; i < m; i++) printf "track%d.example\n", i > "'"$work/big-domains.txt"'"
}'
cat >"$work/b.conf" <<EOF
blocklist $work/big-hosts.txt
blocklist $work/big-domains.txt
blocklist $work/hosts.txt
EOF
rules_b=$((big + 3))
stop_nfdnsd
t0=$EPOCHREALTIME
start_nfdnsd b
# Until it is replaced, the old set keeps answering.
ask ads.example.com A
check "while nfdnsd restarts, the kernel still answers from the old rules" NOERROR "ads.example.com. A 0.0.0.0"
if wait_for 300 registered_with $rules_b; then
	t1=$EPOCHREALTIME
	refresh
	tap_ok "a $big-name block list is loaded into the kernel"
	awk -v t0="$t0" -v t1="$t1" -v b="${now[local_bytes]}" -v n="$rules_b" 'BEGIN {
		printf "# figure: %d rules loaded (nfdnsd start, parse and push) in %.2f s; %.1f bytes per rule in the kernel\n",
			n, t1 - t0, b / n }'
else
	tap_fail "a $big-name block list is loaded into the kernel" "$(ctl stats; tail -5 "$nfdnsd_log")"
fi
snap
ask ad7.tracker7.example A
check "a name from the large hosts list is blocked" NOERROR "ad7.tracker7.example. A 0.0.0.0"
ask x.track5.example A
check "a subtree from the large domain list is blocked" NOERROR "x.track5.example. A 0.0.0.0"
ask printer.home.lan A
if [ "$status" != NXDOMAIN ] && deltas local_answers=2 upcalls=1 >"$work/why"; then
	tap_ok "the replaced set no longer holds the old local zone"
else
	tap_fail "the replaced set no longer holds the old local zone" "status $status; $(cat "$work/why")"
fi

# --- replacing the set while a client asks ------------------------------------
# A name in both sets: every answer, before, during and after, is the block.
rm -f "$work/loop"
(
	for i in $(seq 1 40); do
		ip netns exec $cli dig +time=2 +tries=1 +short @$server tracker.example.net A >>"$work/loop" 2>&1
	done
) &
loop_pid=$!
stop_nfdnsd
start_nfdnsd a
wait_for 60 registered_with $rules_a
wait $loop_pid
bad=$(grep -cv '^0\.0\.0\.0$' "$work/loop")
total=$(wc -l <"$work/loop")
if [ "$total" = 40 ] && [ "$bad" = 0 ]; then
	tap_ok "40 queries across a replacement all answered from a whole set"
else
	tap_fail "40 queries across a replacement all answered from a whole set" "$total answers, $bad not 0.0.0.0"
fi

# --- a configuration error -----------------------------------------------------
printf 'ok.example\nbad..name\n' >"$work/broken.txt"
printf 'blocklist %s\n' "$work/broken.txt" >"$work/broken.conf"
"$nfdnsd" --config "$work/broken.conf" --no-kernel --listen none >"$work/broken.log" 2>&1
rc=$?
if [ $rc = 2 ] && grep -q "broken.txt:2" "$work/broken.log"; then
	tap_ok "a bad block list line stops nfdnsd with FILE:LINE"
else
	tap_fail "a bad block list line stops nfdnsd with FILE:LINE" "exit $rc: $(cat "$work/broken.log")"
fi

# --- unloading with rules in place ---------------------------------------------
stop_nfdnsd
if [ -n "$moddir" ] && lsmod | grep -q '^nfdns '; then
	tap_check "rmmod with local rules loaded" rmmod nfdns
	tap_check "insmod again" insmod "$moddir/nfdns.ko"
	refresh
	if [ "${now[local_rules]}" = 0 ] && [ "${now[local_bytes]}" = 0 ]; then
		tap_ok "a fresh module holds no local rules"
	else
		tap_fail "a fresh module holds no local rules" "$(ctl stats)"
	fi
else
	# Nothing may remain for the scripts that follow.
	ctl flush >/dev/null
	printf '# no module directory: rules left to the next registration\n'
fi
tap_done
