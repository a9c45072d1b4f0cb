#!/bin/sh
# growth paces its leak in real time: --rate 1MB/s for 2s leaks 2 MB, on
# one thread or shared by three; the other shapes stay in their envelope.
set -eu
. "$(dirname "$0")/common.sh"

"$PY" - "$T" <<'PYEOF'
import sys
from labels import run, phase, expect, near

tmp = sys.argv[1]


def growth(*args):
    path = tmp + "/growth.json"
    expect(run("growth", "--labels", path, *args) == 0, "growth: exit")
    p = phase(path, "growth")
    c = p["counts"]
    expect(c["frees"] == 0 and c["leaked_objects"] == c["allocs"],
           "growth frees nothing")
    expect(p["leak_sites"] == ["growth_leak_chunk"], "leak_sites")
    return p, c


p, c = growth("--rate", "1MB/s", "--duration", "2s")
near(c["leaked_bytes"], 2000000, 0.15, "leaked bytes after 2s at 1MB/s")
near(p["end_s"] - p["start_s"], 2, 0.1, "phase length")
expect(p["params"]["rate"] == 1000000, "params.rate")

p, c = growth("--rate", "2MB/s", "--duration", "1s", "--threads", "3",
              "--chunk", "16K")
near(c["leaked_bytes"], 2000000, 0.15, "leaked bytes, 3 threads")

# Exponential: B(t) = rate T / ln 2 (2^(t/T) - 1); 1s at 1MB/s doubling
# every 0.5s leaks 1/(2 ln 2) (4 - 1) = 2.16 MB.
p, c = growth("--rate", "1MB/s", "--shape", "exponential", "--doubling",
              "500ms", "--duration", "1s", "--chunk", "16K")
near(c["leaked_bytes"], 2164042, 0.15, "exponential growth")

# Stepped: a step's worth at 0, 0.4 and 0.8s.
p, c = growth("--rate", "1MB/s", "--shape", "stepped", "--step", "400ms",
              "--duration", "1s", "--chunk", "10KB")
near(c["leaked_bytes"], 1200000, 0.02, "stepped growth")

# --iterations: exactly that many chunks, as fast as they come.
p, c = growth("--iterations", "40", "--chunk", "1K")
expect(c["allocs"] == 40 and c["leaked_bytes"] == 40 * 1024, "iterations")
PYEOF
