#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# nfdnsd --no-kernel answers local-data, local zones and block lists itself,
# and refuses a block list with a bad line, naming FILE:LINE.  The root hints
# point at an address nothing listens on: any answer here is nfdnsd's own.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
nfdnsd=${NFDNSD:-$top/userspace/nfdnsd/nfdnsd}
work=$(mktemp -d /tmp/nfdnsd-localdata.XXXXXX)
listen=127.53.250.1
tests=0
failed=0
ok() { tests=$((tests + 1)); echo "ok $tests - $1"; }
not_ok() { tests=$((tests + 1)); failed=1; echo "not ok $tests - $1"; [ -n "${2:-}" ] && echo "$2" | sed 's/^/# /'; }
cleanup() {
	[ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

printf '.\t3600000\tIN\tNS\tnowhere.invalid.\nnowhere.invalid.\t3600000\tIN\tA\t127.53.250.99\n' >"$work/root.hints"
cat >"$work/hosts.block" <<'B'
# boilerplate is skipped
127.0.0.1 localhost
0.0.0.0 exact.blocked.test other.blocked.test
sub.blocked.test
*.wild.blocked.test
B
cat >"$work/nfdnsd.conf" <<C
local-zone home.test static
local-data "nas.home.test 300 A 192.0.2.10"
local-zone ref.test refuse
local-zone nx.test nxdomain
blocklist $work/hosts.block
C
"$nfdnsd" --config "$work/nfdnsd.conf" --dnssec-validation no --no-kernel --root-hints "$work/root.hints" \
	--do-not-query-localhost no --listen "$listen:53" >"$work/log" 2>&1 &
pid=$!
for _ in $(seq 50); do
	dig +time=1 +tries=1 @"$listen" nas.home.test A >/dev/null 2>&1 && break
	sleep 0.1
done

q() { dig +time=2 +tries=1 +noall +comments +answer @"$listen" "$@" 2>&1; }
rcode() { q "$@" | sed -n 's/.*status: \([A-Z]*\).*/\1/p'; }
answer() { dig +time=2 +tries=1 +short @"$listen" "$@" 2>&1; }

[ "$(answer nas.home.test A)" = 192.0.2.10 ] && ok "local-data answers" || not_ok "local-data answers" "$(q nas.home.test A)"
[ "$(rcode nas.home.test AAAA)" = NOERROR ] && [ -z "$(answer nas.home.test AAAA)" ] &&
	ok "static zone: other type of a local name is NODATA" || not_ok "static zone NODATA" "$(q nas.home.test AAAA)"
[ "$(rcode other.home.test A)" = NXDOMAIN ] && ok "static zone: other names NXDOMAIN" || not_ok "static NXDOMAIN" "$(q other.home.test A)"
[ "$(rcode x.ref.test A)" = REFUSED ] && ok "refuse zone REFUSED" || not_ok "refuse zone" "$(q x.ref.test A)"
[ "$(rcode x.nx.test A)" = NXDOMAIN ] && ok "nxdomain zone NXDOMAIN" || not_ok "nxdomain zone" "$(q x.nx.test A)"
[ "$(answer exact.blocked.test A)" = 0.0.0.0 ] && ok "hosts-format name blocked with 0.0.0.0" || not_ok "hosts exact" "$(q exact.blocked.test A)"
[ "$(answer exact.blocked.test AAAA)" = :: ] && ok "blocked AAAA is ::" || not_ok "blocked AAAA" "$(q exact.blocked.test AAAA)"
[ "$(answer a.b.sub.blocked.test A)" = 0.0.0.0 ] && ok "plain-name line blocks the subtree" || not_ok "subtree" "$(q a.b.sub.blocked.test A)"
[ "$(answer x.wild.blocked.test A)" = 0.0.0.0 ] && ok "*.name line blocks the subtree" || not_ok "wildcard" "$(q x.wild.blocked.test A)"
[ "$(answer below.exact.blocked.test A)" != 0.0.0.0 ] && ok "below a hosts-format name is not blocked" ||
	not_ok "hosts exact only" "$(q below.exact.blocked.test A)"
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=

printf 'good.test\nbad..name\n' >"$work/bad.block"
printf 'blocklist %s\n' "$work/bad.block" >"$work/bad.conf"
if timeout 10 "$nfdnsd" --config "$work/bad.conf" --dnssec-validation no --no-kernel --root-hints "$work/root.hints" \
	--listen "127.53.250.2:53" >"$work/bad.log" 2>&1; then
	not_ok "a bad block list line refuses the config" "$(cat "$work/bad.log")"
elif grep -q "$work/bad.block:2" "$work/bad.log"; then
	ok "a bad block list line refuses the config with FILE:LINE"
else
	not_ok "bad line names FILE:LINE" "$(cat "$work/bad.log")"
fi
echo "1..$tests"
exit $failed
