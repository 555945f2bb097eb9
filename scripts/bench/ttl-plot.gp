# The plot of `make bench-ttl`: the share of queries that waited for an
# upstream resolution, per time bucket, one line per setup.  Called by
# ttl-report.sh with datafile (a header "t SETUP..." then one line per
# bucket: its middle in seconds, then each setup's percentage), ncols,
# outfile and subtitle set.
set terminal svg size 1000,520 dynamic font "sans,12" background "white"
set output outfile
set datafile missing "NaN"
set linetype 1 lc rgb "#c44e52"
set linetype 2 lc rgb "#3b75af"
set linetype 3 lc rgb "#55a868"
set linetype 4 lc rgb "#8172b2"
set linetype 5 lc rgb "#dd8452"
set key autotitle columnhead top right
set grid
set xlabel "seconds since the setup started (cold cache)"
set ylabel "queries that waited, % (lower is better)"
set yrange [0:*]
set title "Queries that waited for an upstream resolution, short TTLs\n".subtitle font "sans,13"
plot for [c=2:ncols] datafile using 1:c with linespoints lw 2 pt c
