#!/bin/bash
# End-to-end test of nfdnsd against the NSD test hierarchy, with Unbound as
# the oracle.  TAP on stdout; exit status non-zero when any test fails.
#
#   tests/resolver/run.sh            (as root: servers bind port 53)
#   KEEP=1 tests/resolver/run.sh     keeps the work directory (logs)
#   NFDNSD=path/to/nfdnsd ...        another binary
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lib/unbound.sh"
top=$(cd "$here/../.." && pwd)
nfdnsd=${NFDNSD:-$top/userspace/nfdnsd/nfdnsd}
hierarchy=$top/tests/zones/hierarchy.sh
listen=127.53.255.1
oracle=127.53.255.2
alone=127.53.255.3
guarded=127.53.255.4
limited=127.53.255.5
cold=127.53.255.6
max_queries=48
max_ns_chase=4

# The test hierarchy binds fixed loopback addresses: one run at a time.
exec 9>/tmp/nfdns-hierarchy.lock
flock 9
work=$(mktemp -d /tmp/nfdnsd-test.XXXXXX)
log=$work/nfdnsd.log
nfdnsd_pid=
unbound_pid=
alone_pid=
guarded_pid=
limited_pid=
cold_pid=
tests=0
failures=0

cleanup() {
	local p
	for p in $nfdnsd_pid $unbound_pid $alone_pid $guarded_pid $limited_pid $cold_pid; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	"$hierarchy" stop "$work/hier" >/dev/null 2>&1
	nft delete table inet nfdnsd_test 2>/dev/null
	if [ -n "${KEEP:-}" ]; then
		echo "# work directory kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ok() {
	tests=$((tests + 1))
	echo "ok $tests - $1"
}

not_ok() {
	tests=$((tests + 1))
	failures=$((failures + 1))
	echo "not ok $tests - $1"
	shift
	local line
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/#   /'
	done
}

# check DESC CONDITION-COMMAND... : ok when the command succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc" "failed: $*"; fi
}

skip() {
	tests=$((tests + 1))
	echo "ok $tests - $1 # SKIP $2"
}

# ---- dig helpers ----

# ask SERVER NAME TYPE [dig options]: output in $out.
ask() {
	local server=$1 name=$2 type=$3
	shift 3
	out=$(dig +time=4 +tries=1 @"$server" "$name" "$type" "$@" 2>&1)
}

rcode() { sed -n 's/.*status: \([A-Z]*\),.*/\1/p' <<<"$1" | head -1; }
flags() { sed -n 's/^;; flags: \([a-z ]*\);.*/\1/p' <<<"$1" | head -1; }
# A section's records, TTL dropped, sorted: "name class type rdata".
section() {
	awk -v s=";; $2 SECTION:" '$0 == s { on = 1; next } on && /^$/ { on = 0 } on && !/^;/ { $2 = ""; print }' <<<"$1" |
		tr -s ' \t' ' ' | sort
}
answers() { section "$1" ANSWER; }
# The TTL of the first record of a section.
first_ttl() {
	awk -v s=";; $2 SECTION:" '$0 == s { on = 1; next } on && !/^;/ && NF { print $2; exit }' <<<"$1"
}
has_flag() { grep -qw "$2" <<<"$(flags "$1")"; }

# ---- nfdnsd helpers ----

# The trace line about the last answer to NAME TYPE.
answered_line() { grep "trace: answered $1 $2 " "$log" | tail -1; }
# Upstream queries spent on the last answer to NAME TYPE ("cache" when none).
upstream_count() {
	local line
	line=$(answered_line "$1" "$2")
	if grep -q 'from cache' <<<"$line"; then echo cache; return; fi
	sed -n 's/.* after \([0-9]*\) upstream queries.*/\1/p' <<<"$line"
}

# counter NAME: the value in a fresh SIGUSR1 dump.
counter() {
	local before i
	before=$(grep -c ' stats: ' "$log")
	kill -USR1 "$nfdnsd_pid"
	for i in $(seq 1 50); do
		[ "$(grep -c ' stats: ' "$log")" -gt "$before" ] && break
		sleep 0.05
	done
	grep ' stats: ' "$log" | tail -1 | tr ' ' '\n' | sed -n "s/^$1=//p"
}

