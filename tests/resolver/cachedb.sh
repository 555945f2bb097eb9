#!/bin/bash
# cachedb: three nfdnsd (A, B, C) sharing answers through a Redis primary
# and its replica, against the NSD test hierarchy.  Upstream queries are
# counted by the kernel where they arrive, at the servers' addresses (an
# nft input counter on 127.53.0.0/16 port 53), never by nfdnsd's own
# counters alone.  Redis is killed, frozen and restarted under the
# resolvers, values are planted in it (garbage, another question's,
# oversized, with an OPT record, forged with AD), and AUTH is tried with a
# password, with an ACL user and with a wrong password.  TAP on stdout.
#
#   tests/resolver/cachedb.sh          (as root: servers bind port 53)
#   KEEP=1 tests/resolver/cachedb.sh   keeps the work directory (logs)
#   NFDNSD=path/to/nfdnsd ...          another binary
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
nfdnsd=${NFDNSD:-$top/userspace/nfdnsd/nfdnsd}
hierarchy=$top/tests/zones/hierarchy.sh
signed=$top/tests/zones/signed.sh
# The fleet: A reads from the primary, B and C from the replica; all write to the primary.
addr_A=127.53.255.51
addr_B=127.53.255.52
addr_C=127.53.255.53
addr_D=127.53.255.54	# AUTH with a password
addr_E=127.53.255.58	# AUTH as an ACL user
addr_F=127.53.255.59	# a wrong password
addr_V=127.53.255.60	# validating, on the signed hierarchy
addr_W=127.53.255.61	# the same, reading what V wrote
primary=127.53.255.55
replica=127.53.255.56
authed=127.53.255.57	# Redis with requirepass and an ACL user
redis_password=s3cret-fleet
acl_user=fleet
acl_password=fleet-pw

exec 9>/tmp/nfdns-hierarchy.lock
flock 9
work=$(mktemp -d /tmp/nfdnsd-cachedb.XXXXXX)
declare -A pid
tests=0
failures=0

cleanup() {
	local p
	for p in "${pid[@]}"; do
		kill -CONT "$p" 2>/dev/null
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	"$hierarchy" stop "$work/hier" >/dev/null 2>&1
	"$signed" stop "$work/signed" >/dev/null 2>&1
	nft delete table inet nfdnsd_cachedb 2>/dev/null
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

check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc" "failed: $*"; fi
}

bail() {
	not_ok "$@"
	echo "1..$tests"
	exit 1
}

# ---- helpers ----

# ask NODE NAME TYPE [dig options]: dig's output in $out.  dig's own
# timeout bounds every answer; no other timing is asserted.
ask() {
	local node=$1 name=$2 type=$3 server
	shift 3
	server=addr_$node
	out=$(dig +time=4 +tries=1 @"${!server}" "$name" "$type" "$@" 2>&1)
}
rcode() { sed -n 's/.*status: \([A-Z]*\),.*/\1/p' <<<"$1" | head -1; }
flags() { sed -n 's/^;; flags: \([a-z ]*\);.*/\1/p' <<<"$1" | head -1; }
answers() {
	awk '/^;; ANSWER SECTION:/ { on = 1; next } on && /^$/ { on = 0 } on && !/^;/ { $2 = ""; print }' <<<"$1" |
		tr -s ' \t' ' ' | sort
}
first_ttl() { awk '/^;; ANSWER SECTION:/ { on = 1; next } on && !/^;/ && NF { print $2; exit }' <<<"$1"; }

# Queries that reached the hierarchy's servers, by the kernel's count.
at_servers() {
	nft list chain inet nfdnsd_cachedb servers 2>/dev/null |
		awk '/comment "servers"/ { for (i = 1; i < NF; i++) if ($i == "packets") n += $(i + 1) } END { print n + 0 }'
}

# counter NODE NAME: the counter in a fresh SIGUSR1 dump of NODE's log.
counter() {
	local log=$work/$1.log before
	before=$(grep -c ' stats: ' "$log")
	kill -USR1 "${pid[$1]}"
	for _ in $(seq 1 50); do
		[ "$(grep -c ' stats: ' "$log")" -gt "$before" ] && break
		sleep 0.05
	done
	grep ' stats: ' "$log" | tail -1 | tr ' ' '\n' | sed -n "s/^$2=//p"
}

