#!/bin/sh
# fork while other threads' allocations keep libunwind walking (exact
# mode, and default sampling): every child must finish.  A child forked
# while another thread held one of libunwind's locks used to wait for it
# forever in its first stack walk (2 runs of 3 hung at 300 forks); fork
# now waits for walks under way and holds new ones off.  The timeout only
# turns such a hang into a failure (SIGKILL to the whole group: the stuck
# child waits with every signal blocked, as libunwind blocks them around
# its locks); nothing here is timed.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

want="forks 200 failed 0"
got=$("$PROGS/forkwalk" 200) || fail "bare forkwalk exited $?"
[ "$got" = "$want" ] || fail "bare forkwalk printed: $got"
for bytes in 1 4096; do
	rc=0
	got=$(ALLOCTOP_SAMPLE_BYTES=$bytes LD_PRELOAD="$ALLOCTOP_SHIM" \
		timeout -s KILL 60 "$PROGS/forkwalk" 200) || rc=$?
	[ $rc -ne 137 ] && [ $rc -ne 124 ] ||
		fail "ALLOCTOP_SAMPLE_BYTES=$bytes: hung (a child never exited)"
	[ $rc -eq 0 ] && [ "$got" = "$want" ] ||
		fail "ALLOCTOP_SAMPLE_BYTES=$bytes: exited $rc, printed: $got"
done
