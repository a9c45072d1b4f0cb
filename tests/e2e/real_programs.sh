#!/bin/sh
# Real programs from Debian under the shim: identical output and exit
# status with and without it, and non-zero counts in alloctop.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

check_same() {
	name=$1
	shift
	set +e
	"$@" >"$WORK/$name.bare" 2>&1
	bare=$?
	"$ALLOCTOP" --json -d 0.5 -o "$WORK/$name.json" -- "$@" \
		>"$WORK/$name.shim" 2>&1
	shim=$?
	set -e
	[ "$bare" = "$shim" ] || fail "$name: exit status $bare bare, $shim under alloctop"
	cmp -s "$WORK/$name.bare" "$WORK/$name.shim" ||
		fail "$name: output differs under the shim"
	calls=$($COMPARE field "$WORK/$name.json" totals.alloc_calls)
	[ "$calls" -gt 0 ] || fail "$name: no allocations counted"
	echo "$name: status $shim, $calls allocation calls, same output"
}

cat >"$WORK/script.py" <<'PY'
import json, collections
d = collections.Counter(str(i % 97) for i in range(200000))
print(json.dumps(sorted(d.items())[:5]))
PY
check_same python3 /usr/bin/python3 "$WORK/script.py"

if command -v sqlite3 >/dev/null; then
	check_same sqlite3 sqlite3 :memory: \
		"create table t(a, b); with recursive c(x) as (select 1 union all select x+1 from c where x < 20000) insert into t select x, hex(x * 7919) from c; select count(*), sum(length(b)) from t; select a from t order by b limit 1 offset 0 is null;"
else
	fail "sqlite3 is not installed (tools/setup-debian.sh installs it)"
fi

git init -q "$WORK/repo"
for i in 1 2 3; do echo "line $i" >"$WORK/repo/f$i"; done
git -C "$WORK/repo" add .
GIT_AUTHOR_DATE=2020-01-01T00:00:00 GIT_COMMITTER_DATE=2020-01-01T00:00:00 \
	git -C "$WORK/repo" -c user.name=t -c user.email=t@e commit -qm init
check_same git git -C "$WORK/repo" log --stat --format=%H%n%s

check_same pipeline sh -c 'seq 1 20000 | sort -r | uniq -c | sort -n | tail -3'

# A failing command's status comes through unchanged.
check_same failing sh -c 'ls /nonexistent-dir; exit 3'
