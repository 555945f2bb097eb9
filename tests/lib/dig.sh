# dig's output and a daemon's log, read in shell tests.  Sourced.
#
#   dig_parse FILE        dig's output into $out (all of it), $status,
#                         $query_time (milliseconds), and the arrays answer[]
#                         and authority[] of "owner TYPE rdata" (TTL and class
#                         dropped) and answer_lines[] as dig printed them
#   looks RCODE [RR...]   the last answer has that status and exactly these
#                         answer records, in this order; else says what came
#   log_has FILE TEXT...  each TEXT is in some line of FILE

out=
status=
query_time=
answer=()
answer_lines=()
authority=()

dig_parse() {
	local line section='' owner ttl class type rdata
	out=$(<"$1")
	status=
	query_time=
	answer=()
	answer_lines=()
	authority=()
	while IFS= read -r line; do
		case $line in
		*'status: '*)
			status=${line#*status: }
			status=${status%%,*}
			;;
		';; Query time: '*)
			query_time=${line#;; Query time: }
			query_time=${query_time%% *}
			;;
		';; ANSWER SECTION:') section=answer ;;
		';; AUTHORITY SECTION:') section=authority ;;
		'' | ';'*) section= ;;
		*)
			[ -n "$section" ] || continue
			read -r owner ttl class type rdata <<<"$line"
			if [ $section = answer ]; then
				answer+=("$owner $type $rdata")
				answer_lines+=("$line")
			else
				authority+=("$owner $type $rdata")
			fi
			;;
		esac
	done <"$1"
}

looks() {
	local want_rcode=$1
	shift
	[ "$status" = "$want_rcode" ] && [ "${answer[*]}" = "$*" ] &&
		[ ${#answer[@]} = $# ] && return 0
	echo "expected $want_rcode with:"
	printf '%s\n' "$@"
	echo "got:"
	printf '%s\n' "$out"
	return 1
}

log_has() {
	local file=$1 t line found
	local -a lines
	shift
	mapfile -t lines <"$file"
	for t in "$@"; do
		found=
		for line in "${lines[@]}"; do
			[[ $line == *"$t"* ]] && { found=1; break; }
		done
		[ -n "$found" ] || { echo "never logged: $t"; return 1; }
	done
}
