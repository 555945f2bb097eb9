#!/bin/bash
# nfdnsctl against the real module: every subcommand, in a router
# namespace whose cache a client namespace queries (as in netns_cache.sh).
# NSD in a server namespace serves example.; names it does not know
# (local.example) can only be answered by the cache, so the source of an
# answer shows.  nfdnsctl reaches the router's state with --netns, and
# reads its counters itself.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/netns.sh"

nfdnsctl=$here/../../userspace/nfdnsctl/nfdnsctl
testctl=$here/nfdns_testctl
work=$(mktemp -d)
cli=nccli$$
rtr=ncrtr$$
srv=ncsrv$$
nsd4=198.18.2.2
resolver_pid=

cleanup() {
	[ -n "$resolver_pid" ] && kill "$resolver_pid" 2>/dev/null
	ns_cleanup
	rm -rf "$work"
}
trap cleanup EXIT

for prog in "$nfdnsctl" "$testctl"; do
	if [ ! -x "$prog" ]; then
		tap_fail "${prog##*/} is built" "run make userspace selftests"
		tap_done
		exit 1
	fi
done

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

# nctl ARGS...: nfdnsctl on the router's cache; output in $out, status in $rc.
out=
rc=0
nctl() {
	out=$("$nfdnsctl" --netns $rtr "$@" 2>&1)
	rc=$?
}
has() { [[ $out == *$1* ]]; }
show() { printf '%s\n' "$out"; }
# result DESC COND...: one TAP result from a condition on the last output.
result() {
	local desc=$1
	shift
	if "$@"; then tap_ok "$desc"; else tap_fail "$desc" "rc=$rc; $(show)"; fi
}
ok_has() { [ "$rc" = 0 ] && has "$1"; }

# Counters of the namespace under test (tests/lib/counters.sh).
counters_read() { "$nfdnsctl" --netns $rtr stats; }
# The client is in 198.18/15, outside the default list.
"$nfdnsctl" --netns $rtr config clients=198.18.0.0/15
. "$here/../lib/counters.sh"

# dig from the client; answer EXPECTED ARGS...: +short prints exactly that.
dig_out=
ask() { dig_out=$(ip netns exec $cli dig +time=5 +tries=1 @$nsd4 "$@" 2>&1); }
answer() {
	local want=$1
	shift
	ask +short "$@"
	[ "$dig_out" = "$want" ] || { echo "expected '$want', got:"; printf '%s\n' "$dig_out"; return 1; }
}
# ttl_of NAME TYPE: the TTL of the first answer record the client gets.
ttl_of() {
	ask +noall +answer "$1" "$2"
	awk -v t="$2" '$4 == t { print $2; exit }' <<<"$dig_out"
}

start_resolver() {
	ip netns exec $rtr "$testctl" resolver --forward $nsd4 >"$work/resolver.log" 2>&1 &
	resolver_pid=$!
	wait_for 20 grep -q registered "$work/resolver.log" && kill -0 $resolver_pid
}
stop_resolver() {
	[ -n "$resolver_pid" ] || return 0
	kill "$resolver_pid"
	wait "$resolver_pid" 2>/dev/null
	resolver_pid=
}

# --- status, and the namespace it reads -----------------------------------
nctl status
result "status: the module is loaded, no resolver" \
	eval 'ok_has "module       loaded" && has "resolver     none"'
nctl status --json
result "status --json parses with jq: loaded, no resolver, port 53" \
	eval '[ $rc = 0 ] && jq -e ".module == \"loaded\" and .resolver == null and .ports == [53]" <<<"$out" >/dev/null'
out=$("$nfdnsctl" --netns nosuch$$ status 2>&1); rc=$?
result "--netns with an unknown namespace: exit 1, says which" \
	eval '[ $rc = 1 ] && has "network namespace nosuch$$"'

# --- add, then dig --------------------------------------------------------
nctl add local.example A 192.0.2.77 192.0.2.78 --ttl 120
result "add local.example A, two records, TTL 120" eval '[ $rc = 0 ]'
snap
ask +noall +answer local.example A
result "dig gets both records from the kernel, with TTL 120" \
	eval '[[ $dig_out == *$'"'"'120\tIN\tA\t192.0.2.77'"'"'* && $dig_out == *192.0.2.78* ]]'
tap_check "counted as one hit, no miss" deltas hits=1 misses=0
tap_check "a DO=1 query is answered too (add stores both keys)" \
	answer $'192.0.2.77\n192.0.2.78' +dnssec local.example A
