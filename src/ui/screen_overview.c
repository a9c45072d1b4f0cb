/* src/ui/screen_overview.c - the first screen: rate and live-bytes graphs
 * with their moving averages and change points, the size histogram, the
 * pattern verdict, per-op figures and the newest alerts.  It lays itself
 * out in the space it gets: side by side from 110 columns, stacked below. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "collect/snapshot.h"
#include "ui/graph.h"
#include "ui/screen.h"

/* Octaves of the size histogram: 0, 1, 2-3, 4-7, ..., 2^40 and more. */
#define OCTAVES 42

static unsigned octave_of(unsigned bucket)
{
	uint64_t lo = seg_hist_lower(bucket);

	return lo == 0 ? 0 : 64u - (unsigned)__builtin_clzll(lo);
}

static uint64_t octave_lower(unsigned o)
{
	return o == 0 ? 0 : 1ull << (o - 1);
}

static void size_label(char *out, size_t len, unsigned o, unsigned k)
{
	char a[16];
	char b[16];

	draw_bytes(a, sizeof a, (double)octave_lower(o));
	if (o + k >= OCTAVES) {
		snprintf(out, len, ">=%s", a);
	} else if (o + k - 1 <= 1) {
		snprintf(out, len, "%s", a);	/* one size: 0 or 1 byte */
	} else {
		draw_bytes(b, sizeof b, (double)octave_lower(o + k));
		snprintf(out, len, "%s-%s", a, b);
	}
}

/* The log-linear buckets grouped into octaves, and octaves merged k at a
 * time until they fit in h-1 rows. */
static void draw_hist(struct ui *u, WINDOW *win, int y, int x, int h, int w)
{
	const struct target_view *v = &u->model->view;
	uint64_t oct[OCTAVES] = { 0 };
	uint64_t total = 0;
	uint64_t rmax = 0;
	unsigned lo = OCTAVES;
	unsigned hi = 0;
	unsigned k;
	int rows = h - 1;

	if (h < 2 || w < 20)
		return;
	if (v->has_segment) {
		for (unsigned b = 0; b < SEG_HIST_BUCKETS; b++) {
			unsigned o = octave_of(b);

			oct[o] += v->snap.total.hist[b];
			total += v->snap.total.hist[b];
		}
	}
	for (unsigned o = 0; o < OCTAVES; o++) {
		if (oct[o] == 0)
			continue;
		if (lo == OCTAVES)
			lo = o;
		hi = o;
	}
	draw_text(win, y, x, w, draw_attr(DRAW_LABEL) | A_BOLD,
		  "Sizes requested, since start");
	if (total == 0) {
		draw_text(win, y + 1, x + 1, w - 1, draw_attr(DRAW_DIM),
			  v->has_segment ? "no allocations yet" :
			  "no segment: the target is not under the shim");
		return;
	}
	k = (hi - lo + 1 + (unsigned)rows - 1) / (unsigned)rows;
	for (unsigned o = lo; o <= hi; o += k) {
		uint64_t c = 0;

		for (unsigned j = o; j < o + k && j < OCTAVES; j++)
			c += oct[j];
		if (c > rmax)
			rmax = c;
	}
	for (unsigned o = lo, r = 0; o <= hi && (int)r < rows; o += k, r++) {
		uint64_t c = 0;
		char label[32];
		int bw = w - 11 - 7;

		for (unsigned j = o; j < o + k && j < OCTAVES; j++)
			c += oct[j];
		size_label(label, sizeof label, o, k);
		draw_fmt(win, y + 1 + (int)r, x, 10, draw_attr(DRAW_AXIS),
			 "%9s", label);
		draw_fmt(win, y + 1 + (int)r, x + 10, 6, draw_attr(DRAW_NORMAL),
			 "%5.1f%%", 100.0 * (double)c / (double)total);
		graph_hbar(win, y + 1 + (int)r, x + 17, bw,
			   (double)c / (double)rmax, DRAW_HIST);
	}
}

