#!/bin/bash
# Start or stop the test DNS hierarchy described in servers.conf.
#
#   hierarchy.sh start DIR [NS]   one NSD per address (config, pid, logs under DIR),
#                                 hostile.py for the hostile ones, and DIR/root.hints
#   hierarchy.sh stop DIR         stop everything started in DIR
#   hierarchy.sh check DIR        nsd-checkconf and nsd-checkzone on every server
#
# NFDNS_DNSTAP=SOCKET: every NSD sends the queries it gets to SOCKET
# (dnstap; the caller runs fstrm_capture there).
#
# Without NS every server listens on its address on this namespace's
# loopback.  With NS (an existing network namespace, where the resolver
# runs) every server gets a network namespace of its own, joined to NS by
# a veth pair, and NS routes the server's address over that link, so that
# each query really crosses from one namespace to another; a server at ::1
# runs in NS itself (IPv6 loopback cannot leave a namespace).  Servers
# start in parallel.
#
# Needs root (port 53).  Exits non-zero if any server fails to come up.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
table=${NFDNS_SERVERS:-$here/servers.conf}
# The root zone whose NS and glue make DIR/root.hints.
root_zone=${NFDNS_ROOT_ZONE:-$here/root.zone}

usage() {
	echo "usage: $0 start DIR [NS] | stop DIR | check DIR" >&2
	exit 2
}

case $#:${1:-} in
2:start | 3:start | 2:stop | 2:check) ;;
*) usage ;;
esac
cmd=$1
dir=$2
netns=${3:-}

# Lines of the table without comments: "kind address args..."
servers() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$table"
}

# Directory name for an address (":" is awkward in paths).
slot() {
	echo "$dir/srv-${1//:/_}"
}

zone_file() {
	case $1 in
	*=*) echo "${1#*=}" ;;
	.) echo root.zone ;;
	*) echo "$1.zone" ;;
	esac
}

zone_name() {
	local z=${1%%=*}
	[ "$z" = . ] && echo . || echo "$z."
}

write_nsd_conf() {
	local addr=$1 d=$2
	shift 2
	cat >"$d/nsd.conf" <<-CONF
	server:
	    ip-address: $addr
	    port: 53
	    server-count: 1
	    database: ""
	    zonelistfile: "$d/zone.list"
	    xfrdfile: "$d/xfrd.state"
	    xfrdir: "$d"
	    pidfile: "$d/nsd.pid"
	    logfile: "$d/nsd.log"
	    username: ""
	    chroot: ""
	    zonesdir: "$here"
	    verbosity: 0
	    hide-version: yes
	    refuse-any: no
	remote-control:
	    control-enable: no
	CONF
	# NSD logs no queries, whatever its verbosity: with NFDNS_DNSTAP (a
	# socket, fstrm_capture listening) each query goes there, with the
	# server's address as its identity.
	if [ -n "${NFDNS_DNSTAP:-}" ]; then
		cat >>"$d/nsd.conf" <<-CONF
		dnstap:
		    dnstap-enable: yes
		    dnstap-socket-path: "$NFDNS_DNSTAP"
		    dnstap-send-identity: yes
		    dnstap-identity: "$addr"
		    dnstap-log-auth-query-messages: yes
		CONF
	fi
	local z
	for z in "$@"; do
		printf 'zone:\n    name: "%s"\n    zonefile: "%s"\n' "$(zone_name "$z")" "$(zone_file "$z")" >>"$d/nsd.conf"
	done
}

# in_resolver CMD...: CMD where the resolver runs (NS, or here).
in_resolver() {
	if [ -n "$netns" ]; then
		ip netns exec "$netns" "$@"
	else
		"$@"
	fi
}

# server_ns DIR: the namespace of the server whose slot is DIR, in $sns
# (empty: this one).
server_ns() {
	sns=$netns
	if [ -s "$1/netns" ]; then sns=$(<"$1/netns"); fi
	return 0
}

# Waits (bounded) until addr answers a SOA query for zone, asked from where
# the resolver runs.
wait_answer() {
	local addr=$1 zone=$2 deadline=$((SECONDS + 60))
	while [ $SECONDS -lt $deadline ]; do
		if in_resolver dig +norec +noedns +time=1 +tries=1 @"$addr" "$zone" SOA 2>/dev/null |
			grep -q 'status: NOERROR'; then
			return 0
		fi
		sleep 0.3
	done
	return 1
}

