# The run's history, a point per snapshot, written by tsa-plot.
# Self-contained: every value is in this file, so it can be edited and
# run again alone: gnuplot trend.gp
if (!exists("outfile")) outfile = 'trend.png'
set terminal pngcairo size 1000,400 noenhanced font 'DejaVu Sans,9' background rgb 'white'
# outfile = '' writes the PNG to standard output.
if (outfile eq '') { set output } else { set output outfile }
set encoding utf8

# snapshot end (s since the epoch), packets, bytes, countries with traffic, active alerts
$trend << EOD
1764144060.000 214692 225976200 14 1
EOD
set xdata time
set timefmt '%s'
set format x '%H:%M:%S'
set xrange [1764144000.000:1764144120.000]
set border 3 lc rgb '#888888'
set xtics nomirror scale 0.5
set ytics nomirror scale 0.5
set grid lc rgb '#dddddd' lt 1
set lmargin 10
set rmargin 4
set key off
set multiplot layout 2, 2 title 'History of the run    1 snapshot, 2025-11-26 08:01:00 - 08:01:00 UTC' font ',14'
set title 'packets in the window' font ',12'
set yrange [0:236161.20000000001]
set ytics ('0' 0, '50k' 50000, '100k' 100000, '150k' 150000, '200k' 200000)
plot $trend using 1:2 with points linecolor rgb 0x3182bd linewidth 2 pointtype 7 pointsize 0.6 notitle
set title 'bytes in the window' font ',12'
set yrange [0:248573820.00000003]
set ytics ('0 B' 0, '50 MB' 50000000, '100 MB' 100000000, '150 MB' 150000000, '200 MB' 200000000)
plot $trend using 1:3 with points linecolor rgb 0xe6550d linewidth 2 pointtype 7 pointsize 0.6 notitle
set title 'countries with traffic' font ',12'
set yrange [0:15.400000000000002]
set ytics ('0' 0, '5' 5, '10' 10, '15' 15)
plot $trend using 1:4 with points linecolor rgb 0x31a354 linewidth 2 pointtype 7 pointsize 0.6 notitle
set title 'active alerts' font ',12'
set yrange [0:1.1000000000000001]
set ytics ('0' 0, '1' 1)
plot $trend using 1:5 with points linecolor rgb 0xcb181d linewidth 2 pointtype 7 pointsize 0.6 notitle
unset multiplot
unset output