key() { "$nfdnsd" --cachedb-key "$@"; }

# rcli ADDR ARGS...: redis-cli on a test server.
rcli() {
	local host=$1
	shift
	redis-cli -h "$host" -p 6379 --no-auth-warning "$@" 2>&1
}

# redis_start NAME ADDR [redis-server options...]
redis_start() {
	local name=$1 addr=$2
	shift 2
	mkdir -p "$work/$name"
	redis-server --bind "$addr" --port 6379 --dir "$work/$name" --save "" --appendonly no \
		--protected-mode no --daemonize no --logfile "$work/$name.log" "$@" &
	pid[$name]=$!
	for _ in $(seq 1 50); do
		redis-cli -h "$addr" -p 6379 --no-auth-warning ${REDISCLI_AUTH:+-a "$REDISCLI_AUTH"} ping 2>/dev/null |
			grep -q PONG && return 0
		sleep 0.1
	done
	return 1
}

# replica_synced: the replica follows the primary.
replica_synced() {
	for _ in $(seq 1 100); do
		rcli $replica info replication | grep -q 'master_link_status:up' && return 0
		sleep 0.1
	done
	return 1
}

# on_replica KEY: the key made it to the replica (replication is asynchronous).
on_replica() {
	for _ in $(seq 1 50); do
		[ "$(rcli $replica exists "$1")" = 1 ] && return 0
		sleep 0.1
	done
	return 1
}

# nfdnsd_start NODE MARK [options...]
nfdnsd_start() {
	local node=$1 mark=$2 server
	shift 2
	server=addr_$node
	"$nfdnsd" --config /dev/null --dnssec-validation no --no-kernel --root-hints "$work/hier/root.hints" \
		--listen "${!server}:53" --do-not-query-localhost no --mark "$mark" --control-socket none \
		--trace "$@" >"$work/$node.log" 2>&1 &
	pid[$node]=$!
	for _ in $(seq 1 50); do
		dig +time=1 +tries=1 @"${!server}" . NS >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# connected NODE [N]: NODE has logged N connections to Redis (default 1), within 45 s
# (the back-off is capped at 30 s).
connected() {
	local want=${2:-1}
	for _ in $(seq 1 450); do
		[ "$(grep -c 'cachedb: connected to redis' "$work/$1.log")" -ge "$want" ] && return 0
		sleep 0.1
	done
	return 1
}

# plant ADDR KEY KIND NAME [ADDRESS]: a value written straight into Redis.
#   good     a well-formed value answering NAME A with ADDRESS, AD and the secure flag set
#   garbage  bytes that are no value at all
#   wrongq   a well-formed value, but for www.example.com A
#   oversize a well-formed header and more bytes than the kernel stores
#   opt      a value whose response carries an OPT record
#   version  a well-formed value of a format version nfdnsd does not know
plant() {
	local host=$1 k=$2 kind=$3 name=$4 address=${5:-192.0.2.66}
	python3 - "$kind" "$name" "$address" <<'PY' | redis-cli -h "$host" -p 6379 -x setex "$k" 300 >/dev/null
import socket, struct, sys, time
kind, name, address = sys.argv[1:4]
def wire_name(n):
    out = b""
    for label in n.rstrip(".").split("."):
        out += bytes([len(label)]) + label.lower().encode()
    return out + b"\0"
def response(qname, ad=True, opt=False):
    flags = 0x8180 | (0x0020 if ad else 0)
    msg = struct.pack("!HHHHHH", 0, flags, 1, 1, 0, 1 if opt else 0)
    msg += wire_name(qname) + struct.pack("!HH", 1, 1)
    msg += b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 300, 4) + socket.inet_aton(address)
    if opt:
        msg += b"\0" + struct.pack("!HHIH", 41, 1232, 0, 0)
    return msg
def value(wire, version=1, flags=0x03):
    return b"NFDC" + bytes([version, flags, 0, 0]) + struct.pack("!QI", int(time.time()), 300) + wire
out = {
    "good": lambda: value(response(name)),
    "garbage": lambda: b"this is not an nfdns value at all",
    "wrongq": lambda: value(response("www.example.com")),
    "oversize": lambda: value(response(name)) + b"\0" * 70000,
    "opt": lambda: value(response(name, opt=True)),
    "version": lambda: value(response(name), version=2),
}[kind]()
sys.stdout.buffer.write(out)
PY
}

