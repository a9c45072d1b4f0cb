# tests/sim/labels.py - loads an alloctop-sim labels file and checks
# everything that must hold in any run (alloctop-sim(1), FILES).
import json
import subprocess
import os

CLASSES = {"healthy", "burst", "growth", "cyclic", "fragmentation",
           "large-object", "realloc-growth", "pool-candidate",
           "thread-leak", "fd-leak", "cache-leak"}
COUNTS = ["allocs", "frees", "bytes_allocated", "bytes_freed",
          "leaked_bytes", "leaked_objects", "threads_leaked",
          "fds_leaked", "failed", "events", "steps", "ops",
          "calls_malloc", "calls_calloc", "calls_realloc",
          "calls_posix_memalign", "calls_aligned_alloc", "calls_free"]
CALLS = ["calls_malloc", "calls_calloc", "calls_realloc",
         "calls_posix_memalign", "calls_aligned_alloc"]


class Bad(Exception):
    pass


def expect(cond, msg):
    if not cond:
        raise Bad(msg)


def check_counts(c, where):
    for k in COUNTS:
        expect(isinstance(c.get(k), int) and c[k] >= 0,
               "%s: counts.%s missing or not a count" % (where, k))
    expect(c["leaked_bytes"] == c["bytes_allocated"] - c["bytes_freed"],
           where + ": leaked_bytes")
    expect(c["leaked_objects"] == c["allocs"] - c["frees"],
           where + ": leaked_objects")
    expect(sum(c[k] for k in CALLS) == c["allocs"] + c["failed"],
           where + ": allocs do not add up to the calls")
    expect(c["calls_free"] <= c["frees"] <= c["calls_free"] +
           c["calls_realloc"], where + ": frees")


def load(path):
    with open(path) as f:
        d = json.load(f)
    for k in ("workload", "seed", "pid", "threads", "phases", "totals",
              "params", "interrupted"):
        expect(k in d, "no top-level " + k)
    total = dict.fromkeys(COUNTS, 0)
    prev_end = 0
    for i, p in enumerate(d["phases"]):
        where = "phase %d (%s)" % (i, p.get("name"))
        expect(p["class"] in CLASSES, where + ": class " + str(p["class"]))
        expect(0 <= p["start_s"] <= p["end_s"], where + ": times")
        expect(p["start_s"] >= prev_end - 1e-6, where + ": overlaps")
        prev_end = p["end_s"]
        expect(isinstance(p["params"], dict), where + ": params")
        expect(isinstance(p["leak_sites"], list), where + ": leak_sites")
        check_counts(p["counts"], where)
        for k in COUNTS:
            total[k] += p["counts"][k]
    check_counts(d["totals"], "totals")
    expect(total == d["totals"], "totals are not the sum of the phases")
    return d


def phase(path, cls=None):
    """The only phase of a single-workload run."""
    d = load(path)
    expect(len(d["phases"]) == 1, "%d phases" % len(d["phases"]))
    p = d["phases"][0]
    expect(cls is None or p["class"] == cls,
           "class %s, expected %s" % (p["class"], cls))
    return p


def run(*args):
    """Runs alloctop-sim quietly; returns its exit status."""
    return subprocess.call([os.environ["SIM"], *args, "--quiet"])


def near(value, want, tol, what):
    expect(abs(value - want) <= tol * want,
           "%s: %s, expected %s +-%d%%" % (what, value, want, tol * 100))
