/* src/ui/draw.c - colour roles, glyphs, clipped text, compact numbers.
 * State is process-wide because curses is: one terminal, one palette. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "ui/draw.h"

static attr_t attrs[DRAW_ROLE_COUNT];
static bool ascii_mode;

static const struct draw_glyphs utf8_glyphs = {
	.vbar = { " ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585",
		  "\u2586", "\u2587", "\u2588" },
	.hbar = { " ", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b",
		  "\u258a", "\u2589", "\u2588" },
	.avg = "\u2500",
	.change = "\u25bc",
	.hline = "\u2500",
	.up = "\u25b2",
	.down = "\u25bc",
	.ellipsis = "\u2026",
};

static const struct draw_glyphs ascii_glyphs = {
	.vbar = { " ", ".", ".", "_", "_", "o", "o", "#", "#" },
	.hbar = { " ", ".", ".", "-", "-", "=", "=", "#", "#" },
	.avg = "-",
	.change = "v",
	.hline = "-",
	.up = "^",
	.down = "v",
	.ellipsis = "~",
};

/* Colour roles: foreground, background (-1: the terminal's own), extra
 * attributes; and what the role looks like without colour. */
static const struct {
	short fg;
	short bg;
	attr_t color_extra;
	attr_t mono;
} roles[DRAW_ROLE_COUNT] = {
	[DRAW_NORMAL] = { -1, -1, 0, 0 },
	[DRAW_TITLE] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[DRAW_TAB] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[DRAW_TAB_ACTIVE] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_BOLD },
	[DRAW_LABEL] = { COLOR_CYAN, -1, 0, 0 },
	[DRAW_VALUE] = { -1, -1, A_BOLD, A_BOLD },
	[DRAW_BANNER] = { COLOR_WHITE, COLOR_RED, A_BOLD,
			  A_REVERSE | A_BOLD },
	[DRAW_PAUSED] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD,
			  A_REVERSE | A_BOLD },
	[DRAW_GRAPH] = { COLOR_GREEN, -1, 0, 0 },
	[DRAW_GRAPH_LIVE] = { COLOR_BLUE, -1, A_BOLD, 0 },
	[DRAW_AVG] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[DRAW_AVG_IN_BAR] = { COLOR_YELLOW, COLOR_GREEN, A_BOLD, A_REVERSE },
	[DRAW_CHANGE] = { COLOR_MAGENTA, -1, A_BOLD, A_BOLD },
	[DRAW_AXIS] = { COLOR_CYAN, -1, 0, 0 },
	[DRAW_HIST] = { COLOR_CYAN, -1, 0, 0 },
	[DRAW_INFO] = { COLOR_CYAN, -1, 0, 0 },
	[DRAW_WARNING] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[DRAW_CRITICAL] = { COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[DRAW_TABLE_HEAD] = { COLOR_BLACK, COLOR_GREEN, 0, A_REVERSE },
	[DRAW_TABLE_SORT] = { COLOR_BLACK, COLOR_CYAN, A_BOLD,
			      A_REVERSE | A_BOLD },
	[DRAW_SELECTED] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[DRAW_BAR_KEY] = { -1, -1, A_BOLD, A_BOLD },
	[DRAW_BAR_LABEL] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[DRAW_STATUS] = { COLOR_YELLOW, -1, 0, 0 },
	[DRAW_DIM] = { COLOR_WHITE, -1, A_DIM, A_DIM },
};