# ---- set up ----

echo "# work directory $work"
[ -x "$nfdnsd" ] || bail "nfdnsd binary exists ($nfdnsd)"
command -v redis-server >/dev/null && command -v redis-cli >/dev/null || bail "redis-server and redis-cli installed"
"$hierarchy" start "$work/hier" >"$work/hier.log" 2>&1 || bail "test hierarchy started" "$(tail -20 "$work/hier.log")"
ok "test hierarchy started"

nft delete table inet nfdnsd_cachedb 2>/dev/null
nft -f - <<EOF || bail "nft counts the queries reaching the hierarchy's servers"
table inet nfdnsd_cachedb {
	chain servers {
		type filter hook input priority 0;
		ip daddr 127.53.0.0/16 ip daddr != 127.53.255.0/24 udp dport 53 counter comment "servers"
		ip daddr 127.53.0.0/16 ip daddr != 127.53.255.0/24 tcp dport 53 tcp flags & (syn | ack) == syn counter comment "servers"
	}
}
EOF

redis_start primary $primary || bail "redis primary on $primary" "$(tail -5 "$work/primary.log")"
redis_start replica $replica --replicaof $primary 6379 || bail "redis replica on $replica" "$(tail -5 "$work/replica.log")"
check "redis primary and replica up, the replica following the primary" replica_synced

check "nfdnsd A (reads the primary) answers" nfdnsd_start A 0x6e71 --redis-server $primary
check "nfdnsd B (reads the replica) answers" nfdnsd_start B 0x6e72 --redis-server $primary --redis-replica $replica
check "nfdnsd C (reads the replica) answers" nfdnsd_start C 0x6e73 --redis-server "$primary:6379" --redis-replica "$replica:6379"
check "A, B and C connected to Redis" bash -c "$(declare -f connected); work=$work; connected A && connected B 2 && connected C 2"

# ---- sharing ----

# shared NAME TYPE EXPECT-RCODE: resolved through A with upstream queries,
# then answered by B and C identically with none reaching the servers.
shared() {
	local name=$1 type=$2 want=$3 k n0 n1 a_ans a_ttl good=1 why=()
	k=$(key "$name" "$type")
	n0=$(at_servers)
	ask A "$name" "$type"
	n1=$(at_servers)
	a_ans=$(answers "$out")
	a_ttl=$(first_ttl "$out")
	[ "$(rcode "$out")" = "$want" ] || { good=0; why+=("A: $(rcode "$out"), not $want"); }
	[ "$n1" -gt "$n0" ] || { good=0; why+=("A sent no query to the servers"); }
	on_replica "$k" || { good=0; why+=("the key $k never reached the replica"); }
	for node in B C; do
		ask $node "$name" "$type"
		[ "$(rcode "$out")" = "$want" ] || { good=0; why+=("$node: $(rcode "$out"), not $want"); }
		[ "$(answers "$out")" = "$a_ans" ] || { good=0; why+=("$node answered differently: $(answers "$out")"); }
		if [ -n "$a_ttl" ] && [ "$(first_ttl "$out")" -gt "$a_ttl" ]; then
			good=0
			why+=("$node's TTL $(first_ttl "$out") above A's $a_ttl")
		fi
		grep -q "answered $name\. $type .* from cachedb" "$work/$node.log" || { good=0; why+=("$node's trace has no answer from cachedb"); }
	done
	[ "$(at_servers)" = "$n1" ] || { good=0; why+=("$(( $(at_servers) - n1 )) queries reached the servers after A's"); }
	if [ $good = 1 ]; then
		ok "$name $type ($want): resolved by A ($((n1 - n0)) queries at the servers), then B and C answered alike with none"
	else
		not_ok "$name $type ($want): resolved by A, then B and C answered alike with no query at the servers" "${why[@]}"
	fi
}

