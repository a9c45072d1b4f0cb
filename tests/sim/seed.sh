#!/bin/sh
# Determinism: with --iterations (a fixed number of steps instead of real
# time), the same --seed gives identical counts, threads or not; another
# seed gives other sizes where sizes are random.
set -eu
. "$(dirname "$0")/common.sh"

"$PY" - "$T" <<'PYEOF'
import sys
from labels import run, phase, expect

tmp = sys.argv[1]
n = 0


def counts(workload, seed, *args):
    global n
    n += 1
    path = "%s/%d.json" % (tmp, n)
    rc = run(workload, "--seed", str(seed), "--labels", path, *args)
    expect(rc == 0, "%s: exit %d" % (workload, rc))
    p = phase(path)
    expect(p["iterations"] > 0, workload + ": iterations not recorded")
    return p["counts"]


cases = [
    ("steady", ["--iterations", "3000"], True),
    ("steady", ["--iterations", "3000", "--threads", "3"], True),
    ("burst", ["--iterations", "1000", "--every", "1s", "--count", "500"],
     True),
    ("growth", ["--iterations", "50", "--chunk", "4K"], False),
    ("cyclic", ["--iterations", "100", "--amplitude", "1MiB"], False),
    ("fragment", ["--iterations", "300"], True),
    ("large", ["--iterations", "2000", "--size", "1MiB"], True),
    ("realloc", ["--iterations", "20000"], True),
    ("pool-candidate", ["--iterations", "200"], False),
    ("cache-leak", ["--iterations", "3000"], True),
    ("thread-leak", ["--iterations", "3"], False),
    ("fd-leak", ["--iterations", "5"], False),
]
for workload, args, random_sizes in cases:
    a = counts(workload, 42, *args)
    b = counts(workload, 42, *args)
    expect(a == b, "%s %s: seed 42 twice: %s != %s" %
           (workload, args, a, b))
    expect(a["steps"] == int(args[1]), "%s: %d steps, expected %s" %
           (workload, a["steps"], args[1]))
    if random_sizes:
        c = counts(workload, 43, *args)
        expect(c["bytes_allocated"] != a["bytes_allocated"],
               "%s: seeds 42 and 43 give the same sizes" % workload)
PYEOF
