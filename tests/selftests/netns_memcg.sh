#!/bin/bash
# Cache entries are charged to the memory cgroup of the process that
# inserts them.  A process in a cgroup fills a namespace's cache: the
# cgroup's memory grows with the cache, by at least the bytes the kernel
# counts for the entries.  With memory.max set just above what it uses,
# the next inserts are refused (ENOMEM with an extended-ack message),
# nobody is OOM-killed, the kernel stays up, and entries already in the
# cache are still answered.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/netns.sh"

ctl=$here/nfdns_testctl
fill=$here/nfdns_fill
n=20000
work=$(mktemp -d)
cli=nfcli$$
rtr=nfrtr$$
rtr4=198.18.1.1
cgroot=
cg=
mounted=

cleanup() {
	# Flushed entries are uncharged after an RCU grace period; the
	# cgroup goes once it is empty.
	[ -n "$cg" ] && [ -d "$cg" ] && rmdir "$cg" 2>/dev/null
	[ -n "$mounted" ] && umount -l "$cgroot"
	ns_cleanup
	rm -rf "$work"
}
trap cleanup EXIT

for prog in "$ctl" "$fill"; do
	if [ ! -x "$prog" ]; then
		tap_fail "${prog##*/} is built" "run make selftests"
		tap_done
		exit 1
	fi
done