void draw_init(bool color, bool ascii)
{
	bool use = color && has_colors() && start_color() == OK;

	ascii_mode = ascii;
	if (use && use_default_colors() != OK) {
		/* No "default" colour: plain white on black it is. */
		for (int r = 0; r < DRAW_ROLE_COUNT; r++) {
			short fg = roles[r].fg < 0 ? COLOR_WHITE : roles[r].fg;
			short bg = roles[r].bg < 0 ? COLOR_BLACK : roles[r].bg;

			init_pair((short)(r + 1), fg, bg);
		}
	} else if (use) {
		for (int r = 0; r < DRAW_ROLE_COUNT; r++)
			init_pair((short)(r + 1), roles[r].fg, roles[r].bg);
	}
	for (int r = 0; r < DRAW_ROLE_COUNT; r++) {
		if (use && COLOR_PAIRS > DRAW_ROLE_COUNT)
			attrs[r] = COLOR_PAIR(r + 1) | roles[r].color_extra;
		else
			attrs[r] = roles[r].mono;
	}
}

attr_t draw_attr(enum draw_role r)
{
	return (unsigned)r < DRAW_ROLE_COUNT ? attrs[r] : 0;
}

bool draw_ascii(void)
{
	return ascii_mode;
}

const struct draw_glyphs *draw_glyphs(void)
{
	return ascii_mode ? &ascii_glyphs : &utf8_glyphs;
}

int draw_text(WINDOW *w, int y, int x, int width, attr_t a, const char *s)
{
	mbstate_t st;
	int maxy;
	int maxx;
	int used = 0;
	size_t left = strlen(s);

	getmaxyx(w, maxy, maxx);
	if (y < 0 || y >= maxy || x < 0 || x >= maxx || width <= 0)
		return 0;
	if (width > maxx - x)
		width = maxx - x;
	memset(&st, 0, sizeof st);
	wattr_set(w, a, PAIR_NUMBER(a), NULL);
	wmove(w, y, x);
	while (left > 0 && used < width) {
		wchar_t wc;
		size_t n = ascii_mode ? (size_t)-1 :
			   mbrtowc(&wc, s, left, &st);
		int cw;

		if (ascii_mode && (unsigned char)*s < 0x80) {
			wc = (unsigned char)*s;
			n = 1;
		}
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof st);
			wc = L'?';
			n = 1;
		}
		cw = iswprint((wint_t)wc) ? wcwidth(wc) : -1;
		if (cw < 0) {
			wc = L'?';
			cw = 1;
		}
		if (used + cw > width)
			break;
		/* The last cell of the window: waddnwstr would wrap, but
		 * the cursor move failing there is harmless. */
		waddnwstr(w, &wc, 1);
		used += cw;
		s += n;
		left -= n;
	}
	wattr_set(w, A_NORMAL, 0, NULL);
	return used;
}

int draw_fmt(WINDOW *w, int y, int x, int width, attr_t a,
	     const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return draw_text(w, y, x, width, a, buf);
}

void draw_fill(WINDOW *w, int y, int x, int width, attr_t a)
{
	int maxy;
	int maxx;

	getmaxyx(w, maxy, maxx);
	if (y < 0 || y >= maxy || x < 0 || x >= maxx)
		return;
	if (width > maxx - x)
		width = maxx - x;
	wattr_set(w, a, PAIR_NUMBER(a), NULL);
	mvwhline(w, y, x, ' ', width);
	wattr_set(w, A_NORMAL, 0, NULL);
}

static void compact(char *out, size_t len, double v, double base,
		    const char *const *units, size_t nunits)
{
	size_t u = 0;

	if (!isfinite(v))
		v = 0;
	while (fabs(v) >= base && u + 1 < nunits) {
		v /= base;
		u++;
	}
	if (u == 0 && v == floor(v))
		snprintf(out, len, "%.0f%s", v, units[u]);
	else
		snprintf(out, len, fabs(v) < 10 ? "%.1f%s" : "%.0f%s", v,
			 units[u]);
}

void draw_bytes(char *out, size_t len, double bytes)
{
	static const char *const u[] = { "B", "K", "M", "G", "T", "P" };

	compact(out, len, bytes, 1024, u, sizeof u / sizeof u[0]);
}

void draw_count(char *out, size_t len, double n)
{
	static const char *const u[] = { "", "k", "M", "G", "T" };

	compact(out, len, n, 1000, u, sizeof u / sizeof u[0]);
}
