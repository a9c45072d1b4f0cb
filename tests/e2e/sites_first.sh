#!/bin/sh
# Exact mode must record a thread's very first allocation too: the same
# workload as sites_exact.sh without the throw-away allocation each thread
# makes first (--cold), so the first allocation of main and of the worker
# thread are counted site allocations.
# (The call that claims a thread's slot arrives with the countdown at 0;
# under sampling it is not a sample, in exact mode it must be.)
. "${top_srcdir:-.}/tests/e2e/lib.sh"
[ "$PYTHON3" != no ] || exit 77

"$ALLOCTOP" --json --exact --top 100 -o "$WORK/run" -- \
	"$PROGS/sites" exact --cold >"$WORK/truth" || fail "alloctop exited $?"
$PYTHON3 "$top_srcdir/tests/e2e/sites.py" exact \
	"$top_srcdir/tests/progs/sites.c" "$WORK/truth" "$WORK/run"
