#!/bin/sh
# fd-leak: while the process lives, /proc/PID/fd holds exactly fds_leaked
# more descriptors than before it started, files and sockets alike.
set -eu
. "$(dirname "$0")/common.sh"

"$PY" - "$T" <<'PYEOF'
import sys
from labels import expect, near
from proc import watch

p, (fds0, _), (fds1, _) = watch(sys.argv[1] + "/l.json", "fd-leak",
                                "fd-leak", "--rate", "20/s",
                                "--duration", "1s")
c = p["counts"]
near(c["fds_leaked"], 20, 0.15, "fds leaked in 1s at 20/s")
expect(len(fds1) - len(fds0) == c["fds_leaked"],
       "/proc/PID/fd grew by %d, fds_leaked %d" %
       (len(fds1) - len(fds0), c["fds_leaked"]))
new = list(fds1)
for f in fds0:
    new.remove(f)
files = sum(1 for f in new if f == "/dev/null")
sockets = sum(1 for f in new if f.startswith("socket:"))
expect(files + sockets == len(new) and abs(files - sockets) <= 1,
       "new fds: %d files, %d sockets, %d others" %
       (files, sockets, len(new) - files - sockets))
expect(c["allocs"] == 0, "fd-leak allocates nothing itself")
expect(p["leak_sites"] == ["fd_leak_open_file", "fd_leak_open_socket"],
       "leak_sites")
PYEOF
