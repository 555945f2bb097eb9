# An iterating Unbound for comparisons and oracles.  Sourced.
#
#   unbound_conf DIR ADDR ALLOW HINTS [LINE...]
#
# prints a configuration that keeps its files in DIR (pid, log, control
# socket), listens on ADDR port 53, answers the clients in ALLOW (a
# prefix), and iterates from the root servers in HINTS, without
# minimising names, so that its upstream queries compare with nfdnsd's.
# Each LINE is one more "server:" option ("num-threads: 2").  Run it with
# `unbound -d -c FILE`; unbound-control reaches it with `-c FILE`.
unbound_conf() {
	local dir=$1 addr=$2 allow=$3 hints=$4 line
	shift 4
	cat <<CONF
server:
    interface: $addr
    port: 53
    do-daemonize: no
    chroot: ""
    username: ""
    directory: "$dir"
    pidfile: "$dir/unbound.pid"
    logfile: "$dir/unbound.log"
    use-syslog: no
    root-hints: "$hints"
    do-not-query-localhost: no
    module-config: "iterator"
    qname-minimisation: no
    access-control: $allow allow
CONF
	for line in "$@"; do
		printf '    %s\n' "$line"
	done
	cat <<CONF
remote-control:
    control-enable: yes
    control-interface: "$dir/control.sock"
    control-use-cert: no
CONF
}
