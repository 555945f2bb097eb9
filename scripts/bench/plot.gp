# The benchmark's plot: server CPU per million answers and answers per
# second of one server CPU, per server, medians with 95% bootstrap
# intervals.  Called by report.py with datafile (label cpu lo hi qps lo hi
# per line), outfile and subtitle set.
set terminal svg size 1100,520 dynamic font "sans,12" background "white"
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
set bmargin 9
set multiplot layout 1,2 title "nfdns hit path and its peers, measured at the server\n".subtitle font "sans,13"
set title "server CPU-seconds per million answers (kernel rows at full speed,\nuserspace at the fixed rate; lower is better)"
plot datafile using 2:3:4:xtic(1) linecolor rgb "#3b75af"
set title "answers per second of one server CPU, thousands (higher is better)"
plot datafile using ($5 / 1000):($6 / 1000):($7 / 1000):xtic(1) linecolor rgb "#55a868"
unset multiplot
