#!/bin/bash
# Run a command as root in a QEMU VM on the host's own root filesystem.
#
#   scripts/vm.sh [--kernel debug|6.1|6.12] [--smp N] [--mem SIZE] -- COMMAND [ARGS...]
#
# The guest sees the host's root read-only over virtio-9p, under a tmpfs
# overlay, so every host path (the checkout, the caller's /tmp) is there and
# writable, and nothing written reaches the host.  COMMAND runs in the
# caller's working directory, with stdin from /dev/null and its output on
# this terminal.  The exit status comes back out of band, through a shared
# run directory, so a kernel panic cannot pass for success.
#
# Exits with COMMAND's status, or non-zero when the kernel warned, oopsed,
# reported a lockdep or KASAN problem, or kmemleak found a leak, even if
# COMMAND succeeded (the debug kernel runs with panic_on_warn and oops=panic).
#
# Kernels: debug (default) is the test kernel from scripts/test-kernel.sh;
# 6.1 and 6.12 are Debian's stock kernels installed on the host.
#
# Environment: NFDNS_ACCEL=kvm|tcg skips the KVM probe; NFDNS_VM_TIMEOUT
# (seconds, default 2700) bounds the whole run; variables named NFDNS_* are
# passed into the guest.  NFDNS_VM_ICOUNT=SHIFT runs the guest under TCG
# with QEMU's instruction counting (-icount shift=SHIFT,sleep=off): its
# clocks advance 2^SHIFT ns per guest instruction, not with the host's time,
# so the guest's CPU time counts its instructions, whatever else the host
# runs (slower, one host thread for all vCPUs).  NFDNS_VM_CPU=MODEL[,FEATURES]
# is TCG's -cpu (default max).  The guest can keep files for the host in
# $NFDNS_VM_RUNDIR.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage() {
	echo "usage: ${0##*/} [--kernel debug|6.1|6.12] [--smp N] [--mem SIZE] -- COMMAND [ARGS...]" >&2
	exit 2
}

kernel=debug
smp=2
mem=2G
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) [ $# -ge 2 ] || usage; kernel=$2; shift 2 ;;
	--smp) [ $# -ge 2 ] || usage; smp=$2; shift 2 ;;
	--mem) [ $# -ge 2 ] || usage; mem=$2; shift 2 ;;
	--) shift; break ;;
	-h|--help) usage ;;
	*) usage ;;
	esac
done
[ $# -gt 0 ] || usage
case $smp in ''|*[!0-9]*) usage ;; esac

qemu=qemu-system-x86_64
command -v $qemu >/dev/null || die "$qemu missing (run scripts/deps.sh)"
command -v busybox >/dev/null || die "busybox missing (run scripts/deps.sh)"

# The initramfs: busybox, the /init script and, for a stock kernel, the
# modules it needs to mount its root.  Cached per kernel and init script.
make_initramfs() {
	local release=$1 out=$2 tmp mods
	tmp=$(mktemp -d)
	mkdir -p "$tmp/bin" "$tmp/proc" "$tmp/sys" "$tmp/dev" "$tmp/modules"
	cp "$(command -v busybox)" "$tmp/bin/busybox"
	cp "$NFDNS_TOP/scripts/vm/initramfs-init" "$tmp/init"
	if [ -n "$release" ]; then
		mods=$(for m in virtio_pci 9pnet_virtio 9p overlay; do
			modprobe -S "$release" --show-depends $m
		done | awk '$1 == "insmod" { print $2 }' | awk '!seen[$0]++')
		local path name
		for path in $mods; do
			name=$(basename "$path")
			case $name in
			*.ko.xz) xz -dc "$path" >"$tmp/modules/${name%.xz}"; name=${name%.xz} ;;
			*.ko.zst) zstd -qdc "$path" >"$tmp/modules/${name%.zst}"; name=${name%.zst} ;;
			*) cp "$path" "$tmp/modules/$name" ;;
			esac
			echo "$name" >>"$tmp/modules/order"
		done
	fi
	(cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
	mv "$out.tmp" "$out"
	rm -rf "$tmp"
}

case $kernel in
debug)
	build=$("$NFDNS_TOP/scripts/test-kernel.sh" --path)
	bzimage=$build/arch/x86/boot/bzImage
	release=
	extra_append="panic_on_warn=1 kasan.fault=panic"
	;;
6.1|6.12)
	release=$(stock_kernel_release "$kernel")
	bzimage=/boot/vmlinuz-$release
	[ -r "$bzimage" ] || die "$bzimage missing (run scripts/deps.sh)"
	extra_append="panic_on_warn=1"
	;;
*) usage ;;
esac

initrd_key=$( (cat "$NFDNS_TOP/scripts/vm/initramfs-init"; echo "$release") |
	sha256sum | cut -c1-12)
initrd=$NFDNS_CACHE/initramfs/${release:-debug}-$initrd_key.cpio.gz
if [ ! -e "$initrd" ]; then
	mkdir -p "$(dirname "$initrd")"
	make_initramfs "$release" "$initrd"
fi

rundir=$(mktemp -d "${TMPDIR:-/tmp}/nfdns-vm.XXXXXX")
cleanup() {
	rm -rf "$rundir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

{
	echo "cd $(printf %q "$PWD") || exit 126"
	echo "export NFDNS_VM=1 NFDNS_VM_KERNEL=$kernel NFDNS_VM_RUNDIR=$(printf %q "$rundir")"
	while IFS='=' read -r name _; do
		case $name in NFDNS_VM*) continue ;; NFDNS_*|CI) ;; *) continue ;; esac
		echo "export $name=$(printf %q "${!name}")"
	done < <(env)
	printf 'exec'
	printf ' %q' "$@"
	echo
} >"$rundir/cmd"

