/* src/ui/keymap.h - the one key table: key, action, function-bar label and
 * help text.  The bottom bar and the help screen are generated from it, so
 * they cannot drift from what the keys do (tmux keeps a note with every
 * binding the same way). */
#ifndef ALLOCTOP_UI_KEYMAP_H
#define ALLOCTOP_UI_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/draw.h"

enum keymap_action {
	KEYMAP_NONE,
	/* everywhere */
	KEYMAP_HELP,
	KEYMAP_NEXT_SCREEN,
	KEYMAP_PREV_SCREEN,
	KEYMAP_PAUSE,
	KEYMAP_DELAY,
	KEYMAP_RESET,
	KEYMAP_LOG,
	KEYMAP_REDRAW,
	KEYMAP_QUIT,
	/* on screens with a table */
	KEYMAP_UP,
	KEYMAP_DOWN,
	KEYMAP_PAGE_UP,
	KEYMAP_PAGE_DOWN,
	KEYMAP_HOME,
	KEYMAP_END,
	KEYMAP_SORT_PREV,
	KEYMAP_SORT_NEXT,
	KEYMAP_SORT_REVERSE,
	KEYMAP_FILTER,
	KEYMAP_ENTER,
	KEYMAP_BACK,
	/* on the Hotspots screen */
	KEYMAP_VIEW,
	KEYMAP_GROUP,
	KEYMAP_ACTION_COUNT
};

/* Each scope includes the ones above it: the Hotspots screen is a table
 * too, and every screen takes the global keys. */
enum keymap_scope {
	KEYMAP_GLOBAL,
	KEYMAP_TABLE,		/* only where the screen shows a table */
	KEYMAP_HOTSPOTS,	/* only on the Hotspots screen */
};

struct keymap_entry {
	int key;			/* a character or a curses KEY_ code */
	enum keymap_action action;
	enum keymap_scope scope;
	const char *bar;		/* function-bar label, NULL: not shown */
	const char *help;		/* the first entry of an action has it */
};

extern const struct keymap_entry keymap_table[];
extern const size_t keymap_table_len;

/* The action bound to key on a screen of scope where (the most specific
 * scope it has: KEYMAP_GLOBAL for a screen without a table).  KEYMAP_NONE
 * for an unbound key. */
enum keymap_action keymap_lookup(int key, enum keymap_scope where);

/* "F1", "q", "Tab", "Space", "^L", "PgUp", ... into out. */
const char *keymap_key_name(int key, char *out, size_t len);

/* One help line per action: all its keys, and what it does. */
struct keymap_help {
	char keys[40];
	const char *text;
	enum keymap_scope scope;
};

/* Fills up to max lines; returns how many actions there are. */
size_t keymap_help(struct keymap_help *out, size_t max);

/* Draws the function bar ("F1Help  TabNext ...") on row y of w, with the
 * keys of scope where. */
void keymap_draw_bar(WINDOW *w, int y, enum keymap_scope where);

/* "always", "tables" or "hotspots", for the help screen. */
const char *keymap_scope_name(enum keymap_scope s);

#endif
