#!/bin/bash
# QNAME minimisation (RFC 9156) as the servers of the NSD test hierarchy
# see it.  NSD 4.6 (Debian 12) logs no queries at any verbosity, so every
# NSD sends its queries over dnstap to fstrm_capture, and each query is
# judged by the address it reached; the hostile nxent server (answering
# NXDOMAIN for its empty non-terminals) logs its own.  Unbound, without
# minimisation and from an address of its own, is the oracle of answers.
# TAP on stdout; exit status non-zero when any test fails.
#
#   tests/resolver/minimise.sh         (as root: servers bind port 53)
#   KEEP=1 tests/resolver/minimise.sh  keeps the work directory (logs)
#   NFDNSD=path/to/nfdnsd ...          another binary
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lib/unbound.sh"
top=$(cd "$here/../.." && pwd)
nfdnsd=${NFDNSD:-$top/userspace/nfdnsd/nfdnsd}
hierarchy=$top/tests/zones/hierarchy.sh
on=127.53.255.31	# default settings: minimising, relaxed
off=127.53.255.32	# qname-minimisation no
strict=127.53.255.33	# qname-minimisation-strict yes
oracle=127.53.255.34	# Unbound; its upstream queries leave from here too
# Where nfdnsd's upstream queries come from (the loopback route's source).
from=127.0.0.1
root_servers="127.53.0.1 127.53.0.2"
com_servers="127.53.1.1 127.53.1.2"
example_servers="127.53.2.1 127.53.2.2"
g_server=127.53.2.3
nxent_server=127.53.8.4
deep=x.y.deep.g.example.com
broken=x.y.nxent.com

# The test hierarchy binds fixed loopback addresses: one run at a time.
exec 9>/tmp/nfdns-hierarchy.lock
flock 9
work=$(mktemp -d /tmp/nfdnsd-minimise.XXXXXX)
pids=()
capture_pid=
hier=
tests=0
failures=0

stop_hierarchy() {
	[ -n "$hier" ] && "$hierarchy" stop "$hier" >/dev/null 2>&1
	hier=
	if [ -n "$capture_pid" ]; then
		kill "$capture_pid" 2>/dev/null && wait "$capture_pid" 2>/dev/null
		capture_pid=
	fi
}

cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	stop_hierarchy
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

# expect DESC WANT GOT: ok when equal.
expect() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "want: $2" "got:  $3"; fi
}

# check DESC CONDITION-COMMAND... : ok when the command succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc" "failed: $*"; fi
}

ask() { dig +time=4 +tries=1 @"$1" "$2" "$3" 2>&1; }
rcode() { sed -n 's/.*status: \([A-Z]*\),.*/\1/p' <<<"$1" | head -1; }
answers() {
	awk '$0 == ";; ANSWER SECTION:" { on = 1; next } on && /^$/ { on = 0 } on && !/^;/ { $2 = ""; print }' <<<"$1" |
		tr -s ' \t' ' ' | sort
}

wait_listening() {
	local addr=$1
	for _ in $(seq 1 50); do
		dig +time=1 +tries=1 @"$addr" . NS >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# start_hierarchy NAME: the hierarchy in $work/NAME, its NSDs logging
# queries to $work/NAME.tap.
start_hierarchy() {
	local sock=$work/$1.sock
	fstrm_capture -t protobuf:dnstap.Dnstap -u "$sock" -w "$work/$1.tap" >"$work/$1.capture.log" 2>&1 &
	capture_pid=$!
	for _ in $(seq 1 50); do
		[ -S "$sock" ] && break
		sleep 0.1
	done
	hier=$work/$1
	NFDNS_DNSTAP=$sock "$hierarchy" start "$hier" >"$work/$1.log" 2>&1
}

# queries NAME: the queries the NSDs of hierarchy NAME got, once stopped
# (the capture is complete then), one a line: "server client qname qtype".
queries() {
	dnstap-read "$work/$1.tap" 2>/dev/null | awk '$3 == "AQ" {
		client = $4; server = $6
		sub(/:[0-9]+$/, "", client); sub(/:[0-9]+$/, "", server)
		n = split($NF, q, "/")
		name = tolower(q[1]); if (name != ".") name = name "."
		print server, client, name, q[3] }'
}

# seen_at LOG CLIENT SERVERS...: "qname qtype" of the queries from CLIENT
# at any of SERVERS, in order.  hierarchy.sh asks each zone's SOA from the
# same address to see a server up; nfdnsd asks no SOA here: left out.
seen_at() {
	local log=$1 client=$2
	shift 2
	awk -v c="$client" -v s=" $* " '$2 == c && $4 != "SOA" && index(s, " " $1 " ") { print $3, $4 }' "$log"
}
# nxent_seen LOG: "qname qtype" of nfdnsd's queries at the nxent server.
nxent_seen() {
	awk -v c=$from '$1 == "QUERY" && $2 == c && $4 != 6 { print $3, $4 }' "$1" | tr '\n' ';'
}
uniq_lines() { sort -u | tr '\n' ';'; }

start_nfdnsd() {
	local name=$1 addr=$2
	shift 2
	"$nfdnsd" --config /dev/null --dnssec-validation no --no-kernel --root-hints "$hier/root.hints" --listen "$addr:53" \
		--do-not-query-localhost no --trace --log-level debug "$@" >"$work/$name.nfdnsd.log" 2>&1 &
	pids+=($!)
	wait_listening "$addr"
}

