/* src/ui/screen.h - what the loop (ui.c) shares with the screens: the
 * handler flags, the UI state, and one struct screen per screen.  Screens
 * only read the model (DESIGN.md, "Views"); handlers only change state and
 * return flags, the loop alone draws (htop's HandlerResult). */
#ifndef ALLOCTOP_UI_SCREEN_H
#define ALLOCTOP_UI_SCREEN_H

#include <stdbool.h>

#include "collect/proc.h"
#include "model.h"
#include "ui/draw.h"
#include "ui/panel.h"

/* What a key handler asks the loop to do. */
#define UI_OK 0x0
#define UI_REDRAW 0x1		/* draw again now */
#define UI_QUIT 0x2
#define UI_CLEAR 0x4		/* repaint the whole terminal (Ctrl-L) */
#define UI_TICK 0x8		/* take a tick now (new delay, reset) */

enum ui_screen {
	UI_SCREEN_OVERVIEW,
	UI_SCREEN_HOTSPOTS,
	UI_SCREEN_ALERTS,
	UI_SCREEN_HELP,		/* not in the Tab cycle: h, ?, F1 */
	UI_SCREEN_COUNT
};

enum ui_prompt {
	UI_PROMPT_NONE,
	UI_PROMPT_DELAY,	/* d: seconds */
	UI_PROMPT_FILTER,	/* /: the table's filter, live */
};

struct ui {
	struct target *target;
	struct model *model;
	const char *log_path;		/* launched command's output, or NULL */
	enum ui_screen screen;
	enum ui_screen back;		/* where help returns to */
	bool paused;
	bool show_log;
	char cmdline[256];		/* read at start and after an exec */
	struct proc_info proc;		/* the last /proc reading that worked */
	bool have_proc;
	char status[200];		/* the status line's message */
	double status_s;		/* monotonic seconds when it was set */
	enum ui_prompt prompt;
	char input[64];			/* the prompt's text so far */
	struct panel *panel[UI_SCREEN_COUNT];	/* NULL: no table */
};

struct screen {
	const char *name;		/* in the top line */
	/* Makes the screen's table, NULL (errno set) on failure; NULL
	 * here: the screen has none. */
	struct panel *(*create)(void);
	/* After every tick: hands the model's rows to the table. */
	void (*update)(struct ui *u, struct panel *p);
	/* Draws the h x w body in win (rows 0 .. h-1). */
	void (*draw)(struct ui *u, struct panel *p, WINDOW *win, int h, int w);
	/* Once per tick, after the model took it: records the screen's own
	 * per-tick history (bounded).  NULL: none. */
	void (*tick)(struct ui *u, struct panel *p);
	/* A key the screen handles before its table does; UI_OK: not
	 * handled.  NULL: none. */
	int (*key)(struct ui *u, struct panel *p, enum keymap_action a);
};

extern const struct screen screen_overview;
extern const struct screen screen_hotspots;
extern const struct screen screen_alerts;
extern const struct screen screen_help;

/* Severity bands of the Hotspots table: a row holding at least this
 * share (0..1) of all sampled live bytes is drawn as a warning, or as
 * critical.  The one place they are set; alloctop.yaml's bands are meant
 * to feed them. */
struct screen_bands {
	double warn_live_share;
	double crit_live_share;
};

extern struct screen_bands screen_hotspot_bands;

/* "CRIT", "WARN", "info", and the role each is drawn in. */
const char *screen_severity_name(enum model_severity s);
enum draw_role screen_severity_role(enum model_severity s);

/* Writes s wrapped at w columns from row y, stopping at row h (the
 * area's end); returns the next free row. */
int screen_wrap(WINDOW *win, int y, int x, int h, int w, attr_t a,
		const char *s);

/* The tail of the launched command's log in the h x w area at (y, 0). */
void screen_log_draw(const struct ui *u, WINDOW *win, int y, int h, int w);

#endif
