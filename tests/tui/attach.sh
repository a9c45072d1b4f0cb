#!/bin/sh
# alloctop -p on a process started under the shim, at 80x24, with
# --ascii --no-color: the header and graphs fit, the screen is plain
# ASCII, q leaves the target running.
. "$(dirname "$0")/lib.sh"

[ -n "${ALLOCTOP_SHIM:-}" ] && [ -f "$ALLOCTOP_SHIM" ] ||
	fail "ALLOCTOP_SHIM is not set to the built liballoctop.so"
LD_PRELOAD="$ALLOCTOP_SHIM" "$PY" "$TMPD/alloc.py" &
target=$!
# The shim makes its segment in its constructor; give it a moment.
i=0
while [ ! -e "/dev/shm/alloctop.$target" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done

start 80 24 --ascii --no-color -p "$target"
wait_screen "pid $target .*alloc\\.py"
wait_screen 'segment running'
wait_screen '^Allocated bytes/s'
wait_screen 'Live bytes'
wait_screen 'F1Help.*F10Quit'
wait_screen 'Allocations/s +[0-9.]+[kM]?/s'
# ASCII glyphs only: the bars of the histogram are '#'.
wait_screen '%.*#'
if screen | LC_ALL=C grep -q '[^ -~]'; then
	fail "non-ASCII characters on an --ascii screen"
fi
$T send-keys l
wait_screen 'no log: alloctop attached'
$T send-keys q
assert_restored
wait_screen 'alloctop-exit=0'
kill -0 "$target" 2>/dev/null || fail "quitting killed the attached target"
exit 0
