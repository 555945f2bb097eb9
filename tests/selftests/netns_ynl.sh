#!/bin/bash
# The nfdns family through the kernel's own netlink client, ynl's cli.py,
# which knows the family from kmod/nfdns.yaml alone: the settings read and
# changed (an unprivileged user refused, a value out of range refused by
# the policy, with the attribute named), a hand-made response stored, and
# the cache dumped.  What ynl did is checked another way: the settings with
# nfdnsctl, the stored response by a client's query that only the kernel
# can answer (nothing listens at the address it is sent to), and the hit
# in the kernel's counters.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/netns.sh"

nfdnsctl=$top/userspace/nfdnsctl/nfdnsctl
work=$(mktemp -d)
cli=nfcli$$
rtr=nfrtr$$
# The router's own address, where nothing listens on port 53.
rtr4=10.53.1.1
trap 'ns_cleanup; rm -rf "$work"' EXIT

tap_need_built "$nfdnsctl"

# ynl CLI-ARGS...: cli.py in the router namespace, its JSON on stdout, its
# error (and extended ack) on stderr.  The spec is checked against the
# schema once, by the first call: validating it takes cli.py longer than
# the request.
ynl() {
	ip netns exec $rtr "$top/scripts/ynl.sh" cli --no-schema --output-json "$@"
}
# nobody cannot read the kernel tree under root's home, nor perhaps the
# checkout: it runs a copy of cli.py and the spec.
ynl_nobody() {
	ip netns exec $rtr setpriv --reuid=65534 --regid=65534 --clear-groups \
		/usr/bin/python3 "$work/ynl/cli.py" --spec "$work/nfdns.yaml" \
		--no-schema --output-json "$@"
}
nctl() {
	ip netns exec $rtr "$nfdnsctl" "$@"
}

ksrc=${NFDNS_KSRC:-$(dirname "$("$top/scripts/test-kernel.sh" --path 2>/dev/null)")/src}
cp -r "$ksrc/tools/net/ynl" "$work/ynl" &&
	cp "$top/kmod/nfdns.yaml" "$work/" ||
	{ tap_fail "copy cli.py and the spec for nobody"; tap_done; exit 1; }
chmod -R a+rX "$work"

ns_add $cli && ns_add $rtr || { tap_fail "create namespaces"; tap_done; exit 1; }
ns_link $cli "10.53.1.2/24" $rtr "$rtr4/24"

if ! out=$(ip netns exec $rtr "$top/scripts/ynl.sh" cli --list-ops 2>&1) ||
   ! [[ $out == *cache-put* ]]; then
	tap_fail "cli.py loads kmod/nfdns.yaml, valid against the genetlink-legacy schema" "$out"
	tap_done
	exit 1
fi

# --do config-get: the settings, as nfdnsctl reads them.
out=$(ynl --do config-get 2>&1)
want=$(nctl config --json 2>&1)
if jq -e --argjson c "$want" \
	'.config["max-entries"] == $c.max_entries and
	 .config["pending-timeout-ms"] == $c.pending_timeout_ms and
	 .config.ports.port == [53] and (.config.clients.client4 | length) == ($c.clients | map(select(contains(".") and (contains(":") | not))) | length) and (has("resolver-pid") | not)' \
	<<<"$out" >/dev/null 2>&1; then
	tap_ok "--do config-get: the settings nfdnsctl reads"
else
	tap_fail "--do config-get: the settings nfdnsctl reads" "ynl: $out; nfdnsctl: $want"
fi

# --do config-set as root: the change is what nfdnsctl then reads.
out=$(ynl --do config-set --json '{"config": {"max-entries": 1234, "prefetch-pct": 20}}' 2>&1)
got=$(nctl config --json 2>&1)
if jq -e '.max_entries == 1234 and .prefetch_pct == 20' <<<"$got" >/dev/null 2>&1; then
	tap_ok "--do config-set: max-entries and prefetch-pct changed"
else
	tap_fail "--do config-set: max-entries and prefetch-pct changed" "ynl: $out; nfdnsctl: $got"
fi

# Out of range: the policy refuses it and names the attribute and limit.
out=$(ynl --do config-set --json '{"config": {"prefetch-pct": 91}}' 2>&1)
rc=$?
got=$(nctl config --json 2>&1)
if [ $rc != 0 ] && [[ $out == *"integer out of range"* ]] &&
   [[ $out == *"prefetch-pct"* ]] && [[ $out == *"90"* ]] &&
   jq -e '.prefetch_pct == 20' <<<"$got" >/dev/null 2>&1; then
	tap_ok "--do config-set out of range: refused by the policy, attribute and limit named"
else
	tap_fail "--do config-set out of range: refused by the policy, attribute and limit named" \
		"rc=$rc; $out; nfdnsctl: $got"