wait_listening() {
	local addr=$1 i
	for i in $(seq 1 50); do
		dig +time=1 +tries=1 @"$addr" . NS >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# ---- set up ----

echo "# work directory $work"
if [ ! -x "$nfdnsd" ]; then
	echo "1..1"
	not_ok "nfdnsd binary exists ($nfdnsd)"
	exit 1
fi

if "$hierarchy" check "$work/hier" >"$work/check.log" 2>&1; then
	ok "nsd-checkconf and nsd-checkzone accept the hierarchy"
else
	not_ok "nsd-checkconf and nsd-checkzone accept the hierarchy" "$(cat "$work/check.log")"
fi
if "$hierarchy" start "$work/hier" >"$work/hier.log" 2>&1; then
	ok "test hierarchy started"
else
	not_ok "test hierarchy started" "$(cat "$work/hier.log")"
	echo "1..$tests"
	exit 1
fi

"$nfdnsd" --config /dev/null --dnssec-validation no --no-kernel --root-hints "$work/hier/root.hints" --listen "$listen:53" --listen "[::1]:5399" \
	--do-not-query-localhost no --tcp-idle-ms 3000 \
	--access-control "127.53.254.0/24 refuse" --access-control "127.53.253.0/24 deny" \
	--trace --log-level debug --max-queries $max_queries --max-ns-chase $max_ns_chase >"$log" 2>&1 &
nfdnsd_pid=$!
if wait_listening "$listen"; then
	ok "nfdnsd answers on $listen"
else
	not_ok "nfdnsd answers on $listen" "$(tail -20 "$log")"
	echo "1..$tests"
	exit 1
fi

mkdir -p "$work/unbound"
unbound_conf "$work/unbound" $oracle 127.0.0.0/8 "$work/hier/root.hints" \
	"verbosity: 1" "num-threads: 1" "so-reuseport: no" "extended-statistics: yes" \
	>"$work/unbound/unbound.conf"
unbound -d -c "$work/unbound/unbound.conf" >"$work/unbound/stdout.log" 2>&1 &
unbound_pid=$!
wait_listening $oracle || true

# Upstream packets by socket mark, counted by the kernel: nfdnsd's own count is not trusted.
nft_ok=0
nft delete table inet nfdnsd_test 2>/dev/null
if nft add table inet nfdnsd_test 2>/dev/null &&
	nft add chain inet nfdnsd_test out '{ type filter hook output priority 0; }' &&
	nft add rule inet nfdnsd_test out meta mark 0x6e67 udp dport 53 counter comment '"guarded"' &&
	nft add rule inet nfdnsd_test out meta mark 0x6e66 udp dport 53 counter comment '"main"' &&
	nft add rule inet nfdnsd_test out meta mark 0x6e66 tcp dport 53 tcp flags \& \(syn \| ack\) == syn counter comment '"main-tcp"' &&
	nft add rule inet nfdnsd_test out meta mark 0x6e66 ip daddr 127.53.0.0/24 udp dport 53 counter comment '"main-root"' &&
	nft add rule inet nfdnsd_test out meta mark 0x6e66 ip daddr 127.53.1.0/24 udp dport 53 counter comment '"main-tld"'; then
	nft_ok=1
fi
# marked NAME: packets counted by the rule with that comment.
marked() {
	nft list chain inet nfdnsd_test out 2>/dev/null |
		awk -v c="\"$1\"" '$NF == c { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}
# sent NAME: upstream queries so far by the kernel's count: "main" (the main
# instance, UDP and TCP connections), "main-root" and "main-tld" (to the root
# and TLD servers), "guarded".
sent() {
	if [ $nft_ok != 1 ]; then
		echo 0
	elif [ "$1" = main ]; then
		echo $(( $(marked main) + $(marked main-tcp) ))
	else
		marked "$1"
	fi
}

# One UDP query, timed in the client: "RCODE ANCOUNT MICROSECONDS".
timed_query() {
	python3 - "$@" <<'PY'
import socket, struct, sys, time
server, name = sys.argv[1], sys.argv[2]
q = struct.pack("!HHHHHH", 0x4242, 0x0100, 1, 0, 0, 0)
for label in name.rstrip(".").split("."):
    q += bytes([len(label)]) + label.encode()
q += b"\0" + struct.pack("!HH", 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
start = time.perf_counter()
s.sendto(q, (server, 53))
r = s.recv(65535)
us = int((time.perf_counter() - start) * 1e6)
print(r[3] & 15, struct.unpack("!H", r[6:8])[0], us)
PY
}
# Queries Unbound has sent upstream (UDP and TCP).
unbound_out() {
	unbound-control -c "$work/unbound/unbound.conf" stats_noreset 2>/dev/null |
		awk -F= '$1 == "num.query.udpout" || $1 == "num.query.tcpout" { n += $2 } END { print n + 0 }'
}
u0=$(unbound_out)
# Cold resolution through three levels, before anything is cached.
read -r _ _ unbound_cold < <(timed_query $oracle www.example.com)
unbound_cold_queries=$(( $(unbound_out) - u0 ))

# ---- scenario 1: plain delegation ----

k0=$(sent main) r0=$(sent main-root) t0=$(sent main-tld)
read -r cold_rcode cold_ancount nfdnsd_cold < <(timed_query $listen www.example.com)
cold_queries=$(( $(sent main) - k0 ))
echo "# cold www.example.com A through root, com., example.com.: nfdnsd ${nfdnsd_cold:-?} us, $cold_queries upstream queries; unbound ${unbound_cold:-?} us, $unbound_cold_queries upstream queries"
check "www.example.com A (cold): NOERROR with one answer" [ "$cold_rcode $cold_ancount" = "0 1" ]
check "www.example.com A: cold resolution took 3 upstream queries, counted by the kernel" [ "$cold_queries" = 3 ]
check "www.example.com A: one to a root server, one to a com. server" [ "$(( $(sent main-root) - r0 )) $(( $(sent main-tld) - t0 ))" = "1 1" ]
check "nfdnsd's own count agrees (3)" [ "$(upstream_count www.example.com. A)" = 3 ]
ask $listen www.example.com A
check "www.example.com A: NOERROR" [ "$(rcode "$out")" = NOERROR ]
check "www.example.com A: answer is 192.0.2.44" [ "$(answers "$out")" = "www.example.com. IN A 192.0.2.44" ]
check "www.example.com A: QR, RD and RA set" bash -c "grep -qw qr <<<'$(flags "$out")' && grep -qw rd <<<'$(flags "$out")' && grep -qw ra <<<'$(flags "$out")'"
check "the root was primed from the hints (2 root servers)" grep -q 'info: primed: 2 root servers' "$log"
# QNAME minimisation: the root is asked com. only, com. example.com. only.
check "trace shows root -> com. -> example.com., each asked one more label" bash -c "grep -q 'ask com. A (minimised) of \.$' '$log' &&
	grep -q 'for com. A -> referral to com. (2 NS, 2 glue)' '$log' &&
	grep -q 'for example.com. A -> referral to example.com. (2 NS, 2 glue)' '$log' &&
	grep -qE 'asked ns[12].example.com \(127.53.2.[12]\) for www.example.com. A -> answer' '$log'"
k0=$(sent main)
ask $listen www.example.com A
check "repeat of www.example.com A: same answer" [ "$(answers "$out")" = "www.example.com. IN A 192.0.2.44" ]
check "repeat of www.example.com A: answered from cache" [ "$(upstream_count www.example.com. A)" = cache ]
check "repeat of www.example.com A: no upstream query sent (kernel counter)" [ "$(sent main)" = "$k0" ]
ttl=$(first_ttl "$out" ANSWER)
check "cached answer carries an aged TTL (<= 3600)" [ "${ttl:-9999}" -le 3600 ]
k0=$(sent main) r0=$(sent main-root) t0=$(sent main-tld)
ask $listen other.example.com A
check "other.example.com A: answer is 192.0.2.45" [ "$(answers "$out")" = "other.example.com. IN A 192.0.2.45" ]
check "other.example.com A: one upstream query, none to the root or com. (kernel counters)" \
	[ "$(( $(sent main) - k0 )) $(( $(sent main-root) - r0 )) $(( $(sent main-tld) - t0 ))" = "1 0 0" ]
check "other.example.com A: one upstream query, straight to example.com's servers" bash -c "
	[ '$(upstream_count other.example.com. A)' = 1 ] &&
	grep -E 'for other.example.com. A ->' '$log' | grep -qvE '127.53.(0|1)\.' &&
	! grep -E 'for other.example.com. A ->' '$log' | grep -qE '127.53.(0|1)\.'"

# ---- scenario 2: CNAME into another zone ----

ask $listen beta.example.com A
check "beta.example.com A: CNAME chain and final A" [ "$(answers "$out")" = "$(printf '%s\n' 'beta.example.com. IN CNAME beta.g.example.com.' 'beta.g.example.com. IN A 192.0.2.55' | sort)" ]
check "beta.example.com A: CNAME comes first in the answer" bash -c "dig +noall +answer @$listen beta.example.com A | head -1 | grep -q CNAME"
ask $listen chain1.example.com A
check "chain1.example.com A: 3 CNAMEs across two zones, then 192.0.2.56" bash -c "[ \$(grep -c CNAME <<<'$(answers "$out")') = 3 ] && grep -q 'A 192.0.2.56' <<<'$(answers "$out")'"

# ---- negative answers ----

ask $listen nx.example.com A
check "nx.example.com A: NXDOMAIN" [ "$(rcode "$out")" = NXDOMAIN ]
ttl=$(first_ttl "$out" AUTHORITY)
check "nx.example.com A: SOA in authority, negative TTL from the SOA (<= 300)" bash -c "grep -q 'SOA' <<<'$(section "$out" AUTHORITY)' && [ '${ttl:-0}' -le 300 ] && [ '${ttl:-0}' -ge 290 ]"
k0=$(sent main)
ask $listen nx.example.com A
check "nx.example.com A again: no upstream query (kernel counter)" [ "$(sent main)" = "$k0" ]
check "nx.example.com A again: NXDOMAIN from the negative cache" bash -c "[ '$(rcode "$out")' = NXDOMAIN ] && [ '$(upstream_count nx.example.com. A)' = cache ]"
before=$(sent main)
ask $listen deep.below.nx.example.com A
check "below the cached NXDOMAIN of nx.example.com (RFC 8020): NXDOMAIN with the SOA" bash -c "[ '$(rcode "$out")' = NXDOMAIN ] && grep -q SOA <<<'$(section "$out" AUTHORITY)'"
check "RFC 8020: from the cache, no upstream query (kernel counter unchanged)" [ "$(sent main)" = "$before" ]
ask $listen text.example.com AAAA
check "text.example.com AAAA: NODATA (NOERROR, empty answer)" bash -c "[ '$(rcode "$out")' = NOERROR ] && [ -z '$(answers "$out")' ]"
ttl=$(first_ttl "$out" AUTHORITY)
check "text.example.com AAAA: SOA in authority, TTL <= 300" bash -c "grep -q SOA <<<'$(section "$out" AUTHORITY)' && [ '${ttl:-999}' -le 300 ]"
ask $listen text.example.com AAAA
check "text.example.com AAAA again: NODATA from the negative cache" [ "$(upstream_count text.example.com. AAAA)" = cache ]
ask $listen www.nonexistent-tld A
check "www.nonexistent-tld A: NXDOMAIN from the root" [ "$(rcode "$out")" = NXDOMAIN ]
ask $listen nxcname.example.com A
check "nxcname.example.com A: CNAME into a zone where the target does not exist: NXDOMAIN with the CNAME" bash -c "[ '$(rcode "$out")' = NXDOMAIN ] && grep -q CNAME <<<'$(answers "$out")'"

# ---- NS names without glue ----

ask $listen www.noglue.com A
check "www.noglue.com A (NS in another TLD, no glue): 192.0.2.80" [ "$(answers "$out")" = "www.noglue.com. IN A 192.0.2.80" ]
check "trace shows ns.hosting.net. resolved through net." grep -q 'resolving NS name ns.hosting.net. A for noglue.com.' "$log"
ask $listen www.nogluein.com A
check "www.nogluein.com A (NS inside a glueless zone of the same TLD): 192.0.2.81" [ "$(answers "$out")" = "www.nogluein.com. IN A 192.0.2.81" ]
start=$(date +%s%N)
ask $listen www.cycle-a.com A
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "www.cycle-a.com A (NS names depend on each other): SERVFAIL" [ "$(rcode "$out")" = SERVFAIL ]
check "www.cycle-a.com A: loop detected, not run into the budget ($(upstream_count www.cycle-a.com. A) queries, $ms ms)" bash -c "[ '$(upstream_count www.cycle-a.com. A)' -lt 10 ] && [ $ms -lt 2000 ]"

# ---- the parent's glue when the child's own address is wrong ----

ask $listen ns1.wrongaddr.com A
check "ns1.wrongaddr.com A: the child's own (dead) address, 127.53.7.3" [ "$(answers "$out")" = "ns1.wrongaddr.com. IN A 127.53.7.3" ]
ask $listen www.wrongaddr.com A +time=10
check "www.wrongaddr.com A: 192.0.2.82, through the parent's glue once the child's address failed" \
	bash -c "[ '$(answers "$out")' = 'www.wrongaddr.com. IN A 192.0.2.82' ] && grep -q 'no server of wrongaddr.com. answered: trying the parent' '$log'"

# ---- glue outside the bailiwick ----

ask 127.53.66.1 www.sub.evil.com A +norecurse
check "the bogus glue address is a live server answering 192.0.2.66" grep -q '192.0.2.66' <<<"$(answers "$out")"
ignored=$(counter glue_ignored)
ask $listen www.sub.evil.com A
check "www.sub.evil.com A: the honest 192.0.2.77, never the poisoned 192.0.2.66" [ "$(answers "$out")" = "www.sub.evil.com. IN A 192.0.2.77" ]
check "no query ever went to the bogus glue address" bash -c "! grep -q '(127.53.66.1)' '$log'"
check "out-of-bailiwick additional records counted as ignored" [ "$(counter glue_ignored)" -gt "$ignored" ]
ask $listen www.victim.net A
check "www.victim.net A: 192.0.2.78, the forged additional record was not cached" [ "$(answers "$out")" = "www.victim.net. IN A 192.0.2.78" ]

# ---- lame and dead servers ----

good=1
for n in www nx1 nx2 nx3; do
	ask $listen $n.lame.com A
	case $n in
	www) [ "$(answers "$out")" = "www.lame.com. IN A 192.0.2.90" ] || good=0 ;;
	*) [ "$(rcode "$out")" = NXDOMAIN ] || good=0 ;;
	esac
done
check "lame.com (one server REFUSED): every answer right" [ $good = 1 ]
check "the lame server was asked, refused, and another was used" grep -qE 'asked ns1.lame.com \(127.53.6.1\) for .* -> REFUSED, trying another server' "$log"
ask $listen www.alllame.com A
check "alllame.com (every server lame): SERVFAIL" [ "$(rcode "$out")" = SERVFAIL ]

good=1
slow=0
for n in www www2 www3; do
	start=$(date +%s%N)
	ask $listen $n.dead.com A
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	grep -q 'A 192.0.2.10' <<<"$(answers "$out")" || good=0
	[ $ms -lt 2500 ] || slow=1
done
check "dead.com (one address dead): every answer right" [ $good = 1 ]
check "the dead address timed out and the next server answered" grep -qE 'asked ns1.dead.com \(127.53.7.1\) for .* -> (timeout after|no answer yet, asking another server too)' "$log"
check "dead.com: each answer within 2.5 s" [ $slow = 0 ]
start=$(date +%s%N)
ask $listen www.alldead.com A +time=15
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "alldead.com (every address dead): SERVFAIL" [ "$(rcode "$out")" = SERVFAIL ]
check "alldead.com: given up within the retry budget and the 8 s deadline ($ms ms)" [ $ms -lt 9000 ]

# ---- TTL rules, on the first answer too ----

# ttls: the TTLs of the answer section, sorted, one line.
ttls() { awk '/^;; ANSWER SECTION:/ { on = 1; next } on && /^$/ { on = 0 } on && !/^;/ { print $2 }' <<<"$1" | sort -n | tr '\n' ' '; }
ask $listen ttltop.slow.com A
check "TTL 2^31 (top bit set): 0 in the first answer ($(ttls "$out"))" [ "$(ttls "$out")" = "0 " ]
ask $listen ttlmixed.example.com A
check "RRset sent with TTLs 100 and 200: one TTL, 100, in the first answer ($(ttls "$out"))" [ "$(ttls "$out")" = "100 100 " ]
ask $listen ttllong.example.com A
check "TTL 1000000: capped at max-ttl 86400 in the first answer ($(ttls "$out"))" [ "$(ttls "$out")" = "86400 " ]
ask $oracle ttllong.example.com A
check "Unbound caps it the same ($(ttls "$out"))" [ "$(ttls "$out")" = "86400 " ]

# ---- DNAME (RFC 6672) ----

ask $listen beta.dn.example.com A
check "beta.dn.example.com A: DNAME, the CNAME it implies, then beta.g.example.com's address" \
	[ "$(answers "$out")" = "$(printf '%s\n' 'dn.example.com. IN DNAME g.example.com.' 'beta.dn.example.com. IN CNAME beta.g.example.com.' 'beta.g.example.com. IN A 192.0.2.55' | sort)" ]
check "DNAME first in the answer" bash -c "dig +noall +answer @$listen beta.dn.example.com A | head -1 | grep -q DNAME"
ask $listen chain4.dn.example.com A
check "chain4.dn.example.com A: from the cached DNAME, not asked of example.com again" \
	bash -c "grep -q 'A 192.0.2.56' <<<'$(answers "$out")' && grep -q 'cache: dn.example.com. DNAME -> following' '$log' &&
	! grep -qE 'for chain4.dn.example.com. A -> ' '$log'"
ask $listen beta.dn.evil.com A
check "beta.dn.evil.com A: a DNAME sent without its CNAME still leads to 192.0.2.55" \
	bash -c "grep -q 'beta.dn.evil.com. IN CNAME beta.g.example.com.' <<<'$(answers "$out")' && grep -q 'A 192.0.2.55' <<<'$(answers "$out")'"

# ---- DS at the parent ----

ask $listen example.com DS
check "example.com DS: the parent's record, asked of com.'s servers" bash -c "grep -q 'example.com. IN DS 31589 8 2' <<<'$(answers "$out")' &&
	grep -qE 'asked [ab].nic.com \(127.53.1.[12]\) for example.com. DS -> answer' '$log'"

# ---- TC and TCP ----

tcp=$(counter upstream_tcp)
ask $listen big.example.com A +tcp
check "big.example.com A over TCP: all 100 addresses" [ "$(answers "$out" | grep -c 'A 198.51.100.')" = 100 ]
check "NSD truncated over UDP and nfdnsd retried over TCP" bash -c "grep -q 'for big.example.com. A -> truncated, retrying over TCP' '$log' && [ $(counter upstream_tcp) -gt $tcp ]"
ask $listen big.example.com A +ignore +bufsize=1232
check "big.example.com A over UDP to a client: TC=1" has_flag "$out" tc

# ---- CNAME loops and long chains ----

ask $listen loop1.example.com A
check "loop1.example.com A (CNAME loop in one zone): SERVFAIL" [ "$(rcode "$out")" = SERVFAIL ]
ask $listen xloop.example.com A
check "xloop.example.com A (CNAME loop across zones): SERVFAIL" [ "$(rcode "$out")" = SERVFAIL ]
ask $listen long0.example.com A
check "long0.example.com A (20 CNAMEs, over the bound of 16): SERVFAIL" [ "$(rcode "$out")" = SERVFAIL ]

# ---- spoofed answers ----

src=$(counter dropped_wrong_source)
id=$(counter dropped_wrong_id)
qn=$(counter dropped_wrong_question)
ask $listen www.spoof.com A
check "www.spoof.com A: the real 192.0.2.88 despite forged answers" [ "$(answers "$out")" = "www.spoof.com. IN A 192.0.2.88" ]
check "forged answer from another port counted and dropped" [ "$(counter dropped_wrong_source)" -gt "$src" ]
check "forged answer with another ID counted and dropped" [ "$(counter dropped_wrong_id)" -gt "$id" ]
check "forged answer for another question counted and dropped" [ "$(counter dropped_wrong_question)" -gt "$qn" ]

# ---- lame for one type ----

ask $listen aaaalame.evil.com A
check "aaaalame.evil.com A: 192.0.2.67" [ "$(answers "$out")" = "aaaalame.evil.com. IN A 192.0.2.67" ]
ask $listen aaaalame.evil.com AAAA
check "aaaalame.evil.com AAAA (AA, empty, no SOA, referral up): lame, SERVFAIL, not NODATA" [ "$(rcode "$out")" = SERVFAIL ]
check "aaaalame.evil.com AAAA: taken as lame" grep -q 'for aaaalame.evil.com. AAAA -> lame for evil.com.' "$log"

# ---- EDNS, IPv6 ----

fb=$(counter edns_fallbacks)
ask $listen www.noedns.com A
check "www.noedns.com A (FORMERR to EDNS): answered without EDNS" bash -c "[ '$(answers "$out")' = 'www.noedns.com. IN A 192.0.2.99' ] && [ $(counter edns_fallbacks) -gt $fb ]"
ask $listen www.v6.example.com A
check "www.v6.example.com A through an IPv6-only name server (::1)" bash -c "[ '$(answers "$out")' = 'www.v6.example.com. IN A 192.0.2.106' ] && grep -q '(::1) for www.v6.example.com. A -> answer' '$log'"

# ---- NXNS ----

chased=$(counter nameservers_chased)
k0=$(sent main)
ask $listen www.x.attacker.com A
used=$(( $(sent main) - k0 ))
check "www.x.attacker.com A (100 NS names, no glue, none exist): SERVFAIL" [ "$(rcode "$out")" = SERVFAIL ]
check "NXNS: upstream queries stay under the bound ($used <= $max_queries, and <= 16; kernel counter)" bash -c "[ $used -le $max_queries ] && [ $used -le 16 ]"
nxns_used=$used
check "NXNS: at most $max_ns_chase NS names chased for the referral" [ $(( $(counter nameservers_chased) - chased )) -le $max_ns_chase ]

# ---- service ----

ask $listen www.example.com A +tcp
check "TCP client: www.example.com A" [ "$(answers "$out")" = "www.example.com. IN A 192.0.2.44" ]
seq 1 60 | sed 's/^/par/; s/$/.example.com A/' | xargs -P 30 -L 1 dig +time=5 +tries=1 +short @$listen >/dev/null 2>&1
check "60 concurrent client questions all answered" [ "$(grep -c 'trace: answered par[0-9]*.example.com. A NXDOMAIN' "$log")" = 60 ]
ask $listen www.example.com A +noedns
check "client without EDNS gets an answer without OPT" bash -c "[ '$(answers "$out")' = 'www.example.com. IN A 192.0.2.44' ] && ! grep -q 'OPT PSEUDOSECTION' <<<'$(printf %s "$out")'"
merged=$(counter coalesced)
# 20 clients ask at once (within a few ms), from 20 sockets.
python3 - $listen >"$work/slow.out" 2>&1 <<'PY'
import socket, struct, sys
q = struct.pack("!HHHHHH", 7, 0x0100, 1, 0, 0, 0) + b"\3www\4slow\3com\0" + struct.pack("!HH", 1, 1)
socks = []
for i in range(20):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    s.sendto(q, (sys.argv[1], 53))
    socks.append(s)
for s in socks:
    try:
        r = s.recv(4096)
        print(".".join(str(b) for b in r[-4:]) if r[3] & 15 == 0 and r[7] == 1 else "rcode %d" % (r[3] & 15))
    except socket.timeout:
        print("timeout")
PY
check "20 concurrent identical questions for a slow server: all answered" [ "$(grep -c '^192.0.2.111$' "$work/slow.out")" = 20 ]
check "they were coalesced into one resolution ($(grep -c 'for www.slow.com. A -> answer' "$log") upstream query)" bash -c "[ \$(grep -c 'for www.slow.com. A -> answer' '$log') = 1 ] && [ $(counter coalesced) -ge $((merged + 10)) ]"
# A query the slow server holds for 2 s keeps an upstream socket open long enough to look at.
dig +time=5 +tries=1 @$listen x.held.slow.com A >/dev/null 2>&1 &
dig_pid=$!
sockets=
for i in $(seq 1 30); do
	sleep 0.05
	sockets=$(ss -uane 2>/dev/null | grep 'fwmark:')
	[ -n "$sockets" ] && break
done
wait $dig_pid
check "upstream sockets carry SO_MARK 0x6e66" grep -q 'fwmark:0x6e66' <<<"$sockets"
ask ::1 www.example.com A -p 5399
check "IPv6 listener ([::1]:5399): www.example.com A" [ "$(answers "$out")" = "www.example.com. IN A 192.0.2.44" ]
ask $listen example.com AXFR
check "AXFR refused" bash -c "grep -q -e REFUSED -e 'Transfer failed' <<<'$(printf %s "$out")'"

# ---- client-side protocol ----

ask $listen www.example.com A +cdflag
check "CD copied into the reply" has_flag "$out" cd
ask $listen www.example.com A
check "no CD in the reply when the query had none" bash -c "! grep -qw cd <<<'$(flags "$out")'"
before=$(sent main)
# trailing.example.com A, then 8 bytes that belong to no section.
reply=$(python3 - $listen <<'PY'
import socket, struct, sys
q = struct.pack("!HHHHHH", 77, 0x0100, 1, 0, 0, 0) + b"\10trailing\7example\3com\0" + struct.pack("!HH", 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.sendto(q + b"garbage!", (sys.argv[1], 53))
try:
    r = s.recv(4096)
    print(struct.unpack("!H", r[:2])[0], r[3] & 15, struct.unpack("!H", r[6:8])[0])
except socket.timeout:
    print("timeout")
PY
)
check "trailing bytes after the question: FORMERR with the query's ID ($reply)" [ "$reply" = "77 1 0" ]
check "trailing bytes: nothing resolved (kernel counter unchanged)" [ "$(sent main)" = "$before" ]
ask $listen www.example.com A +norecurse
check "RD=0 for a cached name: answered from the cache" bash -c "[ '$(rcode "$out")' = NOERROR ] && [ '$(answers "$out")' = 'www.example.com. IN A 192.0.2.44' ]"
before=$(sent main)
ask $listen norec.example.com A +norecurse
check "RD=0 for a name not cached: REFUSED" [ "$(rcode "$out")" = REFUSED ]
check "RD=0: no upstream query (kernel counter unchanged)" [ "$(sent main)" = "$before" ]
ask $listen www.example.com A +edns=1 +noednsnegotiation
check "EDNS version 1: BADVERS, no answer" bash -c "grep -q 'status: BADVERS' <<<'$(printf %s "$out")' && [ -z '$(answers "$out")' ]"
ask $listen www.example.com A +edns=0
check "EDNS version 0: answered" [ "$(answers "$out")" = "www.example.com. IN A 192.0.2.44" ]

# ---- access control on the listener ----

ask $listen www.example.com A -b 127.53.254.1
check "access-control refuse (127.53.254.0/24): REFUSED over UDP" [ "$(rcode "$out")" = REFUSED ]
ask $listen www.example.com A -b 127.53.254.1 +tcp
check "access-control refuse: REFUSED over TCP, no answer records" bash -c "[ '$(rcode "$out")' = REFUSED ] && [ -z '$(answers "$out")' ]"
out=$(dig +time=1 +tries=1 @$listen www.example.com A -b 127.53.253.1 2>&1)
check "access-control deny (127.53.253.0/24): no reply at all over UDP" bash -c "[ -z '$(rcode "$out")' ]"
out=$(dig +time=2 +tries=1 @$listen www.example.com A -b 127.53.253.1 +tcp 2>&1)
check "access-control deny: no reply over TCP" bash -c "[ -z '$(rcode "$out")' ]"

# ---- TCP client that never reads ----

# rss PID: resident memory in kB.
rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"; }
ask $listen big.example.com A +tcp
rss_before=$(rss "$nfdnsd_pid")
# Pipelines a 1.7 kB answer's question for up to 10 s, never reading; prints
# "QUERIES-SENT PEAK-RSS-KB CLOSED" (CLOSED: nfdnsd hung up on it).
python3 - $listen "$nfdnsd_pid" >"$work/noread.out" 2>&1 <<'PY'
import select, socket, struct, sys, time
server, pid = sys.argv[1], sys.argv[2]
q = struct.pack("!HHHHHH", 9, 0x0100, 1, 0, 0, 1) + b"\3big\7example\3com\0" + struct.pack("!HH", 1, 1)
q += b"\0" + struct.pack("!HHIH", 41, 4096, 0, 0)
msg = struct.pack("!H", len(q)) + q
def rss():
    for line in open("/proc/%s/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect((server, 53))
s.setblocking(False)
sent, peak, closed, end = 0, rss(), 0, time.time() + 10
buf = msg * 64
while time.time() < end and not closed:
    _, w, _ = select.select([], [s], [], 0.2)
    if w:
        try:
            sent += s.send(buf) // len(msg)
        except (BrokenPipeError, ConnectionResetError):
            closed = 1
    peak = max(peak, rss())
print(sent, peak, closed)
PY
read -r noread_sent noread_peak noread_closed <"$work/noread.out"
echo "# TCP client that never reads: ${noread_sent:-?} questions sent, nfdnsd RSS ${rss_before:-?} kB before, peak ${noread_peak:-?} kB"
check "TCP client that never reads: nfdnsd's memory grew less than 16 MB (${rss_before:-?} -> ${noread_peak:-?} kB)" \
	bash -c "[ -n '$noread_peak' ] && [ $((${noread_peak:-0} - ${rss_before:-0})) -lt 16384 ]"
check "TCP client that never reads: nfdnsd hung up on it within 10 s" [ "${noread_closed:-0}" = 1 ]
ask $listen www.example.com A +tcp
check "TCP still served after it" [ "$(answers "$out")" = "www.example.com. IN A 192.0.2.44" ]

# ---- never query where no server should be ----

if [ $nft_ok = 1 ]; then
	"$nfdnsd" --config /dev/null --dnssec-validation no --no-kernel --root-hints "$work/hier/root.hints" --listen "$guarded:53" \
		--mark 0x6e67 --trace >"$work/guarded.log" 2>&1 &
	guarded_pid=$!
	wait_listening $guarded
	ask $guarded www.example.com A
	check "default settings, root hints on loopback: SERVFAIL" [ "$(rcode "$out")" = SERVFAIL ]
	check "default settings: not one query left for the loopback servers (kernel counter)" [ "$(marked guarded)" = 0 ]
	ask $listen other2.example.com A
	check "the counter sees queries of the instance allowed to ask loopback ($(marked main))" [ "$(marked main)" -gt 0 ]
else
	skip "do-not-query-localhost by default" "nft unavailable"
fi

# ---- bounds on sockets, waiting clients and TCP connections ----

"$nfdnsd" --config /dev/null --dnssec-validation no --no-kernel --root-hints "$work/hier/root.hints" --listen "$limited:53" \
	--do-not-query-localhost no --max-upstream-sockets 4 --max-waiting-per-question 5 --tcp-max-conns 8 \
	--tcp-max-in-flight 2 \
	--trace >"$work/limited.log" 2>&1 &
limited_pid=$!
wait_listening $limited
ask $limited www.slow.com A
check "limited instance: www.slow.com A" [ "$(answers "$out")" = "www.slow.com. IN A 192.0.2.111" ]
# concurrent SERVER PID NAME... : each name asked once at the same moment;
# prints one line per answer ("rcode N" or "timeout"), then "fds MAX-OPEN-DESCRIPTORS".
concurrent() {
	python3 - "$@" <<'PY'
import os, socket, struct, sys, time
server, pid, names = sys.argv[1], sys.argv[2], sys.argv[3:]
def fds():
    try:
        return len(os.listdir("/proc/%s/fd" % pid))
    except OSError:
        return 0
socks = []
for i, name in enumerate(names):
    q = struct.pack("!HHHHHH", i, 0x0100, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    q += b"\0" + struct.pack("!HH", 1, 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(q, (server, 53))
    s.setblocking(False)
    socks.append(s)
peak, left, end = 0, set(range(len(socks))), time.time() + 6
out = {}
while left and time.time() < end:
    peak = max(peak, fds())
    for i in list(left):
        try:
            r = socks[i].recv(4096)
            out[i] = "rcode %d" % (r[3] & 15)
            left.discard(i)
        except BlockingIOError:
            pass
    time.sleep(0.02)
for i in range(len(socks)):
    print(out.get(i, "timeout"))
print("fds", peak)
PY
}
fds_idle=$(ls /proc/$limited_pid/fd | wc -l)
concurrent $limited $limited_pid $(seq -f 'h%g.held.slow.com' 1 12) >"$work/sockets.out"
peak=$(awk '$1 == "fds" { print $2 }' "$work/sockets.out")
echo "# 12 held questions at once, max-upstream-sockets 4: descriptors $fds_idle idle, at most $peak"
check "max-upstream-sockets 4: at most 4 more descriptors open for 12 questions ($fds_idle -> $peak)" \
	[ $((peak - fds_idle)) -le 4 ]
check "max-upstream-sockets 4: every question answered (SERVFAIL past the cap), none left waiting" \
	bash -c "[ \$(grep -c '^rcode [0-9]' '$work/sockets.out') = 12 ]"
concurrent $limited $limited_pid $(for i in $(seq 1 10); do echo same.slow.com; done) >"$work/waiters.out"
check "max-waiting-per-question 5: 10 clients of one question, 5 answered, 5 refused SERVFAIL at once" \
	bash -c "[ \$(grep -c 'rcode 3' '$work/waiters.out') = 5 ] && [ \$(grep -c 'rcode 2' '$work/waiters.out') = 5 ]"
# 12 connections at once, each asks once and waits for its answer (or a hang-up).
python3 - $limited >"$work/conns.out" 2>&1 <<'PY'
import socket, struct, sys
q = struct.pack("!HHHHHH", 5, 0x0100, 1, 0, 0, 0) + b"\3www\4slow\3com\0" + struct.pack("!HH", 1, 1)
conns = []
for i in range(12):
    s = socket.create_connection((sys.argv[1], 53), timeout=5)
    conns.append(s)
for s in conns:
    try:
        s.sendall(struct.pack("!H", len(q)) + q)
    except OSError:
        pass
for s in conns:
    try:
        r = s.recv(4096)
        print("answer" if len(r) > 14 else "closed")
    except OSError:
        print("closed")
PY
check "tcp-max-conns 8: 12 connections at once, 8 served, 4 closed" \
	bash -c "[ \$(grep -c answer '$work/conns.out') = 8 ] && [ \$(grep -c closed '$work/conns.out') = 4 ]"
# One connection, 4 held questions pipelined: at most 2 resolved at once,
# so at most 2 upstream sockets (and the connection) open.
fds_idle=$(ls /proc/$limited_pid/fd | wc -l)
python3 - $limited $limited_pid >"$work/inflight.out" 2>&1 <<'PY'
import os, socket, struct, sys, time
server, pid = sys.argv[1], sys.argv[2]
s = socket.create_connection((server, 53), timeout=5)
for i in range(4):
    q = struct.pack("!HHHHHH", i, 0x0100, 1, 0, 0, 0) + bytes([2]) + b"p%d" % i + b"\4held\4slow\3com\0" + struct.pack("!HH", 1, 1)
    s.sendall(struct.pack("!H", len(q)) + q)
peak, end = 0, time.time() + 1.5
while time.time() < end:
    peak = max(peak, len(os.listdir("/proc/%s/fd" % pid)))
    time.sleep(0.02)
print(peak)
s.close()
PY
peak=$(cat "$work/inflight.out")
check "tcp-max-in-flight 2: 4 pipelined questions, at most the connection and 2 upstream sockets open ($fds_idle -> $peak)" \
	[ $((peak - fds_idle)) -le 3 ]
ask $limited www.slow.com A +tcp
check "tcp-max-conns: served again once the others are gone" [ "$(answers "$out")" = "www.slow.com. IN A 192.0.2.111" ]

# ---- descriptors: the open file limit fits the sockets allowed ----

# nofile SOFT:HARD LOG: nfdnsd started under that limit; prints its soft limit once running.
nofile() {
	local pid i soft=
	prlimit --nofile="$1" "$nfdnsd" --config /dev/null --dnssec-validation no --no-kernel --root-hints "$work/hier/root.hints" \
		--listen 127.53.255.7:53 --do-not-query-localhost no >"$2" 2>&1 &
	pid=$!
	for i in $(seq 1 50); do
		grep -q 'info: started' "$2" && break
		sleep 0.1
	done
	soft=$(awk '/^Max open files/ { print $4 }' "/proc/$pid/limits" 2>/dev/null)
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	echo "$soft"
}
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -ge 2000 ]; then
	soft=$(nofile "100:$hard" "$work/nofile1.log")
	check "soft limit 100, hard $hard: raised to fit 1024 upstream sockets and 256 connections ($soft)" \
		[ "${soft:-0}" -ge 1280 ]
else
	skip "the soft open file limit raised" "hard limit $hard"
fi
soft=$(nofile 200:200 "$work/nofile2.log")
check "hard limit 200: upstream sockets capped to fit, and said so (soft $soft)" \
	bash -c "[ '$soft' = 200 ] && grep -q 'upstream sockets capped at' '$work/nofile2.log'"

# ---- a namespace without an IPv6 route ----

mkdir -p "$work/nov6"
if nov6=$(unshare -n "$here/nov6.sh" "$nfdnsd" "$work/nov6" 2>&1) && [ "${nov6%% *}" = server ]; then
	read -r _ k4 k6 _ n4 n6 _ _ u6 <<<"$nov6"
	echo "# no IPv6 route: --no-ipv6 $k4 queries at the servers, $n4 counted by nfdnsd; IPv6 on: $k6 and $n6, $u6 sends without a route"
	check "no IPv6 route: the servers see as many queries as with --no-ipv6 ($k6 = $k4, kernel counter)" [ "$k6" = "$k4" ]
	check "no IPv6 route: 8 names cost nfdnsd as many upstream queries as with --no-ipv6 ($n6 = $n4)" [ "$n6" = "$n4" ]
	check "no IPv6 route: the unreachable family tried once, then set aside ($u6 attempts)" [ "$u6" -le 1 ]
else
	not_ok "a namespace with loopback only (unshare -n)" "$nov6"
fi

# ---- alone: no kernel module ----

if [ -e /sys/module/nfdns ]; then
	skip "without the nfdns module: runs as a plain resolver" "nfdns module loaded"
else
	"$nfdnsd" --config /dev/null --dnssec-validation no --root-hints "$work/hier/root.hints" --listen "$alone:53" --kernel-retry 1 \
		--do-not-query-localhost no \
		--0x20 --trace >"$work/alone.log" 2>&1 &
	alone_pid=$!
	wait_listening $alone
	ask $alone www.example.com A
	check "without the nfdns module: logs it and runs as a plain resolver" bash -c "grep -q 'no nfdns netlink family' '$work/alone.log' && [ '$(answers "$out")' = 'www.example.com. IN A 192.0.2.44' ]"
	check "--0x20: upstream names go out in mixed case and the answers are accepted" bash -c "grep -q 'trace: asked .* for [a-zA-Z.]*[A-Z][a-zA-Z.]* A -> ' '$work/alone.log' && grep -q 'answered www.example.com. A NOERROR' '$work/alone.log'"
	ask $alone www.noedns.com A
	check "--0x20, a server that lowers the case of the question: answered after asking again without 0x20" \
		bash -c "[ '$(answers "$out")' = 'www.noedns.com. IN A 192.0.2.99' ] && grep -q 'case of the name not kept, asking again without 0x20' '$work/alone.log'"
fi

# ---- oracle: Unbound ----

corpus=(
	"www.example.com A" "other.example.com A" "beta.example.com A" "chain1.example.com A"
	"nx.example.com A" "text.example.com AAAA" "text.example.com TXT" "example.com SOA" "example.com NS"
	"www.nonexistent-tld A" "nxcname.example.com A" "www.noglue.com A" "www.nogluein.com A"
	"www.sub.evil.com A" "www.victim.net A" "www.lame.com A" "nx1.lame.com A" "www.alllame.com A"
	"www.dead.com A" "www.noedns.com A" "www.v6.example.com A" "big.example.com A"
	"loop1.example.com A" "xloop.example.com A" "www.x.attacker.com A" "www.cycle-a.com A"
	"ns1.example.com A" "beta.g.example.com A" "www.example.com AAAA" "com NS"
	"example.com DS" "www.example.com DS" "ns1.wrongaddr.com A" "ttllong.example.com A"
	"deep.below.nx.example.com A" "aaaalame.evil.com A" "beta.dn.example.com A"
	"nx.dn.example.com A" "dn.example.com DNAME"
)
# Not compared: www.spoof.com (Unbound takes the forged answer for another
# question as the server's reply and fails; nfdnsd drops it and waits for the
# genuine one), www.alldead.com (Unbound keeps retrying longer than a test
# should wait) and www.wrongaddr.com (after ns1.wrongaddr.com A, Unbound keeps
# to the child's dead address past 30 s; nfdnsd falls back to the parent's
# glue), and ttlmixed.example.com (an RRset sent with TTLs 100 and 200:
# Unbound answers 200, RFC 2181 5.2 says 100, which nfdnsd gives), and
# beta.dn.evil.com (a DNAME sent alone: Unbound makes the CNAME with TTL 0,
# RFC 6672 3.1 with the DNAME's TTL, as nfdnsd does).
# A fresh nfdnsd for the comparison: both caches start cold.
"$nfdnsd" --config /dev/null --dnssec-validation no --no-kernel --root-hints "$work/hier/root.hints" --listen "$cold:53" \
	--do-not-query-localhost no --max-queries $max_queries --max-ns-chase $max_ns_chase --trace >"$work/cold.log" 2>&1 &
cold_pid=$!
wait_listening $cold
if [ -n "$unbound_cold" ]; then
	for q in "${corpus[@]}"; do
		u0=$(unbound_out)
		# shellcheck disable=SC2086
		ask $oracle $q +tcp +time=15
		if [ -z "$(rcode "$out")" ]; then
			# Unbound now and then drops a question while it still works on a failed one: ask again.
			# shellcheck disable=SC2086
			ask $oracle $q +tcp +time=15
		fi
		[ "$q" = "www.x.attacker.com A" ] &&
			echo "# NXNS www.x.attacker.com A: nfdnsd $nxns_used upstream queries, unbound $(( $(unbound_out) - u0 ))"
		printf '%s\n' "$out" >"$work/want.dig"
		# shellcheck disable=SC2086
		ask $cold $q +tcp +time=15
		printf '%s\n' "$out" >"$work/got.dig"
		# TTLs: Unbound may hold a name from earlier in the run; otherwise both are fresh.
		if diffs=$(python3 "$here/same-message.py" "$work/want.dig" "$work/got.dig" $((SECONDS + 5))); then
			ok "same message as Unbound: $q ($(rcode "$out"))"
		else
			not_ok "same message as Unbound: $q" "$diffs"
		fi
	done
else
	not_ok "unbound oracle answers on $oracle" "$(tail -5 "$work/unbound/unbound.log" 2>/dev/null)"
fi

# ---- shutdown ----

kill -TERM "$nfdnsd_pid"
stopped=0
for i in $(seq 1 50); do
	if ! kill -0 "$nfdnsd_pid" 2>/dev/null; then
		stopped=1
		break
	fi
	sleep 0.1
done
wait "$nfdnsd_pid" 2>/dev/null
status=$?
nfdnsd_pid=
check "SIGTERM: nfdnsd exits cleanly within 5 s (status $status)" bash -c "[ $stopped = 1 ] && [ $status = 0 ] && grep -q 'info: stopped' '$log'"
check "no event loop handle left open at exit" bash -c "! grep -q 'handles open' '$log'"

echo "1..$tests"
if [ $failures -ne 0 ]; then
	echo "# $failures of $tests failed; log: $log" >&2
	KEEP=1
	exit 1
fi
exit 0
