#!/bin/sh
# Every entry point, known sizes, 16 threads that start and exit: the totals
# alloctop reports differ from a zero-round run by exactly what the program
# did.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

alloctop_json "$WORK/base" "$PROGS/exact" --threads 16 --rounds 0
alloctop_json "$WORK/run" "$PROGS/exact" --threads 16 --rounds 500 --ops 77
$COMPARE delta "$WORK/base" "$WORK/run" "$WORK/run.stdout"
[ "$($COMPARE field "$WORK/run" threads.total)" -ge 17 ] ||
	fail "threads.total below 17"
[ "$($COMPARE field "$WORK/run" exit_status)" = 0 ] || fail "exit status"