/* Pattern, per-op figures, then the newest alerts, newest first. */
static void draw_findings(struct ui *u, WINDOW *win, int y, int x, int h,
			  int w)
{
	const struct model *m = u->model;
	const struct target_view *v = &m->view;
	uint32_t held;
	int row = y;

	if (h < 1 || w < 10)
		return;
	draw_text(win, row, x, 9, draw_attr(DRAW_LABEL) | A_BOLD, "Pattern");
	if (m->pattern != NULL) {
		draw_fmt(win, row, x + 9, w - 9, draw_attr(DRAW_VALUE),
			 "%s (%.0f%%)", m->pattern,
			 100.0 * m->pattern_confidence);
		if (m->pattern_reason != NULL && row + 1 < y + h)
			draw_text(win, ++row, x + 9, w - 9,
				  draw_attr(DRAW_NORMAL), m->pattern_reason);
	} else {
		draw_text(win, row, x + 9, w - 9, draw_attr(DRAW_DIM),
			  "learning...");
	}
	if (++row >= y + h)
		return;
	draw_text(win, row, x, 9, draw_attr(DRAW_LABEL) | A_BOLD, "Per op");
	if (v->has_segment && v->snap.total.ops > 0) {
		double ops = (double)v->snap.total.ops;
		double bytes = (double)snap_requested_bytes(&v->snap);
		double allocs = (double)snap_alloc_calls(&v->snap);
		char b[16];

		/* This tick's when ops ran in it, else the run's. */
		if (v->have_rates && v->rates.ops_per_s > 0) {
			ops = v->rates.ops_per_s;
			bytes = v->rates.bytes_per_s;
			allocs = v->rates.allocs_per_s;
		}
		draw_bytes(b, sizeof b, bytes / ops);
		draw_fmt(win, row, x + 9, w - 9, draw_attr(DRAW_VALUE),
			 "%s, %.2f allocs", b, allocs / ops);
	} else {
		draw_text(win, row, x + 9, w - 9, draw_attr(DRAW_DIM),
			  "no ops counted (alloctop_ops)");
	}
	if ((row += 2) >= y + h)
		return;
	held = m->n_alerts < MODEL_ALERTS ? m->n_alerts : MODEL_ALERTS;
	draw_fmt(win, row, x, w, draw_attr(DRAW_LABEL) | A_BOLD,
		 "Alerts (%u)", m->n_alerts);
	if (held == 0) {
		draw_text(win, row + 1, x + 1, w - 1, draw_attr(DRAW_DIM),
			  "none");
		return;
	}
	for (uint32_t i = 0; i < held && ++row < y + h; i++) {
		const struct model_alert *a =
			&m->alerts[(m->n_alerts - 1 - i) % MODEL_ALERTS];
		attr_t at = draw_attr(screen_severity_role(a->severity));

		if (!a->active)
			at = draw_attr(DRAW_DIM);
		draw_fmt(win, row, x, w, at, "%7.1fs %s %s", a->t_s,
			 screen_severity_name(a->severity), a->text);
	}
}

static void draw_graphs(struct ui *u, WINDOW *win, int y, int x, int h,
			int w)
{
	static const struct {
		const char *title;
		enum model_metric metric;
		bool bytes;
		const char *unit;
		enum draw_role role;
	} spec[] = {
		{ "Allocated bytes/s", MODEL_ALLOC_BYTES_PER_S, true, "/s",
		  DRAW_GRAPH },
		{ "Allocations/s", MODEL_ALLOCS_PER_S, false, "/s",
		  DRAW_GRAPH },
		{ "Live bytes", MODEL_LIVE_BYTES, true, "", DRAW_GRAPH_LIVE },
	};
	const struct model *m = u->model;
	int n = (int)(sizeof spec / sizeof spec[0]);

	for (int i = 0; i < n; i++) {
		int gy = y + h * i / n;
		int gh = y + h * (i + 1) / n - gy;
		struct graph g = {
			.title = spec[i].title,
			.series = &m->series[spec[i].metric],
			.average = m->average[spec[i].metric],
			.changepoints = m->changepoints[spec[i].metric],
			.n_changepoints = m->n_changepoints[spec[i].metric],
			.last_tick = m->ticks,
			.bytes = spec[i].bytes,
			.unit = spec[i].unit,
			.role = spec[i].role,
		};

		if (g.n_changepoints > 8)
			g.n_changepoints = 8;
		graph_draw(&g, win, gy, x, gh, w);
	}
}

static void draw(struct ui *u, struct panel *p, WINDOW *win, int h, int w)
{
	(void)p;
	if (w >= 110) {
		int lw = w * 6 / 10;
		int hh = h - 8 > h / 2 ? h - 8 : h / 2;

		draw_graphs(u, win, 0, 0, h, lw - 1);
		draw_hist(u, win, 0, lw + 1, hh, w - lw - 1);
		draw_findings(u, win, hh + 1, lw + 1, h - hh - 1, w - lw - 1);
	} else {
		int gh = h * 6 / 10 > 9 ? h * 6 / 10 : 9;
		int lw = w / 2;

		if (gh > h)
			gh = h;
		draw_graphs(u, win, 0, 0, gh, w);
		draw_hist(u, win, gh, 0, h - gh, lw - 1);
		draw_findings(u, win, gh, lw + 1, h - gh, w - lw - 1);
	}
}

const struct screen screen_overview = {
	.name = "Overview",
	.draw = draw,
};