# nsd_started DIR: the NSD of slot DIR has logged that it runs.  Read with
# builtins: polling with dig costs far more CPU in a VM without KVM and
# slows the servers still starting.
nsd_started() {
	local line
	[ -r "$1/nsd.log" ] || return 1
	while IFS= read -r line; do
		[[ $line == *'nsd started'* ]] && return 0
	done <"$1/nsd.log"
	return 1
}

# link_servers: a namespace of its own for every server but ::1 (and the
# dead, which have none), joined to NS by veth: for the Kth line of the
# table, hierK in NS with 198.19.K.1/24, eth0 in the server's namespace
# with 198.19.K.2/24 and the server's address.  127/8 belongs to loopback:
# NS routes each server's address in its local table, where the /32 wins
# over the local 127.0.0.0/8, and both ends of each link accept 127/8 on
# the wire (route_localnet).  Few processes: each costs much in a VM
# without KVM.  The server's end is set up by start_server, in parallel.
link_servers() {
	local kind addr args k=0 d srv if
	local -a add=() links=() sysctls=()
	echo "$netns" >"$dir/netns"
	while read -r kind addr args; do
		k=$((k + 1))
		[ "$kind" != dead ] && [ "$addr" != ::1 ] || continue
		case $addr in
		*:*)
			echo "hierarchy: $addr: only IPv4 servers (and ::1) run in namespaces" >&2
			return 1
			;;
		esac
		d=$(slot "$addr")
		srv=$netns-$addr
		if=hier$k
		add+=("netns add $srv")
		links+=("link add $if type veth peer name eth0 netns $srv"
			"addr add 198.19.$k.1/24 dev $if" "link set $if up"
			"route add table local $addr/32 via 198.19.$k.2 dev $if")
		sysctls+=("net.ipv4.conf.$if.route_localnet=1")
		printf '%s\n' "link set lo up" "addr add 198.19.$k.2/24 dev eth0" \
			"addr add $addr/32 dev eth0" "link set eth0 up" \
			"route add default via 198.19.$k.1" >"$d/link.batch"
		echo "$srv" >"$d/netns"
		echo "$if" >"$d/link"
	done < <(servers)
	[ $k -le 254 ] || { echo "hierarchy: more than 254 servers" >&2; return 1; }
	[ ${#add[@]} -gt 0 ] || return 0
	printf '%s\n' "${add[@]}" | ip -batch -
	printf '%s\n' "${links[@]}" | ip -n "$netns" -batch -
	ip netns exec "$netns" sysctl -qw "${sysctls[@]}"
}

# start_server KIND ADDR ARGS: one server, up and answering.
start_server() {
	local kind=$1 addr=$2 args=$3 d sns
	d=$(slot "$addr")
	server_ns "$d"
	if [ -s "$d/link.batch" ]; then
		ip -n "$sns" -batch "$d/link.batch"
		ip netns exec "$sns" sysctl -qw net.ipv4.conf.eth0.route_localnet=1
	fi
	case $kind in
	nsd)
		# shellcheck disable=SC2086
		write_nsd_conf "$addr" "$d" $args
		# NSD parses the system's CA bundle at start, for zone transfers
		# over TLS, which none of these servers does: seconds of CPU in a
		# VM without KVM.
		if [ -n "$sns" ]; then
			SSL_CERT_FILE=/dev/null ip netns exec "$sns" nsd -c "$d/nsd.conf" -P "$d/nsd.pid"
		else
			SSL_CERT_FILE=/dev/null nsd -c "$d/nsd.conf" -P "$d/nsd.pid"
		fi || {
			echo "hierarchy: nsd on $addr failed to start" >&2
			cat "$d/nsd.log" >&2 2>/dev/null || true
			return 1
		}
		local deadline=$((SECONDS + 60))
		until nsd_started "$d"; do
			[ $SECONDS -lt $deadline ] || {
				echo "hierarchy: nsd on $addr did not start within 60 s" >&2
				cat "$d/nsd.log" >&2 2>/dev/null || true
				return 1
			}
			sleep 0.2
		done
		wait_answer "$addr" "$(zone_name "${args%% *}")" || {
			echo "hierarchy: $addr does not answer for $(zone_name "${args%% *}")" >&2
			return 1
		}
		;;
	hostile)
		# A simple command, so that $! is the server's own pid.
		if [ -n "$sns" ]; then
			ip netns exec "$sns" python3 "$here/hostile.py" "$addr" "$args" >"$d/hostile.log" 2>&1 &
		else
			python3 "$here/hostile.py" "$addr" "$args" >"$d/hostile.log" 2>&1 &
		fi
		echo $! >"$d/hostile.pid"
		wait_answer "$addr" "$args.com" || {
			echo "hierarchy: hostile $addr ($args) does not answer" >&2
			return 1
		}
		;;
	dead) ;;
	*)
		echo "hierarchy: unknown kind $kind" >&2
		return 1
		;;
	esac
}

