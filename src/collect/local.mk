# src/collect: segment reader and validator, /proc, launching, targets.
noinst_LIBRARIES += src/collect/libcollect.a
src_collect_libcollect_a_SOURCES = \
	src/collect/reader.c src/collect/reader.h \
	src/collect/snapshot.c src/collect/snapshot.h \
	src/collect/proc.c src/collect/proc.h \
	src/collect/target.c src/collect/target.h \
	src/collect/sites.c src/collect/sites.h \
	src/collect/sym.c src/collect/sym.h \
	src/launch.c src/launch.h
src_collect_libcollect_a_CFLAGS = $(AM_CFLAGS) $(DW_CFLAGS)
