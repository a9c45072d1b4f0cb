# tests/sites.mk - call-site correctness tests (issue 4): the workloads in
# tests/progs/sites.c and the end-to-end checks tests/e2e/sites_*.sh,
# with tests/e2e/sites.py comparing alloctop's JSON to the truth.
check_PROGRAMS += tests/progs/sites
tests_progs_sites_SOURCES = tests/progs/sites.c
# -fno-inline and no sibling calls: every function of the source is a
# frame of its own, so sites end in the function the test expects and the
# caller one frame up is the one in the source.
tests_progs_sites_CFLAGS = $(AM_CFLAGS) -g -O1 -fno-inline \
	-fno-optimize-sibling-calls -fno-builtin

SITES_TESTS = tests/e2e/sites_exact.sh tests/e2e/sites_first.sh \
	tests/e2e/sites_sampled.sh tests/e2e/sites_leak.sh tests/e2e/sites_trend.sh \
	tests/e2e/sites_life.sh
TESTS += $(SITES_TESTS)
EXTRA_DIST += $(SITES_TESTS) tests/e2e/sites.py
# The speed side of issue 4 (not run by make check): exact mode against
# heaptrack, and the measured tables.
EXTRA_DIST += bench/heaptrack.sh bench/sites.md
