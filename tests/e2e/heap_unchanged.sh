#!/bin/sh
# The shim's start-up leaves the C library's allocator as it found it: a
# 300 KiB first block is mapped bare, and so under the shim (glibc raises
# its mapping and trimming thresholds when a mapped block below 32 MiB is
# freed, so a start-up probe that freed one would change every program).
. "${top_srcdir:-.}/tests/e2e/lib.sh"

want='{"mapped_blocks":1}'
bare=$("$PROGS/exact" --heap-probe) || fail "bare probe exited $?"
[ "$bare" = "$want" ] || fail "bare probe: $bare (expected $want)"
for bytes in 0 524288 1; do
	got=$(ALLOCTOP_SAMPLE_BYTES=$bytes LD_PRELOAD="$ALLOCTOP_SHIM" \
		"$PROGS/exact" --heap-probe) || fail "probe under the shim exited $?"
	[ "$got" = "$want" ] ||
		fail "ALLOCTOP_SAMPLE_BYTES=$bytes: $got, bare: $bare"
done
