#!/bin/bash
# The signed hierarchy of tests/zones/signed.sh, served by NSD, checked
# case by case with a validating Unbound trusting its root DS: secure
# answers carry AD, insecure ones do not, bogus ones are SERVFAIL (and the
# data with +cd).  This shows the fixtures are what they claim to be, and
# is the reference a validating nfdnsd is to match.  TAP on stdout.
#
#   tests/resolver/signed-oracle.sh        (as root: servers bind port 53)
#   KEEP=1 tests/resolver/signed-oracle.sh keeps the work directory
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lib/unbound.sh"
top=$(cd "$here/../.." && pwd)
signed=$top/tests/zones/signed.sh
oracle=127.55.255.2
root_addr=127.55.0.1
tld_addr=127.55.1.1

# The test hierarchies bind fixed loopback addresses: one run at a time.
exec 9>/tmp/nfdns-hierarchy.lock
flock 9
work=$(mktemp -d /tmp/nfdns-signed.XXXXXX)
unbound_pid=
tests=0
failures=0

cleanup() {
	if [ -n "$unbound_pid" ]; then
		kill "$unbound_pid" 2>/dev/null && wait "$unbound_pid" 2>/dev/null
	fi
	"$signed" stop "$work/signed" >/dev/null 2>&1
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
	if "$@"; then ok "$desc"; else not_ok "$desc" "failed: $*" "$(tail -n 30 <<<"${out:-}")"; fi
}

# ask SERVER NAME TYPE [dig options]: output in $out.
ask() {
	local server=$1 name=$2 type=$3
	shift 3
	out=$(dig +time=5 +tries=2 @"$server" "$name" "$type" "$@" 2>&1)
}
rcode() { sed -n 's/.*status: \([A-Z]*\),.*/\1/p' <<<"$out" | head -1; }
has_flag() { sed -n 's/^;; flags: \([a-z ]*\);.*/\1/p' <<<"$out" | head -1 | grep -qw "$1"; }
# Records of TYPE in the answer section.
answer_has() {
	awk -v t="$1" '/^;; ANSWER SECTION:/ { on = 1; next } on && /^$/ { on = 0 } on && $4 == t { n++ } END { exit n ? 0 : 1 }' <<<"$out"
}
rrsig_over() {
	awk -v t="$1" '/^;; ANSWER SECTION:/ { on = 1; next } on && /^$/ { on = 0 } on && $4 == "RRSIG" && $5 == t { n++ } END { exit n ? 0 : 1 }' <<<"$out"
}

if ! "$signed" start "$work/signed" >"$work/start.log" 2>&1; then
	not_ok "signed hierarchy starts" "$(tail -20 "$work/start.log")"
	echo "1..$tests"
	exit 1
fi
ok "signed hierarchy generated and served by NSD"

# ---- the fixtures, asked at the servers themselves ----
# has TEXT: the last answer contains TEXT (a Perl regexp).
has() { grep -qP "$1" <<<"$out"; }
ask $root_addr sec. DS +norec +dnssec
check "root server: sec. has a signed DS" eval 'answer_has DS && rrsig_over DS'
ask $root_addr roll. DS +norec +dnssec
check "root server: roll. has two DS (one per algorithm)" \
	[ "$(awk '/^;; ANSWER SECTION:/ { on = 1; next } on && /^$/ { on = 0 } on && $4 == "DS" { n++ } END { print n + 0 }' <<<"$out")" = 2 ]
ask $root_addr insec. DS +norec +dnssec
check "root server: no DS for insec., an NSEC without DS instead" \
	eval '! answer_has DS && has "^insec\.\t.*\tNSEC\t\S+ NS RRSIG NSEC"'
ask $tld_addr www.norrsig. A +norec +dnssec
check "TLD server: www.norrsig. A comes without RRSIG" eval 'answer_has A && ! rrsig_over A'
ask $tld_addr www.roll. A +norec +dnssec
check "TLD server: www.roll. A signed with algorithms 8 and 13" eval 'has "\sRRSIG\s+A 8 " && has "\sRRSIG\s+A 13 "'
ask $tld_addr nx.n3. A +norec +dnssec
check "TLD server: nx.n3. NXDOMAIN with NSEC3 records" eval '[ "$(rcode)" = NXDOMAIN ] && has "\sNSEC3\s"'
ask $tld_addr www.unsigned.optout. A +norec +dnssec
check "TLD server: unsigned.optout. delegated without DS, in an opt-out NSEC3 zone" \
	eval '! has "\sDS\s" && has "\sNS\s" && has "\sNSEC3\s+1 1 "'

