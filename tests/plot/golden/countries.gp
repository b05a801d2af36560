# Top countries by packets and by bytes, written by tsa-plot.
# Self-contained: every value is in this file, so it can be edited and
# run again alone: gnuplot countries.gp
if (!exists("outfile")) outfile = 'countries.png'
set terminal pngcairo size 1000,540 noenhanced font 'DejaVu Sans,10' background rgb 'white'
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
set multiplot layout 1, 2 title 'Top countries    2025-11-26 08:00:00 - 08:01:00 UTC' font ',14'

$packets << EOD
1 120000 "120k"
2 45000 "45.0k"
3 30000 "30.0k"
4 9000 "9.00k"
5 5200 "5.20k"
6 2100 "2.10k"
7 1500 "1.50k"
8 900 "900"
9 450 "450"
10 300 "300"
11 120 "120"
12 60 "60"
13 40 "40"
14 12 "12"
15 7 "7"
EOD
set title 'by packets (top 15 of 16)' font ',12'
set lmargin 29
set ytics scale 0 ('United States' 1, 'Germany' 2, 'Local networks' 3, 'Brazil' 4, 'China' 5, 'Japan' 6, 'United Kingdom' 7, 'France' 8, 'India' 9, 'Singapore' 10, 'Russia' 11, 'Australia' 12, 'Unknown (not in the database)' 13, 'South Africa' 14, 'Malta' 15)
set xrange [0:146400]
set xtics ('0' 0, '50k' 50000, '100k' 100000)
set yrange [15.6:0.4]
plot $packets using (0):1:(0):2:($1 - 0.36):($1 + 0.36) with boxxyerror fillcolor rgb 0x3182bd fillstyle solid noborder notitle, \
     $packets using 2:1:3 with labels left offset character 0.5, 0 notitle

$bytes << EOD
1 150000000 "150 MB"
2 52000000 "52.0 MB"
3 9000000 "9.00 MB"
4 7400000 "7.40 MB"
5 3100000 "3.10 MB"
6 1900000 "1.90 MB"
7 1200000 "1.20 MB"
8 700000 "700 kB"
9 300000 "300 kB"
10 250000 "250 kB"
11 80000 "80.0 kB"
12 40000 "40.0 kB"
13 3000 "3.00 kB"
14 2000 "2.00 kB"
15 900 "900 B"
EOD
set title 'by bytes (top 15 of 16)' font ',12'
set lmargin 29
set ytics scale 0 ('United States' 1, 'Germany' 2, 'Local networks' 3, 'Brazil' 4, 'China' 5, 'Japan' 6, 'United Kingdom' 7, 'France' 8, 'India' 9, 'Singapore' 10, 'Russia' 11, 'Australia' 12, 'Unknown (not in the database)' 13, 'South Africa' 14, 'Malta' 15)
set xrange [0:183000000]
set xtics ('0 B' 0, '50 MB' 50000000, '100 MB' 100000000, '150 MB' 150000000)
set yrange [15.6:0.4]
plot $bytes using (0):1:(0):2:($1 - 0.36):($1 + 0.36) with boxxyerror fillcolor rgb 0xe6550d fillstyle solid noborder notitle, \
     $bytes using 2:1:3 with labels left offset character 0.5, 0 notitle
unset multiplot
unset output
