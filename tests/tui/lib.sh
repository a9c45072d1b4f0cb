# tests/tui/lib.sh - sourced by the TUI tests: a private tmux server at a
# fixed size (as tmux's own regress/ scripts do), and helpers that look at
# the screen the way a user does.  Needs top_builddir (make check sets it).

command -v tmux >/dev/null 2>&1 || exit 77

: "${top_builddir:=$(pwd)}"
ALLOCTOP="$top_builddir/alloctop"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=${PYTHON3:-python3}
T="tmux -L alloctop-test-$$ -f /dev/null"
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/alloctop-tui.XXXXXX") || exit 99
# Launched commands write their output here, not into /run or /tmp.
XDG_RUNTIME_DIR=$TMPD
export XDG_RUNTIME_DIR

cleanup() {
	$T kill-server 2>/dev/null
	[ -n "${target:-}" ] && kill "$target" 2>/dev/null
	rm -rf "$TMPD"
}
trap cleanup EXIT

# A Python program that allocates and frees in a loop, forever.
cat >"$TMPD/alloc.py" <<'PYEOF'
import time
keep = []
i = 0
while True:
    keep.append(bytearray(64 + (i % 64) * 64))
    if len(keep) > 4000:
        del keep[:2000]
    i += 1
    if i % 500 == 0:
        time.sleep(0.005)
PYEOF

# new_server: ends this tmux server and switches to a fresh one (reusing
# the socket at once races with the old server's exit).
servers=0
new_server() {
	$T kill-server 2>/dev/null
	servers=$((servers + 1))
	T="tmux -L alloctop-test-$$-$servers -f /dev/null"
}

fail() {
	echo "FAIL: $*"
	echo "---- screen ----"
	$T capture-pane -p 2>/dev/null
	echo "----------------"
	exit 1
}

screen() {
	$T capture-pane -p
}

# wait_screen REGEX: polls the screen until a line matches (grep -E),
# for up to 10 s.
wait_screen() {
	i=0
	while [ $i -lt 100 ]; do
		if screen 2>/dev/null | grep -Eq -- "$1"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "never saw '$1'"
}

# wait_gone REGEX: polls until no line matches, for up to 10 s.
wait_gone() {
	i=0
	while [ $i -lt 100 ]; do
		if ! screen 2>/dev/null | grep -Eq -- "$1"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "'$1' stayed on screen"
}

# start WIDTH HEIGHT ARGS...: runs alloctop ARGS in the tmux pane; when it
# ends, the pane shows "alloctop-exit=N" and stays open.
start() {
	w=$1
	h=$2
	shift 2
	$T new-session -d -x "$w" -y "$h" \
		"$ALLOCTOP $*; echo alloctop-exit=\$?; exec sleep 600" ||
		fail "tmux new-session"
}

# After quitting: alloctop has exited and the terminal is back to normal
# (not on the alternate screen curses used).
assert_restored() {
	wait_screen 'alloctop-exit=[0-9]+'
	[ "$($T display -p '#{alternate_on}')" = 0 ] ||
		fail "terminal left on the alternate screen"
	[ "$($T display -p '#{pane_current_command}')" = sleep ] ||
		fail "alloctop still running"
}
