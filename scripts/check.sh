#!/bin/bash
# `make check`: checkpatch and sparse on the module, with the test kernel's
# source tree (built on first use).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$NFDNS_TOP"

build=$("$NFDNS_TOP/scripts/test-kernel.sh")
src=$(dirname "$build")/src
rc=0

echo "checkpatch:"
checkpatch() {
	"$src/scripts/checkpatch.pl" --no-tree --quiet --show-types \
		--ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES "$@"
}
# The files generated from the spec are checked by regenerating them (below).
module_files=$(git ls-files 'kmod/*.c' 'kmod/*.h' | grep -v '^kmod/kunit/' |
	grep -v '^kmod/nfdns-nl-gen\.[ch]$')
test_files=$(git ls-files 'kmod/kunit/*.c' 'kmod/kunit/*.h')
checkpatch -f $module_files || rc=1
# Test vectors are byte lists built from macros that expand to several
# initialisers, and a failed expectation returns from its test: both are
# what those macros are for.
checkpatch --ignore COMPLEX_MACRO,MACRO_WITH_FLOW_CONTROL -f $test_files || rc=1

echo "spec:"
# The files generated from kmod/nfdns.yaml are what it generates today, and
# the uapi header agrees with it.
NFDNS_KSRC=$src "$NFDNS_TOP/scripts/ynl.sh" check || rc=1

echo "sparse:"
out=$NFDNS_TOP/build/check
mkdir -p "$out"
rsync -a --delete "$NFDNS_TOP/Kbuild" "$NFDNS_TOP/kmod" "$out/"
# NFDNS_HITBENCH=m: the hit path microbenchmark (kmod/bench/) too.
make -C "$build" M="$out" C=2 CHECK="sparse -Wno-decl" NFDNS_HITBENCH=m modules 2>&1 |
	tee "$out/sparse.log" | grep -vE '^(make|  (CC|LD|MODPOST|CHECK))' || true
if grep -E -q 'warning:|error:' "$out/sparse.log"; then
	rc=1
fi
[ $rc -eq 0 ] && echo "check: clean"
exit $rc
