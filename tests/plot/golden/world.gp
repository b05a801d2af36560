# World map of packets per country, written by tsa-plot.
# Self-contained: every value is in this file, so it can be edited and
# run again alone: gnuplot world.gp
if (!exists("outfile")) outfile = 'world.png'
set terminal pngcairo size 1000,560 noenhanced font 'DejaVu Sans,10' background rgb 'white'
set output outfile
set encoding utf8

# Packets per country in this view, indexed by the third column of $map and $dots.
array V[234]
V[1] = 0	# AD Andorra
V[2] = 0	# AE United Arab Emirates
V[3] = 0	# AF Afghanistan
V[4] = 0	# AG Antigua and Barbuda
V[5] = 0	# AI Anguilla
V[6] = 0	# AL Albania
V[7] = 0	# AM Armenia
V[8] = 0	# AO Angola
V[9] = 0	# AR Argentina
V[10] = 0	# AS American Samoa
V[11] = 0	# AT Austria
V[12] = 60	# AU Australia
V[13] = 0	# AW Aruba
V[14] = 0	# AX Åland Islands
V[15] = 0	# AZ Azerbaijan
V[16] = 0	# BA Bosnia and Herzegovina
V[17] = 0	# BB Barbados
V[18] = 0	# BD Bangladesh
V[19] = 0	# BE Belgium
V[20] = 0	# BF Burkina Faso
V[21] = 0	# BG Bulgaria
V[22] = 0	# BH Bahrain
V[23] = 0	# BI Burundi
V[24] = 0	# BJ Benin
V[25] = 0	# BM Bermuda
V[26] = 0	# BN Brunei Darussalam
V[27] = 0	# BO Bolivia
V[28] = 0	# BQ Bonaire, Sint Eustatius and Saba
V[29] = 9000	# BR Brazil
V[30] = 0	# BS Bahamas
V[31] = 0	# BT Bhutan
V[32] = 0	# BW Botswana
V[33] = 0	# BY Belarus
V[34] = 0	# BZ Belize
V[35] = 3	# CA Canada
V[36] = 0	# CD Congo, The Democratic Republic of the
V[37] = 0	# CF Central African Republic
V[38] = 0	# CG Congo
V[39] = 0	# CH Switzerland
V[40] = 0	# CI Côte d'Ivoire
V[41] = 0	# CK Cook Islands
V[42] = 0	# CL Chile
V[43] = 0	# CM Cameroon
V[44] = 5200	# CN China
V[45] = 0	# CO Colombia
V[46] = 0	# CR Costa Rica
V[47] = 0	# CU Cuba
V[48] = 0	# CV Cabo Verde
V[49] = 0	# CW Curaçao
V[50] = 0	# CX Christmas Island
V[51] = 0	# CY Cyprus
V[52] = 0	# CZ Czechia
V[53] = 45000	# DE Germany
V[54] = 0	# DJ Djibouti
V[55] = 0	# DK Denmark
V[56] = 0	# DM Dominica
V[57] = 0	# DO Dominican Republic
V[58] = 0	# DZ Algeria
V[59] = 0	# EC Ecuador
V[60] = 0	# EE Estonia
V[61] = 0	# EG Egypt
V[62] = 0	# EH Western Sahara
V[63] = 0	# ER Eritrea
V[64] = 0	# ES Spain
V[65] = 0	# ET Ethiopia
V[66] = 0	# FI Finland
V[67] = 0	# FJ Fiji
V[68] = 0	# FK Falkland Islands (Malvinas)
V[69] = 0	# FM Micronesia, Federated States of
V[70] = 0	# FO Faroe Islands
V[71] = 900	# FR France
V[72] = 0	# GA Gabon
V[73] = 1500	# GB United Kingdom
V[74] = 0	# GD Grenada
V[75] = 0	# GE Georgia
V[76] = 0	# GF French Guiana
V[77] = 0	# GG Guernsey
V[78] = 0	# GH Ghana
V[79] = 0	# GL Greenland
V[80] = 0	# GM Gambia
V[81] = 0	# GN Guinea
V[82] = 0	# GP Guadeloupe
V[83] = 0	# GQ Equatorial Guinea
V[84] = 0	# GR Greece
V[85] = 0	# GS South Georgia and the South Sandwich Islands
V[86] = 0	# GT Guatemala
V[87] = 0	# GU Guam
V[88] = 0	# GW Guinea-Bissau
V[89] = 0	# GY Guyana
V[90] = 0	# HK Hong Kong
V[91] = 0	# HM Heard Island and McDonald Islands
V[92] = 0	# HN Honduras
V[93] = 0	# HR Croatia
V[94] = 0	# HT Haiti
V[95] = 0	# HU Hungary
V[96] = 0	# ID Indonesia
V[97] = 0	# IE Ireland
V[98] = 0	# IL Israel
V[99] = 0	# IM Isle of Man
V[100] = 450	# IN India
V[101] = 0	# IO British Indian Ocean Territory
V[102] = 0	# IQ Iraq
V[103] = 0	# IR Iran
V[104] = 0	# IS Iceland
V[105] = 0	# IT Italy
V[106] = 0	# JE Jersey
V[107] = 0	# JM Jamaica
V[108] = 0	# JO Jordan
V[109] = 2100	# JP Japan
V[110] = 0	# KE Kenya
V[111] = 0	# KG Kyrgyzstan
V[112] = 0	# KH Cambodia
V[113] = 0	# KI Kiribati
V[114] = 0	# KM Comoros
V[115] = 0	# KN Saint Kitts and Nevis
V[116] = 0	# KP North Korea
V[117] = 0	# KR South Korea
V[118] = 0	# KW Kuwait
V[119] = 0	# KY Cayman Islands
V[120] = 0	# KZ Kazakhstan
V[121] = 0	# LA Laos
V[122] = 0	# LB Lebanon
V[123] = 0	# LC Saint Lucia
V[124] = 0	# LI Liechtenstein
V[125] = 0	# LK Sri Lanka
V[126] = 0	# LR Liberia
V[127] = 0	# LS Lesotho
V[128] = 0	# LT Lithuania
V[129] = 0	# LU Luxembourg
V[130] = 0	# LV Latvia
V[131] = 0	# LY Libya
V[132] = 0	# MA Morocco
V[133] = 0	# MD Moldova
V[134] = 0	# ME Montenegro
V[135] = 0	# MG Madagascar
V[136] = 0	# MH Marshall Islands
V[137] = 0	# MK North Macedonia
V[138] = 0	# ML Mali
V[139] = 0	# MM Myanmar
V[140] = 0	# MN Mongolia
V[141] = 0	# MP Northern Mariana Islands
V[142] = 0	# MQ Martinique
V[143] = 0	# MR Mauritania
V[144] = 0	# MS Montserrat
V[145] = 7	# MT Malta
V[146] = 0	# MU Mauritius
V[147] = 0	# MW Malawi
V[148] = 0	# MX Mexico
V[149] = 0	# MY Malaysia
V[150] = 0	# MZ Mozambique
V[151] = 0	# NA Namibia
V[152] = 0	# NC New Caledonia
V[153] = 0	# NE Niger
V[154] = 0	# NG Nigeria
V[155] = 0	# NI Nicaragua
V[156] = 0	# NL Netherlands
V[157] = 0	# NO Norway
V[158] = 0	# NP Nepal
V[159] = 0	# NU Niue
V[160] = 0	# NZ New Zealand
V[161] = 0	# OM Oman
V[162] = 0	# PA Panama
V[163] = 0	# PE Peru
V[164] = 0	# PF French Polynesia
V[165] = 0	# PG Papua New Guinea
V[166] = 0	# PH Philippines
V[167] = 0	# PK Pakistan
V[168] = 0	# PL Poland
V[169] = 0	# PM Saint Pierre and Miquelon
V[170] = 0	# PR Puerto Rico
V[171] = 0	# PS Palestine, State of
V[172] = 0	# PT Portugal
V[173] = 0	# PW Palau
V[174] = 0	# PY Paraguay
V[175] = 0	# QA Qatar
V[176] = 0	# RE Réunion
V[177] = 0	# RO Romania
V[178] = 0	# RS Serbia
V[179] = 120	# RU Russian Federation
V[180] = 0	# RW Rwanda
V[181] = 0	# SA Saudi Arabia
V[182] = 0	# SB Solomon Islands
V[183] = 0	# SC Seychelles
V[184] = 0	# SD Sudan
V[185] = 0	# SE Sweden
V[186] = 300	# SG Singapore
V[187] = 0	# SH Saint Helena, Ascension and Tristan da Cunha
V[188] = 0	# SI Slovenia
V[189] = 0	# SJ Svalbard and Jan Mayen
V[190] = 0	# SK Slovakia
V[191] = 0	# SL Sierra Leone
V[192] = 0	# SM San Marino
V[193] = 0	# SN Senegal
V[194] = 0	# SO Somalia
V[195] = 0	# SR Suriname
V[196] = 0	# SS South Sudan
V[197] = 0	# ST Sao Tome and Principe
V[198] = 0	# SV El Salvador
V[199] = 0	# SX Sint Maarten (Dutch part)
V[200] = 0	# SY Syria
V[201] = 0	# SZ Eswatini
V[202] = 0	# TC Turks and Caicos Islands
V[203] = 0	# TD Chad
V[204] = 0	# TF French Southern Territories
V[205] = 0	# TG Togo
V[206] = 0	# TH Thailand
V[207] = 0	# TJ Tajikistan
V[208] = 0	# TL Timor-Leste
V[209] = 0	# TM Turkmenistan
V[210] = 0	# TN Tunisia
V[211] = 0	# TO Tonga
V[212] = 0	# TR Türkiye
V[213] = 0	# TT Trinidad and Tobago
V[214] = 0	# TW Taiwan
V[215] = 0	# TZ Tanzania
V[216] = 0	# UA Ukraine
V[217] = 0	# UG Uganda
V[218] = 120000	# US United States
V[219] = 0	# UY Uruguay
V[220] = 0	# UZ Uzbekistan
V[221] = 0	# VC Saint Vincent and the Grenadines
V[222] = 0	# VE Venezuela
V[223] = 0	# VG Virgin Islands, British
V[224] = 0	# VI Virgin Islands, U.S.
V[225] = 0	# VN Vietnam
V[226] = 0	# VU Vanuatu
V[227] = 0	# WS Samoa
V[228] = 0	# XK Kosovo
V[229] = 0	# YE Yemen
V[230] = 0	# YT Mayotte
V[231] = 12	# ZA South Africa
V[232] = 0	# ZM Zambia
V[233] = 0	# ZW Zimbabwe
V[234] = 0	# -- -

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
array C[234]
do for [i = 1:234] { C[i] = colour(V[i]) }

