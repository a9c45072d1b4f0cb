#!/bin/sh
# Every entry point, known sizes (heap chunks and mapped ones), 16 threads
# that start and exit: the totals alloctop reports differ from a zero-round
# run by exactly what the program did.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

alloctop_json "$WORK/base" "$PROGS/exact" --threads 16 --rounds 0 --mapped
alloctop_json "$WORK/run" "$PROGS/exact" --threads 16 --rounds 500 --ops 77 \
	--mapped
$COMPARE delta "$WORK/base" "$WORK/run" "$WORK/run.stdout"
[ "$($COMPARE field "$WORK/run" threads.total)" -ge 17 ] ||
	fail "threads.total below 17"
[ "$($COMPARE field "$WORK/run" exit_status)" = 0 ] || fail "exit status"
# alloctop.h's alloctop_ops() is a no-op without the shim: same program,
# bare, runs and reports the same workload.
"$PROGS/exact" --threads 2 --rounds 10 --ops 5 >"$WORK/bare.out" ||
	fail "the program fails without the shim"
grep -q '"ops":5' "$WORK/bare.out" || fail "bare run output: $(cat "$WORK/bare.out")"
# Exact mode counts every allocation on its own path (a stack per block):
# the totals are the same to the call and the byte.
"$ALLOCTOP" --json --exact -d 0.2 -o "$WORK/xbase" -- "$PROGS/exact" \
	--threads 16 --rounds 0 --mapped >"$WORK/xbase.stdout" ||
	fail "alloctop --exact (0 rounds) exited $?"
"$ALLOCTOP" --json --exact -d 0.2 -o "$WORK/xrun" -- "$PROGS/exact" \
	--threads 16 --rounds 500 --ops 77 --mapped >"$WORK/xrun.stdout" ||
	fail "alloctop --exact exited $?"
$COMPARE delta "$WORK/xbase" "$WORK/xrun" "$WORK/xrun.stdout"