shared www.example.com A NOERROR
shared chain1.example.com A NOERROR
shared nx.example.com A NXDOMAIN
shared text.example.com AAAA NOERROR
shared beta.dn.example.com A NOERROR
hits=$(counter B cachedb_hits)
check "B counted its answers from Redis (cachedb_hits $hits >= 5)" [ "${hits:-0}" -ge 5 ]
n0=$(at_servers)
ask B www.example.com A +dnssec
check "B answers a DO query from the same value, no query at the servers" \
	bash -c "[ '$(answers "$out")' = 'www.example.com. IN A 192.0.2.44' ] && [ $(at_servers) = $n0 ]"
check "the value is what the kernel would store: 20-byte header, then the response" \
	bash -c "[ \$(redis-cli -h $primary --raw getrange $(key www.example.com A) 0 3) = NFDC ]"
check "nfdnsd --cachedb-key: DO=1 is the default, DO=0 another key" \
	bash -c "[ '$(key www.example.com A)' = '$(key WWW.Example.COM. A 1)' ] && [ '$(key www.example.com A)' != '$(key www.example.com A 0)' ]"

# ---- values that must never be served ----

bad0=$(counter B cachedb_bad_values)
n=0
for kind_name in garbage:other.example.com wrongq:ttlmixed.example.com oversize:beta.example.com \
	opt:www.noglue.com version:www.nogluein.com; do
	kind=${kind_name%%:*} name=${kind_name#*:}
	plant $primary "$(key $name A)" $kind $name
	n=$((n + 1))
done
planted_ok=1
for kind_name in garbage:other.example.com wrongq:ttlmixed.example.com oversize:beta.example.com \
	opt:www.noglue.com version:www.nogluein.com; do
	on_replica "$(key ${kind_name#*:} A)" || planted_ok=0
done
check "5 bad values planted under the keys B reads" [ $planted_ok = 1 ]
served=1
why=()
for expect in other.example.com:192.0.2.45 ttlmixed.example.com:192.0.2.47 beta.example.com:192.0.2.55 \
	www.noglue.com:192.0.2.80 www.nogluein.com:192.0.2.81; do
	name=${expect%%:*}
	ask B $name A
	if ! grep -q "A ${expect#*:}\$" <<<"$(answers "$out")" || grep -q 192.0.2.66 <<<"$out"; then
		served=0
		why+=("$name: $(answers "$out" | tr '\n' ' ')")
	fi
done
if [ $served = 1 ]; then ok "B answered each of them from the servers, never from the bad value"; else not_ok "B answered each of them from the servers, never from the bad value" "${why[@]}"; fi
bad1=$(counter B cachedb_bad_values)
check "cachedb_bad_values rose by 5 ($bad0 -> $bad1)" [ $((bad1 - bad0)) = 5 ]
check "the refusals are in B's log" grep -q 'cachedb: refused the value for' "$work/B.log"

# A key holding a list: Redis answers WRONGTYPE, counted as an error, and B resolves.
e0=$(counter B cachedb_errors)
rcli $primary rpush "$(key www.attacker.com A)" x >/dev/null
on_replica "$(key www.attacker.com A)" >/dev/null
ask B www.attacker.com A
check "a key of the wrong Redis type: B still answers ($(rcode "$out")), cachedb_errors rose" \
	bash -c "[ '$(rcode "$out")' = NOERROR ] && [ $(counter B cachedb_errors) -gt $e0 ]"

# ---- DNSSEC: a forged value with AD ----

# nfdnsd never sets AD on what Redis gave it without validating it itself:
# with validation off (here) no answer carries AD at all; with it on the
# value is validated again (tests/resolver/cachedb.sh covers the unsigned
# hierarchy; the signed one is exercised below when ldns tools exist).
plant $primary "$(key forged.example.com A)" good forged.example.com 192.0.2.66
on_replica "$(key forged.example.com A)"
ask B forged.example.com A +dnssec +adflag
check "a forged value with AD and the secure flag: never AD=1 ($(flags "$out"))" \
	bash -c "! grep -qw ad <<<'$(flags "$out")'"

# ---- Redis frozen: lookups time out ----

e0=$(counter B cachedb_errors)
kill -STOP "${pid[replica]}"
good=1
for name in www alpha1 alpha2 alpha3 alpha4; do
	ask B $name.g.example.com A
	[ -n "$(rcode "$out")" ] || good=0
done
kill -CONT "${pid[replica]}"
check "replica frozen (SIGSTOP): B answered all 5 questions within dig's timeout" [ $good = 1 ]
check "its lookups timed out and were counted as errors" [ "$(counter B cachedb_errors)" -gt "$e0" ]
check "after repeated timeouts B left the replica alone for a while" grep -q 'lookups timed out; without it for' "$work/B.log"

# ---- Redis killed mid-run ----

# Three clients ask the fleet while both Redis servers are killed (-9).
names="www.example.com other.example.com beta.example.com chain1.example.com nx.example.com text.example.com
	www.noglue.com www.nogluein.com www.victim.net www.sub.evil.com www.lame.com ttlmixed.example.com"
for node in A B C; do
	(
		server=addr_$node
		for round in 1 2 3; do
			for name in $names; do
				dig +time=4 +tries=1 @"${!server}" "$round.$name" A 2>&1 | grep -c 'status:' >>"$work/burst.$node"
				dig +time=4 +tries=1 @"${!server}" "$name" A 2>&1 | grep -c 'status:' >>"$work/burst.$node"
			done
		done
	) &
	pid[burst_$node]=$!
done
sleep 0.3
kill -9 "${pid[primary]}" "${pid[replica]}"
wait "${pid[primary]}" "${pid[replica]}" 2>/dev/null
unset 'pid[primary]' 'pid[replica]'
for node in A B C; do
	wait "${pid[burst_$node]}"
	unset "pid[burst_$node]"
done
asked=$(cat "$work"/burst.? | wc -l)
answered=$(cat "$work"/burst.? | grep -c '^1$')
check "Redis killed (-9) mid-run: every one of the $asked questions was answered ($answered)" \
	bash -c "[ '$asked' = '$answered' ] && [ '$asked' -gt 0 ]"
check "A, B and C logged the lost connection" bash -c "grep -q 'connection lost' '$work/A.log' && grep -q 'connection lost' '$work/B.log' && grep -q 'connection lost' '$work/C.log'"
ask C www.example.com A
check "C still answers with Redis gone" [ "$(answers "$out")" = "www.example.com. IN A 192.0.2.44" ]
s0=$(counter C cachedb_skipped)
ask C skipped.example.com A
check "while Redis is down, C skips it (cachedb_skipped rose)" [ "$(counter C cachedb_skipped)" -gt "$s0" ]

# ---- Redis back: sharing resumes ----

redis_start primary $primary || not_ok "redis primary restarted"
redis_start replica $replica --replicaof $primary 6379 || not_ok "redis replica restarted"
check "the restarted replica follows the primary" replica_synced
check "A and B reconnected after their back-off" bash -c "$(declare -f connected); work=$work; connected A 2 && connected B 4"
n0=$(at_servers)
ask A x.y.deep.g.example.com A
n1=$(at_servers)
on_replica "$(key x.y.deep.g.example.com A)"
ask B x.y.deep.g.example.com A
check "after the restart a new name resolved by A ($((n1 - n0)) queries) is answered by B with none at the servers" \
	bash -c "[ '$(rcode "$out")' = NOERROR ] && [ $n1 -gt $n0 ] && [ $(at_servers) = $n1 ] && grep -q 'answered x.y.deep.g.example.com. A .* from cachedb' '$work/B.log'"

# ---- DNSSEC: values validated again ----

# V and W validate against the signed hierarchy's own root; W reads what V wrote.
# No AD ever comes from a value: W validates it itself, and a forged one is
# bogus (refused, then resolved) or, in an unsigned zone, insecure (no AD).
if ! "$signed" start "$work/signed" >"$work/signed.log" 2>&1; then
	not_ok "signed hierarchy starts" "$(tail -5 "$work/signed.log")"
else
	ok "signed hierarchy started"
	vopts=(--dnssec-validation yes --root-hints "$work/signed/root.hints" --trust-anchor-file "$work/signed/root.ds"
		--redis-server $primary)
	nfdnsd_start V 0x6e77 "${vopts[@]}" && nfdnsd_start W 0x6e78 "${vopts[@]}" && connected V && connected W
	check "nfdnsd V and W (validating) answer and use Redis" [ $? = 0 ]
	ask V www.a.sec A +dnssec
	v_ad=$(flags "$out")
	for _ in $(seq 1 50); do [ "$(rcli $primary exists "$(key www.a.sec A)")" = 1 ] && break; sleep 0.1; done
	secure0=$(counter W val_secure)
	ask W www.a.sec A +dnssec
	check "www.a.sec A: V validated it secure, W served V's value validated again: AD ($v_ad / $(flags "$out"))" \
		bash -c "grep -qw ad <<<'$v_ad' && grep -qw ad <<<'$(flags "$out")' &&
			grep -q 'answered www.a.sec. A .* from cachedb' '$work/W.log' && [ $(counter W val_secure) -gt $secure0 ]"
	ask V www.badsig A +dnssec
	sleep 0.2
	check "www.badsig A (bogus): SERVFAIL at V, and never written to Redis" \
		bash -c "[ '$(rcode "$out")' = SERVFAIL ] && [ '$(rcli $primary exists "$(key www.badsig A)")' = 0 ]"
	bad0=$(counter W cachedb_bad_values)
	plant $primary "$(key www.sec A)" good www.sec 192.0.2.66
	ask W www.sec A +dnssec
	check "a forged value (AD, secure flag) for www.sec A, a signed zone: bogus when validated, refused, and the real answer served with AD" \
		bash -c "[ '$(answers "$out" | grep -v RRSIG)' = 'www.sec. IN A 192.0.2.1' ] && grep -qw ad <<<'$(flags "$out")' &&
			[ $(counter W cachedb_bad_values) -gt $bad0 ]"
	plant $primary "$(key www.insec A)" good www.insec 192.0.2.66
	ask W www.insec A +dnssec
	check "a forged value (AD, secure flag) for www.insec A, an unsigned zone: insecure, so never AD=1 ($(flags "$out"))" \
		bash -c "! grep -qw ad <<<'$(flags "$out")'"
fi

# ---- AUTH ----

printf 'user default on >%s ~* &* +@all\nuser %s on >%s ~* &* +@all\n' "$redis_password" "$acl_user" "$acl_password" >"$work/users.acl"
REDISCLI_AUTH=$redis_password redis_start authed $authed --aclfile "$work/users.acl" ||
	not_ok "redis with a password and an ACL user on $authed"
check "nfdnsd D (redis-password) answers" nfdnsd_start D 0x6e74 --redis-server $authed --redis-password "$redis_password"
check "nfdnsd E (redis-user and redis-password) answers" nfdnsd_start E 0x6e75 --redis-server $authed \
	--redis-user $acl_user --redis-password "$acl_password"
check "nfdnsd F (a wrong password) answers" nfdnsd_start F 0x6e76 --redis-server $authed --redis-password wrong
check "D and E authenticated" bash -c "$(declare -f connected); work=$work; connected D && connected E"
ask D www.victim.net A
for _ in $(seq 1 50); do
	[ "$(REDISCLI_AUTH=$redis_password rcli $authed exists "$(key www.victim.net A)")" = 1 ] && break
	sleep 0.1
done
n0=$(at_servers)
ask E www.victim.net A
check "D wrote (as default), E read (as $acl_user): answered with no query at the servers" \
	bash -c "[ '$(answers "$out")' = 'www.victim.net. IN A 192.0.2.78' ] && [ $(at_servers) = $n0 ]"
sleep 0.5
check "the wrong password is a clear warning in F's log" grep -q 'warning: cachedb: redis .* AUTH refused: WRONGPASS' "$work/F.log"
ask F www.example.com A
check "F is still running and answers" bash -c "kill -0 ${pid[F]} && [ '$(answers "$out")' = 'www.example.com. IN A 192.0.2.44' ]"

# ---- no crash anywhere ----

alive=1
for node in A B C D E F V W; do
	kill -0 "${pid[$node]}" 2>/dev/null || alive=0
done
check "every nfdnsd is still running" [ $alive = 1 ]
check "no nfdnsd logged an error" bash -c "! grep -h ' error: ' '$work'/[A-FVW].log"

echo "1..$tests"
[ $failures = 0 ]
