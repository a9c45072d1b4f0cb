# tests: unit tests, test programs, end-to-end tests (STYLE.md section 11).
check_PROGRAMS += tests/progs/exact tests/progs/cxx tests/progs/forker \
	tests/progs/fds tests/progs/smallstack tests/progs/forkwalk
tests_progs_exact_SOURCES = tests/progs/exact.c
tests_progs_exact_CFLAGS = $(AM_CFLAGS) -O1 -fno-builtin
tests_progs_cxx_SOURCES = tests/progs/cxx.cc
tests_progs_cxx_CXXFLAGS = -O1 -Wall -Wextra
tests_progs_forker_SOURCES = tests/progs/forker.c
tests_progs_fds_SOURCES = tests/progs/fds.c
tests_progs_fds_CFLAGS = $(AM_CFLAGS) -O1
tests_progs_smallstack_SOURCES = tests/progs/smallstack.c
tests_progs_smallstack_CFLAGS = $(AM_CFLAGS) -O1
tests_progs_forkwalk_SOURCES = tests/progs/forkwalk.c
tests_progs_forkwalk_CFLAGS = $(AM_CFLAGS) -O1

check_PROGRAMS += tests/unit/test_segment tests/unit/test_reader
tests_unit_test_segment_SOURCES = tests/unit/test_segment.c tests/unit/check.h
tests_unit_test_reader_SOURCES = tests/unit/test_reader.c tests/unit/check.h
tests_unit_test_reader_LDADD = src/collect/libcollect.a $(DW_LIBS) -lstdc++ -lm

E2E_TESTS = tests/e2e/exact.sh tests/e2e/heap_unchanged.sh \
	tests/e2e/many_threads.sh \
	tests/e2e/exit_paths.sh tests/e2e/signals.sh tests/e2e/cxx.sh \
	tests/e2e/fork_exec.sh tests/e2e/real_programs.sh tests/e2e/errors.sh \
	tests/e2e/detect.sh tests/e2e/thread_fd_leak.sh tests/e2e/fds.sh \
	tests/e2e/small_stack.sh tests/e2e/fork_walk.sh
TESTS += tests/unit/test_segment tests/unit/test_reader $(E2E_TESTS)
EXTRA_DIST += $(E2E_TESTS) tests/e2e/lib.sh tests/e2e/compare.py
