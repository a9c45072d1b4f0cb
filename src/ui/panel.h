/* src/ui/panel.h - a sortable, filterable table of rows: the widget under
 * the Hotspots, Alerts and Help screens (htop's Panel).  A screen supplies
 * the columns (name, width, alignment, comparator) and, every tick, the
 * rows as opaque pointers; the panel keeps the selection, the scroll
 * position, the sort order, the filter and the drill-down.  It never reads
 * the model itself. */
#ifndef ALLOCTOP_UI_PANEL_H
#define ALLOCTOP_UI_PANEL_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/draw.h"
#include "ui/keymap.h"

struct panel_column {
	const char *name;
	int width;			/* columns; 0: the rest of the line */
	bool right;			/* right-aligned (numbers) */
	/* Orders two rows ascending by this column; NULL: not sortable. */
	int (*cmp)(const void *a, const void *b);
};

struct panel_class {
	const struct panel_column *cols;
	int ncols;
	/* The text of column col of row, into buf (filtering matches it). */
	void (*cell)(const void *row, int col, char *buf, size_t len);
	/* The role a row is drawn in (severity colours); NULL: normal. */
	enum draw_role (*role)(const void *row);
	/* Drill-down: draws the details of row in the h x w area at (y, x)
	 * of win; NULL: Enter does nothing. */
	void (*detail)(const void *row, WINDOW *win, int y, int x, int h,
		       int w);
	size_t row_size;		/* bytes copied for the drill-down */
	const char *empty;		/* shown when there are no rows */
};

struct panel;

/* NULL with errno set.  Sorted by column sort_col, descending if desc. */
struct panel *panel_new(const struct panel_class *cls, int sort_col,
			bool desc);
void panel_free(struct panel *p);

/* Replaces the rows: n pointers the caller keeps valid until the next call
 * (the drill-down keeps its own copy).  Filters and sorts them; the
 * selected row stays selected while it is among them.  0 or -ENOMEM. */
int panel_set_rows(struct panel *p, const void *const *rows, size_t n);

/* Case-insensitive substring over every cell; "" shows all rows. */
void panel_set_filter(struct panel *p, const char *text);
const char *panel_filter(const struct panel *p);

/* Rows after filtering, and all rows. */
size_t panel_shown(const struct panel *p);
size_t panel_total(const struct panel *p);

bool panel_in_detail(const struct panel *p);

/* Sorts by column col (ignored if out of range), descending if desc. */
void panel_set_sort(struct panel *p, int col, bool desc);

/* Shown row i in the current order (as of the last panel_set_rows or
 * sort key), NULL past the end; the selected row; the drill-down's copy.
 * NULL when there is none.  Screens that keep history per row use them
 * to decide which rows to follow. */
const void *panel_row(const struct panel *p, size_t i);
const void *panel_selected(const struct panel *p);
const void *panel_detail(const struct panel *p);

/* Acts on a table key; returns UI_ flags (ui/screen.h). */
int panel_key(struct panel *p, enum keymap_action a);

/* Draws the table (or the drill-down) in the h x w area at (y, x). */
void panel_draw(struct panel *p, WINDOW *win, int y, int x, int h, int w);

#endif
