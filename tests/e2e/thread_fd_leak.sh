#!/bin/sh
# Thread and descriptor leaks end to end: alloctop-sim leaks threads (and,
# in a second run at the same time, file descriptors) at a known rate;
# alloctop's trend on /proc's counts calls the leak, with its slope, in the
# JSON, the alerts and the batch text; a run that only uses a fixed pool of
# threads does not.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
SIM="$top_builddir/alloctop-sim"

"$ALLOCTOP" --json -d 0.25 -o "$WORK/threads.json" -- \
	"$SIM" thread-leak --rate 10/s --duration 32s --quiet \
	>/dev/null 2>"$WORK/threads.err" &
tpid=$!
"$ALLOCTOP" -b -d 0.25 -o "$WORK/fds.txt" -- \
	"$SIM" fd-leak --rate 10/s --duration 32s --quiet \
	>/dev/null 2>"$WORK/fds.err" &
fpid=$!
# A fixed pool: 8 workers for the whole run.
"$ALLOCTOP" --json -d 0.25 -o "$WORK/pool.json" -- \
	"$SIM" steady --threads 8 --rate 2000/s --duration 32s --quiet \
	>/dev/null 2>"$WORK/pool.err" ||
	fail "the pool run failed: $(cat "$WORK/pool.err")"
wait "$tpid" || fail "the thread-leak run failed: $(cat "$WORK/threads.err")"
wait "$fpid" || fail "the fd-leak run failed: $(cat "$WORK/fds.err")"

$PYTHON3 - "$WORK/threads.json" "$WORK/pool.json" <<'PY'
import json, sys

def ticks(path):
    return [json.loads(l) for l in open(path)]

leak = ticks(sys.argv[1])
alerts = [a for t in leak for a in t.get("alerts", [])
          if a["text"].startswith("thread_leak")]
assert alerts, "no thread_leak alert"
first = alerts[0]
assert first["severity"] == "warning", first
# Trends start 10 s in and need 15 s of history: called by 25..32 s.
assert 24.0 <= first["t_s"] <= 32.0, first
assert "threads grow without bound" in first["text"], first
verdicts = [t["trend"]["threads"] for t in leak
            if t.get("trend") and t["trend"].get("threads")
            and t["trend"]["threads"]["leak"]]
assert verdicts, "no threads leak verdict in the JSON"
rate = verdicts[-1]["per_min"]
# 10 threads a second is 600 a minute.
assert 540 <= rate <= 660, f"threads slope {rate}/min, not ~600"
# The heap trend is not the thread trend: fds stay flat here.
assert not any(t["trend"]["fds"] and t["trend"]["fds"]["leak"]
               for t in leak if t.get("trend")), "an fd leak in a thread leak"
print(f"thread_leak at {first['t_s']:.1f}s: {first['text']}")

pool = ticks(sys.argv[2])
bad = [a for t in pool for a in t.get("alerts", [])
       if a["text"].startswith(("thread_leak", "fd_leak"))]
assert not bad, bad
assert max(t["threads"]["live"] for t in pool if t.get("threads")) >= 9
PY

grep -q "^Alert: WARNING at [0-9.]*s: fd_leak: open fds grow without bound: +[0-9]*/min" \
	"$WORK/fds.txt" || fail "no fd_leak alert in the batch text"
grep -q "^Trend: open fds +[0-9]*/min (confidence [0-9.]*)  LEAK" \
	"$WORK/fds.txt" || fail "no fd trend line in the batch text"
echo "thread_fd_leak: ok"
