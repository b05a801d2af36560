# Top registrable domains by packets, written by tsa-plot.
# Self-contained: every value is in this file, so it can be edited and
# run again alone: gnuplot domains.gp
if (!exists("outfile")) outfile = 'domains.png'
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
set multiplot layout 1, 1 title 'Top domains    2025-11-26 08:00:00 - 08:01:00 UTC' font ',14'

$domains << EOD
1 52000 "52.0k packets, 61.0 MB"
2 21000 "21.0k packets, 30.0 MB"
3 4000 "4.00k packets, 200 kB"
4 1200 "1.20k packets, 900 kB"
5 800 "800 packets, 640 kB"
EOD
set title 'packets to or from each domain''s hosts' font ',12'
set lmargin 32
set ytics scale 0 ('google.com' 1, 'netflix.com' 2, '<script>alert(1)</script>.example' 3, 'o''reilly.com' 4, 'bücher.de' 5)
set xrange [0:63440]
set xtics ('0' 0, '10k' 10000, '20k' 20000, '30k' 30000, '40k' 40000, '50k' 50000, '60k' 60000)
set yrange [5.6:0.4]
plot $domains using (0):1:(0):2:($1 - 0.36):($1 + 0.36) with boxxyerror fillcolor rgb 0x3182bd fillstyle solid noborder notitle, \
     $domains using 2:1:3 with labels left offset character 0.5, 0 notitle
unset multiplot
unset output
