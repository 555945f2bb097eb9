# The microbenchmark's plot: nanoseconds per operation of each part of a
# hit against the cache size, and how the hook's throughput scales over
# CPUs.  Called by report.py with datafile (entries, then median, low and
# high of empty, lookup, build, reply, hook, then of the speedup, per
# line), outfile, subtitle and cpus set.
set terminal svg size 1100,480 dynamic font "sans,12" background "white"
set output outfile
set datafile missing "NaN"
set grid
set logscale x
set format x "%.0s%c"
set xlabel "cache entries"
set key top left
set multiplot layout 1,2 title "nfdns hit path, kernel microbenchmark (nfdns_hitbench.ko)\n".subtitle font "sans,13"
set title "ns per operation, one CPU (lower is better)"
set ylabel "ns"
set yrange [0:*]
plot datafile using 1:14:15:16 with yerrorlines lw 2 title "whole hook on a hit", \
     datafile using 1:11:12:13 with yerrorlines lw 2 title "reply (skb, build, route)", \
     datafile using 1:8:9:10 with yerrorlines lw 2 title "build the reply", \
     datafile using 1:5:6:7 with yerrorlines lw 2 title "cache lookup", \
     datafile using 1:2:3:4 with yerrorlines lw 2 title "empty hook"
set title sprintf("hook throughput on %d CPUs ÷ on 1 (%d is perfect)", cpus, cpus)
set ylabel "speedup"
set yrange [0:cpus + 0.5]
plot datafile using 1:17:18:19 with yerrorlines lw 2 title "measured", cpus with lines dt 2 title "perfect"
unset multiplot
