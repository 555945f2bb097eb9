#!/bin/bash
# PID 1 inside the nfdns VM, on the host's root (read-only, tmpfs overlay).
# Runs the command the host asked for, then checks the kernel for warnings,
# lockdep reports and leaks, and reports both results to the host through
# the run directory, which is shared read-write.  Never returns: the VM
# reboots, and QEMU, started with -no-reboot, exits.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C.UTF-8

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
# devtmpfs lacks these links, and bash process substitution needs /dev/fd.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
# The host's runtime state (pid files, named namespaces) is not ours.
mount -t tmpfs -o mode=0755 tmpfs /run

rundir=
for arg in $(cat /proc/cmdline); do
	case $arg in nfdns.run=*) rundir=${arg#nfdns.run=} ;; esac
done
mkdir -p "$rundir"
mount -t 9p -o trans=virtio,version=9p2000.L,cache=none,msize=262144 \
	nfdnsrun "$rundir"

exec </dev/null >/dev/ttyS0 2>&1
hostname nfdns-vm
ip link set lo up

finish() {
	echo "$1" >"$rundir/status"
	echo "${2:-}" >"$rundir/verdict"
	sync
	busybox reboot -f
	sleep 60
}

[ -r "$rundir/cmd" ] || finish 125 "no command"
# Anything that goes wrong from here on is the command's doing.
: >"$rundir/started"

kmemleak=/sys/kernel/debug/kmemleak
if [ -w $kmemleak ]; then
	# Objects from boot are not the command's: forget them.
	echo scan=off >$kmemleak
	echo scan >$kmemleak
	echo clear >$kmemleak
fi

bash "$rundir/cmd"
rc=$?

verdict=
# Taint bits other than O (out-of-tree module), E (unsigned module) and
# N (KUnit ran) mean the kernel warned, oopsed or worse.
taint=$(cat /proc/sys/kernel/tainted)
if [ $(( taint & ~(4096 | 8192 | 262144) )) -ne 0 ]; then
	verdict="kernel tainted ($taint)"
fi
if [ -r /proc/lockdep_stats ] &&
   grep -Eq '^ *debug_locks: +0' /proc/lockdep_stats; then
	verdict="${verdict:+$verdict; }lockdep reported a problem"
fi
if [ -w $kmemleak ]; then
	# kmemleak only reports objects older than 5 s, and a second scan
	# weeds out transient false positives.
	sleep 6
	echo scan >$kmemleak
	echo scan >$kmemleak
	# debugfs files have no size: read the report to know.
	cat $kmemleak >"$rundir/kmemleak"
	if grep -q unreferenced "$rundir/kmemleak"; then
		verdict="${verdict:+$verdict; }kmemleak reported leaks"
	fi
fi
finish "$rc" "$verdict"
