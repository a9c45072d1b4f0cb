/* src/ui/graph.h - graph widgets: a series over time with its moving
 * average and change points, and horizontal bars for histograms.  They
 * draw what the model recorded (one value per tick) and scale to the
 * largest visible value; they record nothing themselves. */
#ifndef ALLOCTOP_UI_GRAPH_H
#define ALLOCTOP_UI_GRAPH_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"
#include "ui/draw.h"

struct graph {
	const char *title;
	const struct model_series *series;
	double average;			/* the model's EWMA, for the title */
	const uint64_t *changepoints;	/* tick numbers, newest last */
	uint32_t n_changepoints;
	uint64_t last_tick;		/* tick of the series' newest value */
	bool bytes;			/* values are bytes (else counts) */
	const char *unit;		/* "/s", or "" */
	enum draw_role role;
};

/* Ticks the windowed moving average line spans. */
#define GRAPH_AVG_WINDOW 10

/* Title line, then bars in the h-1 rows below, newest on the right. */
void graph_draw(const struct graph *g, WINDOW *win, int y, int x, int h,
		int w);

/* A horizontal bar of fraction 0..1 of width cells, in eighths. */
void graph_hbar(WINDOW *win, int y, int x, int width, double fraction,
		enum draw_role role);

#endif
