# src/ui: the ncurses TUI (linked into alloctop by src/local.mk).
noinst_LIBRARIES += src/ui/libui.a
src_ui_libui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
src_ui_libui_a_SOURCES = \
	src/ui/ui.c src/ui/ui.h \
	src/ui/screen.h \
	src/ui/screen_overview.c \
	src/ui/screen_tables.c \
	src/ui/screen_log.c \
	src/ui/panel.c src/ui/panel.h \
	src/ui/graph.c src/ui/graph.h \
	src/ui/keymap.c src/ui/keymap.h \
	src/ui/draw.c src/ui/draw.h

# TUI tests: the real program in a private tmux server (tests/tui/lib.sh).
TESTS += tests/tui/overview.sh tests/tui/exit.sh tests/tui/attach.sh \
	tests/tui/signal.sh
EXTRA_DIST += tests/tui/lib.sh tests/tui/overview.sh tests/tui/exit.sh \
	tests/tui/attach.sh tests/tui/signal.sh
