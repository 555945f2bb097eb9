#!/bin/bash
# The nfdns netlink spec (kmod/nfdns.yaml) and the kernel's ynl tools, from
# the test kernel's source tree (scripts/test-kernel.sh unpacks it).
#
#   scripts/ynl.sh gen          regenerate the files made from the spec:
#                               kmod/nfdns-nl-gen.[ch] (policies, op table)
#                               and Documentation/netlink/specs/nfdns.rst
#   scripts/ynl.sh check        fail when regenerating would change them, or
#                               when kmod/uapi/linux/nfdns.h disagrees with
#                               the spec (a name missing or a value differing)
#   scripts/ynl.sh cli ARGS...  tools/net/ynl/cli.py --spec "$tree_spec"
#
# NFDNS_KSRC names another kernel source tree.  The tools run with Debian's
# python3, which has the yaml and jsonschema modules they import.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

python=/usr/bin/python3
spec=$NFDNS_TOP/kmod/nfdns.yaml
generated=(kmod/nfdns-nl-gen.c kmod/nfdns-nl-gen.h
	   Documentation/netlink/specs/nfdns.rst)

ksrc=${NFDNS_KSRC:-}
if [ -z "$ksrc" ]; then
	build=$("$NFDNS_TOP/scripts/test-kernel.sh" --path 2>/dev/null) ||
		die "no kernel source: run scripts/test-kernel.sh or set NFDNS_KSRC"
	ksrc=$(dirname "$build")/src
fi
ynl=$ksrc/tools/net/ynl
[ -f "$ynl/ynl-gen-c.py" ] || die "$ynl/ynl-gen-c.py not found"

work=$(mktemp -d /tmp/nfdns-ynl.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The generator finds the schema two directories above the spec, and names
# the spec in its output by its path below the nearest MAINTAINERS: a copy
# in a tree shaped like the repository gives both.
tree=$work/tree
mkdir -p "$tree/kmod"
touch "$tree/MAINTAINERS"
cp "$ksrc/Documentation/netlink/genetlink-legacy.yaml" "$tree/"
cp "$spec" "$tree/kmod/nfdns.yaml"
tree_spec=$tree/kmod/nfdns.yaml

# gen_into DIR: every generated file, under DIR at its repository path.
gen_into() {
	local out=$1
	mkdir -p "$out/kmod" "$out/Documentation/netlink/specs"
	(cd "$tree" &&
	 "$python" "$ynl/ynl-gen-c.py" --mode kernel --spec "$tree_spec" \
		--source -o "$out/kmod/nfdns-nl-gen.c" &&
	 "$python" "$ynl/ynl-gen-c.py" --mode kernel --spec "$tree_spec" \
		--header -o "$out/kmod/nfdns-nl-gen.h" &&
	 "$python" "$ynl/ynl-gen-rst.py" -i "$tree_spec" \
		-o "$out/Documentation/netlink/specs/nfdns.rst") >"$work/gen.log" 2>&1 || {
		cat "$work/gen.log" >&2
		die "generating from the spec failed"
	}
}

# Every name the spec defines, with its value, as the C compiler sees it
# through HEADER: a name HEADER lacks fails the compile.
values_through() {
	local header=$1 names=$2 c=$work/values.c
	{
		echo '#include <stdio.h>'
		echo "#include \"$header\""
		echo 'int main(void) {'
		sed 's/.*/\tprintf("%s %llu\\n", "&", (unsigned long long)(&));/' "$names"
		echo '	return 0;'
		echo '}'
	} >"$c"
	LC_ALL=C gcc -std=c11 -Wall -Werror -I"$NFDNS_TOP/kmod/uapi" -o "$work/values" "$c" &&
		"$work/values"
}

check_uapi() {
	local names=$work/names
	(cd "$tree" && "$python" "$ynl/ynl-gen-c.py" --mode uapi --header \
		--spec "$tree_spec" -o "$work/spec-uapi.h") >"$work/gen.log" 2>&1 || {
		cat "$work/gen.log" >&2
		die "generating the uapi header from the spec failed"
	}
	# The enumerators and defines of the header the spec describes; the
	# include guard and its family-name string are not values.
	{
		sed -n 's/^[[:space:]]*\(NFDNS_[A-Z0-9_]*\)\([[:space:]]*=.*\)\{0,1\},$/\1/p' \
			"$work/spec-uapi.h"
		sed -n 's/^#define \(NFDNS_[A-Z0-9_]*\)[[:space:]].*/\1/p' \
			"$work/spec-uapi.h" | grep -v '^NFDNS_GENL_NAME$'
		sed -n 's/^[[:space:]]*\(__NFDNS_[A-Z0-9_]*\),$/\1/p' "$work/spec-uapi.h"
	} | sort -u >"$names"
	[ -s "$names" ] || die "no names found in the generated uapi header"
	values_through "$work/spec-uapi.h" "$names" >"$work/spec.values" ||
		die "the header generated from the spec does not compile"
	if ! values_through linux/nfdns.h "$names" >"$work/uapi.values" 2>"$work/cc.log"; then
		{ grep -o "'_*NFDNS_[A-Z0-9_]*' undeclared" "$work/cc.log" || true; } |
			sort -u | sed "s/^'\(.*\)' undeclared/ynl.sh: kmod\/uapi\/linux\/nfdns.h lacks \1/" >&2
		die "kmod/uapi/linux/nfdns.h lacks names the spec defines"
	fi
	if ! diff -u "$work/spec.values" "$work/uapi.values" >"$work/values.diff"; then
		cat "$work/values.diff" >&2
		die "kmod/uapi/linux/nfdns.h and kmod/nfdns.yaml disagree on the values above"
	fi
	grep -q '^#define NFDNS_GENL_NAME[[:space:]]*"nfdns"' \
		"$NFDNS_TOP/kmod/uapi/linux/nfdns.h" ||
		die "kmod/uapi/linux/nfdns.h: NFDNS_GENL_NAME is not \"nfdns\""
	echo "ynl.sh: kmod/uapi/linux/nfdns.h agrees with the spec ($(wc -l <"$names") names)"
}

case ${1:-} in
gen)
	gen_into "$work/out"
	for f in "${generated[@]}"; do
		mkdir -p "$(dirname "$NFDNS_TOP/$f")"
		cp "$work/out/$f" "$NFDNS_TOP/$f"
	done
	echo "ynl.sh: regenerated ${generated[*]}"
	;;
check)
	gen_into "$work/out"
	rc=0
	for f in "${generated[@]}"; do
		if ! diff -u "$NFDNS_TOP/$f" "$work/out/$f" >"$work/diff"; then
			head -60 "$work/diff" >&2
			echo "ynl.sh: $f differs from what kmod/nfdns.yaml generates (scripts/ynl.sh gen)" >&2
			rc=1
		fi
	done
	[ $rc -eq 0 ] || exit 1
	echo "ynl.sh: the generated files match the spec"
	check_uapi
	;;
cli)
	shift
	# No trap: the spec copy must outlive this shell.
	trap - EXIT
	rm -rf "$work"
	exec "$python" "$ynl/cli.py" --spec "$spec" \
		--schema "$ksrc/Documentation/netlink/genetlink-legacy.yaml" "$@"
	;;
*)
	sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
	;;
esac
