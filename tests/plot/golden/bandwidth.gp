# Bandwidth and traffic volume over the window, written by tsa-plot.
# Self-contained: every value is in this file, so it can be edited and
# run again alone: gnuplot bandwidth.gp
if (!exists("outfile")) outfile = 'bandwidth.png'
set terminal pngcairo size 1000,420 noenhanced font 'DejaVu Sans,9' background rgb 'white'
# outfile = '' writes the PNG to standard output.
if (outfile eq '') { set output } else { set output outfile }
set encoding utf8

# bucket start (s since the epoch), bits/s, bytes in the bucket
$bw << EOD
1764144000.000000 1333333.3333333335 400000
1764144002.400000 2033333.3333333335 610000
1764144004.800000 1633333.3333333335 490000
1764144007.200000 2333333.3333333335 700000
1764144009.600000 1933333.3333333335 580000
1764144012.000000 1533333.3333333335 460000
1764144014.400000 2233333.3333333335 670000
1764144016.800000 1833333.3333333335 550000
1764144019.200000 1433333.3333333335 430000
1764144021.600000 2133333.3333333335 640000
1764144024.000000 1733333.3333333335 520000
1764144026.400000 1333333.3333333335 400000
1764144028.800000 2033333.3333333335 610000
1764144031.200000 1633333.3333333335 490000
1764144033.600000 2333333.3333333335 700000
1764144036.000000 1933333.3333333335 580000
1764144038.400000 1533333.3333333335 460000
1764144040.800000 2233333.3333333335 670000
1764144043.200000 1833333.3333333335 550000
1764144045.600000 1433333.3333333335 430000
1764144048.000000 2133333.3333333335 640000
1764144050.400000 1733333.3333333335 520000
1764144052.800000 1333333.3333333335 400000
1764144055.200000 2033333.3333333335 610000
1764144057.600000 1633333.3333333335 490000
1764144060.000000 1633333.3333333335 NaN
EOD
AVG = 1813333.3333333333
STEP = 2.400000
set xdata time
set timefmt '%s'
set format x '%H:%M:%S'
set xrange [1764144000.000000:1764144060.000000]
set border 3 lc rgb '#888888'
set xtics nomirror scale 0.5
set ytics nomirror scale 0.5
set grid lc rgb '#dddddd' lt 1
set lmargin 12
set rmargin 4
set multiplot layout 2, 1 title 'Bandwidth    2025-11-26 08:00:00 - 08:01:00 UTC    average 1.81 Mbit/s, peak 2.33 Mbit/s' font ',14'
set yrange [0:*]
set ytics 0.5
set title 'bits per second' font ',12'
set ylabel 'Mbit/s'
set format y '%g'
set key top right
BPS = 1e+06
plot $bw using 1:($2 / BPS) with fillsteps fillcolor rgb 0x9ecae1 fillstyle solid 0.6 notitle, \
     $bw using 1:($2 / BPS) with steps linecolor rgb 0x3182bd linewidth 2 title 'bits/s', \
     AVG / BPS with lines dashtype 2 linecolor rgb 0xe6550d linewidth 1.5 title 'average 1.81 Mbit/s'
set title 'traffic volume per 2.4 s bucket' font ',12'
set ylabel 'kB'
unset key
VOL = 1000
set yrange [0:*]
set ytics 100
set boxwidth STEP * 0.85 absolute
plot $bw using ($1 + STEP / 2):($3 / VOL) with boxes fillcolor rgb 0xfd8d3c fillstyle solid 0.8 noborder notitle
unset multiplot
unset output
