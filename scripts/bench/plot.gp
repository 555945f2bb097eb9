# The benchmark's plot: VM CPU per million answers and p99 latency per
# server, medians with min-max bars.  Called by report.sh with datafile
# (label cpu cpu_min cpu_max p99 p99_min p99_max per line), outfile and
# subtitle set.
set terminal svg size 1100,480 dynamic font "sans,12" background "white"
set output outfile
set datafile missing "NaN"
set style data histograms
set style histogram errorbars gap 1 lw 1
set style fill solid 0.6 border -1
set boxwidth 0.8
set grid ytics
set yrange [0:*]
set xtics rotate by -30 left nomirror
set key off
set bmargin 7
set multiplot layout 1,2 title "nfdns hit path and its peers\n".subtitle font "sans,13"
set title "VM CPU-seconds per million answers (lower is better)"
plot datafile using 2:3:4:xtic(1) linecolor rgb "#3b75af"
set title "latency p99, ms, at a fixed offered rate (lower is better)"
plot datafile using ($5 / 1000):($6 / 1000):($7 / 1000):xtic(1) linecolor rgb "#c44e52"
unset multiplot