nctl add mail.example MX '10 mx1.example.' '20 mx2.example.'
tap_check "add an MX with two records" eval '[ $rc = 0 ]'
tap_check "dig gets the MX from the kernel" \
	answer $'10 mx1.example.\n20 mx2.example.' mail.example MX
nctl add bad.example A 192.0.2.300
result "add with bad RDATA: exit 2 and the reason" \
	eval '[ $rc = 2 ] && has "is not valid A data"'

# --- lookup and dump ------------------------------------------------------
nctl lookup local.example
result "lookup prints the entry and its records" \
	eval 'ok_has ";; local.example. IN A  static, ttl 120" && has $'"'"'local.example.\t120\tIN\tA\t192.0.2.77'"'"
nctl lookup --json local.example A --do
result "lookup --json --do: jq reads the DO entry's flags and records" \
	eval '[ $rc = 0 ] && jq -e ".do and .flags == [\"static\"] and (.answer | length) == 2" <<<"$out" >/dev/null'
nctl lookup nothere.example AAAA
result "lookup of a name not cached: exit 1, one line" \
	eval '[ $rc = 1 ] && [ "$out" = "nfdnsctl: nothere.example AAAA is not in the cache" ]'
nctl dump
result "dump lists every entry with its records" \
	eval 'ok_has ";; local.example. IN A  static, ttl 120" && has ";; mail.example. IN MX  static, ttl 3600, do" && has $'"'"'mail.example.\t3600\tIN\tMX\t10 mx1.example.'"'"
nctl dump --json
result "dump --json: jq counts 4 entries (2 names, each with and without DO)" \
	eval '[ $rc = 0 ] && [ "$(jq length <<<"$out")" = 4 ]'
nctl dump mail.example
result "dump NAME shows only that name" \
	eval 'ok_has "mail.example." && ! has "local.example."'

# --- entries from a resolver: TTLs that count down ------------------------
if start_resolver; then
	tap_ok "a resolver registers in the router namespace"
else
	tap_fail "a resolver registers in the router namespace" "$(cat "$work/resolver.log")"
fi
nctl status
result "status names the registered resolver and its pid" \
	eval 'ok_has "resolver     nfdns_testctl, pid $resolver_pid"'
snap
tap_check "www.example: a miss, answered through the resolver" \
	answer 192.0.2.44 www.example A
tap_check "www.example AAAA: a miss too" answer 2001:db8::44 www.example AAAA
tap_check "two upcalls, two inserts" deltas upcalls=2 inserts=2 hits=0
nctl lookup www.example
result "lookup shows the resolver's entry with its TTL and time left" \
	eval 'ok_has ";; www.example. IN A  ttl 300, " && has "192.0.2.44"'

# --- del, flush --subtree, flush: the next query misses -------------------
nctl del www.example A
result "del www.example A deletes one entry" eval 'ok_has "deleted 1 entry"'
snap
tap_check "www.example A asked again" answer 192.0.2.44 www.example A
tap_check "... is a miss and an upcall" deltas misses=1 upcalls=1 hits=0
snap
tap_check "www.example AAAA is still cached" answer 2001:db8::44 www.example AAAA
tap_check "... a hit" deltas hits=1 misses=0

nctl add a.sub.example A 192.0.2.81 && nctl add b.sub.example A 192.0.2.82
nctl flush sub.example --subtree
result "flush sub.example --subtree deletes a. and b. (4 entries)" \
	eval 'ok_has "deleted 4 entries"'
snap
tap_check "a.sub.example now comes from NSD (NXDOMAIN, empty)" \
	answer "" a.sub.example A
tap_check "... as a miss" deltas misses=1 hits=0
snap
tap_check "local.example outside the subtree is still a hit" \
	answer $'192.0.2.77\n192.0.2.78' local.example A
tap_check "... counted" deltas hits=1
nctl flush
result "flush deletes everything and says how much" \
	eval 'ok_has "flushed " && ! has "flushed 0 "'
nctl stats --json
result "stats --json after flush: jq reads entries 0 and bytes 0" \
	eval '[ $rc = 0 ] && jq -e ".entries == 0 and .bytes == 0 and .hits >= 3" <<<"$out" >/dev/null'

# --- stats formats --------------------------------------------------------
nctl stats --prometheus
printf '%s\n' "$out" >"$work/metrics.prom"
if command -v promtool >/dev/null; then
	tap_check "stats --prometheus passes promtool check metrics" \
		sh -c "promtool check metrics <'$work/metrics.prom'"
