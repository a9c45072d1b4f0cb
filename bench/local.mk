# bench: overhead workloads, the do-nothing interposer, and the runner.
# Built by `make check` (nothing installed); run with `make bench`.
check_PROGRAMS += bench/workloads
bench_workloads_SOURCES = bench/workloads.c
bench_workloads_CFLAGS = -O2 -pthread -fno-builtin
# The reader's per-tick cost bench (bench/reader.sh): 10,000 call sites,
# each its own call instruction, so nothing may merge or move the calls.
check_PROGRAMS += bench/manysites
bench_manysites_SOURCES = bench/manysites.c
bench_manysites_CFLAGS = -O1 -pthread -fno-builtin -fno-inline \
	-fno-optimize-sibling-calls -fno-ipa-icf -fno-crossjumping
bench_manysites_LDADD = -lpthread
check_LTLIBRARIES += bench/libfloor.la
bench_libfloor_la_SOURCES = bench/floor.c
bench_libfloor_la_CFLAGS = -O2 -fPIC -fvisibility=hidden
bench_libfloor_la_LDFLAGS = -module -avoid-version -shared -rpath /nowhere
bench_libfloor_la_LIBADD = -ldl
# The counting shim taken apart (bench/ladder.c): one library per rung.
check_LTLIBRARIES += bench/libladder1.la bench/libladder2.la \
	bench/libladder3.la bench/libladder4.la
ladder_cflags = -O2 -fPIC -fvisibility=hidden
ladder_ldflags = -module -avoid-version -shared -rpath /nowhere
bench_libladder1_la_SOURCES = bench/ladder.c
bench_libladder1_la_CPPFLAGS = -DRUNG=1
bench_libladder1_la_CFLAGS = $(ladder_cflags)
bench_libladder1_la_LDFLAGS = $(ladder_ldflags)
bench_libladder1_la_LIBADD = -ldl
bench_libladder2_la_SOURCES = bench/ladder.c
bench_libladder2_la_CPPFLAGS = -DRUNG=2
bench_libladder2_la_CFLAGS = $(ladder_cflags)
bench_libladder2_la_LDFLAGS = $(ladder_ldflags)
bench_libladder2_la_LIBADD = -ldl
bench_libladder3_la_SOURCES = bench/ladder.c
bench_libladder3_la_CPPFLAGS = -DRUNG=3
bench_libladder3_la_CFLAGS = $(ladder_cflags)
bench_libladder3_la_LDFLAGS = $(ladder_ldflags)
bench_libladder3_la_LIBADD = -ldl
bench_libladder4_la_SOURCES = bench/ladder.c
bench_libladder4_la_CPPFLAGS = -DRUNG=4
bench_libladder4_la_CFLAGS = $(ladder_cflags)
bench_libladder4_la_LDFLAGS = $(ladder_ldflags)
bench_libladder4_la_LIBADD = -ldl
EXTRA_DIST += bench/run.sh bench/README.md bench/reader.sh bench/reader.md

.PHONY: bench
bench: $(check_PROGRAMS) $(check_LTLIBRARIES) $(shim_LTLIBRARIES)
	top_builddir='$(abs_top_builddir)' $(SHELL) $(srcdir)/bench/run.sh $(BENCH_ARGS)
