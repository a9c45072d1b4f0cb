# tests/e2e/lib.sh - shared by the end-to-end tests (sourced).
# The test environment exports top_builddir, top_srcdir, ALLOCTOP_SHIM and
# PYTHON3 (Makefile.am, AM_TESTS_ENVIRONMENT).
set -eu
: "${top_builddir:=.}" "${top_srcdir:=.}"
: "${ALLOCTOP_SHIM:=$top_builddir/shim/.libs/liballoctop.so}"
: "${PYTHON3:=python3}"
ALLOCTOP="$top_builddir/alloctop"
PROGS="$top_builddir/tests/progs"
COMPARE="$PYTHON3 $top_srcdir/tests/e2e/compare.py"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/alloctop-e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# alloctop_json OUT CMD...: runs CMD under alloctop, NDJSON to OUT; the
# command's stdout goes to OUT.stdout.  Fails the test on a non-zero exit.
alloctop_json() {
	out=$1
	shift
	"$ALLOCTOP" --json -d 0.2 -o "$out" -- "$@" >"$out.stdout" ||
		fail "alloctop -- $* exited $?"
}
