# tests/sim/proc.py - runs alloctop-sim and watches it through /proc/PID
# while it is alive: a leak must show there exactly as the labels say.
import os
import signal
import subprocess
import time

from labels import phase, expect


def fds(pid):
    """Targets of the open descriptors of pid."""
    d = "/proc/%d/fd" % pid
    out = []
    for name in os.listdir(d):
        try:
            out.append(os.readlink(os.path.join(d, name)))
        except FileNotFoundError:
            pass
    return out


def threads(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    raise AssertionError("no Threads line")


def watch(labels_path, cls, *args):
    """Starts alloctop-sim idle for 1s (--delay), samples before, waits
    for the labels (written before --linger), samples after, stops it with
    SIGTERM.  Returns (phase, before, after) of fds() and threads()."""
    argv = [os.environ["SIM"], *args, "--delay", "1s", "--linger", "30s",
            "--labels", labels_path, "--quiet"]
    child = subprocess.Popen(argv)     # returns once exec succeeded
    try:
        before = (fds(child.pid), threads(child.pid))
        deadline = time.monotonic() + 20
        while not os.path.exists(labels_path):
            expect(child.poll() is None, "exited early: %s" % child.poll())
            expect(time.monotonic() < deadline, "no labels after 20s")
            time.sleep(0.05)
        after = (fds(child.pid), threads(child.pid))
        p = phase(labels_path, cls)
        expect(p["start_s"] >= 0.9, "the workload began before --delay "
               "ended: before-sample may be late")
    finally:
        child.send_signal(signal.SIGTERM)
        rc = child.wait(10)
    expect(rc == 0, "exit %d after SIGTERM while lingering" % rc)
    return p, before, after