else
	tap_check "stats --prometheus: every sample has HELP and TYPE" \
		awk '/^# HELP/{h[$3]=1} /^# TYPE/{t[$3]=1} /^[a-z]/{if(!h[$1]||!t[$1])exit 1}' "$work/metrics.prom"
fi
load_stats now
result "the Prometheus hits counter equals the text one" \
	eval 'grep -qx "nfdns_hits_total ${now[hits]}" "$work/metrics.prom"'
nctl stats --watch 1 --count 2
result "stats --watch 1 --count 2 prints two blocks and stops" \
	eval 'ok_has "every 1 s (1)" && has "every 1 s (2)" && ! has "every 1 s (3)"'

# --- config ---------------------------------------------------------------
nctl config max_ttl=600 serve_stale=30 ports=53,5353
tap_check "config max_ttl=600 serve_stale=30 ports=53,5353" eval '[ $rc = 0 ]'
nctl config max_ttl
result "config max_ttl reads back 600" eval '[ $rc = 0 ] && [ "$out" = 600 ]'
nctl config --json
result "config --json: jq reads the new values back" \
	eval '[ $rc = 0 ] && jq -e ".max_ttl == 600 and .serve_stale == 30 and .ports == [53,5353] and .addrs == []" <<<"$out" >/dev/null'
nctl config min_ttl=700
result "config min_ttl above max_ttl: refused with the kernel's reason, exit 1" \
	eval '[ $rc = 1 ] && has "min_ttl must not exceed max_ttl" && [ "$(wc -l <<<"$out")" = 1 ]'
nctl config min_ttl
result "... and min_ttl is unchanged" eval '[ "$out" = 0 ]'
nctl config pending_timeout_ms=5 max_ttl=300
result "an out-of-range value refuses the whole change" \
	eval '[ $rc = 1 ] && has "pending_timeout_ms"'
nctl config max_ttl
result "... max_ttl in the same request kept 600" eval '[ "$out" = 600 ]'
nctl config addrs=198.18.2.2,fd00::1
nctl config addrs
result "config addrs round-trips IPv4 and IPv6" \
	eval '[ "$out" = 198.18.2.2,fd00::1 ]'
nctl config addrs=any
nctl config addrs
result "config addrs=any clears the list" eval '[ "$out" = any ]'
nctl config prefetch_pct=25 stale_answer_ms=0 stale_without_resolver=no
result "config prefetch_pct, stale_answer_ms and stale_without_resolver round-trip" \
	eval '[ $rc = 0 ] && nctl config --json && jq -e ".prefetch_pct == 25 and .stale_answer_ms == 0 and .stale_without_resolver == false" <<<"$out" >/dev/null'
nctl config prefetch_pct=91
result "prefetch_pct=91: refused with the limits from the uapi header" \
	eval '[ $rc = 1 ] && has "prefetch_pct must be between 0 and 90"'
nctl config stale_answer_ms=60001
result "stale_answer_ms=60001: refused with the limits from the uapi header" \
	eval '[ $rc = 1 ] && has "stale_answer_ms must be between 0 and 60000"'
nctl config prefetch_pct=10 stale_answer_ms=1800 stale_without_resolver=yes
nctl config nosuch=1
result "config with an unknown key: usage, exit 2" \
	eval '[ $rc = 2 ] && has "unknown setting"'
nctl add local.example A 192.0.2.77
nctl config enabled=no
tap_check "enabled=no: local.example is not answered by the kernel" \
	answer "" local.example A
nctl config enabled=yes
tap_check "enabled=yes: the kernel answers again" answer 192.0.2.77 local.example A
nctl config max_ttl=86400 serve_stale=0 ports=53

# --- permissions ----------------------------------------------------------
# Without CAP_NET_ADMIN, changes are refused and so is reading the cache's
# names; the counters and the settings can be read.
unpriv() {
	out=$(ip netns exec $rtr setpriv --inh-caps=-all --bounding-set=-all \
		--ambient-caps=-all "$nfdnsctl" "$@" 2>&1)
	rc=$?
}
unpriv flush
result "flush without CAP_NET_ADMIN: exit 1, says CAP_NET_ADMIN is needed" \
	eval '[ $rc = 1 ] && has "CAP_NET_ADMIN is needed"'
unpriv config max_ttl=5
result "config change without CAP_NET_ADMIN: refused" \
	eval '[ $rc = 1 ] && has "CAP_NET_ADMIN is needed"'
