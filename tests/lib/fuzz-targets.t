#!/bin/sh
# Every fuzz target builds the way the tools do (warnings are errors), with
# a plain main (fuzz-main.c), and replays its seeds and a few other inputs
# without a crash.  A target left behind by a change of the code it calls
# fails here instead of at the next fuzzing run (as p0f_match did once).
set -u
. "$TSA_TOP/tests/lib.sh"
need_pcaps
obj="$TSA_TOP/build" san=""
case "$TSA_BIN" in
*bin-asan*)
	obj="$TSA_TOP/build-asan"
	san="-fsanitize=address,undefined -fno-sanitize-recover=all" ;;
esac
# Inputs every target gets: nothing, a pcap's first bytes, a stream's.
mkdir "$TSA_TMP/common"
: >"$TSA_TMP/common/empty"
head -c 4096 "$PCAPS/zeek-wikipedia.pcap" >"$TSA_TMP/common/pcap"
"$TSA_BIN/tsa-capture" -q -c 20 -r "$PCAPS/zeek-wikipedia.pcap" >"$TSA_TMP/common/stream"
printf '[p0f]\nDatabaseFilePath = x\n' >"$TSA_TMP/common/ini"

for src in fuzz/*.c; do
	t=$(basename "$src" .c)
	objs="" libs=""
	for w in $(sed -n '1s|^// link:||p' "$src"); do
		case $w in
		-*) libs="$libs $w" ;;
		*) objs="$objs $(make -s OBJ="$obj" "print-$w")" ;;
		esac
	done
	# shellcheck disable=SC2086
	if ! cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Ilib -g -O1 $san \
	    -o "$TSA_TMP/$t" "$src" tests/lib/fuzz-main.c $objs "$obj/libtsa.a" \
	    $libs -lm 2>"$TSA_TMP/cc.err"; then
		fail "$t: does not build: $(head -n 3 "$TSA_TMP/cc.err")"
		continue
	fi
	mkdir "$TSA_TMP/seeds-$t"
	[ -x "fuzz/$t.seed" ] && "fuzz/$t.seed" "$TSA_TMP/seeds-$t"
	n=$(find "$TSA_TMP/seeds-$t" -type f | wc -l)
	if [ -x "fuzz/$t.seed" ] && [ "$n" -eq 0 ]; then
		fail "$t: fuzz/$t.seed made no seeds"
	fi
	if ! find "$TSA_TMP/seeds-$t" "$TSA_TMP/common" -type f -print0 |
	    xargs -0 "$TSA_TMP/$t" >"$TSA_TMP/run.out" 2>&1; then
		fail "$t: crashed replaying its inputs: $(tail -n 5 "$TSA_TMP/run.out")"
		continue
	fi
	pass "$t: built, $n seeds and 4 other inputs replayed"
done
finish
