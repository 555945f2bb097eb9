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
files=$(git ls-files 'kmod/*.c' 'kmod/*.h' 2>/dev/null || find kmod -name '*.[ch]')
if ! "$src/scripts/checkpatch.pl" --no-tree --quiet --show-types \
	--ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES,CONST_STRUCT \
	-f $files; then
	rc=1
fi

echo "sparse:"
out=$NFDNS_TOP/build/check
mkdir -p "$out"
rsync -a --delete "$NFDNS_TOP/Kbuild" "$NFDNS_TOP/kmod" "$out/"
make -C "$build" M="$out" C=2 CHECK="sparse -Wno-decl" modules 2>&1 |
	tee "$out/sparse.log" | grep -vE '^(make|  (CC|LD|MODPOST|CHECK))' || true
if grep -E -q 'warning:|error:' "$out/sparse.log"; then
	rc=1
fi
[ $rc -eq 0 ] && echo "check: clean"
exit $rc
