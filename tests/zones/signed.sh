#!/bin/bash
# A DNSSEC-signed test hierarchy with a root of its own, generated at test
# time with ldns-keygen and ldns-signzone (fresh keys, fresh signatures).
#
#   signed.sh gen DIR           zones, keys and trust anchor under DIR
#   signed.sh start DIR [NS]    gen, then one NSD per address (hierarchy.sh);
#                               with NFDNS_SIGNED_PREBUILT=GENDIR, a copy of
#                               GENDIR instead of gen
#   signed.sh stop DIR          stop what start started
#
# DIR afterwards holds:
#   zones/ZONE.zone    the signed zone files ("root.zone" for the root)
#   root.ds            the trust anchor: the root's DS, zone-file format
#   root.key           the same as the root's KSK DNSKEY
#   servers.conf       the table hierarchy.sh serves (see servers.conf there)
#   root.hints         (after start) the root servers, for a resolver
#   cases              one line per test case: NAME TYPE EXPECT RCODE [EDE]:
#                      EXPECT is secure, insecure or bogus, RCODE the one
#                      the data has (NOERROR or NXDOMAIN), EDE the RFC 8914
#                      code of a bogus answer
#
# The zones, all under the private root:
#   sec. -> a.sec.     secure chain of three levels (root, sec., a.sec.),
#                      KSK and ZSK; sec. also has a wildcard (*.wild.sec.)
#                      a CNAME (alias.sec.) and an empty non-terminal
#                      (er.sec.), as n3. and optout. do
#   insec.             unsigned, delegated without DS: the root's NSEC proves it
#   n3.                NSEC3 (no opt-out): NXDOMAIN, NODATA, a wildcard
#   optout.            NSEC3 with opt-out; unsigned.optout. is delegated
#                      without DS and proven insecure by the opt-out span
#   badsig.            www.badsig. A has a corrupted signature
#   expired.           every signature expired
#   notyet.            every signature valid only in the future
#   nokey.             the root's DS names a key the zone does not publish
#   norrsig.           www.norrsig. A lost its RRSIG
#   roll.              an algorithm rollover: RSASHA256 and ECDSAP256SHA256
#                      keys, every RRset signed by both, a DS for each
#   alg8. alg10. alg13. alg14. alg15.   one zone per supported algorithm
#
# Every zone has www A, www AAAA absent (NODATA), nothing at nx (NXDOMAIN).
# Servers: the root on 127.55.0.1, the top-level zones on 127.55.1.1, the
# third level on 127.55.2.1.  Dates are computed from now: signatures are
# valid from a day ago to 30 days ahead, unless the zone says otherwise.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
	echo "usage: $0 gen DIR | start DIR [NS] | stop DIR" >&2
	exit 2
}

case $#:${1:-} in
2:gen | 2:start | 3:start | 2:stop) ;;
*) usage ;;
esac
cmd=$1
dir=$2
netns=${3:-}

root_addr=127.55.0.1
tld_addr=127.55.1.1
third_addr=127.55.2.1

# The secure top-level zones, with their algorithm (one key, a KSK that
# signs everything, unless the zone is built by hand below).
tlds_alg=(alg8:RSASHA256 alg10:RSASHA512 alg13:ECDSAP256SHA256
	alg14:ECDSAP384SHA384 alg15:ED25519 badsig:ECDSAP256SHA256
	expired:ECDSAP256SHA256 notyet:ECDSAP256SHA256 norrsig:ECDSAP256SHA256
	n3:ECDSAP256SHA256 optout:ECDSAP256SHA256)

date_utc() {
	date -u -d "@$1" +%Y%m%d%H%M%S
}

now=$(date +%s)
inception=$(date_utc $((now - 86400)))
expiration=$(date_utc $((now + 30 * 86400)))

# keygen ZONE ALG [ksk]: a key for ZONE in $keys, its base name on stdout.
keygen() {
	local zone=$1 alg=$2 flag=()
	[ "${3:-}" = ksk ] && flag=(-k)
	local bits=()
	case $alg in RSA*) bits=(-b 2048) ;; esac
	(cd "$keys" && ldns-keygen -a "$alg" "${flag[@]}" "${bits[@]}" -r /dev/urandom "$zone")
}

# zone_body ZONE ADDR: the records every zone has; ADDR serves it.
zone_body() {
	local z=$1 addr=$2
	cat <<-ZONE
	\$ORIGIN $z
	\$TTL 300
	@	SOA	ns.$z hostmaster.$z 1 3600 600 86400 300
	@	NS	ns.$z
	ns	A	$addr
	www	A	192.0.2.1
	txt	TXT	"signed test zone $z"
	ZONE
}

