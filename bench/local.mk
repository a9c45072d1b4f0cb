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
EXTRA_DIST += bench/run.sh bench/README.md bench/reader.sh bench/reader.md

.PHONY: bench
bench: $(check_PROGRAMS) $(check_LTLIBRARIES) $(shim_LTLIBRARIES)
	top_builddir='$(abs_top_builddir)' $(SHELL) $(srcdir)/bench/run.sh $(BENCH_ARGS)
