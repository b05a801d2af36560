# Applications and server ports by packets, written by tsa-plot.
# Self-contained: every value is in this file, so it can be edited and
# run again alone: gnuplot apps.gp
if (!exists("outfile")) outfile = 'apps.png'
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
set multiplot layout 1, 2 title 'Applications    2025-11-26 08:00:00 - 08:01:00 UTC' font ',14'

$apps << EOD
1 120000 "120k, 150 MB"
2 60000 "60.0k, 52.0 MB"
3 30000 "30.0k, 3.00 MB"
4 4692 "4.69k, 21.0 MB"
EOD
set title 'packets by application (4)' font ',12'
set lmargin 11
set ytics scale 0 ('TLS' 1, 'QUIC' 2, 'DNS' 3, 'other UDP' 4)
set xrange [0:146400]
set xtics ('0' 0, '50k' 50000, '100k' 100000)
set yrange [5.6:0.4]
plot $apps using (0):1:(0):2:($1 - 0.36):($1 + 0.36) with boxxyerror fillcolor rgb 0x3182bd fillstyle solid noborder notitle, \
     $apps using 2:1:3 with labels left offset character 0.5, 0 notitle

$ports << EOD
1 120000 "120k, 150 MB"
2 60000 "60.0k, 52.0 MB"
3 30000 "30.0k, 3.00 MB"
4 12 "12, 720 B"
EOD
set title 'packets by server port (top 4)' font ',12'
set lmargin 13
set ytics scale 0 ('443/tcp TLS' 1, '443/udp QUIC' 2, '53/udp DNS' 3, '33434/udp' 4)
set xrange [0:146400]
set xtics ('0' 0, '50k' 50000, '100k' 100000)
set yrange [5.6:0.4]
plot $ports using (0):1:(0):2:($1 - 0.36):($1 + 0.36) with boxxyerror fillcolor rgb 0xe6550d fillstyle solid noborder notitle, \
     $ports using 2:1:3 with labels left offset character 0.5, 0 notitle
unset multiplot
unset output
