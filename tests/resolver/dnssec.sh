#!/bin/bash
# nfdnsd validating the signed hierarchy of tests/zones/signed.sh, checked
# against a validating Unbound case by case: with DO, without DO and with
# CD, the RCODE, the AD flag and the answer and authority sections (as
# sets of records, TTLs left out) must be Unbound's; a bogus answer is
# SERVFAIL with Unbound's Extended DNS Error code.  Where Unbound differs
# by design, only what must match is compared: asked again for a bogus
# name, Unbound answers from its caches with a vaguer code (6, DNSSEC
# Bogus, from its message cache, or 9, DNSKEY Missing, from its key
# cache), while nfdnsd keeps the code of the failure itself; so the code
# is compared on the first question for each name, and the later ones
# need SERVFAIL with some Extended DNS Error.  Then the aggressive
# use of NSEC records, counted at the servers (NSD's dnstap query logs),
# and validation turned off.  TAP on stdout.
#
#   tests/resolver/dnssec.sh        (as root: servers bind port 53)
#   KEEP=1 tests/resolver/dnssec.sh keeps the work directory
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lib/unbound.sh"
top=$(cd "$here/../.." && pwd)
signed=$top/tests/zones/signed.sh
nfdnsd=${NFDNSD:-$top/userspace/nfdnsd/nfdnsd}
listen=127.53.255.41	# nfdnsd, validating
fresh=127.53.255.42	# nfdnsd with an empty cache, for aggressive NSEC
novalid=127.53.255.43	# nfdnsd with dnssec-validation off
oracle=127.55.255.4	# Unbound, validating

# The test hierarchies bind fixed loopback addresses: one run at a time.
exec 9>/tmp/nfdns-hierarchy.lock
flock 9
work=$(mktemp -d /tmp/nfdns-dnssec.XXXXXX)
pids=()
capture_pid=
tests=0
failures=0

cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	"$signed" stop "$work/signed" >/dev/null 2>&1
	if [ -n "$capture_pid" ]; then
		kill "$capture_pid" 2>/dev/null && wait "$capture_pid" 2>/dev/null
	fi
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

# ask SERVER NAME TYPE [dig options]: output in $out.
ask() {
	local server=$1 name=$2 type=$3
	shift 3
	out=$(dig +time=5 +tries=2 @"$server" "$name" "$type" "$@" 2>&1)
}
rcode_of() { sed -n 's/.*status: \([A-Z]*\),.*/\1/p' <<<"$1" | head -1; }
ad_of() { sed -n 's/^;; flags: \([a-z ]*\);.*/\1/p' <<<"$1" | head -1 | grep -qw ad && echo AD || echo noAD; }
ede_of() { sed -n 's/^; EDE: \([0-9]*\).*/\1/p' <<<"$1" | head -1; }
# section OUT NAME: the records of a section as a set: owner lower-cased,
# TTL left out, one a line, sorted.
section() {
	awk -v s=";; $2 SECTION:" '$0 == s { on = 1; next } on && /^$/ { on = 0 } on && !/^;/ {
		$1 = tolower($1); $2 = ""; print }' <<<"$1" | tr -s ' \t' ' ' | sort
}