# ---- the validating oracle ----
mkdir -p "$work/unbound"
unbound_conf "$work/unbound" $oracle 127.0.0.0/8 "$work/signed/root.hints" \
	"module-config: \"validator iterator\"" \
	"trust-anchor-file: \"$work/signed/root.ds\"" \
	"harden-algo-downgrade: yes" "aggressive-nsec: yes" "val-log-level: 2" "ede: yes" \
	"do-ip6: no" "num-threads: 1" "so-reuseport: no" "verbosity: 1" \
	>"$work/unbound/unbound.conf"
# The second module-config replaces the first.
grep -q 'module-config: "validator iterator"' "$work/unbound/unbound.conf" &&
	unbound-checkconf "$work/unbound/unbound.conf" >/dev/null 2>&1 ||
	not_ok "unbound configuration is valid" "$(unbound-checkconf "$work/unbound/unbound.conf" 2>&1)"
unbound -d -c "$work/unbound/unbound.conf" >"$work/unbound/stdout.log" 2>&1 &
unbound_pid=$!
up=0
for _ in $(seq 1 100); do
	if dig +time=1 +tries=1 @$oracle . SOA +cd >/dev/null 2>&1; then
		up=1
		break
	fi
	sleep 0.2
done
if [ $up = 0 ]; then
	not_ok "unbound answers on $oracle" "$(tail -5 "$work/unbound/unbound.log" 2>/dev/null)"
	echo "1..$tests"
	exit 1
fi
ask $oracle . SOA +dnssec
check "oracle validates the root from the generated root DS (AD)" eval '[ "$(rcode)" = NOERROR ] && has_flag ad'

# Each case: NAME TYPE secure|insecure|bogus RCODE [EDE]; EDE is the RFC 8914
# code Unbound gives, which validate.c maps the same failure to.
while read -r name type expect want ede; do
	[ -n "$name" ] || continue
	ask $oracle "$name" "$type" +dnssec
	case $expect in
	secure)
		if [ "$(rcode)" = "$want" ] && has_flag ad; then
			ok "$name $type: $want, AD (secure)"
		else
			not_ok "$name $type: $want, AD (secure)" "got $(rcode), flags: $(sed -n 's/^;; flags: \([a-z ]*\);.*/\1/p' <<<"$out")"
		fi
		;;
	insecure)
		if [ "$(rcode)" = "$want" ] && ! has_flag ad; then
			ok "$name $type: $want without AD (insecure)"
		else
			not_ok "$name $type: $want without AD (insecure)" "got $(rcode), flags: $(sed -n 's/^;; flags: \([a-z ]*\);.*/\1/p' <<<"$out")"
		fi
		;;
	bogus)
		got=$(rcode)
		got_ede=$(sed -n 's/^; EDE: \([0-9]*\).*/\1/p' <<<"$out" | head -1)
		if [ "$got" = SERVFAIL ] && { [ -z "$ede" ] || [ "$got_ede" = "$ede" ]; }; then
			ok "$name $type: SERVFAIL${ede:+, EDE $ede} (bogus)"
		else
			not_ok "$name $type: SERVFAIL${ede:+, EDE $ede} (bogus)" "got $got, EDE ${got_ede:-none}"
		fi
		ask $oracle "$name" "$type" +dnssec +cd
		if [ "$(rcode)" = "$want" ] && answer_has "$type" && ! has_flag ad; then
			ok "$name $type +cd: the data, without AD"
		else
			not_ok "$name $type +cd: the data, without AD" "got $(rcode)"
		fi
		;;
	esac
done <"$work/signed/cases"

echo "1..$tests"
if [ $failures -ne 0 ]; then
	echo "# $failures of $tests failed; work directory: $work" >&2
	KEEP=1
	exit 1
fi
exit 0
