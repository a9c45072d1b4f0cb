#!/bin/sh
# Object lifetimes per call site (exact mode): tests/progs/sites life frees
# lives_short's 200 blocks at once and lives_2ms's 50 after a 2 ms sleep.
# The lifetime histogram has buckets a factor of four wide ([1, 4) ms is
# the one of 2 ms, taken at its middle, 2.56 ms); a late wake-up past 4 ms
# on a loaded machine moves a few blocks to the next, so lives_2ms's
# average lies between 2.56 ms and 4 ms, and lives_short's below 10 us.
# The counts are exact: every block freed, none live.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
[ "$PYTHON3" != no ] || exit 77

"$ALLOCTOP" --json --exact --top 20 -o "$WORK/run" -- \
	"$PROGS/sites" life >"$WORK/truth" || fail "alloctop exited $?"
$PYTHON3 - "$WORK/run" "$WORK/truth" <<'PY'
import json, sys
final = [json.loads(l) for l in open(sys.argv[1])][-1]
truth = json.load(open(sys.argv[2]))["sites"]
got = {s["where"]["function"]: s for s in final["sites"]
       if (s.get("where") or {}).get("function") in truth}
for name, t in truth.items():
    s = got.get(name)
    assert s, f"{name} missing"
    assert s["alloc_objects"] == t["alloc_objects"], (name, s, t)
    assert s["free_objects"] == t["free_objects"], (name, s, t)
    assert s["live_objects"] == 0, (name, s)
short = got["lives_short"]["avg_lifetime_s"]
ms2 = got["lives_2ms"]["avg_lifetime_s"]
assert short < 10e-6, f"lives_short lives {short * 1e6:.1f} us on average"
assert 2.56e-3 <= ms2 <= 4e-3, f"lives_2ms lives {ms2 * 1e3:.2f} ms"
print(f"lives_short {short * 1e6:.2f} us, lives_2ms {ms2 * 1e3:.2f} ms")
PY
echo "sites_life: ok"
