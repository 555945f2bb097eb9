#!/bin/bash
# Install every Debian package that building, testing, the demo and the
# benchmarks of nfdns need.  Idempotent: a second run installs nothing.
set -euo pipefail

packages=(
	# build: module, userspace, test kernel
	build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils kmod
	pkg-config python3 rsync
	libnl-3-dev libnl-genl-3-dev libmnl-dev libldns-dev libuv1-dev
	# nfdnsd: the metrics endpoint (HTTP) and the control channel (JSON)
	libmicrohttpd-dev libjson-c-dev
	# nfdnsd: the shared cache (cachedb) in Redis, and the Redis the
	# tests run
	libhiredis-dev redis-server
	# the netlink spec: the kernel's ynl generator and ynl client
	python3-yaml python3-jsonschema
	clang llvm libclang-rt-14-dev sparse
	# kernels: source for the debug test kernel, stock images and headers
	linux-source-6.12
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	# VM
	qemu-system-x86 busybox-static
	# networking and DNS peers used by tests, demo and benchmarks
	iproute2 iputils-ping nftables procps psmisc jq curl util-linux
	# nfdnsctl --prometheus is checked with promtool; DKMS install is tested
	prometheus dkms
	bind9-dnsutils nsd unbound dnsmasq-base dnsdist dnsperf
	# kxdpgun: the benchmark's AF_XDP load generator
	knot-dnsutils
	# fstrm_capture collects the test servers' dnstap query logs
	fstrm-bin
	# DNSSEC: the signed test hierarchy is made with ldns-keygen and
	# ldns-signzone; the IANA root DS records, checked against nfdnsd's own
	ldnsutils dns-root-data
	gnuplot-nox
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages (${missing[*]}); run as root to install" >&2
	exit 1
fi

echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Packaged DNS servers must not start as system services: the tests start
# their own instances, in their own namespaces.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	own_policy=1
fi
trap '[ $own_policy -eq 1 ] && rm -f "$policy"' EXIT

apt-get update -qq || true
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