wait_listening() {
	local addr=$1
	for _ in $(seq 1 50); do
		dig +time=1 +tries=1 +cd @"$addr" . SOA >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

start_nfdnsd() {
	local name=$1 addr=$2
	shift 2
	"$nfdnsd" --config /dev/null --no-kernel --root-hints "$work/signed/root.hints" --listen "$addr:53" \
		--do-not-query-localhost no --trace "$@" >"$work/$name.log" 2>&1 &
	pids+=($!)
	wait_listening "$addr"
}

echo "# work directory $work"
if [ ! -x "$nfdnsd" ]; then
	echo "1..1"
	not_ok "nfdnsd binary exists ($nfdnsd)"
	exit 1
fi

# The servers log every query they get over dnstap.
sock=$work/dnstap.sock
fstrm_capture -t protobuf:dnstap.Dnstap -u "$sock" -w "$work/queries.tap" >"$work/capture.log" 2>&1 &
capture_pid=$!
for _ in $(seq 1 50); do
	[ -S "$sock" ] && break
	sleep 0.1
done
if ! NFDNS_DNSTAP=$sock "$signed" start "$work/signed" >"$work/start.log" 2>&1; then
	not_ok "signed hierarchy starts" "$(tail -20 "$work/start.log")"
	echo "1..$tests"
	exit 1
fi
ok "signed hierarchy generated and served by NSD, queries logged over dnstap"

mkdir -p "$work/unbound"
unbound_conf "$work/unbound" $oracle 127.0.0.0/8 "$work/signed/root.hints" \
	"module-config: \"validator iterator\"" \
	"trust-anchor-file: \"$work/signed/root.ds\"" \
	"harden-algo-downgrade: yes" "aggressive-nsec: yes" "val-log-level: 2" "ede: yes" \
	"do-ip6: no" "num-threads: 1" "so-reuseport: no" "verbosity: 1" \
	>"$work/unbound/unbound.conf"
unbound -d -c "$work/unbound/unbound.conf" >"$work/unbound/stdout.log" 2>&1 &
pids+=($!)
check "Unbound (validating) answers on $oracle" wait_listening $oracle
check "nfdnsd (validating, the generated root DS as trust anchor) answers on $listen" \
	start_nfdnsd valid $listen --trust-anchor-file "$work/signed/root.ds"

# compare WHAT first|again NAME TYPE [dig options]: nfdnsd's answer
# against Unbound's; the EDE code is compared on the first question only.
compare() {
	local what=$1 when=$2 name=$3 type=$4 a b why=
	shift 4
	ask $listen "$name" "$type" "$@"
	a=$out
	ask $oracle "$name" "$type" "$@"
	b=$out
	[ "$(rcode_of "$a")" = "$(rcode_of "$b")" ] || why+="rcode $(rcode_of "$a") (Unbound $(rcode_of "$b")); "
	[ "$(ad_of "$a")" = "$(ad_of "$b")" ] || why+="$(ad_of "$a") (Unbound $(ad_of "$b")); "
	if [ $when = first ]; then
		[ "$(ede_of "$a")" = "$(ede_of "$b")" ] || why+="EDE $(ede_of "$a") (Unbound $(ede_of "$b")); "
	elif [ -n "$(ede_of "$b")" ]; then
		[ -n "$(ede_of "$a")" ] || why+="no EDE (Unbound $(ede_of "$b")); "
	fi
	[ "$(section "$a" ANSWER)" = "$(section "$b" ANSWER)" ] || why+="answer sections differ; "
	[ "$(section "$a" AUTHORITY)" = "$(section "$b" AUTHORITY)" ] || why+="authority sections differ; "
	if [ -z "$why" ]; then
		ok "$name $type $what: $(rcode_of "$a") $(ad_of "$a")${ede:+ EDE $ede}, sections as Unbound's"
	else
		not_ok "$name $type $what: as Unbound" "$why" "nfdnsd:" "$(grep -v '^;;\|^$' <<<"$a")" \
			"Unbound:" "$(grep -v '^;;\|^$' <<<"$b")"
	fi
}

# Each case: NAME TYPE secure|insecure|bogus RCODE [EDE].
while read -r name type expect want ede; do
	[ -n "$name" ] || continue
	compare "+dnssec" first "$name" "$type" +dnssec
	compare "(no DO)" again "$name" "$type"
	compare "+dnssec +cd" again "$name" "$type" +dnssec +cd
	# What each verdict means on its own, beside the comparison.
	ask $listen "$name" "$type" +dnssec
	case $expect in
	secure) check "$name $type: AD" [ "$(ad_of "$out")" = AD ] ;;
	insecure) check "$name $type: no AD" [ "$(ad_of "$out")" = noAD ] ;;
	bogus)
		check "$name $type: SERVFAIL, EDE $ede" eval '[ "$(rcode_of "$out")" = SERVFAIL ] && [ "$(ede_of "$out")" = "$ede" ]'
		ask $listen "$name" "$type" +dnssec +cd
		check "$name $type +cd: $want with the data" \
			eval '[ "$(rcode_of "$out")" = "$want" ] && [ -n "$(section "$out" ANSWER)" ]'
		;;
	esac
done <"$work/signed/cases"

# Without DO, no RRSIG, NSEC or NSEC3 record reaches the client.
ask $listen nx.n3. A
check "no DO: NXDOMAIN in an NSEC3 zone without NSEC3 or RRSIG records" \
	eval '[ "$(rcode_of "$out")" = NXDOMAIN ] && ! grep -qP "\s(RRSIG|NSEC3?)\s" <<<"$out"'
