#!/bin/sh
# Threads on 16 KiB stacks (PTHREAD_STACK_MIN) allocating 6 KiB deep run
# under the shim in every mode as they run bare: a stack walk (libunwind's
# state, and the C library's lazy binding on first calls) needs more than
# such a thread has left, so those samples get no stack, not an overflow.
# In exact mode every one of the 80000 allocations is still counted, and
# every free, under the "other" site (id 0): four threads freeing into one
# site at once also check the pointer map's deletes against its inserts
# (a hole left by one once hid another thread's block: a free lost in
# about one run of two at 8000 pairs).
. "${top_srcdir:-.}/tests/e2e/lib.sh"

bare=$("$PROGS/smallstack" 6) || fail "bare smallstack exited $?"
[ "$bare" = ok ] || fail "bare smallstack printed: $bare"
for bytes in 0 4096 524288 1; do
	got=$(ALLOCTOP_SAMPLE_BYTES=$bytes LD_PRELOAD="$ALLOCTOP_SHIM" \
		"$PROGS/smallstack" 6) ||
		fail "smallstack under the shim (ALLOCTOP_SAMPLE_BYTES=$bytes)" \
			"exited $?"
	[ "$got" = "$bare" ] ||
		fail "ALLOCTOP_SAMPLE_BYTES=$bytes: printed $got"
done
"$ALLOCTOP" --json --exact -n 1000 -d 0.2 -o "$WORK/out.json" -- \
	"$PROGS/smallstack" 6 20000 >"$WORK/stdout" ||
	fail "alloctop --exact -- smallstack exited $?"
"$PYTHON3" - "$WORK/out.json" <<'PY' || fail "exact mode: see above"
import json, sys
last = [json.loads(l) for l in open(sys.argv[1]) if l.strip()][-1]
other = [s for s in last["sites"] if s["id"] == 0]
if not other:
    sys.exit("no 'other' site; sites: %s" % [s["id"] for s in last["sites"]])
o = other[0]
# The threads' 80000 blocks, each freed: counted, with no stack.
if o["alloc_objects"] != 80000 or o["free_objects"] != 80000:
    sys.exit("other site: %d allocated, %d freed (want 80000, 80000)"
             % (o["alloc_objects"], o["free_objects"]))
if last["totals"]["alloc_calls"] < 80000:
    sys.exit("alloc_calls %d < 80000" % last["totals"]["alloc_calls"])
PY
