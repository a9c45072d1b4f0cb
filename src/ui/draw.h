/* src/ui/draw.h - what every screen draws with: colour roles (with a
 * monochrome fallback), the glyph set (UTF-8 blocks or ASCII), clipped text
 * and compact number formats.  Only src/ui includes curses. */
#ifndef ALLOCTOP_UI_DRAW_H
#define ALLOCTOP_UI_DRAW_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1		/* waddnwstr, for UTF-8 text */
#endif
#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

/* What a piece of the screen is, not how it looks: draw_attr() maps a role
 * to a colour pair, or to bold/reverse/underline without colour. */
enum draw_role {
	DRAW_NORMAL,
	DRAW_TITLE,		/* top line */
	DRAW_TAB,		/* screen names in the top line */
	DRAW_TAB_ACTIVE,
	DRAW_LABEL,		/* "RSS", "threads" in the header */
	DRAW_VALUE,
	DRAW_BANNER,		/* "exited (status N)" */
	DRAW_PAUSED,
	DRAW_GRAPH,		/* bars of the rate graphs */
	DRAW_GRAPH_LIVE,	/* bars of the live-bytes graph */
	DRAW_AVG,		/* moving average over the bars */
	DRAW_AVG_IN_BAR,	/* ... where it crosses a bar */
	DRAW_CHANGE,		/* change-point markers */
	DRAW_AXIS,
	DRAW_HIST,
	DRAW_INFO,		/* alert severities */
	DRAW_WARNING,
	DRAW_CRITICAL,
	DRAW_TABLE_HEAD,
	DRAW_TABLE_SORT,	/* the sort column's name */
	DRAW_SELECTED,
	DRAW_BAR_KEY,		/* function bar: "F1" */
	DRAW_BAR_LABEL,		/* function bar: "Help" */
	DRAW_STATUS,
	DRAW_DIM,		/* "learning...", hints */
	DRAW_ROLE_COUNT
};

/* Picks colours (when color and the terminal has them) and glyphs.  Call
 * after initscr(). */
void draw_init(bool color, bool ascii);
attr_t draw_attr(enum draw_role r);
bool draw_ascii(void);

struct draw_glyphs {
	const char *vbar[9];	/* 0/8 .. 8/8 of a cell, bottom up */
	const char *hbar[9];	/* 0/8 .. 8/8 of a cell, left to right */
	const char *avg;	/* the moving-average line */
	const char *change;	/* a change point */
	const char *hline;
	const char *up;		/* sort order */
	const char *down;
	const char *ellipsis;
};

const struct draw_glyphs *draw_glyphs(void);

/* Writes s at (y, x) in at most width display columns, replacing bytes
 * that are not printable characters in the locale by '?'.  Returns the
 * columns used.  Never writes outside w. */
int draw_text(WINDOW *w, int y, int x, int width, attr_t a, const char *s);
int draw_fmt(WINDOW *w, int y, int x, int width, attr_t a,
	     const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Blanks width columns at (y, x) in attribute a. */
void draw_fill(WINDOW *w, int y, int x, int width, attr_t a);

/* Compact numbers for axes and tables: "1.5M" (binary, for bytes) and
 * "3.4k" (decimal, for counts); at most 5 characters. */
void draw_bytes(char *out, size_t len, double bytes);
void draw_count(char *out, size_t len, double n);

#endif
