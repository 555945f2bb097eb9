#!/bin/bash
# Entries of every size up to the largest the kernel stores: each comes back
# whole from nfdnsctl dump and survives nfdnsctl save and load; one byte
# more is refused with the kernel's reason.  Entries are TXT responses of an
# exact size, stored static so that load puts back the very same bytes.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/netns.sh"

nfdnsctl=$here/../../userspace/nfdnsctl/nfdnsctl
testctl=$here/nfdns_testctl
work=$(mktemp -d)
ns=dsz$$
# NFDNS_ENTRY_RESPONSE_MAX in the uapi header.
max=$(awk '$2 == "NFDNS_ENTRY_RESPONSE_MAX" { print $3 }' \
	"$here/../../kmod/uapi/linux/nfdns.h")

cleanup() {
	ns_cleanup
	rm -rf "$work"
}
trap cleanup EXIT

for prog in "$nfdnsctl" "$testctl"; do
	if [ ! -x "$prog" ]; then
		tap_fail "${prog##*/} is built" "run make userspace selftests"
		tap_done
		exit 1
	fi
done
ns_add $ns || { tap_fail "create a namespace"; tap_done; exit 1; }

# nfdns_cache steps by 512 bytes through the netlink ABI; here, through
# nfdnsctl, a coarser step (NFDNS_SIZES_STEP) keeps the run short.
step=${NFDNS_SIZES_STEP:-4096}
sizes=()
for ((s = 64; s < max - 1; s += step)); do
	sizes+=("$s")
done
sizes+=("$((max - 1))" "$max")

failed=
for s in "${sizes[@]}"; do
	ip netns exec $ns "$testctl" put-size "s$s.sizes.example." "$s" \
		"$work/$s.want" 2>>"$work/put.log" || failed+=" $s"
done
if [ -z "$failed" ]; then
	tap_ok "${#sizes[@]} entries stored, 64 to $max bytes"
else
	tap_fail "${#sizes[@]} entries stored, 64 to $max bytes" \
		"refused:$failed; $(cat "$work/put.log")"
fi

err=$(ip netns exec $ns "$testctl" put-size over.sizes.example. $((max + 1)) 2>&1)
rc=$?
if [ $rc = 1 ] && [[ $err == *"Attribute failed policy validation"* ]]; then
	tap_ok "$((max + 1)) bytes refused with the policy's reason"
else
	tap_fail "$((max + 1)) bytes refused with the policy's reason" "rc=$rc; $err"
fi

# Each entry's TXT strings, as dump --json shows them: their total length
# is what the size leaves after the header, the question (12 + name + 4),
# the record's fixed part (12) and one length byte per string.
expected_text() {
	local s=$1 name="s$1.sizes.example." rdlen
	rdlen=$((s - 12 - (${#name} + 1) - 4 - 12))
	echo $((rdlen - (rdlen + 255) / 256))
}
"$nfdnsctl" --netns $ns dump --json >"$work/dump.json" 2>"$work/dump.err"
rc=$?
jq -r '.[] | "\(.name) \(.answer | length) \([.answer[0] | scan("\"([a-z]*)\"")[0] | length] | add)"' \
	"$work/dump.json" >"$work/dump.txt" 2>>"$work/dump.err"
bad=
for s in "${sizes[@]}"; do
	grep -qx "s$s.sizes.example. 1 $(expected_text "$s")" "$work/dump.txt" ||
		bad+=" $s"
done
if [ $rc = 0 ] && [ -z "$bad" ] && [ "$(wc -l <"$work/dump.txt")" = ${#sizes[@]} ]; then
	tap_ok "dump --json shows every entry once, its text whole"
else
	tap_fail "dump --json shows every entry once, its text whole" \
		"rc=$rc; wrong:$bad; $(head -c 2000 "$work/dump.err")"
fi

# save_matches FILE: every saved response is byte for byte the one put.
save_matches() {
	local file=$1 s bad=
	rm -f "$work"/*.got.b64
	# One pass: each entry's response to a file named by its size.
	awk -v dir="$work" 'NR > 1 && $1 ~ /^s[0-9]+\.sizes\.example\.$/ {
		n = substr($1, 2, index($1, ".") - 2)
		print $8 > (dir "/" n ".got.b64")
		close(dir "/" n ".got.b64")
	}' "$file"
	for s in "${sizes[@]}"; do
		base64 -d <"$work/$s.got.b64" >"$work/$s.got" 2>/dev/null
		cmp -s "$work/$s.want" "$work/$s.got" || bad+=" $s"
	done
	[ -z "$bad" ] || { echo "differ:$bad"; return 1; }
	[ "$(($(wc -l <"$file") - 1))" = ${#sizes[@]} ] ||
		{ echo "$(wc -l <"$file") lines"; return 1; }
}
tap_check "save writes every entry" \
	"$nfdnsctl" --netns $ns save "$work/first.save"
tap_check "... each response byte for byte as stored" save_matches "$work/first.save"
tap_check "flush" "$nfdnsctl" --netns $ns flush
out=$("$nfdnsctl" --netns $ns load "$work/first.save" 2>&1)
rc=$?
if [ $rc = 0 ] && [[ $out == "loaded ${#sizes[@]} entries, 0 expired since saving, 0 failed"* ]]; then
	tap_ok "load puts every entry back"
else
	tap_fail "load puts every entry back" "rc=$rc; $out"
fi
tap_check "save after load" "$nfdnsctl" --netns $ns save "$work/second.save"
tap_check "... every response survived save and load whole" \
	save_matches "$work/second.save"

tap_done