echo "# work directory $work"
if [ ! -x "$nfdnsd" ]; then
	echo "1..1"
	not_ok "nfdnsd binary exists ($nfdnsd)"
	exit 1
fi

# ---- minimising, and the broken server ----

if start_hierarchy on; then
	ok "test hierarchy started, every NSD logging queries over dnstap"
else
	not_ok "test hierarchy started, every NSD logging queries over dnstap" "$(cat "$work/on.log")"
	echo "1..$tests"
	exit 1
fi
check "nfdnsd with default settings answers on $on" start_nfdnsd on $on
mkdir -p "$work/unbound"
unbound_conf "$work/unbound" $oracle 127.0.0.0/8 "$hier/root.hints" \
	"verbosity: 1" "num-threads: 1" "so-reuseport: no" "outgoing-interface: $oracle" \
	>"$work/unbound/unbound.conf"
unbound -d -c "$work/unbound/unbound.conf" >"$work/unbound/stdout.log" 2>&1 &
pids+=($!)
check "Unbound answers on $oracle" wait_listening $oracle

out=$(ask $on $deep A)
want=$(ask $oracle $deep A)
expect "$deep A: NOERROR, 192.0.2.57" "NOERROR|$deep. IN A 192.0.2.57" "$(rcode "$out")|$(answers "$out")"
expect "$deep A: the same answer as Unbound's" "$(answers "$want")" "$(answers "$out")"
out=$(ask $on $broken A)
want=$(ask $oracle $broken A)
expect "$broken A through the server answering NXDOMAIN for y.nxent.com: NOERROR, 192.0.2.59" \
	"NOERROR|$broken. IN A 192.0.2.59" "$(rcode "$out")|$(answers "$out")"
expect "$broken A: the same answer as Unbound's" "$(answers "$want")" "$(answers "$out")"
log=$work/on.nfdnsd.log
check "trace: the root asked com. A (minimised)" grep -q 'trace: ask com\. A (minimised) of \.$' "$log"
check "trace: the fallback after NXDOMAIN from nxent.com.'s server" \
	grep -q "trace: minimised query answered NXDOMAIN: asking full name $broken. A" "$log"
nxent_log=$hier/srv-$nxent_server/hostile.log
stop_hierarchy
queries on >"$work/on.queries"
echo "# $(wc -l <"$work/on.queries") queries at the NSDs"

# Priming asks the root for its own NS set; anything else is one label.
expect "the root servers were asked com. and nxent's com. only, never a longer name" \
	"com. A;" "$(seen_at "$work/on.queries" $from $root_servers | grep -v '^\. NS$' | uniq_lines)"
expect "com.'s servers were asked example.com. and nxent.com. only" \
	"example.com. A;nxent.com. A;" "$(seen_at "$work/on.queries" $from $com_servers | uniq_lines)"
expect "example.com.'s servers were asked g.example.com. only" \
	"g.example.com. A;" "$(seen_at "$work/on.queries" $from $example_servers | uniq_lines)"
expect "g.example.com.'s server: the empty non-terminals deep, y.deep, then the full name" \
	"deep.g.example.com. A;y.deep.g.example.com. A;$deep. A;" \
	"$(seen_at "$work/on.queries" $from $g_server | tr '\n' ';')"
expect "the full name $deep. reached g.example.com.'s server alone" \
	"$g_server" "$(awk -v c=$from -v n=$deep. '$2 == c && $3 == n { print $1 }' "$work/on.queries" | sort -u | tr '\n' ' ' | sed 's/ $//')"
# The capture shows full names when they are sent: Unbound sends them.
check "the capture sees Unbound's full name at the root (what minimising avoids)" \
	grep -q "$deep\. A" <(seen_at "$work/on.queries" $oracle $root_servers)
expect "nxent.com.'s server: y.nxent.com. A (NXDOMAIN), then the full name" \
	"y.nxent.com. 1;$broken. 1;" \
	"$(nxent_seen "$nxent_log")"

# ---- minimisation off, and strict ----

if start_hierarchy off; then
	ok "test hierarchy started again"
else
	not_ok "test hierarchy started again" "$(cat "$work/off.log")"
	echo "1..$tests"
	exit 1
fi
check "nfdnsd --qname-minimisation no answers on $off" start_nfdnsd off $off --qname-minimisation no
check "nfdnsd --qname-minimisation-strict yes answers on $strict" start_nfdnsd strict $strict \
	--qname-minimisation-strict yes
out=$(ask $off $deep A)
expect "minimisation off: $deep A answered" "NOERROR|$deep. IN A 192.0.2.57" "$(rcode "$out")|$(answers "$out")"
out=$(ask $strict $broken A)
expect "strict: $broken A is NXDOMAIN, as nxent.com.'s server said for y.nxent.com." "NXDOMAIN" "$(rcode "$out")"
nxent_log=$hier/srv-$nxent_server/hostile.log
stop_hierarchy
queries off >"$work/off.queries"
check "minimisation off: the root servers were asked the full name $deep." \
	grep -q "^$deep\. A$" <(seen_at "$work/off.queries" $from $root_servers)
expect "strict: nxent.com.'s server was asked y.nxent.com. only, never the full name" \
	"y.nxent.com. 1;" "$(nxent_seen "$nxent_log")"

echo "1..$tests"
[ $failures = 0 ] || echo "# $failures of $tests failed"
[ $failures = 0 ]
