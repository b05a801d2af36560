#!/bin/sh
# Every fuzz target runs under libFuzzer, with AddressSanitizer and
# UndefinedBehaviorSanitizer, for a fixed number of executions from a fixed
# random seed: a short, repeatable fuzzing pass in every make test (make
# fuzz runs them for longer).  fuzz-targets.t replays fixed inputs; this
# one lets libFuzzer mutate them.
set -u
case "$TSA_BIN" in
*bin-asan*) echo "libFuzzer runs in make test's plain pass"; exit 77 ;;
esac
runs=50000
if ! scripts/fuzz -n "$runs" -s 1 -d "$TSA_TMP" >"$TSA_TMP/table" 2>"$TSA_TMP/err"; then
	echo "FAIL: scripts/fuzz did not run: $(tail -n 5 "$TSA_TMP/err")"
	exit 1
fi
cat "$TSA_TMP/table"
fail=0 n=0
for src in fuzz/*.c; do
	t=$(basename "$src" .c)
	n=$((n + 1))
	# target, executions, seconds, result
	if ! awk -v t="$t" -v r="$runs" '$1 == t && $2 >= r && $4 == "ok" { f = 1 } END { exit !f }' \
	    "$TSA_TMP/table"; then
		echo "FAIL $t: not $runs executions (besides its seeds) without a finding"
		[ -f "$TSA_TMP/$t.log" ] && tail -n 20 "$TSA_TMP/$t.log"
		fail=1
	fi
done
[ $fail -eq 0 ] && echo "ok: $n targets, $runs executions each, no finding"
exit $fail
