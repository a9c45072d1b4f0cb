# src/sim: alloctop-sim, the workload simulator (included by the top
# Makefile.am).  Frame pointers and no sibling calls keep every named
# allocation site (growth_leak_chunk, cache_insert, ...) in the stacks
# the shim captures.
bin_PROGRAMS += alloctop-sim
alloctop_sim_SOURCES = \
	src/sim/main.c \
	src/sim/json.c src/sim/json.h \
	src/sim/labels.c src/sim/labels.h \
	src/sim/opt.c src/sim/opt.h \
	src/sim/pace.c src/sim/pace.h \
	src/sim/run.c src/sim/run.h \
	src/sim/sched.c src/sim/sched.h \
	src/sim/sim.c src/sim/sim.h \
	src/sim/wl_heap.c \
	src/sim/wl_leak.c \
	src/sim/wl_service.c
alloctop_sim_CFLAGS = $(AM_CFLAGS) -g -fno-omit-frame-pointer \
	-fno-optimize-sibling-calls
alloctop_sim_LDADD = -lm


# Its tests: about 30 s in all, each workload run for a second or two.
SIM_TESTS = \
	tests/sim/cli.sh \
	tests/sim/workloads.sh \
	tests/sim/growth.sh \
	tests/sim/seed.sh \
	tests/sim/fd-leak.sh \
	tests/sim/thread-leak.sh \
	tests/sim/signal.sh \
	tests/sim/mixed.sh \
	tests/sim/e2e.sh
TESTS += $(SIM_TESTS)
EXTRA_DIST += $(SIM_TESTS) tests/sim/common.sh tests/sim/labels.py \
	tests/sim/proc.py

dist_man_MANS += man/alloctop-sim.1
