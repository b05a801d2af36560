# Operating systems (p0f) by hosts and packets, written by tsa-plot.
# Self-contained: every value is in this file, so it can be edited and
# run again alone: gnuplot os.gp
if (!exists("outfile")) outfile = 'os.png'
set terminal pngcairo size 1000,280 noenhanced font 'DejaVu Sans,9' background rgb 'white'
# outfile = '' writes the PNG to standard output.
if (outfile eq '') { set output } else { set output outfile }
set encoding utf8
set border 3 lc rgb '#888888'
set xtics nomirror scale 0.5
set grid xtics lc rgb '#dddddd' lt 1
set key off
set style fill solid
set ytics textcolor rgb '#222222'
set rmargin 4
set multiplot layout 1, 2 title 'Operating systems (p0f)    2025-11-26 08:00:00 - 08:01:00 UTC' font ',14'

$hosts << EOD
1 31 "31"
2 12 "12"
3 4 "4"
4 2 "2"
EOD
set title 'hosts (top 4 of 4)' font ',12'
set lmargin 21
set ytics scale 0 ('Linux 3.11 and newer' 1, 'Windows 7 or 8' 2, 'Mac OS X' 3, 'Android <b>x</b>' 4)
set xrange [0:37.82]
set xtics ('0' 0, '10' 10, '20' 20, '30' 30)
set yrange [5.6:0.4]
plot $hosts using (0):1:(0):2:($1 - 0.36):($1 + 0.36) with boxxyerror fillcolor rgb 0x31a354 fillstyle solid noborder notitle, \
     $hosts using 2:1:3 with labels left offset character 0.5, 0 notitle

$packets << EOD
1 80000 "80.0k"
2 30000 "30.0k"
3 9000 "9.00k"
4 600 "600"
EOD
set title 'packets to or from hosts of each OS (top 4 of 4)' font ',12'
set lmargin 21
set ytics scale 0 ('Linux 3.11 and newer' 1, 'Windows 7 or 8' 2, 'Mac OS X' 3, 'Android <b>x</b>' 4)
set xrange [0:97600]
set xtics ('0' 0, '20k' 20000, '40k' 40000, '60k' 60000, '80k' 80000)
set yrange [5.6:0.4]
plot $packets using (0):1:(0):2:($1 - 0.36):($1 + 0.36) with boxxyerror fillcolor rgb 0x3182bd fillstyle solid noborder notitle, \
     $packets using 2:1:3 with labels left offset character 0.5, 0 notitle
unset multiplot
unset output