if [ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; then
	cgroot=/sys/fs/cgroup
else
	cgroot=$work/cgroup
	mkdir -p "$cgroot"
	mount -t cgroup2 none "$cgroot" && mounted=1
fi
if ! grep -qw memory "$cgroot/cgroup.controllers" 2>/dev/null; then
	echo "# no memory controller in this kernel's cgroup v2"
	tap_ok "# SKIP memory cgroup not available"
	tap_done
	exit 0
fi
echo +memory >"$cgroot/cgroup.subtree_control"
cg=$cgroot/nfdns$$
tap_check "create a memory cgroup" mkdir "$cg"

# in_cgroup DIR CMD...: run CMD as a process of the cgroup DIR.
in_cgroup() {
	bash -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' _ "$@"
}
in_cg() { in_cgroup "$cg" "$@"; }
# memstat KEY: a memory.stat value of the cgroup.
memstat() { awk -v k="$1" '$1 == k { print $2 }' "$cg/memory.stat"; }
memevent() { awk -v k="$1" '$1 == k { print $2 }' "$cg/memory.events"; }

ns_add $cli && ns_add $rtr || { tap_fail "create namespaces"; tap_done; exit 1; }
ns_link $cli "198.18.1.2/24" $rtr "$rtr4/24"
ctl() { ip netns exec $rtr "$ctl" "$@"; }
# The client is in 198.18/15, outside the default list.
tap_check "the client in 198.18/15 is answered" ctl config clients=198.18.0.0/15
counters_read() { ctl stats; }
. "$here/../lib/counters.sh"

# The same commands once outside the cgroup, so the page cache of the
# programs is charged elsewhere: reclaim in the cgroup cannot take their
# text away, which the limit below would otherwise turn into an OOM kill
# of the filling process on its next page fault.  What the process itself
# uses in the cgroup goes when it exits.
tap_check "a process outside the cgroup inserts an entry" \
	in_cgroup "$cgroot" ip netns exec $rtr "$fill" -f 999999 1
cur0=$(cat "$cg/memory.current")
slab0=$(memstat slab)
snap
tap_check "a process in the cgroup inserts $n entries" \
	in_cg ip netns exec $rtr "$fill" $n
cur1=$(cat "$cg/memory.current")
slab1=$(memstat slab)
refresh
bytes=$((now[bytes] - was[bytes]))
echo "# cache bytes +$bytes; cgroup memory.current +$((cur1 - cur0)), slab +$((slab1 - slab0))"
if [ $((now[entries] - was[entries])) -eq $n ] && [ $bytes -ge $((n * 64)) ]; then
	tap_ok "the cache holds $n more entries, $bytes bytes"
else
	tap_fail "the cache holds $n more entries" "$(deltas entries=$n)"
fi
if [ $(((cur1 - cur0) * 10)) -ge $((bytes * 9)) ]; then
	tap_ok "the cgroup's memory grew with the cache"
else
	tap_fail "the cgroup's memory grew with the cache" \
		"memory.current +$((cur1 - cur0)) for $bytes bytes of entries"
fi
if [ $(((slab1 - slab0) * 10)) -ge $((bytes * 9)) ]; then
	tap_ok "... as kernel slab memory"
else
	tap_fail "... as kernel slab memory" "slab +$((slab1 - slab0)) for $bytes bytes"
fi

# Room for a few thousand more entries, then the limit.
limit=$((cur1 + (1 << 20)))
echo $limit >"$cg/memory.max"
events_max0=$(memevent max)
snap
# At the limit, any page the process still needs is an OOM kill: its output
# goes into a file whose pages exist already (charged outside the cgroup),
# opened without truncation.
head -c 16384 /dev/zero >"$work/fill.raw"
in_cg ip netns exec $rtr "$fill" -f $n 100000 1<>"$work/fill.raw" 2>&1
rc=$?
tr -d '\000' <"$work/fill.raw" >"$work/fill.out"
refresh
added=$((now[entries] - was[entries]))
echo "# memory.max $limit: $added more entries went in; $(tail -1 "$work/fill.out")"
if [ $rc -eq 1 ] && grep -q 'Cannot allocate memory' "$work/fill.out" &&
   grep -q 'memory cgroup' "$work/fill.out"; then
	tap_ok "at the cgroup's limit an insert is refused with ENOMEM and a reason"
else
	tap_fail "at the cgroup's limit an insert is refused with ENOMEM and a reason" \
		"exit $rc: $(tail -3 "$work/fill.out")"
fi
if [ $added -gt 0 ] && [ $added -lt 100000 ] &&
   [ $((now[insert_rejects] - was[insert_rejects])) -eq 1 ]; then
	tap_ok "entries went in up to the limit, then one refusal was counted"
else
	tap_fail "entries went in up to the limit, then one refusal was counted" \
		"$(deltas insert_rejects=1)"
fi
if [ "$(memevent oom_kill)" = 0 ] && [ "$(memevent max)" -gt "$events_max0" ]; then
	tap_ok "the cgroup hit its limit and nothing was OOM-killed"
else
	tap_fail "the cgroup hit its limit and nothing was OOM-killed" "$(cat "$cg/memory.events")"
fi
if [ "$(cat "$cg/memory.current")" -le $limit ]; then
	tap_ok "the cgroup stayed within memory.max"
else
	tap_fail "the cgroup stayed within memory.max" "memory.current $(cat "$cg/memory.current")"
fi

snap
out=$(ip netns exec $cli dig +time=5 +tries=1 +short @$rtr4 h0.bench A 2>&1)
[ "$out" = 192.0.2.1 ] || out="h0.bench: $out"
out2=$(ip netns exec $cli dig +time=5 +tries=1 +short @$rtr4 "h$((n + added - 1)).bench" A 2>&1)
if [ "$out" = 192.0.2.1 ] && [ "$out2" = 192.0.2.1 ] && deltas hits=2 >/dev/null; then
	tap_ok "entries inserted before the limit are still answered by the kernel"
else
	tap_fail "entries inserted before the limit are still answered by the kernel" \
		"$out / $out2; $(deltas hits=2)"
fi
tap_check "a process outside the cgroup can still insert" \
	ip netns exec $rtr "$fill" -f 2000000 10

echo max >"$cg/memory.max"
tap_check "flush the cache" ctl flush
# Freed after a grace period: the charge goes back down.
gone() { [ $(($(cat "$cg/memory.current") * 10)) -lt $((cur1 * 10 - bytes * 9)) ]; }
if wait_for 20 gone; then
	tap_ok "flushed entries are uncharged from the cgroup"
else
	tap_fail "flushed entries are uncharged from the cgroup" \
		"memory.current $(cat "$cg/memory.current"), was $cur1 with $bytes bytes of entries"
fi
tap_done
