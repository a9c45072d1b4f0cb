#!/bin/sh
# Every workload, paced in real time for about a second: the labels hold
# the right class, and counts that fit the parameters.  (growth, fd-leak
# and thread-leak have tests of their own.)
set -eu
. "$(dirname "$0")/common.sh"

"$PY" - "$T" <<'PYEOF'
import sys
from labels import run, phase, expect, near

tmp = sys.argv[1]


def sim(workload, cls, *args, duration="1s"):
    path = "%s/%s.json" % (tmp, workload)
    rc = run(workload, "--duration", duration, "--labels", path, *args)
    expect(rc == 0, "%s: exit %d" % (workload, rc))
    p = phase(path, cls)
    near(p["end_s"] - p["start_s"], float(duration[:-1]), 0.15,
         workload + " phase length")
    return p["counts"], p


def no_leak(c, what):
    expect(c["leaked_bytes"] == 0 and c["leaked_objects"] == 0,
           what + ": leaked %d bytes" % c["leaked_bytes"])
    expect(c["threads_leaked"] == 0 and c["fds_leaked"] == 0,
           what + ": leaked threads or fds")


c, p = sim("steady", "healthy", "--rate", "1000/s", "--ops")
no_leak(c, "steady")
near(c["steps"], 1000, 0.15, "steady requests")
expect(c["ops"] == c["steps"], "steady: --ops counts each request")
expect(c["calls_calloc"] > 0 and c["calls_malloc"] > c["steps"],
       "steady: malloc and calloc traffic")
expect(p["leak_sites"] == [], "steady: leak_sites")

c, _ = sim("burst", "burst", "--every", "300ms", "--count", "1000",
           "--size", "2K", "--hold", "100ms")
no_leak(c, "burst")
expect(c["events"] == 3, "burst: %d spikes in 1s, expected 3" % c["events"])
expect(c["allocs"] > 3 * 1000 and c["bytes_allocated"] > 3 * 1000 * 2048,
       "burst: spikes missing from the counts")

c, _ = sim("cyclic", "cyclic", "--period", "500ms", "--amplitude", "1MiB",
           "--chunk", "64KiB")
no_leak(c, "cyclic")
# Two cycles of 16 fills and 16 drains, plus the stack array.
near(c["calls_aligned_alloc"], 32, 0.1, "cyclic fills")
expect(c["calls_aligned_alloc"] == c["allocs"] - 1, "cyclic: aligned_alloc")

c, _ = sim("fragment", "fragmentation", "--rate", "20k/s", "--batch", "50")
no_leak(c, "fragment")
near(c["allocs"], 20000, 0.15, "fragment objects")

c, _ = sim("large", "large-object", "--every", "300ms", "--size", "4MiB",
           "--hold", "100ms")
no_leak(c, "large")
expect(c["events"] == 3 and c["calls_posix_memalign"] == 3,
       "large: %d buffers in 1s, expected 3" % c["calls_posix_memalign"])
expect(c["bytes_allocated"] > 3 * 4 * 1048576, "large: bytes")

c, _ = sim("realloc", "realloc-growth", "--rate", "5000/s", "--max", "1K")
no_leak(c, "realloc")
near(c["calls_realloc"], 5000, 0.15, "realloc appends")
expect(c["calls_realloc"] == c["steps"], "realloc: one realloc per step")

c, _ = sim("pool-candidate", "pool-candidate", "--rate", "100k/s",
           "--size", "48", "--batch", "100")
no_leak(c, "pool-candidate")
expect(c["allocs"] == 100 * c["steps"] and c["calls_malloc"] == c["allocs"],
       "pool-candidate: a batch per step")
expect(c["bytes_allocated"] == 48 * c["allocs"], "pool-candidate: sizes")
near(c["allocs"], 100000, 0.15, "pool-candidate objects")

c, p = sim("cache-leak", "cache-leak", "--rate", "1000/s",
           "--value-size", "100")
near(c["steps"], 1000, 0.15, "cache-leak inserts")
# Entry and value per insert, plus the one bucket array still in use.
expect(c["leaked_objects"] == 2 * c["steps"] + 1,
       "cache-leak: %d objects leaked for %d inserts" %
       (c["leaked_objects"], c["steps"]))
expect(c["leaked_bytes"] > 50 * c["steps"], "cache-leak: bytes")
expect(p["leak_sites"][0] == "cache_insert", "cache-leak: leak_sites")
PYEOF
