#!/bin/bash
# A first measure of the hit path: dnsperf in a VM on Debian's stock 6.12
# kernel against the module with 1k and 1M cached entries, and against
# Unbound answering the same names from local data.
#
#   scripts/bench-hitpath.sh [SECONDS]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$NFDNS_TOP"
"$NFDNS_TOP/scripts/deps.sh"
make -s selftests
moddir=$(scripts/build-module.sh 6.12)
exec scripts/vm.sh --kernel 6.12 -- scripts/bench/hitpath-guest.sh "$moddir" "${1:-10}"
