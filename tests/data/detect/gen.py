#!/usr/bin/env python3
# tests/data/detect/gen.py - regenerate the CSV fixtures of test_det_cli.
# Deterministic (fixed seeds); the known answers are in each file's
# leading '#' comment and asserted by tests/unit/test_det_cli.c.
import math
import random


def write(name, comment, header, rows):
    with open(name, "w") as f:
        f.write("# " + comment + "\n")
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(v if isinstance(v, str) else "%.6g" % v
                             for v in r) + "\n")


rnd = random.Random(1)
write("step.csv",
      "rate steps 1000 -> 1300 at row 300 (noise sd 50); threads 4 -> 6 "
      "at 300; flat: no change",
      ["t_s", "rate", "threads", "flat"],
      [(i, 1000 + (300 if i >= 300 else 0) + rnd.gauss(0, 50),
        4 if i < 300 else 6, 500 + rnd.gauss(0, 5)) for i in range(600)])

rnd = random.Random(2)
rows = []
for i in range(600):
    noisy = 100 + rnd.gauss(0, 2) + (40 if i in (123, 456) else 0)
    cyc = 100 + rnd.gauss(0, 2) + (60 if i % 20 == 0 else 0)
    rows.append((noisy, cyc))
write("spikes.csv",
      "noisy: spikes at rows 123 and 456 only; cyclic: +60 every 20 rows "
      "(period 20), no anomaly",
      ["noisy", "cyclic"], rows)

rnd = random.Random(3)
rows = []
for i in range(400):
    t = 2.0 * i
    rows.append((t, 4e7 + 5000 * t + rnd.gauss(0, 3e4),
                 4e7 + 20000 * (t % 50) + rnd.gauss(0, 3e4)))
write("leak.csv",
      "2 s ticks; live_bytes leaks 5000 B/s; sawtooth grows 20000 B/s "
      "for 50 s then drops: not a leak, period 25 rows",
      ["t_s", "live_bytes", "sawtooth"], rows)

rnd = random.Random(4)
rows = []
for i in range(300):
    big = i >= 150
    rows.append((i, 20000 + rnd.gauss(0, 300), 5e7 + rnd.gauss(0, 1e4),
                 0.9 if big else 0.01, 10 if big else 0, 0.05, 0.3))
write("ticks.csv",
      "det_tick columns: healthy, then 90% of bytes in large blocks from "
      "row 150 (class large-object within 10 rows)",
      ["t_s", "allocs_per_s", "live_bytes", "large_frac", "large_allocs",
       "slack_ratio", "small_frac"], rows)

with open("bad_fields.csv", "w") as f:
    f.write("a,b\n1,2\n3\n")
with open("bad_number.csv", "w") as f:
    f.write("a,b\n1,2\n3,4\n5,x7\n")
with open("bad_header.csv", "w") as f:
    f.write("a,,c\n1,2,3\n")