# run_qemu ACCEL RUNDIR SECONDS: boot, run, and give up after SECONDS.
# pci=noacpi: on a loaded host, ACPI's interrupt routing method can hit the
# interpreter's loop timeout under TCG, leaving virtio without interrupts.
run_qemu() {
	local accel=$1 dir=$2 limit=$3 cpu icount=()
	[ "$accel" = kvm ] && cpu=host || cpu=${NFDNS_VM_CPU:-max}
	[ -n "${NFDNS_VM_ICOUNT:-}" ] && icount=(-icount "shift=$NFDNS_VM_ICOUNT,sleep=off")
	timeout -k 5 "$limit" \
	$qemu -nodefaults -no-user-config -display none -no-reboot \
		-machine pc,accel="$accel" -cpu "$cpu" -smp "$smp" -m "$mem" "${icount[@]}" \
		-kernel "$bzimage" -initrd "$initrd" \
		-append "console=ttyS1 loglevel=6 pci=noacpi oops=panic panic=-1 $extra_append nfdns.guest=$NFDNS_TOP/scripts/vm/guest.sh nfdns.run=$dir" \
		-chardev stdio,id=out,signal=off -serial chardev:out \
		-serial file:"$dir/console.log" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs local,path="$dir",mount_tag=nfdnsrun,security_model=none \
		</dev/null
}

# A KVM guest can hang at boot on some hosts: use KVM only when a short
# probe boot really comes back.  The answer holds until the host reboots.
pick_accel() {
	[ -n "${NFDNS_ACCEL:-}" ] && { echo "$NFDNS_ACCEL"; return; }
	[ -w /dev/kvm ] || { echo tcg; return; }
	local boot_id cache probe
	boot_id=$(cat /proc/sys/kernel/random/boot_id)
	cache=$NFDNS_CACHE/accel-$boot_id
	if [ ! -e "$cache" ]; then
		probe=$(mktemp -d)
		echo "exec true" >"$probe/cmd"
		run_qemu kvm "$probe" 30 >/dev/null 2>&1 || true
		if [ "$(cat "$probe/status" 2>/dev/null)" = 0 ]; then
			echo kvm >"$cache"
		else
			echo tcg >"$cache"
		fi
		rm -rf "$probe"
	fi
	cat "$cache"
}

mkdir -p "$NFDNS_CACHE"
accel=$(pick_accel)
case ${NFDNS_VM_ICOUNT:-} in
'') ;;
*[!0-9]*) die "NFDNS_VM_ICOUNT: a shift of 0 to 10, not $NFDNS_VM_ICOUNT" ;;
*) accel=tcg ;;
esac
timeout=${NFDNS_VM_TIMEOUT:-2700}

# A boot that dies before the command starts (TCG on a loaded host has
# shown early interrupt trouble) is the emulator's, not the command's: boot
# once more.  What happens after the command starts always counts.
for attempt in 1 2; do
	rm -f "$rundir/status" "$rundir/verdict" "$rundir/started" \
		"$rundir/kmemleak" "$rundir/console.log"
	set +e
	run_qemu "$accel" "$rundir" "$timeout"
	qemu_rc=$?
	set -e
	[ $qemu_rc -eq 124 ] && echo "vm.sh: timed out after ${timeout}s" >&2
	[ -e "$rundir/started" ] && break
	if [ $attempt -eq 1 ]; then
		echo "vm.sh: the VM died while booting; booting again. Its last messages:" >&2
		tail -15 "$rundir/console.log" 2>/dev/null | sed 's/^/  | /' >&2
	fi
done

log=$rundir/console.log
# Kernel reports that fail the run even when the command passed.
problems=$(grep -E -m 20 \
	'Kernel panic|BUG:|WARNING:|Oops|general protection fault|KASAN|UBSAN|kmemleak: .*new suspected|INFO: task .* blocked|possible circular locking|inconsistent lock state|suspicious RCU usage|possible recursive locking' \
	"$log" 2>/dev/null || true)
status=$(cat "$rundir/status" 2>/dev/null || true)
verdict=$(cat "$rundir/verdict" 2>/dev/null || true)

failed=
if [ -z "$status" ]; then
	failed="the VM ended without a status (qemu exit $qemu_rc)"
elif [ -n "$verdict" ]; then
	failed=$verdict
fi
if [ -n "$problems" ]; then
	failed="${failed:+$failed; }the kernel reported problems"
fi

if [ -n "$failed" ]; then
	echo "vm.sh: FAIL ($kernel kernel, $accel): $failed" >&2
	if [ -n "$problems" ]; then
		echo "vm.sh: kernel log, first report onward:" >&2
		first=$(grep -n -E -m 1 \
			'Kernel panic|BUG:|WARNING:|Oops|general protection fault|KASAN|UBSAN|kmemleak|INFO: task|possible circular|inconsistent lock|suspicious RCU|possible recursive' \
			"$log" | cut -d: -f1)
		sed -n "${first},$((first + 60))p" "$log" | sed 's/^/  | /' >&2
	elif [ -z "$status" ]; then
		echo "vm.sh: last kernel messages:" >&2
		tail -30 "$log" | sed 's/^/  | /' >&2
	fi
	if [ -s "$rundir/kmemleak" ]; then
		echo "vm.sh: kmemleak report:" >&2
		head -40 "$rundir/kmemleak" | sed 's/^/  | /' >&2
	fi
	[ -n "$status" ] && [ "$status" -ne 0 ] && exit "$status"
	exit 100
fi
exit "$status"
