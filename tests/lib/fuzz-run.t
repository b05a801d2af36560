#!/bin/sh
# Every fuzz target runs under libFuzzer, with AddressSanitizer and
# UndefinedBehaviorSanitizer, for a number of new inputs beyond its seeds,
# from a random seed that changes each run and is printed, so that a
# finding can be replayed (scripts/fuzz -n RUNS -s SEED NAME): each make
# test and make asan fuzzes somewhere new (make fuzz runs them for longer).
# fuzz-targets.t replays fixed inputs; this one lets libFuzzer mutate them.
set -u
. "$TSA_TOP/tests/lib.sh"
need_pcaps	# the seeds of capture_decode and others are cut from them
runs=50000
seed=${TSA_FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "fuzz seed $seed (TSA_FUZZ_SEED=$seed tests/run fuzz-run to repeat)"
scripts/fuzz -n "$runs" -s "$seed" -d "$TSA_TMP" >"$TSA_TMP/table" 2>"$TSA_TMP/err" ||
	die "scripts/fuzz did not run: $(tail -n 5 "$TSA_TMP/err")"
cat "$TSA_TMP/table"
n=0
for src in fuzz/*.c; do
	t=$(basename "$src" .c)
	n=$((n + 1))
	# target, executions, seconds, result
	if ! awk -v t="$t" -v r="$runs" '$1 == t && $2 >= r && $4 == "ok" { f = 1 } END { exit !f }' \
	    "$TSA_TMP/table"; then
		[ -f "$TSA_TMP/$t.log" ] && tail -n 20 "$TSA_TMP/$t.log"
		fail "$t: not $runs executions beyond its seeds without a finding (seed $seed)"
	fi
done
[ $fails -eq 0 ] && pass "$n targets, $runs executions each, no finding"
finish
