#!/bin/sh
# A program that owns its file descriptors (closes 3-1023, opens its own
# files, forks a child that writes through one) gets the same numbers and
# the same file contents under the shim as bare, in every sampling mode.
# libunwind's memory-checking pipe would otherwise read from and write to
# the program's files (libunwind issues 274 and 291); --high makes the
# program hold the numbers the shim moves that pipe to, as well.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

seq 1 5000 >"$WORK/in"
for high in "" --high; do
	"$PROGS/fds" $high "$WORK/in" "$WORK/bare.out" >"$WORK/bare.stdout" ||
		fail "bare fds $high exited $?"
	cat "$WORK/in" >"$WORK/want"
	echo "from the child" >>"$WORK/want"
	cmp -s "$WORK/want" "$WORK/bare.out" ||
		fail "bare fds $high: OUT is not IN and the child's line"
	grep -qx "first descriptor: 3" "$WORK/bare.stdout" ||
		fail "bare fds: first descriptor not 3: $(cat "$WORK/bare.stdout")"
	for bytes in 0 524288 1; do
		ALLOCTOP_SAMPLE_BYTES=$bytes LD_PRELOAD="$ALLOCTOP_SHIM" \
			"$PROGS/fds" $high "$WORK/in" "$WORK/shim.out" \
			>"$WORK/shim.stdout" ||
			fail "fds $high under the shim ($bytes) exited $?"
		cmp -s "$WORK/bare.stdout" "$WORK/shim.stdout" ||
			fail "fds $high, ALLOCTOP_SAMPLE_BYTES=$bytes: printed" \
				"$(cat "$WORK/shim.stdout")" \
				"where bare printed $(cat "$WORK/bare.stdout")"
		cmp -s "$WORK/want" "$WORK/shim.out" ||
			fail "fds $high, ALLOCTOP_SAMPLE_BYTES=$bytes: OUT differs" \
				"from bare ($(wc -c <"$WORK/shim.out") bytes," \
				"want $(wc -c <"$WORK/want"))"
	done
done
# Under alloctop itself (exact mode, the reader attached): the totals are
# read back and the program's files are still its own.
"$ALLOCTOP" -b --exact -n 1000 -d 0.2 -- "$PROGS/fds" --high "$WORK/in" \
	"$WORK/top.out" >"$WORK/top.stdout" || fail "alloctop -- fds exited $?"
cmp -s "$WORK/want" "$WORK/top.out" || fail "under alloctop: OUT differs"
grep -q "read $(wc -c <"$WORK/in") bytes" "$WORK/top.stdout" ||
	fail "under alloctop: $(grep read "$WORK/top.stdout")"
