#!/bin/sh
# mixed: phases from --phases, a schedule file, or the built-in default
# (every pattern within two minutes), back to back, with --loop.
set -eu
. "$(dirname "$0")/common.sh"

cat >"$T/sched" <<'SCHED'
# A schedule file: WORKLOAD [DURATION] [OPTIONS]
growth     500ms --rate 2MB/s --chunk 8K

cache-leak 300ms --rate 100/s   # trailing comment
steady
SCHED

"$PY" - "$T" <<'PYEOF'
import sys
from labels import run, load, expect, near, CLASSES

tmp = sys.argv[1]


def mixed(name, *args):
    path = "%s/%s.json" % (tmp, name)
    expect(run("mixed", "--labels", path, *args) == 0, name + ": exit")
    d = load(path)
    expect(d["workload"] == "mixed", "workload")
    return d, d["phases"]


d, ph = mixed("list", "--phases", "steady:400ms,burst:400ms,growth:400ms")
expect([p["name"] for p in ph] == ["steady", "burst", "growth"], "names")
expect([p["class"] for p in ph] == ["healthy", "burst", "growth"], "classes")
for a, b in zip(ph, ph[1:]):
    expect(b["start_s"] - a["end_s"] < 0.05, "gap between phases")
for p in ph:
    near(p["end_s"] - p["start_s"], 0.4, 0.15, p["name"] + " length")
expect(d["params"]["phases"] == "steady:400ms,burst:400ms,growth:400ms",
       "params.phases")

d, ph = mixed("file", "--schedule", tmp + "/sched", "--duration", "1s")
expect([p["name"] for p in ph] == ["growth", "cache-leak", "steady"],
       "schedule file phases")
expect(ph[0]["params"]["rate"] == 2e6 and ph[0]["params"]["chunk"] == 8192,
       "schedule file options")
near(ph[0]["counts"]["leaked_bytes"], 1e6, 0.15, "growth in the file")
expect(ph[2]["planned_s"] == 10, "default phase length is 10s")
near(ph[2]["end_s"] - ph[2]["start_s"], 0.2, 0.3,
     "--duration cuts the last phase")

d, ph = mixed("default", "--iterations", "20")
expect({p["class"] for p in ph} == CLASSES, "default schedule misses %s" %
       (CLASSES - {p["class"] for p in ph}))
planned = sum(p["planned_s"] for p in ph)
expect(planned <= 120, "default schedule takes %ds" % planned)
expect(all(p["counts"]["steps"] == 20 for p in ph), "--iterations")

d, ph = mixed("loop", "--phases", "steady:300ms,fd-leak:200ms", "--loop",
              "--duration", "1200ms")
expect([p["name"] for p in ph] == ["steady", "fd-leak"] * 2 + ["steady"],
       "loop: %s" % [p["name"] for p in ph])
near(ph[-1]["end_s"] - ph[0]["start_s"], 1.2, 0.1, "loop length")
PYEOF
