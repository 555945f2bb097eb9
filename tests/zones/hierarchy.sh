#!/bin/bash
# Start or stop the test DNS hierarchy described in servers.conf.
#
#   hierarchy.sh start DIR    one NSD per address (config, pid, logs under DIR),
#                             hostile.py for the hostile ones, and DIR/root.hints
#   hierarchy.sh stop DIR     stop everything started in DIR
#   hierarchy.sh check DIR    nsd-checkconf and nsd-checkzone on every server
#
# Needs root (port 53).  Exits non-zero if any server fails to come up.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
table=${NFDNS_SERVERS:-$here/servers.conf}

usage() {
	echo "usage: $0 start|stop|check DIR" >&2
	exit 2
}

[ $# -eq 2 ] || usage
cmd=$1
dir=$2

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
	local z
	for z in "$@"; do
		printf 'zone:\n    name: "%s"\n    zonefile: "%s"\n' "$(zone_name "$z")" "$(zone_file "$z")" >>"$d/nsd.conf"
	done
}

# Waits (bounded) until addr answers a SOA query for zone.
wait_answer() {
	local addr=$1 zone=$2 i
	for i in $(seq 1 50); do
		if dig +norec +noedns +time=1 +tries=1 @"$addr" "$zone" SOA 2>/dev/null | grep -q 'status: NOERROR'; then
			return 0
		fi
		sleep 0.1
	done
	return 1
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
	local kind addr args
	mkdir -p "$dir"
	while read -r kind addr args; do
		local d
		d=$(slot "$addr")
		mkdir -p "$d"
		case $kind in
		nsd)
			# shellcheck disable=SC2086
			write_nsd_conf "$addr" "$d" $args
			nsd -c "$d/nsd.conf" -P "$d/nsd.pid" || {
				echo "hierarchy: nsd on $addr failed to start" >&2
				cat "$d/nsd.log" >&2 2>/dev/null || true
				return 1
			}
			;;
		hostile)
			python3 "$here/hostile.py" "$addr" "$args" >"$d/hostile.log" 2>&1 &
			echo $! >"$d/hostile.pid"
			;;
		dead) ;;
		*)
			echo "hierarchy: unknown kind $kind" >&2
			return 1
			;;
		esac
	done < <(servers)

	while read -r kind addr args; do
		case $kind in
		nsd)
			local first=${args%% *}
			wait_answer "$addr" "$(zone_name "$first")" || {
				echo "hierarchy: $addr does not answer for $(zone_name "$first")" >&2
				return 1
			}
			;;
		hostile)
			wait_answer "$addr" "$args.com" || {
				echo "hierarchy: hostile $addr ($args) does not answer" >&2
				return 1
			}
			;;
		esac
	done < <(servers)

	# Root hints: the NS and addresses of the root zone's servers.
	: >"$dir/root.hints"
	local ns
	for ns in $(awk '$1 == "." && $2 == "NS" { print $3 }' "$here/root.zone"); do
		printf '.\t3600000\tNS\t%s\n' "$ns" >>"$dir/root.hints"
		awk -v n="$ns" '$1 == n && ($2 == "A" || $2 == "AAAA") { printf "%s\t3600000\t%s\t%s\n", $1, $2, $3 }' \
			"$here/root.zone" >>"$dir/root.hints"
	done
}

# Running and not a zombie (a daemon's zombie waits for init to reap it).
alive() {
	local state
	state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$state" ] && [ "$state" != Z ]
}

do_stop() {
	local f pids=() p i left
	[ -d "$dir" ] || return 0
	for f in "$dir"/srv-*/nsd.pid "$dir"/srv-*/hostile.pid; do
		[ -s "$f" ] || continue
		pids+=("$(cat "$f")")
		rm -f "$f"
	done
	[ ${#pids[@]} -gt 0 ] || return 0
	kill "${pids[@]}" 2>/dev/null || true
	for i in $(seq 1 50); do
		left=0
		for p in "${pids[@]}"; do
			alive "$p" && left=1
		done
		[ $left = 0 ] && return 0
		sleep 0.1
	done
	for p in "${pids[@]}"; do
		alive "$p" && kill -9 "$p" 2>/dev/null
	done
	return 0
}

case $cmd in
start) do_start ;;
stop) do_stop ;;
check) do_check ;;
*) usage ;;
esac
