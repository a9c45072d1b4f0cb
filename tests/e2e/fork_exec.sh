#!/bin/sh
# fork: the child publishes its own segment (naming its parent) and its
# allocations never reach the parent's counts.  exec: each new image is
# watched again under the same pid, the segment counts the execs, and
# alloctop follows the chain to the command's exit status.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

# fork
mkfifo "$WORK/in"
LD_PRELOAD="$ALLOCTOP_SHIM" "$PROGS/forker" fork 300 1000 <"$WORK/in" >"$WORK/pids" &
parent=$!
exec 3>"$WORK/in"
for _ in $(seq 100); do [ -s "$WORK/pids" ] && break; sleep 0.1; done
read -r child ppid <"$WORK/pids" || fail "the child did not report"
[ "$ppid" = "$parent" ] || fail "child's parent is $ppid, not $parent"
"$ALLOCTOP" --json -n 1 -d 0.1 -p "$child" >"$WORK/child.json" ||
	fail "cannot attach to the forked child"
"$ALLOCTOP" --json -n 1 -d 0.1 -p "$parent" >"$WORK/parent.json" ||
	fail "cannot attach to the parent"
exec 3>&-
wait "$parent" || fail "forker exited $?"
$PYTHON3 - "$WORK/child.json" "$WORK/parent.json" "$parent" <<'PY'
import json, sys
child = json.loads(open(sys.argv[1]).readline())
parent = json.loads(open(sys.argv[2]).readline())
def bucket(j, size):
    return sum(c for lo, hi, c in j["histogram"] if lo <= size <= hi)
assert child["parent_pid"] == int(sys.argv[3]), child["parent_pid"]
# 77-byte blocks: the child made exactly 1000 after the fork.
assert bucket(child, 77) == 1000, bucket(child, 77)
# The parent made its 300 before the fork; the child's 1000 are not there.
assert 300 <= bucket(parent, 77) < 1000, bucket(parent, 77)
print("fork: child", bucket(child, 77), "parent", bucket(parent, 77))
PY

# exec chain: forker exec 3 -> 2 -> 1 -> 0, which exits 7.
set +e
"$ALLOCTOP" --json -d 0.2 -o "$WORK/exec.json" -- "$PROGS/forker" exec 3
status=$?
set -e
[ "$status" = 7 ] || fail "alloctop passed on status $status, not 7"
[ "$($COMPARE field "$WORK/exec.json" exec_count)" = 3 ] ||
	fail "exec_count is not 3"
[ "$($COMPARE field "$WORK/exec.json" comm)" = forker ] || fail "comm"