ask $listen nx.n3. A +dnssec
check "DO: the same with its NSEC3 records and RRSIGs" \
	eval 'grep -qP "\sNSEC3\s" <<<"$out" && grep -qP "\sRRSIG\s" <<<"$out"'
ask $listen sec. DNSKEY
check "no DO: DNSKEY records when asked for" eval 'grep -qP "\tDNSKEY\t" <<<"$out" && ! grep -qP "\tRRSIG\t" <<<"$out"'

# --trace shows the steps and the verdict; SIGUSR1 the counters.
check "--trace: the chain's DS and DNSKEY steps" grep -q "validate: sec. DNSKEY: secure" "$work/valid.log"
check "--trace: a bogus verdict with its EDE" grep -q "validate www.badsig. A: bogus, EDE 6" "$work/valid.log"
check "--trace: an insecure verdict" grep -q "validate www.insec. A: insecure" "$work/valid.log"
kill -USR1 "${pids[1]}"
sleep 0.5
counters=$(grep "stats" "$work/valid.log" | tail -1)
check "SIGUSR1: secure, insecure and bogus verdicts counted" \
	eval 'grep -qP "val_secure=[1-9]" <<<"$counters" && grep -qP "val_insecure=[1-9]" <<<"$counters" && grep -qP "val_bogus=[1-9]" <<<"$counters"'

# ---- aggressive NSEC (RFC 8198), counted at the servers ----
check "nfdnsd with an empty cache answers on $fresh" start_nfdnsd fresh $fresh --trust-anchor-file "$work/signed/root.ds"
ask $fresh nx.sec. A +dnssec
check "aggressive NSEC: nx.sec. A NXDOMAIN, secure" eval '[ "$(rcode_of "$out")" = NXDOMAIN ] && [ "$(ad_of "$out")" = AD ]'
# ns.sec. NSEC txt.sec. covers these names, and sec. NSEC a.sec. the wildcard.
for n in nz.sec. o.sec. other.sec. p.q.sec.; do
	ask $fresh $n A +dnssec
	check "aggressive NSEC: $n A NXDOMAIN with AD" eval '[ "$(rcode_of "$out")" = NXDOMAIN ] && [ "$(ad_of "$out")" = AD ]'
done

# ---- validation off ----
check "nfdnsd --dnssec-validation no answers on $novalid" start_nfdnsd novalid $novalid --dnssec-validation no
ask $novalid www.sec. A +dnssec
check "validation off: www.sec. A without AD, with its RRSIG for a DO client" \
	eval '[ "$(rcode_of "$out")" = NOERROR ] && [ "$(ad_of "$out")" = noAD ] && grep -qP "\tRRSIG\t" <<<"$out"'
for n in www.badsig. www.expired. www.nokey. www.norrsig.; do
	ask $novalid $n A +dnssec
	check "validation off: $n A answered (NOERROR, no AD)" \
		eval '[ "$(rcode_of "$out")" = NOERROR ] && [ "$(ad_of "$out")" = noAD ] && [ -n "$(section "$out" ANSWER)" ]'
done
ask $novalid www.sec. A +adflag
check "validation off: no AD for an AD=1 client either" [ "$(ad_of "$out")" = noAD ]

# The query logs are complete once the servers are gone.
"$signed" stop "$work/signed" >/dev/null 2>&1
kill "$capture_pid" 2>/dev/null && wait "$capture_pid" 2>/dev/null
capture_pid=
dnstap-read "$work/queries.tap" 2>/dev/null | awk '$3 == "AQ" {
	n = split($NF, q, "/")
	name = tolower(q[1]); if (name != ".") name = name "."
	print name, q[3] }' >"$work/queries"
check "the servers logged nx.sec. A (the NXDOMAIN that filled the NSEC store)" grep -qx "nx.sec. A" "$work/queries"
for n in nz.sec. o.sec. other.sec. p.q.sec. q.sec.; do
	check "aggressive NSEC: no server was asked for $n" eval '! grep -q "^$n " "$work/queries"'
done

echo "1..$tests"
if [ $failures -ne 0 ]; then
	echo "# $failures of $tests failed; work directory: $work" >&2
	KEEP=1
	exit 1
fi
exit 0
