/* src/ui/ui.h - the interactive view (ncurses): what main.c calls when not
 * in batch mode.  Everything else in src/ui is private to it. */
#ifndef ALLOCTOP_UI_UI_H
#define ALLOCTOP_UI_UI_H

#include <stdbool.h>
#include <stddef.h>

struct target;

struct ui_opts {
	double tick_s;			/* seconds between readings */
	bool ascii;			/* ASCII graphs even in a UTF-8 locale */
	bool no_color;			/* monochrome (so is NO_COLOR=...) */
	const char *log_path;		/* launched command's output, or NULL */
	const char *message;		/* for the status line at start, or
					   NULL ("" too): target_open's why */
	double warn_share;		/* hotspot colour bands: share of live */
	double crit_share;		/* bytes; 0 keeps the built-in bands */
};

/* Makes the file a launched command's stdout and stderr go to while the
 * TUI owns the terminal: $XDG_RUNTIME_DIR/alloctop-PID.log, else
 * /tmp/alloctop-PID.log, created new with mode 0600 (never following a
 * link someone left there).  0 with the path in out, or -errno. */
int ui_log_create(char *out, size_t len);

/* Runs the TUI on an opened target until the user quits (q, F10) or
 * SIGINT/SIGTERM (target_interrupted()).  When the target exits, its last
 * state stays on screen until the user quits.  On quit, a launched command
 * still running is sent SIGTERM (SIGKILL after 2 s) and reaped.  The
 * terminal is restored on every way out, fatal signals included.
 * Returns the exit status for main(): the launched command's status, 0
 * when attached, 1 when the terminal could not be set up (message on
 * stderr).  After the terminal is restored, an empty log is removed and
 * the path of a non-empty one is printed.  Not reentrant: it owns the terminal and signal handlers. */
int ui_run(struct target *t, const struct ui_opts *o);

#endif
