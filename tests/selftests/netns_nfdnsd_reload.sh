#!/bin/bash
# nfdnsd registers again by itself when the module is unloaded and loaded
# again under it, and the reloaded module sends it misses.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/netns.sh"

testctl=$here/nfdns_testctl
nfdnsd=$top/userspace/nfdnsd/nfdnsd
work=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	lsmod | grep -q '^nfdns ' || insmod "$NFDNS_MODDIR/nfdns.ko"
	rm -rf "$work"
}
trap cleanup EXIT

resolver_pid() {
	"$testctl" config 2>/dev/null | awk '$1 == "resolver_pid" { print $2 }'
}
registered() {
	[ -n "$(resolver_pid)" ] && [ "$(resolver_pid)" != 0 ]
}
registrations() {
	grep -c 'registered as the resolver of the nfdns kernel module' "$work/nfdnsd.log"
}

# Nothing answers at this root: misses end in SERVFAIL, which is enough to
# see who they went to.
echo ". 3600000 NS a.root.test." >"$work/root.hints"
echo "a.root.test. 3600000 A 127.0.0.254" >>"$work/root.hints"

"$nfdnsd" --config /dev/null --dnssec-validation no --root-hints "$work/root.hints" --listen none \
	--do-not-query-localhost no \
	--kernel-retry 1 --resolve-timeout-ms 500 >"$work/nfdnsd.log" 2>&1 &
pid=$!
if wait_for 20 registered; then
	tap_ok "nfdnsd registers with the module"
else
	tap_fail "nfdnsd registers with the module" "$(cat "$work/nfdnsd.log")"
fi

tap_check "rmmod nfdns under a registered nfdnsd" rmmod nfdns
sleep 1
tap_check "nfdnsd survives the module going away" kill -0 "$pid"
tap_check "insmod nfdns again" insmod "$NFDNS_MODDIR/nfdns.ko"
if wait_for 20 registered; then
	tap_ok "nfdnsd registers again with the reloaded module"
else
	tap_fail "nfdnsd registers again with the reloaded module" "$(tail -20 "$work/nfdnsd.log")"
fi
n=$(registrations)
[ "$n" -ge 2 ] && tap_ok "nfdnsd logged both registrations ($n)" ||
	tap_fail "nfdnsd logged both registrations ($n)" "$(cat "$work/nfdnsd.log")"

# A local query misses and goes to nfdnsd, which answers it (SERVFAIL).
status=$(dig +time=3 +tries=1 @127.0.0.1 reload.example A 2>&1 | grep -o 'status: [A-Z]*')
[ "$status" = "status: SERVFAIL" ] && tap_ok "a miss after the reload is answered through nfdnsd ($status)" ||
	tap_fail "a miss after the reload is answered through nfdnsd" "dig said: $status"
[ "$("$testctl" stats upcalls)" -ge 1 ] && tap_ok "the reloaded module sent the miss up" ||
	tap_fail "the reloaded module sent the miss up" "upcalls $("$testctl" stats upcalls)"

kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
[ $rc -eq 0 ] && tap_ok "nfdnsd stops cleanly on SIGTERM" || tap_fail "nfdnsd stops cleanly on SIGTERM" "exit $rc"
tap_done
