#!/bin/sh
# Bad input gets one clear error line and the documented exit status.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

expect() {	# expect STATUS PATTERN CMD...
	want=$1 pattern=$2
	shift 2
	set +e
	"$@" >"$WORK/out" 2>"$WORK/err"
	got=$?
	set -e
	[ "$got" = "$want" ] || fail "$*: exit $got, want $want ($(cat "$WORK/err"))"
	grep -q "$pattern" "$WORK/err" ||
		fail "$*: stderr lacks '$pattern': $(cat "$WORK/err")"
}

expect 2 "unknown option '-x'" "$ALLOCTOP" -x
expect 2 "unknown or incomplete option '--frobnicate'" "$ALLOCTOP" --frobnicate
expect 2 "not a process id: 'abc'" "$ALLOCTOP" -p abc
expect 2 "not a process id: '0'" "$ALLOCTOP" -b -p 0
expect 2 "not a tick length" "$ALLOCTOP" -d 0 -p 1
expect 2 "not a positive count" "$ALLOCTOP" -n -3 -p 1
expect 1 "pid 2147483646: no such process" "$ALLOCTOP" -b -p 2147483646
expect 127 "no-such-command-here: No such file or directory" \
	"$ALLOCTOP" -b -- no-such-command-here

# A process not under the shim: say so, then show /proc figures.
sleep 30 &
victim=$!
expect 0 "no alloctop segment found" "$ALLOCTOP" -b -n 1 -d 0.1 -p "$victim"
grep -q "RSS" "$WORK/out" || fail "no /proc figures for a process without the shim"

# Segments that cannot be trusted, planted for a live process.
seg=/dev/shm/alloctop.$victim
printf 'garbage' >"$seg" && chmod 600 "$seg"
expect 1 "too short for a segment" "$ALLOCTOP" -b -n 1 -p "$victim"
head -c 70000 /dev/urandom >"$seg"
expect 1 "not an alloctop segment" "$ALLOCTOP" -b -n 1 -p "$victim"
chmod 644 "$seg"
expect 1 "open to other users" "$ALLOCTOP" -b -n 1 -p "$victim"
rm -f "$seg"

# Another user's process, when we can become another user.  As that user
# (who has no process under the shim, and cannot see ours), alloctop with
# no arguments prints usage; with one of theirs running, it attaches.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	as_nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
	# Copies the other user can reach, wherever the build tree lives.
	cp "$ALLOCTOP" "$WORK/alloctop"
	cp "$ALLOCTOP_SHIM" "$WORK/liballoctop.so"
	chmod 755 "$WORK" "$WORK/alloctop" "$WORK/liballoctop.so"
	expect 1 "pid $victim belongs to another user" \
		$as_nobody "$WORK/alloctop" -b -n 1 -p "$victim"
	expect 2 "no process of yours runs under the shim" \
		$as_nobody "$WORK/alloctop" -b
	grep -q "^Usage: alloctop" "$WORK/err" || fail "no usage text"
	$as_nobody env LD_PRELOAD="$WORK/liballoctop.so" sleep 20 &
	theirs=$!
	for _ in $(seq 50); do
		[ -e /dev/shm/alloctop.$theirs ] && break
		sleep 0.1
	done
	$as_nobody "$WORK/alloctop" -b -n 1 -d 0.1 >"$WORK/only" 2>&1 ||
		fail "alloctop without arguments did not attach: $(cat "$WORK/only")"
	grep -q "pid $theirs  sleep" "$WORK/only" ||
		fail "attached to the wrong process: $(head -2 "$WORK/only")"
	kill "$theirs"
fi
kill "$victim"

# The segment of a process that is gone is reclaimed on the next start.
sh -c 'exit 0' &
dead=$!
wait "$dead"
printf 'stale' >/dev/shm/alloctop.$dead
chmod 600 /dev/shm/alloctop.$dead
"$ALLOCTOP" -b -n 1 -d 0.1 -- true >/dev/null
[ ! -e /dev/shm/alloctop.$dead ] || fail "stale segment of pid $dead not reclaimed"
echo "errors: all clear"
