# shim: liballoctop.so, preloaded into the target (STYLE.md section 5).
# -ftls-model=initial-exec: TLS that never allocates on first touch.
# -z now: no lazy binding (the resolver would run inside malloc).
shim_LTLIBRARIES += shim/liballoctop.la
include_HEADERS += shim/alloctop.h
shim_liballoctop_la_SOURCES = shim/preload.c shim/boot.c shim/boot.h \
	shim/publish.c shim/publish.h shim/sample.c shim/sample.h \
	shim/stack.c shim/stack.h shim/tls.h shim/segment.h \
	shim/ptrmap.c shim/ptrmap.h shim/modules.c shim/modules.h
shim_liballoctop_la_CFLAGS = $(AM_CFLAGS) $(UNWIND_CFLAGS) -fPIC \
	-fvisibility=hidden -ftls-model=initial-exec -fno-builtin-malloc \
	-fno-builtin-free -fno-builtin-calloc -fno-builtin-realloc \
	-fno-stack-protector -O2
shim_liballoctop_la_LDFLAGS = -module -avoid-version -shared \
	-Wl,-z,now -Wl,-z,nodelete
shim_liballoctop_la_LIBADD = $(UNWIND_LIBS) -ldl -lm -lrt

# A preload library is not linked against: no libtool archive beside it.
install-exec-hook:
	rm -f $(DESTDIR)$(shimdir)/liballoctop.la
# ... so libtool cannot find the library to uninstall from the archive.
uninstall-hook:
	rm -f $(DESTDIR)$(shimdir)/liballoctop.so
