# TAP output for shell tests.  Sourced.
#
#   tap_ok DESC / tap_fail DESC [DETAIL]   one result
#   tap_check DESC CMD...                  ok when CMD succeeds
#   tap_done                               plan line; exit status 1 on failure
#   tap_need_built PROG...                 a failed result and exit 1 when a
#                                          program is not built
#   tap_work_done DIR                      remove a work directory, or keep
#                                          it (and say where) with KEEP set

TAP_N=0
TAP_FAILED=0

tap_ok() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1"
}

tap_fail() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/# /'
	return 0
}

tap_check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		tap_ok "$desc"
	else
		tap_fail "$desc" "$out"
	fi
}

tap_done() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" -eq 0 ]
}

tap_need_built() {
	local prog
	for prog in "$@"; do
		if [ ! -x "$prog" ]; then
			tap_fail "$prog is built" "run make -C userspace and make selftests"
			tap_done
			exit 1
		fi
	done
}

tap_work_done() {
	if [ -n "${KEEP:-}" ]; then
		echo "# work directory kept: $1"
	else
		rm -rf "$1"
	fi
}
