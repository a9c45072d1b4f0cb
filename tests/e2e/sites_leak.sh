#!/bin/sh
# A leak at one site among healthy ones (issue 4): tests/progs/sites leak
# runs 3 s; three healthy sites replace blocks in fixed rings (20 k
# allocations and frees a second each), leaky_site keeps 1000 bytes a
# millisecond.  Ticks of 0.5 s, sorted by growth: in the last tick before
# the final one leaky_site is the top site, and between the first tick
# after 0.8 s and that one its live bytes grew by at least half of what it
# leaked meanwhile, while no healthy site's grew by more than the one
# block it may have in flight.  The final counts of all four sites are
# exact.  Then the same under sampling (period 4 KiB): leaky_site is still
# the top site by growth, and its live bytes grew more than three times as
# much as any healthy site's (the estimate of a healthy ring's live bytes
# has a standard deviation of at most 41 KB a tick at this period, 57 KB
# for the difference of two; the leak grows by about 1.3 MB between the
# two ticks, a third of which is 7 sd).
. "${top_srcdir:-.}/tests/e2e/lib.sh"
[ "$PYTHON3" != no ] || exit 77

SITES_PY="$PYTHON3 $top_srcdir/tests/e2e/sites.py"
SRC="$top_srcdir/tests/progs/sites.c"

"$ALLOCTOP" --json --exact -d 0.5 --sort growth --top 100 -o "$WORK/exact" \
	-- "$PROGS/sites" leak 3 >"$WORK/truth.exact" || fail "alloctop exited $?"
$SITES_PY leak "$SRC" "$WORK/truth.exact" "$WORK/exact" leaky_site 1

"$ALLOCTOP" --json --sample-bytes 4096 -d 0.5 --sort growth --top 100 \
	-o "$WORK/sampled" -- "$PROGS/sites" leak 3 >"$WORK/truth.sampled" ||
	fail "alloctop exited $?"
$SITES_PY leak "$SRC" "$WORK/truth.sampled" "$WORK/sampled" leaky_site 0
