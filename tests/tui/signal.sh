#!/bin/sh
# Colour by default, none with NO_COLOR; Ctrl-C (SIGINT) quits like q:
# the terminal is restored and the launched command ended.
. "$(dirname "$0")/lib.sh"

# Colour escapes in a capture with attributes: foreground or background
# 30-37/40-47 (tmux writes them as SGR parameters).
has_colour() {
	$T capture-pane -p -e | grep -Eq "$(printf '\033')\\[([0-9;]*;)?(3[0-7]|4[0-7])[;m]"
}

start 80 24 -- "$PY" "$TMPD/alloc.py"
wait_screen '^Allocated bytes/s'
has_colour || fail "no colour on a colour terminal"
$T send-keys C-c
assert_restored
new_server

start 80 24 --no-color -- "$PY" "$TMPD/alloc.py"
wait_screen '^Allocated bytes/s'
has_colour && fail "colour despite --no-color"
$T send-keys q
assert_restored
new_server

$T new-session -d -x 80 -y 24 "NO_COLOR=1 $ALLOCTOP -- $PY $TMPD/alloc.py; echo alloctop-exit=\$?; exec sleep 600" ||
	fail "tmux new-session"
wait_screen '^Allocated bytes/s'
has_colour && fail "colour despite NO_COLOR=1"
$T send-keys F10
assert_restored
exit 0
