#!/bin/sh
# 300 threads alive at once, more than the 256 slots: the ones without a slot
# count through the shared block, and the totals are still exact.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

alloctop_json "$WORK/base" "$PROGS/exact" --threads 300 --concurrent --rounds 0
alloctop_json "$WORK/run" "$PROGS/exact" --threads 300 --concurrent --rounds 20
$COMPARE delta "$WORK/base" "$WORK/run" "$WORK/run.stdout"
unslotted=$($COMPARE field "$WORK/run" threads.unslotted)
[ "$unslotted" -gt 0 ] || fail "expected threads beyond the slot table, got $unslotted"
