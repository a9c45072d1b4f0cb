#!/bin/sh
# A timer signal's handler allocates while the main thread allocates in a
# tight loop: no count is lost or torn.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

alloctop_json "$WORK/base" "$PROGS/exact" --rounds 0
alloctop_json "$WORK/run" "$PROGS/exact" --rounds 0 --signal
$COMPARE delta "$WORK/base" "$WORK/run" "$WORK/run.stdout"
