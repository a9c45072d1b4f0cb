# src: the alloctop program
bin_PROGRAMS += alloctop
alloctop_SOURCES = src/main.c
