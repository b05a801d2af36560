# Europe map of packets per country, written by tsa-plot.
# Self-contained: every value is in this file, so it can be edited and
# run again alone: gnuplot europe.gp
if (!exists("outfile")) outfile = 'europe.png'
set terminal pngcairo size 1000,560 noenhanced font 'DejaVu Sans,10' background rgb 'white'
set output outfile
set encoding utf8

# Packets per country in this view, indexed by the third column of $map and $dots.
array V[67]
V[1] = 0	# AD Andorra
V[2] = 0	# AF Afghanistan
V[3] = 0	# AL Albania
V[4] = 0	# AM Armenia
V[5] = 0	# AT Austria
V[6] = 0	# AX Åland Islands
V[7] = 0	# AZ Azerbaijan
V[8] = 0	# BA Bosnia and Herzegovina
V[9] = 0	# BE Belgium
V[10] = 0	# BG Bulgaria
V[11] = 0	# BY Belarus
V[12] = 0	# CH Switzerland
V[13] = 0	# CY Cyprus
V[14] = 0	# CZ Czechia
V[15] = 45000	# DE Germany
V[16] = 0	# DK Denmark
V[17] = 0	# DZ Algeria
V[18] = 0	# EE Estonia
V[19] = 0	# ES Spain
V[20] = 0	# FI Finland
V[21] = 0	# FO Faroe Islands
V[22] = 900	# FR France
V[23] = 1500	# GB United Kingdom
V[24] = 0	# GE Georgia
V[25] = 0	# GG Guernsey
V[26] = 0	# GL Greenland
V[27] = 0	# GR Greece
V[28] = 0	# HR Croatia
V[29] = 0	# HU Hungary
V[30] = 0	# IE Ireland
V[31] = 0	# IM Isle of Man
V[32] = 0	# IQ Iraq
V[33] = 0	# IR Iran
V[34] = 0	# IS Iceland
V[35] = 0	# IT Italy
V[36] = 0	# JE Jersey
V[37] = 0	# KZ Kazakhstan
V[38] = 0	# LB Lebanon
V[39] = 0	# LI Liechtenstein
V[40] = 0	# LT Lithuania
V[41] = 0	# LU Luxembourg
V[42] = 0	# LV Latvia
V[43] = 0	# MA Morocco
V[44] = 0	# MD Moldova
V[45] = 0	# ME Montenegro
V[46] = 0	# MK North Macedonia
V[47] = 7	# MT Malta
V[48] = 0	# NL Netherlands
V[49] = 0	# NO Norway
V[50] = 0	# PK Pakistan
V[51] = 0	# PL Poland
V[52] = 0	# PT Portugal
V[53] = 0	# RO Romania
V[54] = 0	# RS Serbia
V[55] = 120	# RU Russian Federation
V[56] = 0	# SE Sweden
V[57] = 0	# SI Slovenia
V[58] = 0	# SJ Svalbard and Jan Mayen
V[59] = 0	# SK Slovakia
V[60] = 0	# SM San Marino
V[61] = 0	# SY Syria
V[62] = 0	# TM Turkmenistan
V[63] = 0	# TN Tunisia
V[64] = 0	# TR Türkiye
V[65] = 0	# UA Ukraine
V[66] = 0	# UZ Uzbekistan
V[67] = 0	# XK Kosovo

# Colours: a log scale from CBMIN to CBMAX over the palette stops below,
# grey without traffic.  The colour bar uses the same stops.
CBMIN = 1.; CBMAX = 1000000.
NODATA = 0xd4d4d4; OCEAN = 0xe6eff6; BORDER = 0xffffff
S0 = 0xffeda0; S1 = 0xfeb24c; S2 = 0xfd8d3c; S3 = 0xe31a1c; S4 = 0x800026
mix(a, b, t) = (int(((a >> 16) & 255) * (1 - t) + ((b >> 16) & 255) * t) << 16) + \
    (int(((a >> 8) & 255) * (1 - t) + ((b >> 8) & 255) * t) << 8) + \
    int((a & 255) * (1 - t) + (b & 255) * t)
pal(t) = t < 0.25 ? mix(S0, S1, t * 4) : t < 0.5 ? mix(S1, S2, t * 4 - 1) : \
    t < 0.75 ? mix(S2, S3, t * 4 - 2) : mix(S3, S4, t * 4 - 3)
scale(v) = (log10(v) - log10(CBMIN)) / (log10(CBMAX) - log10(CBMIN))
clamp(t) = t < 0 ? 0 : t > 1 ? 1 : t
colour(v) = v > 0 ? pal(clamp(scale(v))) : NODATA
set palette defined (0 '#ffeda0', 1 '#feb24c', 2 '#fd8d3c', 3 '#e31a1c', 4 '#800026')
array C[67]
do for [i = 1:67] { C[i] = colour(V[i]) }

# The plot area: Natural Earth projection, x and y in earth radii.
set lmargin at screen 0.016000
set rmargin at screen 0.984000
set bmargin at screen 0.164286
set tmargin at screen 0.857143
set xrange [-0.631081:0.918199]
set yrange [0.599944:1.220937]
unset border
unset xtics
unset ytics
unset key
set label 1 'Packets by country - Europe' at screen 0.0160, screen 1 offset character 0, character -1.6 left font ',13'
set label 2 '2025-11-26 08:00:00 - 08:01:00 UTC' at screen 0.9840, screen 1 offset character 0, character -1.6 right font ',11'
set label 3 '215k packets, 226 MB; 14 countries with traffic; local 30.0k, unknown 40' at screen 0.0160, screen 1 offset character 0, character -3.3 left textcolor rgb '#555555'
set label 4 'window 60s' at screen 0.9840, screen 1 offset character 0, character -3.3 right textcolor rgb '#555555'

# The colour bar, a 'no traffic' swatch and the credits.
set logscale cb
set cbrange [CBMIN:CBMAX]
set format cb '%.0s%c'
set cbtics 10 scale 0.6 nomirror
set mcbtics 10
set colorbox horizontal user origin screen 0.3200, screen 0.0964 size screen 0.3600, screen 0.0250 bdefault
set label 5 'packets per country (log scale)' at screen 0.5, screen 0.1393 center
set object 1 rectangle from screen 0.1900, screen 0.0964 to screen 0.2140, screen 0.1214 fillcolor rgb NODATA fillstyle solid border lc rgb '#888888' front
set label 6 'no traffic' at screen 0.2200, screen 0.1089 left
set label 7 'IP geolocation by DB-IP (CC BY 4.0)   Map: Natural Earth (public domain)' at screen 0.9840, screen 0.0214 right font ',8' textcolor rgb '#777777'

$ocean << EOD
-0.631081 0.599944
0.918199 0.599944
0.918199 1.220937
-0.631081 1.220937
EOD

# Country outlines, largest first (so enclaves are drawn over their
# surroundings); one ring per block: x y country.
$map << EOD
# (golden: 162 rings, 7673 points, first 1.8130 0.7460 55, last -0.0335 0.8703 25)
EOD

# Countries with traffic too small to see: x y country.
$dots << EOD
0.2059 0.6333 47
EOD

plot $ocean with filledcurves closed fillcolor rgb OCEAN, \
     $map using 1:2:(C[int($3)]) with filledcurves closed fillcolor rgb variable, \
     $map using 1:2 with lines linecolor rgb BORDER linewidth 0.5, \
     $dots using 1:2:(C[int($3)]) with points pointtype 7 pointsize 1.1 linecolor rgb variable, \
     $dots using 1:2 with points pointtype 6 pointsize 1.1 linecolor rgb '#555555', \
     NaN linecolor palette
unset output
