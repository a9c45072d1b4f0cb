#!/bin/sh
# A launched command exits with status 3: the last state stays on screen
# under an "exited (status 3)" banner until q; alloctop then exits 3.
. "$(dirname "$0")/lib.sh"

cat >"$TMPD/exit3.py" <<'PYEOF'
import sys, time
keep = [bytearray(1000) for i in range(5000)]
print("about to exit")
time.sleep(1.5)
sys.exit(3)
PYEOF

start 100 30 -d 0.2 -- "$PY" "$TMPD/exit3.py"
wait_screen 'pid [0-9]+ .*exit3\.py'
wait_screen 'exited \(status 3\)'
# The final state is still drawn, and stays.
wait_screen 'live heap'
wait_screen '^Allocated bytes/s'
sleep 1
screen | grep -q 'exited (status 3)' || fail "banner went away"
$T send-keys q
assert_restored
wait_screen 'alloctop-exit=3'
wait_screen "the command's output is in $TMPD/alloctop-[0-9]+\.log"
grep -q 'about to exit' "$TMPD"/alloctop-*.log ||
	fail "the command's output is not in the log"
exit 0
