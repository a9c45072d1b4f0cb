# src: the alloctop program.  Static archives are searched once, in order:
# each library comes before the ones it calls (ui -> model -> detect,
# collect; config; the offline detect CLI).
bin_PROGRAMS += alloctop
alloctop_SOURCES = src/main.c src/report.c src/report.h src/model.c \
	src/model.h
alloctop_CFLAGS = $(AM_CFLAGS) $(CYAML_CFLAGS)
alloctop_LDADD = src/ui/libui.a src/libdetect_cli.a src/detect/libdetect.a \
	src/collect/libcollect.a src/libconfig.a $(NCURSES_LIBS) $(CFG_LIBS) \
	$(DW_LIBS) -lstdc++ -lm
