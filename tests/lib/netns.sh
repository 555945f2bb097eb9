# Network namespaces for end-to-end tests, made by the test and removed when
# it exits.  Sourced.  Addresses are from the benchmarking range 198.18/15
# and fd00:53::/32, inside namespaces that exist only in the test's VM.
#
#   ns_add NAME                    create namespace NAME (lo up)
#   ns_link NS1 ADDR1 NS2 ADDR2    veth pair NS1<->NS2; "" means the current
#                                  namespace; ADDRs are "v4/len v6/len"
#   ns_cleanup                     kill what runs in them, delete them

NS_CREATED=()

ns_add() {
	ip netns add "$1" || return 1
	NS_CREATED+=("$1")
	ip -n "$1" link set lo up
}

ns_exec() {
	local ns=$1
	shift
	if [ -n "$ns" ]; then
		ip netns exec "$ns" "$@"
	else
		"$@"
	fi
}

# IPv6 addresses skip duplicate address detection, so they work at once.
ns_addr_flags() {
	case $1 in *:*) echo nodad ;; esac
}

ns_link() {
	local ns1=$1 addrs1=$2 ns2=$3 addrs2=$4 a
	local if1=v${RANDOM}a if2=v${RANDOM}b
	ip link add "$if1" type veth peer name "$if2" || return 1
	[ -n "$ns1" ] && ip link set "$if1" netns "$ns1"
	[ -n "$ns2" ] && ip link set "$if2" netns "$ns2"
	for a in $addrs1; do
		ns_exec "$ns1" ip addr add "$a" dev "$if1" $(ns_addr_flags "$a")
	done
	for a in $addrs2; do
		ns_exec "$ns2" ip addr add "$a" dev "$if2" $(ns_addr_flags "$a")
	done
	ns_exec "$ns1" ip link set "$if1" up
	ns_exec "$ns2" ip link set "$if2" up
}

ns_cleanup() {
	local ns pid
	for ns in "${NS_CREATED[@]}"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -9 "$pid" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	NS_CREATED=()
}

# wait_for SECONDS CMD...: retry CMD every 0.1 s until it succeeds.
wait_for() {
	local deadline=$(( $(date +%s) + $1 ))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}

# nsd_start NS DIR ZONE ZONEFILE ADDR...: an NSD in NS serving one zone.
nsd_start() {
	local ns=$1 dir=$2 zone=$3 zonefile=$4 a
	shift 4
	mkdir -p "$dir"
	cp "$zonefile" "$dir/zone"
	{
		echo "server:"
		for a in "$@"; do echo "	ip-address: $a"; done
		echo "	port: 53"
		echo "	username: \"\""
		echo "	chroot: \"\""
		echo "	zonesdir: \"$dir\""
		echo "	database: \"\""
		echo "	pidfile: \"$dir/nsd.pid\""
		echo "	xfrdfile: \"$dir/xfrd.state\""
		echo "	zonelistfile: \"$dir/zone.list\""
		echo "	server-count: 1"
		# Load tests send thousands of qps from one client: no RRL.
		echo "	rrl-ratelimit: 0"
		echo "	verbosity: 0"
		# Load tests ask from one address: no response rate limiting.
		echo "	rrl-ratelimit: 0"
		echo "remote-control:"
		echo "	control-enable: no"
		echo "zone:"
		echo "	name: \"$zone\""
		echo "	zonefile: \"zone\""
	} >"$dir/nsd.conf"
	ns_exec "$ns" nsd -d -c "$dir/nsd.conf" >"$dir/nsd.log" 2>&1 &
	wait_for 20 ns_exec "$ns" dig +time=1 +tries=1 +norecurse @"$1" "$zone" SOA 2>/dev/null
}
