# src: the alloctop program
bin_PROGRAMS += alloctop
alloctop_SOURCES = src/main.c src/report.c src/report.h src/model.c src/model.h
alloctop_LDADD = src/collect/libcollect.a $(DW_LIBS) -lstdc++ -lm
