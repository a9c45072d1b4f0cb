#!/bin/sh
# Call sites in exact mode (issue 4): tests/progs/sites allocates from
# functions whose every block is known (malloc, calloc, a realloc chain,
# aligned_alloc, a worker thread; some kept, some freed elsewhere or by
# another thread).  Per function alloctop must report exactly the objects
# and bytes allocated, freed and live, one sample per allocation, the
# smallest and largest size, the realloc grows, the callers one frame up,
# and the file and line of the allocation call (found by its marker
# comment).  A site whose blocks were all freed shows 0 live objects.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
[ "$PYTHON3" != no ] || exit 77

"$ALLOCTOP" --json --exact --top 100 -o "$WORK/run" -- \
	"$PROGS/sites" exact >"$WORK/truth" || fail "alloctop exited $?"
$PYTHON3 "$top_srcdir/tests/e2e/sites.py" exact \
	"$top_srcdir/tests/progs/sites.c" "$WORK/truth" "$WORK/run"
