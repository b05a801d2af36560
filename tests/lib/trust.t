#!/bin/bash
# As root, TSA reads no settings and no database that another user could
# have written (issue 16.2): the attacks replayed, with the unprivileged
# user nobody as the attacker.  A settings.ini planted in a directory
# nobody can write, naming a script to run and keeping tsa-capture root,
# is refused with one line and nothing of it runs; so are a database and a
# p0f.fp there, a file another user owns or can write, and a path through
# a link someone else could swap.  TSA_SAFE_PATHS overrides.  Root's own
# files, in mktemp directories under /tmp, are read as before.
set -u
. "$TSA_TOP/tests/lib.sh"
need_root "the files of another user are planted as nobody"
need_cmd setpriv
id nobody >/dev/null 2>&1 || skip "no user nobody"
need_nobody_reach
B=$TSA_BIN
as_nobody() { setpriv --reuid=nobody --regid="$(id -gn nobody)" --clear-groups "$@"; }
unset TSA_SETTINGS TSA_SAFE_PATHS

# $T: root's, reachable by nobody; $T/sticky like /tmp.
T=$TSA_TMP
chmod 755 "$T"
mkdir -m 1777 "$T/sticky"
W="$T/sticky/w"		# the attacker's directory
as_nobody mkdir -m 777 "$W"
printf '#!/bin/sh\nid > "%s/pwned"\n' "$T" | as_nobody tee "$W/evil.sh" >/dev/null
as_nobody chmod 755 "$W/evil.sh"
# Settings that would work: root's database and map, the planted gnuplot.
printf '[plot]\nGnuplot = %s/evil.sh\nMapData = %s/tsa-plot/world.dat\n[geoip]\nDatabaseFilePath = %s/data/dbip-country.mmdb\n[capture]\nUser =\n[gen]\nPackets = 7\n' \
	"$W" "$TSA_TOP" "$TSA_TOP" | as_nobody tee "$W/settings.ini" >/dev/null
# (read by root: the tree may be where nobody cannot read; written by nobody)
as_nobody tee "$W/db.mmdb" <"$TSA_TOP/data/dbip-country.mmdb" >/dev/null
as_nobody cp /etc/p0f/p0f.fp "$W/p0f.fp" 2>/dev/null

# refused NAME DIR PATTERN -- command: status 1, one line matching PATTERN.
refused() {
	local name=$1 dir=$2 pat=$3; shift 4
	(cd "$dir" && "$@") <"$T/in.tsa" >"$T/out" 2>"$T/err"
	local st=$?
	if [ $st = 1 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -qE -- "$pat" "$T/err"; then
		pass "$name: $(cat "$T/err")"
	else
		fail "$name: status $st, stderr: $(cat "$T/err")"
	fi
}
# packets FILE: the packet count of a pcap tsa-gen wrote (7 from the
# planted settings, 10000 by default).
packets() { $B/tsa-capture -r "$1" 2>/dev/null | $B/tsa-print 2>/dev/null | grep -vc '"type"'; }
accepted() {	# accepted NAME DIR WANT -- tsa-gen args...: read, WANT packets
	local name=$1 dir=$2 want=$3; shift 4
	rm -f "$T/g.pcap"
	(cd "$dir" && $B/tsa-gen -o "$T/g.pcap" "$@") 2>"$T/err"
	local n; n=$(packets "$T/g.pcap")
	if [ "$n" = "$want" ] && [ ! -s "$T/err" ]; then
		pass "$name: $n packets"
	else
		fail "$name: $n packets (want $want), stderr: $(cat "$T/err")"
	fi
}
why_dir="not trusted as root: directory $W is owned by nobody \(uid [0-9]+\); to trust it anyway, set TSA_SAFE_PATHS=$W/settings.ini$"

# The attack: root runs the pipeline in the planted directory.  Every tool
# that reads settings refuses; gnuplot (the script) never runs.
$B/tsa-gen -n 2000 -o "$T/in.pcap" 2>/dev/null
$B/tsa-capture -r "$T/in.pcap" >"$T/in.tsa"
# (tsa-print has no settings.)
for tool in tsa-capture tsa-geo tsa-p0f tsa-aggregate tsa-plot tsa-filter tsa-gen; do
	case $tool in
	tsa-capture) args="-r $T/in.pcap" ;;
	tsa-filter) args="has src_addr" ;;
	tsa-gen) args="-o $T/x.pcap" ;;
	tsa-plot) args="-o $T/plot" ;;
	*) args="" ;;
	esac
	# shellcheck disable=SC2086
	refused "$tool in nobody's directory" "$W" "^$tool: settings.ini: $why_dir" -- $B/$tool $args
done
(cd "$W" && $B/tsa-geo | $B/tsa-aggregate | $B/tsa-plot -o "$T/plot") <"$T/in.tsa" >/dev/null 2>&1
[ ! -e "$T/pwned" ] && pass "the planted gnuplot never ran" ||
	fail "the planted script ran: $(cat "$T/pwned")"

# Named explicitly, or by $TSA_SETTINGS: the same.
refused "--settings" "$T" "^tsa-gen: $W/settings.ini: $why_dir" -- \
	$B/tsa-gen --settings "$W/settings.ini" -o "$T/x.pcap"
refused "TSA_SETTINGS" "$T" "^tsa-gen: $W/settings.ini: $why_dir" -- \
	env TSA_SETTINGS="$W/settings.ini" $B/tsa-gen -o "$T/x.pcap"

