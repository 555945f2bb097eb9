#!/bin/bash
# The part of `make demo` that runs inside the VM.
set -euo pipefail
moddir=$1

echo "== kernel $(uname -r)"
echo "== insmod nfdns.ko"
insmod "$moddir/nfdns.ko"
dmesg | grep 'nfdns:' | tail -1
echo "== the nfdns generic netlink family"
genl ctrl get name nfdns
echo "== rmmod nfdns"
rmmod nfdns
dmesg | grep 'nfdns:' | tail -1
