#!/bin/bash
# The long runs (`make stress`): what `make test` runs a short version of,
# at length, in a VM on the debug kernel (or --kernel 6.1|6.12).
#
#   scripts/stress.sh [--kernel debug|6.1|6.12]
#
# - netns_churn.sh: NFDNS_CHURN_CYCLES (default 100) cycles each of insmod,
#   dnsperf and a slow resolver with clients waiting, then rmmod or the
#   deletion of the namespace that holds them.
#
# Prints TAP; exits non-zero when anything failed or the kernel reported a
# problem (vm.sh).  NFDNS_VM_TIMEOUT (seconds, default 14400) bounds the run.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$NFDNS_TOP"

kernel=debug
case ${1:-} in
--kernel) kernel=${2:?usage: stress.sh [--kernel debug|6.1|6.12]} ;;
'') ;;
*) die "usage: stress.sh [--kernel debug|6.1|6.12]" ;;
esac

moddir=$(scripts/build-module.sh "$kernel")
make -s selftests
export NFDNS_CHURN_CYCLES=${NFDNS_CHURN_CYCLES:-100}
export NFDNS_VM_TIMEOUT=${NFDNS_VM_TIMEOUT:-14400}
export NFDNS_MODDIR=$moddir
scripts/vm.sh --kernel "$kernel" -- bash -c '
	insmod "$NFDNS_MODDIR/nfdns.ko" || exit 1
	rc=0
	tests/selftests/netns_churn.sh || rc=1
	rmmod nfdns || rc=1
	exit $rc'
