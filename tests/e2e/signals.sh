#!/bin/sh
# A timer signal's handler allocates while the main thread allocates in a
# tight loop: no count is lost or torn.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

alloctop_json "$WORK/base" "$PROGS/exact" --rounds 0
alloctop_json "$WORK/run" "$PROGS/exact" --rounds 0 --signal
$COMPARE delta "$WORK/base" "$WORK/run" "$WORK/run.stdout"
# The same in exact mode, where the handler may land inside the sampler
# of the allocation it interrupted (it is counted, not sampled).
"$ALLOCTOP" --json --exact -d 0.2 -o "$WORK/xbase" -- "$PROGS/exact" \
	--rounds 0 >"$WORK/xbase.stdout" || fail "alloctop --exact exited $?"
"$ALLOCTOP" --json --exact -d 0.2 -o "$WORK/xrun" -- "$PROGS/exact" \
	--rounds 0 --signal >"$WORK/xrun.stdout" ||
	fail "alloctop --exact -- exact --signal exited $?"
$COMPARE delta "$WORK/xbase" "$WORK/xrun" "$WORK/xrun.stdout"