# The override: the file, its directory, or everything.
export TSA_SAFE_PATHS="$W/settings.ini"
accepted "TSA_SAFE_PATHS=file" "$W" 7 --
export TSA_SAFE_PATHS="/nonexistent:$W:/also/not"
accepted "TSA_SAFE_PATHS=dir" "$W" 7 --
export TSA_SAFE_PATHS='*'
accepted "TSA_SAFE_PATHS=*" "$W" 7 --
export TSA_SAFE_PATHS="$T/sticky/other"
refused "TSA_SAFE_PATHS elsewhere" "$W" "$why_dir" -- $B/tsa-gen -o "$T/x.pcap"
unset TSA_SAFE_PATHS

# The file itself: owned by another user, writable by others or the group.
R="$T/root"; mkdir -m 755 "$R"
printf '[gen]\nPackets = 7\n' >"$R/settings.ini"
accepted "root's file in root's directory" "$R" 7 --
chmod 666 "$R/settings.ini"
refused "mode 666" "$R" "settings.ini is writable by every user \(mode 0666\)" -- $B/tsa-gen -o "$T/x.pcap"
chmod 664 "$R/settings.ini"
refused "mode 664" "$R" "settings.ini is writable by its group \(mode 0664\)" -- $B/tsa-gen -o "$T/x.pcap"
chmod 644 "$R/settings.ini"
chown nobody "$R/settings.ini"
refused "owned by nobody" "$R" "$R/settings.ini is owned by nobody" -- $B/tsa-gen -o "$T/x.pcap"
chown root "$R/settings.ini"
# A directory above it: writable by others without the sticky bit.
chmod 777 "$T"
refused "writable directory above" "$R" "directory $T is writable by every user \(mode 0777\)" -- $B/tsa-gen -o "$T/x.pcap"
chmod 755 "$T"

# Links: followed and checked; one another user owns in a sticky directory
# is not trusted (they could swap it), root's is.
ln -s "$R/settings.ini" "$T/sticky/root-link.ini"
accepted "root's link in a sticky directory" "$T" 7 -- --settings "$T/sticky/root-link.ini"
as_nobody ln -s "$R/settings.ini" "$T/sticky/nobody-link.ini"
refused "nobody's link in a sticky directory" "$T" \
	"symbolic link $T/sticky/nobody-link.ini, in a directory every user can write, is owned by nobody" -- \
	$B/tsa-gen --settings "$T/sticky/nobody-link.ini" -o "$T/x.pcap"
# A link of root's whose target lies through nobody's directory.
as_nobody mkdir -m 755 "$W/sub"
ln -s "$W/sub" "$R/via"
cp "$R/settings.ini" "$T/s.ini" && mv "$T/s.ini" "$R/via/settings.ini" 2>/dev/null
refused "a link through nobody's directory" "$R" "directory $W is owned by nobody" -- \
	$B/tsa-gen --settings via/settings.ini -o "$T/x.pcap"
# A relative link, .. and . on the way.
ln -s ./root/../root/./settings.ini "$T/rel.ini"
accepted "a relative link with .. and ." "$T" 7 -- --settings "$T/./sticky/../rel.ini"

# Missing files: where only root could create one, the tool just says it
# is missing; where anyone could, that is said.
refused "missing in root's directory" "$R" "^tsa-gen: $R/none.ini: No such file or directory$" -- \
	$B/tsa-gen --settings "$R/none.ini" -o "$T/x.pcap"
refused "missing in a sticky directory" "$R" \
	"$T/sticky/none.ini does not exist, and every user can create it" -- \
	$B/tsa-geo -d "$T/sticky/none.ini"
accepted "/dev/null as the settings" "$R" 9 -- --settings /dev/null -n 9

# Databases: tsa-geo's and tsa-p0f's, named in root's settings or on the
# command line, in nobody's directory.
printf '[geoip]\nDatabaseFilePath = %s/db.mmdb\n[p0f]\nDatabaseFilePath = %s/p0f.fp\n' "$W" "$W" >"$R/settings.ini"
refused "tsa-geo database from settings" "$R" \
	"^tsa-geo: $W/db.mmdb: not trusted as root: directory $W is owned by nobody .*TSA_SAFE_PATHS=$W/db.mmdb$" -- \
	$B/tsa-geo
refused "tsa-geo -d" "$T" "^tsa-geo: $W/db.mmdb: not trusted as root" -- \
	$B/tsa-geo -d "$W/db.mmdb"
if [ -e "$W/p0f.fp" ]; then
	refused "tsa-p0f database from settings" "$R" \
		"^tsa-p0f: $W/p0f.fp: not trusted as root: directory $W is owned by nobody .*TSA_SAFE_PATHS=$W/p0f.fp$" -- \
		$B/tsa-p0f
fi
n=$(cd "$R" && TSA_SAFE_PATHS="$W" $B/tsa-geo <"$T/in.tsa" |
	TSA_SAFE_PATHS="$W" $B/tsa-p0f | $B/tsa-print -f src_country | grep -c '^[A-Z][A-Z]')
[ "$n" -gt 0 ] && pass "databases trusted by TSA_SAFE_PATHS: $n countries" ||
	fail "databases with TSA_SAFE_PATHS: $n countries"

# Not root: nothing is checked; nobody's own settings are nobody's business.
(cd "$W" && as_nobody $B/tsa-gen -o "$W/own.pcap") 2>"$T/err"
n=$(packets "$W/own.pcap")
[ "$n" = 7 ] && [ ! -s "$T/err" ] && pass "nobody reads its own settings" ||
	fail "nobody's own settings: $n packets, $(cat "$T/err")"
finish
