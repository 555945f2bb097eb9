# The module's counters in shell tests.  Sourced.  The caller defines
# counters_read, which prints one "NAME VALUE" line per counter (nfdnsctl
# stats, nfdns_testctl stats), and sets $work to a scratch directory.
#
#   snap                 remember every counter in was[]
#   refresh              read them into now[]
#   rose NAME            print how much NAME rose since snap
#   deltas NAME=WANT...  each NAME rose by exactly WANT since snap; on a
#                        mismatch, say which and list what changed

declare -A was now

load_stats() {
	local -n into=$1
	local name value
	counters_read >"$work/stats" || return 1
	into=()
	while read -r name value; do
		into[$name]=$value
	done <"$work/stats"
}
snap() { load_stats was; }
refresh() { load_stats now; }
rose() {
	load_stats now || return 1
	echo $((${now[$1]:-0} - ${was[$1]:-0}))
}
deltas() {
	local pair name got bad=0
	load_stats now || return 1
	for pair in "$@"; do
		name=${pair%%=*}
		got=$((${now[$name]:-0} - ${was[$name]:-0}))
		if [ "$got" != "${pair#*=}" ]; then
			echo "$name rose by $got, expected ${pair#*=}"
			bad=1
		fi
	done
	[ $bad = 0 ] && return 0
	echo "counters that changed (before -> now):"
	for name in "${!now[@]}"; do
		[ "${now[$name]}" != "${was[$name]:-}" ] &&
			echo "  $name ${was[$name]:-?} -> ${now[$name]}"
	done
	return 1
}
