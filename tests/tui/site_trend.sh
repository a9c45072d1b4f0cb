#!/bin/sh
# The drill-down shows the trend test on a call site's live bytes: on
# tests/tui/leaky (leak_slowly leaks 64 KiB every 50 ms) in exact mode,
# once the trend has its history (trends start 10 s in and need 15 s),
# leak_slowly's drill-down has the line "trend of live bytes +N/min,
# growth confidence 1.0000: LEAK", in the warning colour, and its advice
# still says to fix the leak at its line.
. "$(dirname "$0")/lib.sh"

LEAKY="$top_builddir/tests/tui/leaky"
[ -x "$LEAKY" ] || fail "$LEAKY is not built (make check builds it)"

cd "$top_builddir" || exit 99
start 120 40 -d 0.5 --exact -- "$LEAKY"
wait_screen '\[Overview\]'
$T send-keys Tab
wait_screen '\[Hotspots\]'
wait_screen 'Share +InUse.*Call site$'
$T send-keys Home Enter
wait_screen '^Call site leak_slowly '
# Up to 40 s for the verdict.
i=0
while ! screen | grep -Eq 'trend of live bytes \+[0-9.]+[KMGT]?[A-Za-z]*/min, growth confidence 1\.0000: LEAK'; do
	i=$((i + 1))
	[ $i -lt 400 ] || fail "no trend line with a leak verdict"
	sleep 0.1
done
$T capture-pane -e -p | grep 'trend of live bytes' | grep -q '33m' ||
	fail "the trend line is not in the warning colour"
wait_screen "fix the leak at .*tests/tui/leaky\\.c:[0-9]+ \\(leak_slowly\\)"
$T send-keys q
assert_restored
exit 0