# The plot area: Natural Earth projection, x and y in earth radii.
set lmargin at screen 0.016000
set rmargin at screen 0.984000
set bmargin at screen 0.164286
set tmargin at screen 0.857143
set xrange [-2.966747:2.966747]
set yrange [-0.995958:1.382343]
unset border
unset xtics
unset ytics
unset key
set label 1 'Packets by country' at screen 0.0160, screen 1 offset character 0, character -1.6 left font ',13'
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
-2.2899 -0.9960
-2.3151 -0.9702
-2.3395 -0.9442
-2.3632 -0.9179
-2.3862 -0.8915
-2.4085 -0.8648
-2.4300 -0.8380
-2.4507 -0.8109
-2.4707 -0.7838
-2.4899 -0.7565
-2.5083 -0.7291
-2.5259 -0.7016
-2.5427 -0.6741
-2.5588 -0.6465
-2.5741 -0.6188
-2.5886 -0.5911
-2.6024 -0.5634
-2.6155 -0.5356
-2.6279 -0.5079
-2.6395 -0.4802
-2.6504 -0.4524
-2.6607 -0.4247
-2.6702 -0.3970
-2.6791 -0.3693
-2.6873 -0.3416
-2.6948 -0.3139
-2.7017 -0.2863
-2.7079 -0.2587
-2.7135 -0.2311
-2.7184 -0.2035
-2.7227 -0.1759
-2.7264 -0.1483
-2.7294 -0.1207
-2.7318 -0.0932
-2.7336 -0.0656
-2.7348 -0.0381
-2.7353 -0.0105
-2.7353 0.0170
-2.7346 0.0445
-2.7333 0.0721
-2.7313 0.0996
-2.7288 0.1272
-2.7256 0.1548
-2.7218 0.1823
-2.7173 0.2099
-2.7122 0.2375
-2.7065 0.2651
-2.7001 0.2928
-2.6931 0.3204
-2.6854 0.3481
-2.6771 0.3758
-2.6680 0.4035
-2.6583 0.4312
-2.6479 0.4589
-2.6368 0.4866
-2.6250 0.5144
-2.6125 0.5421
-2.5993 0.5699
-2.5853 0.5976
-2.5706 0.6253
-2.5551 0.6529
-2.5388 0.6805
-2.5218 0.7081
-2.5040 0.7355
-2.4854 0.7629
-2.4661 0.7902
-2.4460 0.8173
-2.4250 0.8443
-2.4034 0.8711
-2.3809 0.8977
-2.3577 0.9241
-2.3338 0.9503
-2.3092 0.9762
-2.2839 1.0020
-2.2580 1.0274
-2.2315 1.0526
-2.2044 1.0775
-2.1767 1.1021
-2.1486 1.1264
-2.1200 1.1504
-2.0908 1.1741
-2.0612 1.1974
-2.0310 1.2205
-2.0002 1.2431
-1.9686 1.2653
-1.9361 1.2869
-1.9022 1.3080
-1.8666 1.3283
-1.8287 1.3476
-1.7877 1.3657
-1.7427 1.3823
1.7427 1.3823
1.7877 1.3657
1.8287 1.3476
1.8666 1.3283
1.9022 1.3080
1.9361 1.2869
1.9686 1.2653
2.0002 1.2431
2.0310 1.2205
2.0612 1.1974
2.0908 1.1741
2.1200 1.1504
2.1486 1.1264
2.1767 1.1021
2.2044 1.0775
2.2315 1.0526
2.2580 1.0274
2.2839 1.0020
2.3092 0.9762
2.3338 0.9503
2.3577 0.9241
2.3809 0.8977
2.4034 0.8711
2.4250 0.8443
2.4460 0.8173
2.4661 0.7902
2.4854 0.7629
2.5040 0.7355
2.5218 0.7081
2.5388 0.6805
2.5551 0.6529
2.5706 0.6253
2.5853 0.5976
2.5993 0.5699
2.6125 0.5421
2.6250 0.5144
2.6368 0.4866
2.6479 0.4589
2.6583 0.4312
2.6680 0.4035
2.6771 0.3758
2.6854 0.3481
2.6931 0.3204
2.7001 0.2928
2.7065 0.2651
2.7122 0.2375
2.7173 0.2099
2.7218 0.1823
2.7256 0.1548
2.7288 0.1272
2.7313 0.0996
2.7333 0.0721
2.7346 0.0445
2.7353 0.0170
2.7353 -0.0105
2.7348 -0.0381
2.7336 -0.0656
2.7318 -0.0932
2.7294 -0.1207
2.7264 -0.1483
2.7227 -0.1759
2.7184 -0.2035
2.7135 -0.2311
2.7079 -0.2587
2.7017 -0.2863
2.6948 -0.3139
2.6873 -0.3416
2.6791 -0.3693
2.6702 -0.3970
2.6607 -0.4247
2.6504 -0.4524
2.6395 -0.4802
2.6279 -0.5079
2.6155 -0.5356
2.6024 -0.5634
2.5886 -0.5911
2.5741 -0.6188
2.5588 -0.6465
2.5427 -0.6741
2.5259 -0.7016
2.5083 -0.7291
2.4899 -0.7565
2.4707 -0.7838
2.4507 -0.8109
2.4300 -0.8380
2.4085 -0.8648
2.3862 -0.8915
2.3632 -0.9179
2.3395 -0.9442
2.3151 -0.9702
2.2899 -0.9960
EOD

# Country outlines, largest first (so enclaves are drawn over their
# surroundings); one ring per block: x y country.
$map << EOD
# (golden: 868 rings, 26538 points, first 1.8130 0.7460 179, last -0.9631 0.3250 223)
EOD

# Countries with traffic too small to see: x y country.
$dots << EOD
0.2059 0.6333 145
1.5776 0.0239 186
EOD

plot $ocean with filledcurves closed fillcolor rgb OCEAN, \
     $map using 1:2:(C[int($3)]) with filledcurves closed fillcolor rgb variable, \
     $map using 1:2 with lines linecolor rgb BORDER linewidth 0.5, \
     $dots using 1:2:(C[int($3)]) with points pointtype 7 pointsize 1.1 linecolor rgb variable, \
     $dots using 1:2 with points pointtype 6 pointsize 1.1 linecolor rgb '#555555', \
     NaN linecolor palette
unset output
