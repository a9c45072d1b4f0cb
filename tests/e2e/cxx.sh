#!/bin/sh
# C++ new and delete[] arrive as malloc and free, exactly.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

alloctop_json "$WORK/base" "$PROGS/cxx" 0
alloctop_json "$WORK/run" "$PROGS/cxx" 5000
$COMPARE delta "$WORK/base" "$WORK/run" "$WORK/run.stdout"