# sign FILE ORIGIN KEY... [-- SIGNZONE OPTIONS]: FILE.signed next to FILE.
sign() {
	local file=$1 origin=$2 opts=()
	shift 2
	local -a keyargs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		keyargs+=("$keys/$1")
		shift
	done
	[ $# -gt 0 ] && shift
	opts=("$@")
	ldns-signzone -i "$inception" -e "$expiration" "${opts[@]}" -o "$origin" \
		-f "$file.signed" "$file" "${keyargs[@]}"
}

# ds KEY: the DS of KEY (SHA-256), one line.
ds() {
	grep -v '^;' "$keys/$1.ds"
}

do_gen() {
	local z alg k k2 zsk f
	rm -rf "$dir/zones" "$dir/keys"
	mkdir -p "$dir/zones" "$dir/keys"
	keys=$dir/keys
	zones=$dir/zones

	# Third level first: its DS goes into its parent.
	z=a.sec.
	k=$(keygen $z RSASHA256 ksk)
	zsk=$(keygen $z RSASHA256)
	zone_body $z $third_addr >"$zones/a.sec.zone"
	sign "$zones/a.sec.zone" $z "$k" "$zsk"
	local a_sec_ds
	a_sec_ds=$(ds "$k")

	z=unsigned.optout.
	zone_body $z $third_addr >"$zones/unsigned.optout.zone.signed"

	# The top-level zones of one algorithm each.
	local entry
	declare -A tld_ksk=()
	for entry in "${tlds_alg[@]}"; do
		z=${entry%%:*}.
		alg=${entry#*:}
		k=$(keygen "$z" "$alg" ksk)
		tld_ksk[$z]=$k
		f=$zones/${z%.}.zone
		zone_body "$z" $tld_addr >"$f"
		case $z in
		n3. | optout.)
			cat >>"$f" <<-ZONE
			alias	CNAME	www
			*.wild	A	192.0.2.9
			deep.er	TXT	"an empty non-terminal above"
			ZONE
			;;
		esac
		if [ "$z" = optout. ]; then
			cat >>"$f" <<-ZONE
			unsigned	NS	ns.unsigned
			ns.unsigned	A	$third_addr
			ZONE
		fi
		case $z in
		n3.) sign "$f" "$z" "$k" -- -n -a 1 -t 0 ;;
		optout.) sign "$f" "$z" "$k" -- -n -a 1 -t 0 -p ;;
		expired.)
			inception=$(date_utc $((now - 60 * 86400))) expiration=$(date_utc $((now - 30 * 86400))) \
				sign "$f" "$z" "$k"
			;;
		notyet.)
			inception=$(date_utc $((now + 30 * 86400))) expiration=$(date_utc $((now + 60 * 86400))) \
				sign "$f" "$z" "$k"
			;;
		*) sign "$f" "$z" "$k" ;;
		esac
	done
	# One byte of www.badsig. A's signature changed (in its base64 text,
	# far from the end, so that the length stays and the signature parses).
	awk '$1 == "www.badsig." && $4 == "RRSIG" && $5 == "A" {
		sig = $NF; c = substr(sig, 10, 1); c = (c == "A") ? "B" : "A"
		$NF = substr(sig, 1, 9) c substr(sig, 11) } { print }' \
		"$zones/badsig.zone.signed" >"$zones/badsig.zone.tmp"
	mv "$zones/badsig.zone.tmp" "$zones/badsig.zone.signed"
	awk '!($1 == "www.norrsig." && $4 == "RRSIG" && $5 == "A")' \
		"$zones/norrsig.zone.signed" >"$zones/norrsig.zone.tmp"
	mv "$zones/norrsig.zone.tmp" "$zones/norrsig.zone.signed"

	# sec.: KSK and ZSK, a wildcard, and the secure delegation to a.sec.
	z=sec.
	k=$(keygen $z ECDSAP256SHA256 ksk)
	zsk=$(keygen $z ECDSAP256SHA256)
	tld_ksk[$z]=$k
	f=$zones/sec.zone
	zone_body $z $tld_addr >"$f"
	cat >>"$f" <<-ZONE
	alias	CNAME	www
	*.wild	A	192.0.2.9
	deep.er	TXT	"an empty non-terminal above"
	a	NS	ns.a
	ns.a	A	$third_addr
	$a_sec_ds
	ZONE
	sign "$f" $z "$k" "$zsk"

	# roll.: double-signed with two algorithms.
	z=roll.
	k=$(keygen $z RSASHA256 ksk)
	k2=$(keygen $z ECDSAP256SHA256 ksk)
	f=$zones/roll.zone
	zone_body $z $tld_addr >"$f"
	sign "$f" $z "$k" "$k2"
	local roll_ds
	roll_ds=$(ds "$k"; ds "$k2")

	# nokey.: signed with a key whose DS is not the one the root has.
	z=nokey.
	k=$(keygen $z ECDSAP256SHA256 ksk)
	k2=$(keygen $z ECDSAP256SHA256 ksk)
	tld_ksk[$z]=$k2
	f=$zones/nokey.zone
	zone_body $z $tld_addr >"$f"
	sign "$f" $z "$k"

	# insec.: unsigned, no DS.
	zone_body insec. $tld_addr >"$zones/insec.zone.signed"

	# The root: every top-level zone, with a DS unless insecure.
	z=.
	k=$(keygen $z ECDSAP256SHA256 ksk)
	zsk=$(keygen $z ECDSAP256SHA256)
	f=$zones/root.zone
	{
		echo "\$TTL 3600"
		echo ".	SOA	ns.root. hostmaster.root. 1 3600 600 86400 300"
		echo ".	NS	ns.root."
		echo "ns.root.	A	$root_addr"
		local t
		for t in "${!tld_ksk[@]}" roll. insec.; do
			echo "$t	NS	ns.$t"
			echo "ns.$t	A	$tld_addr"
		done
		for t in "${!tld_ksk[@]}"; do
			ds "${tld_ksk[$t]}"
		done
		echo "$roll_ds"
	} >"$f"
	cp "$f" "$dir/root.unsigned"
	sign "$f" . "$k" "$zsk"
	ds "$k" >"$dir/root.ds"
	grep -v '^;' "$keys/$k.key" >"$dir/root.key"

	for f in "$zones"/*.zone.signed; do
		mv "$f" "${f%.signed}"
	done

	local tlds="" n
	for f in "$zones"/*.zone; do
		n=$(basename "$f" .zone)
		case $n in root | a.sec | unsigned.optout) continue ;; esac
		tlds+=" $n=$f"
	done
	cat >"$dir/servers.conf" <<-CONF
	# kind  address  zones (written by signed.sh)
	nsd $root_addr .=$zones/root.zone
	nsd $tld_addr$tlds
	nsd $third_addr a.sec=$zones/a.sec.zone unsigned.optout=$zones/unsigned.optout.zone
	CONF

	cat >"$dir/cases" <<-CASES
	www.sec. A secure NOERROR
	www.a.sec. A secure NOERROR
	www.a.sec. AAAA secure NOERROR
	nx.a.sec. A secure NXDOMAIN
	x.wild.sec. A secure NOERROR
	x.wild.sec. AAAA secure NOERROR
	nx.sec. A secure NXDOMAIN
	www.sec. AAAA secure NOERROR
	www.insec. A insecure NOERROR
	nx.insec. A insecure NXDOMAIN
	www.n3. A secure NOERROR
	www.n3. AAAA secure NOERROR
	nx.n3. A secure NXDOMAIN
	x.wild.n3. A secure NOERROR
	x.wild.n3. AAAA secure NOERROR
	er.n3. A secure NOERROR
	er.sec. A secure NOERROR
	www.optout. A secure NOERROR
	www.unsigned.optout. A insecure NOERROR
	www.badsig. A bogus NOERROR 6
	www.expired. A bogus NOERROR 7
	www.notyet. A bogus NOERROR 8
	www.nokey. A bogus NOERROR 9
	www.norrsig. A bogus NOERROR 10
	txt.norrsig. TXT secure NOERROR
	alias.sec. A secure NOERROR
	alias.n3. AAAA secure NOERROR
	x.a.sec. TXT secure NXDOMAIN
	www.roll. A secure NOERROR
	nx.roll. A secure NXDOMAIN
	www.alg8. A secure NOERROR
	www.alg10. A secure NOERROR
	www.alg13. A secure NOERROR
	www.alg14. A secure NOERROR
	www.alg15. A secure NOERROR
	nx.alg15. A secure NXDOMAIN
	CASES
}

# NFDNS_SIGNED_PREBUILT=DIR: start serves a copy of what "gen DIR" made
# before (in a VM, say, where making keys is slow) instead of making it anew.
do_start() {
	local f
	if [ -n "${NFDNS_SIGNED_PREBUILT:-}" ] && [ -s "$NFDNS_SIGNED_PREBUILT/root.ds" ]; then
		mkdir -p "$dir"
		rm -rf "$dir/zones" "$dir/keys"
		for f in zones keys cases root.ds root.key root.unsigned; do
			cp -R "$NFDNS_SIGNED_PREBUILT/$f" "$dir/" || return 1
		done
		# The table names the zone files by their paths.
		sed "s#=$NFDNS_SIGNED_PREBUILT/zones/#=$dir/zones/#g" \
			"$NFDNS_SIGNED_PREBUILT/servers.conf" >"$dir/servers.conf" || return 1
	else
		do_gen
	fi
	NFDNS_SERVERS=$dir/servers.conf NFDNS_ROOT_ZONE=$dir/root.unsigned \
		"$here/hierarchy.sh" start "$dir/hier" ${netns:+"$netns"}
	cp "$dir/hier/root.hints" "$dir/root.hints"
}

case $cmd in
gen) do_gen ;;
start) do_start ;;
stop) NFDNS_SERVERS=$dir/servers.conf "$here/hierarchy.sh" stop "$dir/hier" ;;
esac
