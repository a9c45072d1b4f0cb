#!/bin/sh
# alloctop-sim under alloctop: alloctop's exact final totals equal the
# labels' counts, call for call and byte for byte, and (with every stack
# sampled) the live objects sit at the labels' leak sites only.
# thread-leak is left out: pthread_create allocates inside the C library,
# which alloctop sees and the labels do not (alloctop-sim(1), LABELS).
set -eu
. "$(dirname "$0")/common.sh"

ALLOCTOP="$top_builddir/alloctop"
[ -x "$ALLOCTOP" ] || { echo "SKIP: $ALLOCTOP not built"; exit 77; }

# under NAME SIM-ARGS...: NDJSON in $T/NAME.json, labels in $T/NAME.labels
under()
{
	name=$1
	shift
	"$ALLOCTOP" --json --exact --top 1000 -d 0.2 -o "$T/$name.json" -- \
		"$SIM" "$@" --labels "$T/$name.labels" --quiet ||
		fail "alloctop -- alloctop-sim $*: exit $?"
}

# Every workload but thread-leak, with events every few steps.
cat >"$T/sched" <<'SCHED'
steady
burst          --every 100ms --count 200
growth         --chunk 4K
cyclic         --amplitude 1MiB
fragment
large          --every 20ms --size 1MiB
realloc
pool-candidate
fd-leak
cache-leak
SCHED
under mixed mixed --iterations 40 --ops --schedule "$T/sched"
under threads steady --iterations 3000 --threads 1 --seed 9
under paced growth --rate 2MB/s --duration 1s --chunk 16K

"$PY" - "$T" <<'PYEOF'
import json, sys
from labels import load, expect

tmp = sys.argv[1]
FNS = ["malloc", "calloc", "realloc", "posix_memalign", "aligned_alloc",
       "free"]

for name in ("mixed", "threads", "paced"):
    with open("%s/%s.json" % (tmp, name)) as f:
        ticks = [json.loads(line) for line in f if line.strip()]
    final = ticks[-1]
    expect(final["final"] and final["exit_status"] == 0,
           name + ": no final tick with exit status 0")
    lab = load("%s/%s.labels" % (tmp, name))
    l = lab["totals"]
    t = final["totals"]
    pairs = [("alloc_calls", l["allocs"] + l["failed"]),
             ("free_calls", l["calls_free"]),
             ("alloc_blocks", l["allocs"]),
             ("free_blocks", l["frees"]),
             ("live_blocks", l["leaked_objects"]),
             ("requested_bytes", l["bytes_allocated"]),
             ("ops", l["ops"])]
    for fn in FNS:
        pairs.append(("calls." + fn, l["calls_" + fn]))
    for key, want in pairs:
        got = (final["calls"][key[6:]]["calls"] if key.startswith("calls.")
               else t[key])
        expect(got == want, "%s: alloctop %s = %d, labels say %d" %
               (name, key, got, want))

    # Every live object was allocated at a labelled leak site.
    sites = {s for p in lab["phases"] for s in p["leak_sites"]}
    live = {}
    for s in final["sites"]:
        fn = s["where"]["function"]
        live[fn] = live.get(fn, 0) + s["live_objects"]
    at_sites = sum(n for fn, n in live.items() if fn in sites)
    elsewhere = {fn: n for fn, n in live.items() if fn not in sites and n}
    expect(not elsewhere, "%s: live objects outside the leak sites: %s" %
           (name, elsewhere))
    # --exact: every leaked object is at a labelled leak site.
    expect(at_sites == l["leaked_objects"],
           "%s: %d live objects at %s, labels leaked %d" %
           (name, at_sites, sorted(sites), l["leaked_objects"]))
    if name == "mixed":
        for fn in ("growth_leak_chunk", "cache_insert", "burst_spike",
                   "pool_churn_object", "realloc_append_bytes",
                   "large_alloc_buffer", "cyclic_fill_chunk",
                   "frag_alloc_short", "service_new_object"):
            expect(fn in live, "mixed: no call site named " + fn)
PYEOF