do_check() {
	local kind addr args rc=0 z
	mkdir -p "$dir"
	while read -r kind addr args; do
		[ "$kind" = nsd ] || continue
		local d
		d=$(slot "$addr")
		mkdir -p "$d"
		# shellcheck disable=SC2086
		write_nsd_conf "$addr" "$d" $args
		nsd-checkconf "$d/nsd.conf" || rc=1
		for z in $args; do
			nsd-checkzone "$(zone_name "$z")" "$here/$(zone_file "$z")" >/dev/null || rc=1
		done
	done < <(servers)
	return $rc
}

do_start() {
	local kind addr args d job rc=0
	local -a jobs=()
	mkdir -p "$dir"
	while read -r kind addr args; do
		mkdir -p "$(slot "$addr")"
	done < <(servers)
	if [ -n "$netns" ]; then
		[ -e "/run/netns/$netns" ] || {
			echo "hierarchy: no network namespace $netns" >&2
			return 1
		}
		link_servers || return 1
	fi
	# All at once: each NSD takes seconds to start in a VM without KVM.
	while read -r kind addr args; do
		d=$(slot "$addr")
		start_server "$kind" "$addr" "$args" >"$d/start.log" 2>&1 &
		jobs+=("$!=$addr")
	done < <(servers)
	for job in "${jobs[@]}"; do
		wait "${job%%=*}" && continue
		rc=1
		cat "$(slot "${job#*=}")/start.log" >&2
	done
	[ $rc = 0 ] || return 1

	# Root hints: the NS and addresses of the root zone's servers.
	: >"$dir/root.hints"
	local ns
	for ns in $(awk '$1 == "." && $2 == "NS" { print $3 }' "$root_zone"); do
		printf '.\t3600000\tNS\t%s\n' "$ns" >>"$dir/root.hints"
		awk -v n="$ns" '$1 == n && ($2 == "A" || $2 == "AAAA") { printf "%s\t3600000\t%s\t%s\n", $1, $2, $3 }' \
			"$root_zone" >>"$dir/root.hints"
	done
}

# Running and not a zombie (a daemon's zombie waits for init to reap it).
alive() {
	local stat
	read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
	# The state follows the command name, which is in parentheses.
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

do_stop() {
	local f d pids=() links=() nses=() p left deadline
	[ -d "$dir" ] || return 0
	for f in "$dir"/srv-*/nsd.pid "$dir"/srv-*/hostile.pid; do
		[ -s "$f" ] || continue
		pids+=("$(cat "$f")")
		rm -f "$f"
	done
	if [ ${#pids[@]} -gt 0 ]; then
		kill "${pids[@]}" 2>/dev/null || true
		deadline=$((SECONDS + 5))
		while [ $SECONDS -lt $deadline ]; do
			left=0
			for p in "${pids[@]}"; do
				alive "$p" && left=1
			done
			[ $left = 0 ] && break
			sleep 0.1
		done
		for p in "${pids[@]}"; do
			alive "$p" && kill -9 "$p" 2>/dev/null
		done
	fi
	# The links go first, and with them NS's routes to the servers, at
	# once (a namespace is torn down asynchronously).
	for d in "$dir"/srv-*; do
		[ -s "$d/link" ] && links+=("link del $(<"$d/link")")
		[ -s "$d/netns" ] && nses+=("netns del $(<"$d/netns")")
		rm -f "$d/link" "$d/netns"
	done
	if [ ${#links[@]} -gt 0 ] && [ -s "$dir/netns" ]; then
		printf '%s\n' "${links[@]}" | ip -force -n "$(<"$dir/netns")" -batch - 2>/dev/null || true
	fi
	if [ ${#nses[@]} -gt 0 ]; then
		printf '%s\n' "${nses[@]}" | ip -force -batch - 2>/dev/null || true
	fi
	rm -f "$dir/netns"
	return 0
}

case $cmd in
start) do_start ;;
stop) do_stop ;;
check) do_check ;;
*) usage ;;
esac
