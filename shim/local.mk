# shim: liballoctop.so, preloaded into the target
shim_LTLIBRARIES += shim/liballoctop.la
include_HEADERS += shim/alloctop.h
shim_liballoctop_la_SOURCES = shim/preload.c shim/segment.h
shim_liballoctop_la_LDFLAGS = -module -avoid-version -shared
