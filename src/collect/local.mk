# src/collect: segment reader and validator, /proc, launching, targets.
noinst_LIBRARIES += src/collect/libcollect.a
src_collect_libcollect_a_SOURCES = \
	src/collect/reader.c src/collect/reader.h \
	src/collect/snapshot.c src/collect/snapshot.h \
	src/collect/proc.c src/collect/proc.h \
	src/collect/target.c src/collect/target.h \
	src/launch.c src/launch.h
