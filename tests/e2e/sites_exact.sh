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

# Per function: flat totals equal the truth of each allocating function,
# and cumulatively every one of them but the worker thread's is inside
# run_exact and main.
$PYTHON3 - "$WORK/truth" "$WORK/run" <<'PY'
import json, sys
truth = json.load(open(sys.argv[1]))
final = [json.loads(l) for l in open(sys.argv[2])][-1]
flat = {f["function"]: f for f in final["functions"]}
cum = {f["function"]: f for f in final["functions_cumulative"]}
total = 0
for name, t in truth["sites"].items():
    got = flat.get(name)
    assert got, f"{name} missing from the flat function totals"
    assert got["alloc_objects"] == t["alloc_objects"], (name, got, t)
    if "thread" not in name:
        total += t["alloc_objects"]
for outer in ("run_exact", "main"):
    assert cum[outer]["alloc_objects"] >= total, (outer, cum[outer], total)
# The size histogram of a site: every one of site_a's 48-byte blocks in
# the bucket that starts at 16 bytes.
a = [x for x in final["sites"] if x["where"]["function"] == "site_a_malloc"]
hist = {}
for x in a:
    for lo, n in x["size_hist"]:
        hist[lo] = hist.get(lo, 0) + n
assert hist == {16: truth["sites"]["site_a_malloc"]["alloc_objects"]}, hist
print(f"per function: {len(truth['sites'])} functions exact, "
      f"main covers {cum['main']['alloc_objects']} objects")
# Exact mode stays affordable only if repeated stacks come from the shim's
# stack cache, not from unwinding: a dozen distinct stacks repeated
# thousands of times must almost all hit (the first of each, and a few
# after a collision, miss).
s = final["sampling"]
assert s["samples"] >= 2000, s
assert s["stack_hits"] >= 0.95 * s["samples"], f"stack cache: {s}"
print(f"stack cache: {s['stack_hits']} of {s['samples']} samples")
PY
