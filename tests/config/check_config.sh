#!/bin/sh
# tests/config/check_config.sh - 'alloctop --check-config' as users see it:
# output, stream and exit status for good, bad and missing files, and no
# leak or invalid access in the loader (under valgrind, when installed).
# cfg_check_main() is reached through tests/unit/test_config, which hands
# "--check-config ARGS" to it, so this runs before alloctop links it.
top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-.}
prog=$top_builddir/tests/unit/test_config
data=$top_srcdir/tests/data/config
[ -x "$prog" ] || { echo "no $prog"; exit 99; }

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
failed=0
passed=0

# expect STATUS STDOUT STDERR -- ARGS: run, compare exactly.
expect() {
	want_rc=$1 want_out=$2 want_err=$3
	shift 4
	"$prog" --check-config "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" != "$want_rc" ] || [ "$(cat "$tmp/out")" != "$want_out" ] ||
	   [ "$(cat "$tmp/err")" != "$want_err" ]; then
		echo "FAIL: --check-config $*"
		echo "  status $rc (want $want_rc)"
		echo "  stdout: $(cat "$tmp/out")"
		echo "  want:   $want_out"
		echo "  stderr: $(cat "$tmp/err")"
		echo "  want:   $want_err"
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
}

g=$data/good-minimal.yaml
expect 0 "alloctop: $g: ok" "" -- "$g"
b=$data/bad-range.yaml
expect 2 "" "alloctop: $b:4:3: detect.leak_window: must be between 10 and \
86400 (got 0)" -- "$b"
b=$data/bad-unknown-key.yaml
expect 2 "" "alloctop: $b:3:3: tick.intervall_ms: unknown key (did you mean \
'interval_ms'?)" -- "$b"
expect 2 "" "alloctop: $tmp/none.yaml: cannot open: No such file or \
directory" -- "$tmp/none.yaml"
expect 2 "" "alloctop: --check-config: unknown option '-x'
hint: alloctop --check-config [--verbose] [FILE]" -- -x
expect 2 "" "alloctop: --check-config: one file at a time ('a' and 'b')" -- a b

# --verbose: the effective settings, marking what the file set.
"$prog" --check-config --verbose "$data/good-minimal.yaml" >"$tmp/out" 2>&1
if [ $? -eq 0 ] && grep -qx '  interval_ms: 500  # from the file' "$tmp/out" &&
   grep -qx '  history: 3600' "$tmp/out"; then
	passed=$((passed + 1))
else
	echo "FAIL: --check-config --verbose"; cat "$tmp/out"
	failed=$((failed + 1))
fi

# No file anywhere: defaults, status 0 (unless this machine has a system
# file, which we must not touch).
if [ ! -e /etc/alloctop/alloctop.yaml ] &&
   [ ! -e /usr/local/etc/alloctop/alloctop.yaml ]; then
	XDG_CONFIG_HOME=$tmp HOME=$tmp
	export XDG_CONFIG_HOME HOME
	expect 0 "alloctop: no configuration \
file found, using the built-in defaults" "" --
fi

# The whole unit test under valgrind: every good and bad file, no leak.
if command -v valgrind >/dev/null 2>&1; then
	if valgrind -q --leak-check=full --error-exitcode=3 \
		--errors-for-leak-kinds=definite,indirect \
		"$prog" >"$tmp/vg" 2>&1; then
		passed=$((passed + 1))
	else
		echo "FAIL: test_config under valgrind"; tail -40 "$tmp/vg"
		failed=$((failed + 1))
	fi
else
	echo "# valgrind not installed: leak check skipped"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
