#!/bin/sh
# Every fuzz target runs under libFuzzer, with AddressSanitizer and
# UndefinedBehaviorSanitizer, for a number of new inputs beyond its seeds,
# from a random seed that changes each run and is printed, so that a
# finding can be replayed (scripts/fuzz -n RUNS -s SEED NAME): each make
# test and make asan fuzzes somewhere new (make fuzz runs them for longer).
# fuzz-targets.t replays fixed inputs; this one lets libFuzzer mutate them.
set -u
runs=50000
seed=${TSA_FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "fuzz seed $seed (TSA_FUZZ_SEED=$seed tests/run fuzz-run to repeat)"
if ! scripts/fuzz -n "$runs" -s "$seed" -d "$TSA_TMP" >"$TSA_TMP/table" 2>"$TSA_TMP/err"; then
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
		echo "FAIL $t: not $runs executions beyond its seeds without a finding (seed $seed)"
		[ -f "$TSA_TMP/$t.log" ] && tail -n 20 "$TSA_TMP/$t.log"
		fail=1
	fi
done
[ $fail -eq 0 ] && echo "ok: $n targets, $runs executions each, no finding"
exit $fail
