# src/ui: the ncurses TUI (linked into alloctop by src/local.mk).
noinst_LIBRARIES += src/ui/libui.a
src_ui_libui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
src_ui_libui_a_SOURCES = \
	src/ui/ui.c src/ui/ui.h \
	src/ui/screen.h \
	src/ui/screen_overview.c \
	src/ui/screen_tables.c \
	src/ui/screen_hotspots.c \
	src/ui/screen_log.c \
	src/ui/panel.c src/ui/panel.h \
	src/ui/graph.c src/ui/graph.h \
	src/ui/keymap.c src/ui/keymap.h \
	src/ui/draw.c src/ui/draw.h

# TUI tests: the real program in a private tmux server (tests/tui/lib.sh).
TESTS += tests/tui/pattern.sh tests/tui/overview.sh tests/tui/exit.sh tests/tui/attach.sh \
	tests/tui/signal.sh tests/tui/hotspots.sh tests/tui/site_trend.sh
EXTRA_DIST += tests/tui/lib.sh tests/tui/pattern.sh tests/tui/overview.sh tests/tui/exit.sh \
	tests/tui/attach.sh tests/tui/signal.sh tests/tui/hotspots.sh \
	tests/tui/site_trend.sh

# The Hotspots test's workload: -g -O0 keeps leak_slowly and churn_fast
# as frames of their own, with the lines of their malloc calls.
check_PROGRAMS += tests/tui/leaky
tests_tui_leaky_SOURCES = tests/tui/leaky.c
tests_tui_leaky_CFLAGS = $(AM_CFLAGS) -g -O0
