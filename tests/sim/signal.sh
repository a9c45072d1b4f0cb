#!/bin/sh
# SIGTERM or SIGINT: the current step finishes, the labels are written
# (marked interrupted, with what was not leaked freed), exit status 0.
set -eu
. "$(dirname "$0")/common.sh"

"$PY" - "$T" <<'PYEOF'
import os, signal, subprocess, sys, time
from labels import load, expect, near

tmp = sys.argv[1]


def interrupt(sig, *args):
    path = "%s/%d.json" % (tmp, sig)
    child = subprocess.Popen([os.environ["SIM"], *args, "--labels", path,
                              "--quiet"])
    time.sleep(1)
    t0 = time.monotonic()
    child.send_signal(sig)
    rc = child.wait(10)
    expect(rc == 0, "exit %d after signal %d" % (rc, sig))
    expect(time.monotonic() - t0 < 1, "slow to stop")
    d = load(path)
    expect(d["interrupted"] is True, "run not marked interrupted")
    expect(d["phases"][-1]["interrupted"] is True, "phase not interrupted")
    return d


d = interrupt(signal.SIGTERM, "steady", "--duration", "0", "--threads", "3")
c = d["phases"][0]["counts"]
expect(c["steps"] > 500 and c["leaked_bytes"] == 0,
       "steady: %d steps, %d bytes left" % (c["steps"], c["leaked_bytes"]))
near(d["phases"][0]["end_s"], 1.0, 0.3, "end_s")

d = interrupt(signal.SIGINT, "mixed", "--phases", "pool-candidate:600ms,"
              "growth:10s,fd-leak:10s")
expect([p["name"] for p in d["phases"]] == ["pool-candidate", "growth"],
       "phases run: %s" % [p["name"] for p in d["phases"]])
expect(d["phases"][0]["interrupted"] is False, "first phase interrupted")
PYEOF
