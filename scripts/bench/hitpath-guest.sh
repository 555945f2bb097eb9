#!/bin/bash
# Inside the VM: dnsperf from a client namespace, over veth, against
# (1) the module's hit path with N = 1k and N = 1M cached entries, and
# (2) Unbound answering the same names from local data, one at a time.
# Prints one line per server: qps, and the whole VM's busy CPU-seconds per
# million answers (the client's share is in every line).
#
#   hitpath-guest.sh MODDIR SECONDS
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/netns.sh"
moddir=$1
seconds=${2:-10}
sel=$top/tests/selftests
work=$(mktemp -d)
cli=bcli$$
trap 'ns_cleanup; pkill -x unbound; rmmod nfdns 2>/dev/null; rm -rf "$work"' EXIT

ns_add $cli
ns_link $cli "198.18.1.2/24" "" "198.18.1.1/24"

busy_ticks() {
	awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat
}

# measure LABEL: one dnsperf run at full speed against 198.18.1.1.
measure() {
	local label=$1 b0 b1 qps done_q
	b0=$(busy_ticks)
	ip netns exec $cli dnsperf -q 200 -c 4 -T 2 -s 198.18.1.1 \
		-d "$work/queries" -l "$seconds" >"$work/dnsperf.log" 2>&1
	b1=$(busy_ticks)
	qps=$(awk '/Queries per second/ { print $4 }' "$work/dnsperf.log")
	done_q=$(awk '/Queries completed/ { print $3 }' "$work/dnsperf.log")
	awk -v l="$label" -v q="$qps" -v d="$done_q" -v t=$((b1 - b0)) \
		-v hz="$(getconf CLK_TCK)" 'BEGIN {
		printf "%-28s qps %10.0f  answered %9d  cpu-s/M %8.2f\n",
			l, q, d, (t / hz) / d * 1e6 }'
}

insmod "$moddir/nfdns.ko"
"$sel/nfdns_testctl" config max_entries=2000000 max_bytes=1073741824 >/dev/null
for n in 1000 1000000; do
	"$sel/nfdns_testctl" flush >/dev/null
	"$sel/nfdns_fill" $n "$work/queries" 1000
	echo "# nfdns entries $("$sel/nfdns_testctl" stats entries)," \
		"bytes $("$sel/nfdns_testctl" stats bytes)"
	measure "nfdns hit path, N=$n"
done
echo "# hits $("$sel/nfdns_testctl" stats hits), misses $("$sel/nfdns_testctl" stats misses)"
rmmod nfdns

{
	echo "server:"
	echo "	interface: 198.18.1.1"
	echo "	access-control: 198.18.0.0/15 allow"
	echo "	username: \"\""
	echo "	chroot: \"\""
	echo "	directory: \"$work\""
	echo "	pidfile: \"$work/unbound.pid\""
	echo "	num-threads: 2"
	echo "	use-syslog: no"
	echo "	local-zone: \"bench.\" static"
	for i in $(seq 0 999); do
		echo "	local-data: \"h$i.bench. 86400 IN A 192.0.2.1\""
	done
	echo "remote-control:"
	echo "	control-enable: no"
} >"$work/unbound.conf"
unbound -d -c "$work/unbound.conf" >"$work/unbound.log" 2>&1 &
wait_for 20 dig +time=1 +tries=1 @198.18.1.1 h1.bench A
measure "unbound local data"
