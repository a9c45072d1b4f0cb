#!/bin/sh
# The Hotspots screen and its drill-down at 120x40, on tests/tui/leaky
# (leak_slowly leaks 64 KiB every 50 ms, churn_fast churns small blocks)
# launched with --exact: the in-use space view puts the leak on top with
# its file:line, the allocated objects view puts the churn on top, the
# filter narrows to one function, Enter shows the stack, the source line
# of the malloc call and the advice to fix the leak; Esc goes back, c
# groups by function, the help lists the new keys, q quits.
. "$(dirname "$0")/lib.sh"

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
LEAKY="$top_builddir/tests/tui/leaky"
[ -x "$LEAKY" ] || fail "$LEAKY is not built (make check builds it)"
LEAK_LINE=$(grep -n 'malloc(LEAK_BYTES)' "$top_srcdir/tests/tui/leaky.c" |
	cut -d: -f1)
[ -n "$LEAK_LINE" ] || fail "no malloc(LEAK_BYTES) line in leaky.c"

# first_row: the first row under the table's header line.
first_row() {
	screen | grep -A1 -E 'Share .*(Call site|Function)$' | sed -n 2p
}

# wait_first REGEX: polls until the table's first row matches.
wait_first() {
	i=0
	while [ $i -lt 100 ]; do
		if first_row 2>/dev/null | grep -Eq -- "$1"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "the first row never matched '$1'"
}

# The debug information names leaky.c relative to the build directory.
cd "$top_builddir" || exit 99
start 120 40 -d 0.5 --exact -- "$LEAKY"
wait_screen '\[Overview\]'
$T send-keys Tab
wait_screen '\[Hotspots\]'
wait_screen '^in-use space, per call site; exact +2 of 2 sites'
wait_screen 'Share +InUse.*Call site$'
wait_first "leak_slowly \\(.*tests/tui/leaky\\.c:$LEAK_LINE\\)"
wait_screen 'churn_fast \(.*tests/tui/leaky\.c:[0-9]+\)'
wait_screen 'vView.*cGroup'

# v cycles: in-use objects, allocated space, allocated objects.
$T send-keys v
wait_screen '^in-use objects, per call site'
$T send-keys v
wait_screen '^allocated space, per call site'
$T send-keys v
wait_screen '^allocated objects, per call site'
wait_screen 'Share +Alloc#'
wait_first 'churn_fast'
# The leak holds all the live bytes: with the selection on the first row
# (Home), its row is drawn in the critical colour (red).
$T send-keys Home
sleep 0.5
$T capture-pane -e -p | grep 'leak_slowly' | grep -q '31m' ||
	fail "the leak's row is not in the critical colour"

# The filter narrows the table to one function.
$T send-keys / l e a k _ s
wait_screen 'Filter: leak_s'
$T send-keys Enter
wait_screen '1 of 2 sites, filter "leak_s"'
wait_first 'leak_slowly'
wait_gone 'churn_fast'

# Drill down: the stack down to main, the malloc line, the advice.
$T send-keys Enter
wait_screen "^Call site leak_slowly \\(.*tests/tui/leaky\\.c:$LEAK_LINE\\)"
wait_screen '^Stack'
wait_screen '#[0-9]+ +leak_slowly at .*tests/tui/leaky\.c'
wait_screen '#[0-9]+ +main at .*tests/tui/leaky\.c:[0-9]+'
wait_screen "^Source .*tests/tui/leaky\\.c:$LEAK_LINE"
wait_screen ">  *$LEAK_LINE  .*malloc\\(LEAK_BYTES\\)"
wait_screen "fix the leak at .*tests/tui/leaky\\.c:$LEAK_LINE \\(leak_slowly\\)"
wait_screen 'Allocated bytes/s'
wait_screen 'Live bytes'
wait_screen 'Lifetimes of sampled frees'
$T send-keys Escape
wait_screen '1 of 2 sites, filter "leak_s"'
$T send-keys Escape
wait_screen '2 of 2 sites'

# c groups the rows: per function, then cumulative (main holds all).
$T send-keys c
wait_screen '^allocated objects, per function \(flat\); exact +2 of 2 functions'
wait_first 'churn_fast$'
$T send-keys c
wait_screen '^allocated objects, per function \(cumulative\)'
wait_screen '100\.0% .* main$'
$T send-keys c
wait_screen '^allocated objects, per call site'

# The help is generated from the key table: the new keys are in it.
$T send-keys h
wait_screen '\[Help\]'
wait_screen '^v +hotspots +next view'
wait_screen '^c +hotspots +rows per call site'
$T send-keys Escape
wait_screen '\[Hotspots\]'

$T send-keys q
assert_restored
wait_screen 'alloctop-exit=143'
exit 0
