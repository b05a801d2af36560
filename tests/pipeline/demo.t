#!/bin/sh
# make demo's script as a user runs it with a settings file of their own:
# it takes [app] InitFileLocation and [plot] OutputDirectory as the tools
# resolve them (tsa-capture and tsa-plot --values; a relative directory is
# relative to the settings file), runs the pipeline and says where the
# output is; the final snapshot counts every packet of the capture.
. "$TSA_TOP/tests/lib.sh"
need_pcaps
need_mmdb
p=$PCAPS/zeek-http-bro.org.pcap
need_file "$p"
d=$TSA_TMP/settings-dir
mkdir -p "$d"
sed -e "s|^InitFileLocation *=.*|InitFileLocation = $p|" \
    -e "s|^OutputDirectory *=.*|OutputDirectory = my-out|" \
    "$TSA_TOP/settings.ini" >"$d/settings.ini"
check "tsa-plot --values resolves the output directory by the settings file" \
    [ "$(TSA_SETTINGS=$d/settings.ini "$TSA_BIN/tsa-plot" --values |
	awk -F '\t' '$1 == "output" { print $2 }')" = "$d/my-out" ]
sed -e "s|^Gnuplot *=.*|Gnuplot = tools/gnuplot|" "$d/settings.ini" >"$d/gp.ini"
check "a program's path in settings.ini is relative to the file" \
    [ "$(TSA_SETTINGS=$d/gp.ini "$TSA_BIN/tsa-plot" --values |
	awk -F '\t' '$1 == "gnuplot" { print $2 }')" = "$d/tools/gnuplot" ]
check "a program's bare name stays a name, looked up in PATH" \
    [ "$(TSA_SETTINGS=$d/settings.ini "$TSA_BIN/tsa-plot" --values |
	awk -F '\t' '$1 == "gnuplot" { print $2 }')" = gnuplot ]
check "a command-line option wins over the setting in --values" \
    [ "$(TSA_SETTINGS=$d/settings.ini "$TSA_BIN/tsa-plot" -o elsewhere --values |
	awk -F '\t' '$1 == "output" { print $2 }')" = elsewhere ]
TSA_SETTINGS=$d/settings.ini "$TSA_TOP/scripts/demo" >"$TSA_TMP/demo.out" 2>&1 ||
    die "scripts/demo failed: $(tail -n 3 "$TSA_TMP/demo.out")"
check "it reads the capture the settings name" \
    grep -q "demo: reading $p" "$TSA_TMP/demo.out"
check "it says where the output is" \
    grep -q "demo: output in $d/my-out/" "$TSA_TMP/demo.out"
check "the page is there" [ -s "$d/my-out/index.html" ]
records=$("$TSA_BIN/tsa-print" -f length --no-title "$d/my-out/packets.tsa" | wc -l)
final=$("$TSA_BIN/tsa-print" --json "$d/my-out/snapshots.tsa" |
    "$PY" -c 'import json, sys
print([r for r in map(json.loads, sys.stdin) if r.get("type") == "snapshot" and r.get("final")][0]["packets"])')
check "the final snapshot counts the capture's 751 packets ($records records, $final)" \
    [ "$records" = 751 -a "$final" = 751 ]
finish