unpriv dump
result "dump without CAP_NET_ADMIN: refused, no name shown" \
	eval '[ $rc = 1 ] && has "CAP_NET_ADMIN is needed" && ! has local.example'
unpriv lookup local.example
result "lookup without CAP_NET_ADMIN: refused" \
	eval '[ $rc = 1 ] && has "CAP_NET_ADMIN is needed" && ! has 192.0.2.77'
unpriv stats
result "stats without CAP_NET_ADMIN works" eval 'ok_has "hits "'
unpriv config max_ttl
result "config read without CAP_NET_ADMIN works" eval '[ $rc = 0 ] && [ "$out" = 86400 ]'
unpriv status
result "status without CAP_NET_ADMIN works" eval 'ok_has "module       loaded"'

# Root of an unprivileged user namespace owns its network namespace, but
# its memory limits stop at the module's ceilings.
ceil=$(cat /sys/module/nfdns/parameters/max_bytes_ceiling)
userns() {
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
		unshare --user --map-root-user --net sh -c "$1" 2>&1)
	rc=$?
}
userns "'$nfdnsctl' config max_bytes=$((ceil + 4096))"
result "user namespace: max_bytes above the ceiling ($ceil) refused, CAP_NET_ADMIN is needed" \
	eval '[ $rc = 1 ] && has "CAP_NET_ADMIN is needed"'
userns "'$nfdnsctl' config max_bytes=$ceil && '$nfdnsctl' config max_bytes"
result "user namespace: max_bytes up to the ceiling is set" \
	eval '[ $rc = 0 ] && [ "$out" = "$ceil" ]'
userns "'$nfdnsctl' add own.example A 192.0.2.9 && '$nfdnsctl' dump"
result "user namespace: its own cache is its own to change and read" \
	eval 'ok_has "own.example."'
nctl config max_bytes=$((ceil + 4096))
result "the host's root may go past the ceiling" eval '[ $rc = 0 ]'
nctl config max_bytes=64M

# --- save, rmmod, insmod, load --------------------------------------------
nctl flush
tap_check "www.example cached again through the resolver" \
	answer 192.0.2.44 www.example A
nctl add local.example A 192.0.2.77 --ttl 120
nctl save "$work/cache.save"
result "save writes every entry (www A, local A twice)" \
	eval 'ok_has "saved 3 entries to $work/cache.save"'
stop_resolver
tap_check "rmmod nfdns" rmmod nfdns
out=$("$nfdnsctl" stats 2>&1); rc=$?
result "without the module: exit 1 and one line saying so" \
	eval '[ $rc = 1 ] && [ "$out" = "nfdnsctl: the nfdns module is not loaded (modprobe nfdns)" ]'
tap_check "insmod nfdns" insmod "$NFDNS_MODDIR/nfdns.ko"
"$nfdnsctl" --netns $rtr config clients=198.18.0.0/15
nctl dump --json
result "the reloaded module's cache is empty" eval '[ "$out" = "[]" ]'
sleep 2
nctl load "$work/cache.save"
result "load puts the 3 entries back" \
	eval 'ok_has "loaded 3 entries, 0 expired since saving, 0 failed"'
snap
ttl=$(ttl_of www.example A)
result "www.example is answered from the loaded cache, its TTL lower than 300" \
	eval '[ -n "$ttl" ] && [ "$ttl" -lt 299 ] && [ "$ttl" -gt 0 ]'
tap_check "... a hit, with no resolver registered" deltas hits=1 misses=0
# One snapshot: load lowered the stored records to the entry's TTL, so what
# a client gets now equals the time the entry has left.
nctl lookup www.example
left=$(sed -n 's/.* ttl [0-9]*, \([0-9]*\) left.*/\1/p' <<<"$out")
rr_ttl=$(awk '$1 == "www.example." && $4 == "A" { print $2 }' <<<"$out")
result "the loaded entry's records count down with it ($rr_ttl s, $left s left)" \
	eval '[ -n "$left" ] && [ "$rr_ttl" = "$left" ]'
ttl=$(ttl_of local.example A)
result "the static entry comes back with its TTL, 120" eval '[ "$ttl" = 120 ]'
printf 'nfdns-cache 1 0\nnot an entry\n' >"$work/bad.save"
nctl load "$work/bad.save"
result "load of a damaged file: exit 1, the line named" \
	eval '[ $rc = 1 ] && has "bad.save:2: not a saved entry"'

tap_done
