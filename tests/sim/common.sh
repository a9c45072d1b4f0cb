# tests/sim/common.sh - sourced by the alloctop-sim tests.
# Sets SIM (the fresh binary), PY (python3, with labels.py importable) and
# T (a scratch directory removed on exit); `fail MSG` ends the test.
: "${top_builddir:=.}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
SIM="$top_builddir/alloctop-sim"
PY="${PYTHON3:-python3}"
case "$PY" in no|'') PY=python3 ;; esac
command -v "$PY" >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
[ -x "$SIM" ] || { echo "FAIL: $SIM not built"; exit 99; }
PYTHONPATH="$top_srcdir/tests/sim${PYTHONPATH:+:$PYTHONPATH}"
# No __pycache__ in the source tree (read-only under distcheck).
PYTHONDONTWRITEBYTECODE=1
export SIM PYTHONPATH PYTHONDONTWRITEBYTECODE
T=$(mktemp -d "${TMPDIR:-/tmp}/alloctop-sim-test.XXXXXX")
trap 'rm -rf "$T"' EXIT

fail()
{
	echo "FAIL: $*" >&2
	exit 1
}
