#!/bin/sh
# The TUI on a launched command at 120x40: header, graphs, screens, help,
# the help table's filter, pause, resize to 80x24, quit.
. "$(dirname "$0")/lib.sh"

start 120 40 -- "$PY" "$TMPD/alloc.py"
wait_screen 'pid [0-9]+ .*python3.*alloc\.py'
wait_screen 'RSS [0-9.]+ [KMG]?i?B'
wait_screen 'live heap'
wait_screen '^Allocated bytes/s'
wait_screen 'Allocations/s'
wait_screen 'Live bytes'
wait_screen 'Sizes requested'
wait_screen 'Pattern +learning\.\.\.'
wait_screen "command output: $TMPD/alloctop-[0-9]+\.log"
wait_screen 'F1Help.*F10Quit'
# A tick later the rates are there.
wait_screen 'Allocations/s +[0-9.]+[kM]?/s'

$T send-keys Tab
wait_screen '\[Hotspots\]'
wait_screen 'Bytes/s.*Call site'
$T send-keys Tab
wait_screen '\[Alerts\]'
wait_screen 'no alerts raised'
wait_screen '/Filter.*<>Sort'
$T send-keys Tab
wait_screen '\[Overview\]'

$T send-keys h
wait_screen '\[Help\]'
wait_screen '^F10 q +always +quit'
wait_screen '^F1 h \? +always'
wait_screen '^Tab +always +next screen'
wait_screen '^Space Z +always +pause'
wait_screen '^d +always'
# Filter the key table: only the matching row stays.
$T send-keys / p a u s
wait_screen 'Filter: paus'
wait_screen '^Space Z'
wait_gone '^F10 q'
$T send-keys Escape
wait_screen '^F10 q'
$T send-keys Escape
wait_screen '\[Overview\]'

$T send-keys l
wait_screen "Log: $TMPD/alloctop-[0-9]+\.log"
$T send-keys l
wait_gone '^Log: '

$T send-keys ' '
wait_screen 'PAUSED'
$T send-keys Z
wait_gone 'PAUSED'

$T send-keys d BSpace 0 . 5 Enter
wait_screen 'tick 0\.5s'

$T resize-window -x 80 -y 24
wait_screen 'pid [0-9]+ .*python3'
wait_screen '^Allocated bytes/s'
wait_screen 'F1Help.*F10Quit'

$T send-keys q
assert_restored
# A launched command is ended (SIGTERM) when the user quits: 128 + 15.
wait_screen 'alloctop-exit=143'
exit 0
