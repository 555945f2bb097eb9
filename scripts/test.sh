#!/bin/bash
# The whole test suite (`make test`): host tests, then in VMs the debug test
# kernel (KUnit, kselftest, netns end-to-end) and Debian's stock 6.1 and
# 6.12 kernels (the module loads; the kselftest and end-to-end scripts).
# Every stage prints TAP; the last line counts every result:
#   N passed, N failed
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$NFDNS_TOP"

"$NFDNS_TOP/scripts/deps.sh" || die "installing dependencies failed"

passed=0
failed=0
logdir=$NFDNS_TOP/build/test-logs
rm -rf "$logdir"
mkdir -p "$logdir"

# NFDNS_TEST_STAGES="host-* vm-debug" runs only the stages it names
# (shell patterns); the default is all of them.
selected() {
	local pattern
	[ -z "${NFDNS_TEST_STAGES:-}" ] && return 0
	for pattern in $NFDNS_TEST_STAGES; do
		# shellcheck disable=SC2053
		[[ $1 == $pattern ]] && return 0
	done
	return 1
}

# stage NAME CMD...: run CMD, show its output, count its TAP results.  A
# stage that fails without a failing result, or reports none, counts as
# one failure, so a crash or a silent stage cannot pass.
stage() {
	local name=$1 log=$logdir/$1.log rc start ok nok
	shift
	selected "$name" || return 0
	echo "=== $name"
	start=$(date +%s)
	"$@" 2>&1 | sed -u 's/\r$//' | tee "$log"
	rc=${PIPESTATUS[0]}
	ok=$(grep -cE '^ok( |$)' "$log")
	nok=$(grep -cE '^not ok( |$)' "$log")
	if grep -q '^vm.sh: FAIL' "$log"; then
		echo "not ok - $name: $(grep -m1 '^vm.sh: FAIL' "$log")"
		nok=$((nok + 1))
	elif [ "$rc" -ne 0 ] && [ "$nok" -eq 0 ]; then
		echo "not ok - $name exited with status $rc"
		nok=$((nok + 1))
	elif [ "$ok" -eq 0 ] && [ "$nok" -eq 0 ]; then
		echo "not ok - $name ran no test"
		nok=1
	fi
	passed=$((passed + ok))
	failed=$((failed + nok))
	echo "=== $name: $ok passed, $nok failed ($(( $(date +%s) - start ))s)"
}

# step DESC CMD...: one result for a command that has no TAP of its own.
step() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		echo "ok - $desc"
	else
		printf '%s\n' "$out" | tail -40 | sed 's/^/# /'
		echo "not ok - $desc"
		return 1
	fi
}

host_build() {
	step "userspace builds" make -s userspace
}

stage host-build host_build
stage host-unit make -s -C tests/unit check
[ -f tests/fuzz/Makefile ] && stage host-fuzz-replay make -s -C tests/fuzz replay
[ -f tests/fuzz/nfdnsd/Makefile ] && stage host-nfdnsd-fuzz-replay make -s -C tests/fuzz/nfdnsd replay
[ -x tests/resolver/run.sh ] && stage host-resolver tests/resolver/run.sh
[ -x tests/resolver/minimise.sh ] && stage host-resolver-minimise tests/resolver/minimise.sh
[ -x tests/resolver/forward.sh ] && stage host-resolver-forward tests/resolver/forward.sh
[ -x tests/resolver/cachedb.sh ] && stage host-resolver-cachedb tests/resolver/cachedb.sh
[ -x tests/resolver/signed-oracle.sh ] && stage host-signed-oracle tests/resolver/signed-oracle.sh
[ -x tests/resolver/dnssec.sh ] && stage host-dnssec tests/resolver/dnssec.sh
[ -x tests/resolver/localdata.sh ] && stage host-localdata tests/resolver/localdata.sh
# The benchmark's statistics, on made-up runs.
stage host-bench-report tests/bench/report.sh
# make install and uninstall into a DESTDIR, for the stock 6.12 headers.
stage host-install tests/install/host.sh

kernel_builds() {
	local k
	step "debug test kernel builds" scripts/test-kernel.sh || return 1
	step "the netlink spec generates the committed files, and the uapi header agrees with it" \
		scripts/ynl.sh check
	step "kselftest programs build" make -s selftests || return 1
	for k in debug 6.1 6.12; do
		step "module builds without warnings for the $k kernel" \
			scripts/build-module.sh $k
	done
}
stage builds kernel_builds

# The signed test hierarchy's keys and signatures, made once here: in a VM
# under TCG, making them again for each kernel takes minutes.
if tests/zones/signed.sh gen "$NFDNS_TOP/build/signed" >"$logdir/signed-gen.log" 2>&1; then
	export NFDNS_SIGNED_PREBUILT=$NFDNS_TOP/build/signed
fi

NFDNS_KSRC=$(dirname "$(scripts/test-kernel.sh --path 2>/dev/null)")/src
export NFDNS_KSRC
for k in debug 6.1 6.12; do
	selected "vm-$k" || continue
	if [ -e "build/$k/kmod/nfdns.ko" ]; then
		stage "vm-$k" scripts/vm.sh --kernel $k -- tests/selftests/run.sh "build/$k/kmod"
	else
		echo "not ok - vm-$k: no module built"
		failed=$((failed + 1))
	fi
done

# Installing on a stock kernel, with DKMS and with make install.
stage vm-6.12-install tests/install/vm.sh 6.12

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
