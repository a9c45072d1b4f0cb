#!/bin/sh
# thread-leak: while the process lives, /proc/PID/status counts exactly
# threads_leaked more threads than before (worker threads are joined).
set -eu
. "$(dirname "$0")/common.sh"

"$PY" - "$T" <<'PYEOF'
import sys
from labels import expect, near
from proc import watch

p, (_, th0), (_, th1) = watch(sys.argv[1] + "/l.json", "thread-leak",
                              "thread-leak", "--rate", "20/s",
                              "--duration", "1s", "--threads", "2")
c = p["counts"]
near(c["threads_leaked"], 20, 0.15, "threads leaked in 1s at 20/s")
expect(th1 - th0 == c["threads_leaked"],
       "Threads grew by %d, threads_leaked %d" %
       (th1 - th0, c["threads_leaked"]))
# Each thread holds a context allocated in thread_leak_spawn.
expect(c["leaked_objects"] == c["threads_leaked"], "leaked contexts")
expect(p["leak_sites"] == ["thread_leak_spawn"], "leak_sites")
PYEOF
