#!/bin/sh
# Allocations from atexit handlers and thread-exit (key) destructors, and
# blocks leaked to the end: counted, and the leak shows as live.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

alloctop_json "$WORK/base" "$PROGS/exact" --threads 4 --rounds 0
alloctop_json "$WORK/run" "$PROGS/exact" --threads 4 --rounds 10 \
	--atexit 100 --tls-exit 50 --leak 1000
$COMPARE delta "$WORK/base" "$WORK/run" "$WORK/run.stdout"
base=$($COMPARE field "$WORK/base" totals.live_blocks)
run=$($COMPARE field "$WORK/run" totals.live_blocks)
# 1000 leaked blocks of 48 bytes and 100 from atexit.
[ $((run - base)) -eq 1100 ] || fail "live blocks grew by $((run - base)), not 1100"
