#!/bin/sh
# tsa-geo/continents.c (the continents it adds to ip-location-db answers) is
# what MaxMind's GeoLite2-Country data says: regenerate it and compare.  And
# spot checks that do not depend on the generator.
set -eu
db="$TSA_TOP/data/GeoLite2-Country.mmdb"
if [ ! -s "$db" ]; then
	echo "$db missing: run scripts/setup"
	exit 77
fi
perl "$TSA_TOP/tsa-geo/mkcontinents.pl" "$db" > "$TSA_TMP/continents.c"
diff -u "$TSA_TOP/tsa-geo/continents.c" "$TSA_TMP/continents.c"
n=$(grep -c '^	{ "[A-Z][A-Z]", "[A-Z][A-Z]" },$' "$TSA_TOP/tsa-geo/continents.c")
echo "$n countries"
[ "$n" -ge 240 ]
for pair in DE:EU US:NA BR:SA AU:OC JP:AS ZA:AF AQ:AN RU:EU TR:AS EG:AF PA:NA; do
	grep -q "{ \"${pair%:*}\", \"${pair#*:}\" }" "$TSA_TOP/tsa-geo/continents.c" ||
		{ echo "missing $pair"; exit 1; }
done
echo ok
