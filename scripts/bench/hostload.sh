#!/bin/bash
# The host's CPU use outside the benchmark's VM, once a second, for as long
# as the VM runs (at most SECONDS_MAX).  The VM is the QEMU whose run
# directory (vm.sh's nfdns.run=) is under RUNDIR_PARENT; any other VM on the
# host counts as other load.  A vCPU of a TCG guest is a host
# thread: whatever else the host runs takes time from it, and the guest
# cannot see that.  Each line is
#
#   EPOCH OTHER_CPUS VM_CPUS
#
# the host CPUs (of nproc) busy with anything but that QEMU, and those it
# used, over the second before EPOCH.  Lines go to OUT, and also to
# hostload in the VM's run directory (shared with the guest uncached), so
# the guest can record the load of each measurement.
#
#   hostload.sh OUT RUNDIR_PARENT [SECONDS_MAX]
set -uo pipefail

out=${1:?usage: hostload.sh OUT RUNDIR_PARENT [SECONDS_MAX]}
parent=${2:?usage: hostload.sh OUT RUNDIR_PARENT [SECONDS_MAX]}
limit=${3:-7200}
ncpus=$(nproc)
hz=$(getconf CLK_TCK)

# Busy and total jiffies of the whole host: "busy total".
host_ticks() { awk '$1 == "cpu" { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t; exit }' /proc/stat; }
# CPU time of the VM's QEMU, in clock ticks.
vm_ticks() {
	local p t=0 f
	for p in $(pgrep -f "qemu-system.*nfdns\\.run=$parent/" || true); do
		f=$(cut -d')' -f2 "/proc/$p/stat" 2>/dev/null) || continue
		# Fields 14 and 15 (utime, stime) are the 12th and 13th after ')'.
		t=$((t + $(awk '{ print $12 + $13 }' <<<"$f")))
	done
	echo "$t"
}
rundir() { pgrep -af "qemu-system.*nfdns\\.run=$parent/" | sed -n 's/.*nfdns\.run=\([^ ]*\).*/\1/p' | head -1; }

: >"$out"
read -r b0 t0 < <(host_ticks)
v0=$(vm_ticks)
for _ in $(seq 1 "$limit"); do
	sleep 1
	read -r b1 t1 < <(host_ticks)
	v1=$(vm_ticks)
	line=$(awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) -v v=$((v1 - v0)) -v n="$ncpus" -v hz="$hz" \
		'BEGIN { if (t <= 0) t = 1; s = t / n / hz; o = (b - v) / t * n; if (o < 0) o = 0
			printf "%d %.3f %.3f", systime(), o, v / hz / s }')
	echo "$line" >>"$out"
	d=$(rundir)
	[ -n "$d" ] && [ -d "$d" ] && echo "$line" >>"$d/hostload"
	b0=$b1 t0=$t1 v0=$v1
done