fi

# An unprivileged user reads the settings but cannot change them.
out=$(ynl_nobody --do config-get 2>&1)
if jq -e '.config["max-entries"] == 1234' <<<"$out" >/dev/null 2>&1; then
	tap_ok "--do config-get as nobody: allowed"
else
	tap_fail "--do config-get as nobody: allowed" "$out"
fi
out=$(ynl_nobody --do config-set --json '{"config": {"max-entries": 99}}' 2>&1)
rc=$?
got=$(nctl config --json 2>&1)
if [ $rc != 0 ] && [[ $out == *"CAP_NET_ADMIN is required"* ]] &&
   jq -e '.max_entries == 1234' <<<"$got" >/dev/null 2>&1; then
	tap_ok "--do config-set as nobody: refused for want of CAP_NET_ADMIN, nothing changed"
else
	tap_fail "--do config-set as nobody: refused for want of CAP_NET_ADMIN, nothing changed" \
		"rc=$rc; $out; nfdnsctl: $got"
fi

# A response made by hand: www.ynl.test. A 10.99.0.1, TTL 300.
qname=0377777703796e6c047465737400 # www.ynl.test.
response=000081800001000100000000${qname}00010001c00c000100010000012c00040a630001
put='{"qname": "'$qname'", "qtype": 1, "response": "'$response'", "ttl": 300}'
hits_before=$(nctl stats --json 2>/dev/null | jq -r '.hits // empty')
out=$(ynl --do cache-put --json "$put" 2>&1)
rc=$?
got=$(ip netns exec $cli dig +time=2 +tries=1 +short @$rtr4 www.ynl.test A 2>&1)
hits_after=$(nctl stats --json 2>/dev/null | jq -r '.hits // empty')
if [ $rc = 0 ] && [ "$got" = 10.99.0.1 ] && [ -n "$hits_before" ] &&
   [ "$hits_after" = $((hits_before + 1)) ]; then
	tap_ok "--do cache-put: the client is answered from the kernel (one hit counted)"
else
	tap_fail "--do cache-put: the client is answered from the kernel (one hit counted)" \
		"rc=$rc; ynl: $out; dig: $got; hits $hits_before -> $hits_after"
fi

# A response for another question is refused with the module's reason.
other=${response/03777777/03787878}
out=$(ynl --do cache-put --json '{"qname": "'$qname'", "qtype": 1, "response": "'$other'", "ttl": 300}' 2>&1)
rc=$?
if [ $rc != 0 ] && [[ $out == *"msg"* ]] && [[ $out == *"response"* ]]; then
	tap_ok "--do cache-put of another question's response: refused, the response named"
else
	tap_fail "--do cache-put of another question's response: refused, the response named" "rc=$rc; $out"
fi

# --do cache-get and --dump cache-get: the entry as stored.
out=$(ynl --do cache-get --json '{"qname": "'$qname'", "qtype": 1}' 2>&1)
if jq -e --arg q "$qname" --arg r "$response" \
	'.entry.qname == $q and .entry.qtype == 1 and .entry.qclass == 1 and
	 .entry.response == $r and .entry.ttl == 300' <<<"$out" >/dev/null 2>&1; then
	tap_ok "--do cache-get: the entry stored, response byte for byte"
else
	tap_fail "--do cache-get: the entry stored, response byte for byte" "$out"
fi
# A static entry, which nfdnsctl stores with and without DO.
nctl add static.ynl.test A 10.99.0.2 >/dev/null 2>&1
out=$(ynl --dump cache-get 2>&1)
want=$(nctl dump --json 2>&1 | jq 'length' 2>/dev/null)
if jq -e --arg q "$qname" --argjson n "${want:-0}" \
	'length == $n and length == 3 and
	 ([.[].entry | select(.qname == $q and .qtype == 1)] | length) == 1 and
	 ([.[].entry | select(.do) | select(.flags | index("static"))] | length) == 1 and
	 ([.[].entry.flags | select(index("static"))] | length) == 2' \
	<<<"$out" >/dev/null 2>&1; then
	tap_ok "--dump cache-get: every entry nfdnsctl dumps, the static ones (with and without DO) flagged"
else
	tap_fail "--dump cache-get: every entry nfdnsctl dumps, the static ones (with and without DO) flagged" \
		"ynl: $out; nfdnsctl count: $want"
fi
out=$(ynl_nobody --dump cache-get 2>&1)
rc=$?
if [ $rc != 0 ] && [[ $out == *"Operation not permitted"* ]]; then
	tap_ok "--dump cache-get as nobody: refused"
else
	tap_fail "--dump cache-get as nobody: refused" "rc=$rc; $out"
fi

tap_done
