/* src/ui/graph.c - time-series graphs and bars.  Work per draw is
 * O(width x height), whatever the history length. */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "ui/graph.h"

#define AXIS_W 6			/* "1023M" and a space */

static void fmt(const struct graph *g, char *out, size_t len, double v)
{
	if (g->bytes)
		draw_bytes(out, len, v);
	else
		draw_count(out, len, v);
}

void graph_draw(const struct graph *g, WINDOW *win, int y, int x, int h,
		int w)
{
	const struct draw_glyphs *gl = draw_glyphs();
	const struct model_series *s = g->series;
	int rows = h - 1;
	int pw = w - AXIS_W;
	uint32_t n;
	uint32_t first;
	double vmax = 0;
	double avg[512];
	double sum = 0;
	char now[16];
	char av[16];
	char mx[16];
	int used;

	if (h < 1 || w < AXIS_W + 4)
		return;
	if (pw > (int)(sizeof avg / sizeof avg[0]))
		pw = (int)(sizeof avg / sizeof avg[0]);
	n = s->len < (uint32_t)pw ? s->len : (uint32_t)pw;
	first = s->len - n;
	/* Windowed mean for the line: a running sum over the series, started
	 * GRAPH_AVG_WINDOW values before the first visible one. */
	for (uint32_t i = first >= GRAPH_AVG_WINDOW ?
			  first - GRAPH_AVG_WINDOW : 0; i < s->len; i++) {
		double v = model_series_at(s, i);

		sum += v;
		if (i >= GRAPH_AVG_WINDOW)
			sum -= model_series_at(s, i - GRAPH_AVG_WINDOW);
		if (i >= first) {
			uint32_t k = i + 1 < GRAPH_AVG_WINDOW ?
				     i + 1 : GRAPH_AVG_WINDOW;

			avg[i - first] = sum / k;
			if (v > vmax)
				vmax = v;
		}
	}
	fmt(g, now, sizeof now, model_series_last(s));
	fmt(g, av, sizeof av, g->average);
	fmt(g, mx, sizeof mx, vmax);
	used = draw_text(win, y, x, w, draw_attr(DRAW_LABEL) | A_BOLD,
			 g->title);
	if (s->len == 0) {
		draw_text(win, y, x + used, w - used, draw_attr(DRAW_DIM),
			  "  learning...");
		return;
	}
	used += draw_fmt(win, y, x + used, w - used, draw_attr(DRAW_VALUE),
			 "  %s%s", now, g->unit);
	used += draw_fmt(win, y, x + used, w - used, draw_attr(DRAW_AVG),
			 "  %s avg %s%s", gl->avg, av, g->unit);
	draw_fmt(win, y, x + used, w - used, draw_attr(DRAW_DIM),
		 "  max %s%s", mx, g->unit);
	if (rows < 1)
		return;
	if (vmax <= 0)
		vmax = 1;
	draw_fmt(win, y + 1, x, AXIS_W - 1, draw_attr(DRAW_AXIS), "%*s",
		 AXIS_W - 1, mx);
	if (rows > 1)
		draw_text(win, y + rows, x + AXIS_W - 2, 1,
			  draw_attr(DRAW_AXIS), "0");
	for (uint32_t i = 0; i < n; i++) {
		int col = x + AXIS_W + pw - (int)n + (int)i;
		double v = model_series_at(s, first + i);
		long eighths = lround(v / vmax * rows * 8);
		double a = avg[i] / vmax * rows;
		int arow = a >= rows ? rows - 1 : (int)a;

		for (int r = 0; r < rows; r++) {
			long e = eighths - (long)r * 8;
			int cy = y + rows - r;

			e = e < 0 ? 0 : e > 8 ? 8 : e;
			if (r == arow && avg[i] > 0) {
				draw_text(win, cy, col, 1,
					  draw_attr(e == 8 ? DRAW_AVG_IN_BAR :
						    DRAW_AVG), gl->avg);
			} else if (e > 0) {
				draw_text(win, cy, col, 1, draw_attr(g->role),
					  gl->vbar[e]);
			}
		}
	}
	for (uint32_t c = 0; c < g->n_changepoints; c++) {
		uint64_t back = g->last_tick - g->changepoints[c];
		int col;

		if (g->changepoints[c] > g->last_tick || back >= n)
			continue;
		col = x + AXIS_W + pw - 1 - (int)back;
		draw_text(win, y + 1, col, 1, draw_attr(DRAW_CHANGE),
			  gl->change);
	}
}

void graph_hbar(WINDOW *win, int y, int x, int width, double fraction,
		enum draw_role role)
{
	const struct draw_glyphs *g = draw_glyphs();
	long eighths;

	if (width <= 0 || !(fraction > 0))
		return;
	if (fraction > 1)
		fraction = 1;
	eighths = lround(fraction * width * 8);
	if (eighths == 0)
		eighths = 1;		/* non-zero stays visible */
	for (int c = 0; c < width && eighths > 0; c++, eighths -= 8)
		draw_text(win, y, x + c, 1, draw_attr(role),
			  g->hbar[eighths >= 8 ? 8 : eighths]);
}
