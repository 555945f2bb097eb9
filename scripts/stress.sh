#!/bin/bash
# The long runs (`make stress`): what `make test` runs a short version of,
# at length, in a VM on the debug kernel (or --kernel 6.1|6.12).
#
#   scripts/stress.sh [--kernel debug|6.1|6.12]
#
# - netns_churn.sh: NFDNS_CHURN_CYCLES (default 100) cycles each of insmod,
#   dnsperf and a slow resolver with clients waiting, then rmmod or the
#   deletion of the namespace that holds them.
# - netns_flush.sh: a flush of NFDNS_FLUSH_ENTRIES (default 1000000)
#   entries under a 2000 qps hit load.
# - netns_hostile.sh: NFDNS_HOSTILE_HITS (default 100000) hits that must
#   leave no conntrack entry, with the rest of the hostile network.
# - netns_dump_sizes.sh: entries of every size in NFDNS_SIZES_STEP (default
#   512) byte steps through dump, save and load.
# - netns_blocklist.sh: a block list of NFDNS_BLOCKLIST_NAMES (default
#   200000) names loaded into the kernel, its time and bytes per rule.
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
export NFDNS_FLUSH_ENTRIES=${NFDNS_FLUSH_ENTRIES:-1000000}
export NFDNS_HOSTILE_HITS=${NFDNS_HOSTILE_HITS:-100000}
export NFDNS_SIZES_STEP=${NFDNS_SIZES_STEP:-512}
export NFDNS_BLOCKLIST_NAMES=${NFDNS_BLOCKLIST_NAMES:-200000}
export NFDNS_VM_TIMEOUT=${NFDNS_VM_TIMEOUT:-14400}
export NFDNS_MODDIR=$moddir
scripts/vm.sh --kernel "$kernel" -- bash -c '
	insmod "$NFDNS_MODDIR/nfdns.ko" || exit 1
	rc=0
	for t in churn flush hostile dump_sizes blocklist; do
		echo "# netns_$t.sh"
		tests/selftests/netns_$t.sh || rc=1
	done
	rmmod nfdns || rc=1
	exit $rc'
