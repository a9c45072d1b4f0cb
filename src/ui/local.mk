# src/ui: targets of this folder (included by the top Makefile.am)
