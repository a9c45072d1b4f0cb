/* src/ui/screen_tables.c - the simple screens that are a table: Alerts
 * and Help (Hotspots has its own file).  Each supplies columns and, before
 * every draw, rows taken from the model (or the key table); the panel does
 * the rest. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ui/graph.h"
#include "ui/screen.h"

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

const char *screen_severity_name(enum model_severity s)
{
	return s == MODEL_CRITICAL ? "CRIT" :
	       s == MODEL_WARNING ? "WARN" : "info";
}

enum draw_role screen_severity_role(enum model_severity s)
{
	return s == MODEL_CRITICAL ? DRAW_CRITICAL :
	       s == MODEL_WARNING ? DRAW_WARNING : DRAW_INFO;
}

int screen_wrap(WINDOW *win, int y, int x, int h, int w, attr_t a,
		const char *s)
{
	size_t len = strlen(s);

	while (len > 0 && y < h) {
		size_t n = len > (size_t)w ? (size_t)w : len;
		char line[256];

		if (n < len)		/* break at the last space if any */
			for (size_t k = n; k > n / 2; k--)
				if (s[k] == ' ') {
					n = k;
					break;
				}
		if (n >= sizeof line)
			n = sizeof line - 1;
		memcpy(line, s, n);
		line[n] = '\0';
		draw_text(win, y++, x, w, a, line);
		s += n;
		len -= n;
		while (*s == ' ') {
			s++;
			len--;
		}
	}
	return y;
}

static void table_draw(struct ui *u, struct panel *p, WINDOW *win, int h,
		       int w, const char *what)
{
	const char *f = panel_filter(p);
	int y = 0;

	(void)u;
	if (f[0] != '\0' || panel_total(p) > 0) {
		draw_fmt(win, y++, 0, w, draw_attr(DRAW_DIM),
			 "%zu of %zu %s%s%s%s", panel_shown(p),
			 panel_total(p), what, f[0] ? ", filter \"" : "", f,
			 f[0] ? "\"" : "");
	}
	panel_draw(p, win, y, 0, h - y, w);
}

/* ---- Alerts ----------------------------------------------------------- */

static int al_time(const void *a, const void *b)
{
	const struct model_alert *x = a;
	const struct model_alert *y = b;

	return CMP(x->t_s, y->t_s);
}

static int al_sev(const void *a, const void *b)
{
	const struct model_alert *x = a;
	const struct model_alert *y = b;

	return x->severity != y->severity ? CMP(x->severity, y->severity) :
	       CMP(x->t_s, y->t_s);
}

static int al_state(const void *a, const void *b)
{
	const struct model_alert *x = a;
	const struct model_alert *y = b;

	return x->active != y->active ? CMP(x->active, y->active) :
	       CMP(x->t_s, y->t_s);
}

static int al_text(const void *a, const void *b)
{
	const struct model_alert *x = a;
	const struct model_alert *y = b;

	return strcmp(x->text, y->text);
}

static const struct panel_column al_cols[] = {
	{ "Time", 10, true, al_time },
	{ "Sev", 5, false, al_sev },
	{ "State", 8, false, al_state },
	{ "Alert", 0, false, al_text },
};

static void al_cell(const void *row, int col, char *buf, size_t len)
{
	const struct model_alert *a = row;

	switch (col) {
	case 0:
		snprintf(buf, len, "%.1fs", a->t_s);
		break;
	case 1:
		snprintf(buf, len, "%s", screen_severity_name(a->severity));
		break;
	case 2:
		snprintf(buf, len, "%s", a->active ? "active" :
			 a->note ? "note" : "cleared");
		break;
	default:
		/* The model terminates it; a bound costs nothing. */
		snprintf(buf, len, "%.*s", (int)sizeof a->text, a->text);
		break;
	}
}

static enum draw_role al_role(const void *row)
{
	const struct model_alert *a = row;

	return a->active ? screen_severity_role(a->severity) : DRAW_DIM;
}

static void al_detail(const void *row, WINDOW *win, int y, int x, int h,
		      int w)
{
	const struct model_alert *a = row;
	int r = y;

	draw_text(win, r++, x, w, draw_attr(DRAW_LABEL) | A_BOLD,
		  "Alert (Esc: back)");
	draw_fmt(win, r++, x + 2, w - 2,
		 draw_attr(screen_severity_role(a->severity)),
		 "%s, raised at %.1f s, %s", screen_severity_name(a->severity),
		 a->t_s, a->active ? "active" : a->note ? "note" : "cleared");
	screen_wrap(win, r + 1, x + 2, y + h, w - 2, draw_attr(DRAW_NORMAL),
	     a->text);
}

static const struct panel_class al_class = {
	.cols = al_cols,
	.ncols = sizeof al_cols / sizeof al_cols[0],
	.cell = al_cell,
	.role = al_role,
	.detail = al_detail,
	.row_size = sizeof(struct model_alert),
	.empty = "no alerts raised",
};

static struct panel *al_create(void)
{
	return panel_new(&al_class, 0, true);	/* newest first */
}

static void al_update(struct ui *u, struct panel *p)
{
	const struct model *m = u->model;
	const void *rows[MODEL_ALERTS];
	uint32_t held = m->n_alerts < MODEL_ALERTS ? m->n_alerts :
			MODEL_ALERTS;

	for (uint32_t i = 0; i < held; i++)
		rows[i] = &m->alerts[(m->n_alerts - held + i) % MODEL_ALERTS];
	panel_set_rows(p, rows, held);
}

static void al_draw(struct ui *u, struct panel *p, WINDOW *win, int h, int w)
{
	table_draw(u, p, win, h, w, "alerts");
}

const struct screen screen_alerts = {
	.name = "Alerts",
	.create = al_create,
	.update = al_update,
	.draw = al_draw,
};

/* ---- Help ------------------------------------------------------------- */

static int hp_keys(const void *a, const void *b)
{
	return strcmp(((const struct keymap_help *)a)->keys,
		      ((const struct keymap_help *)b)->keys);
}

static int hp_text(const void *a, const void *b)
{
	return strcmp(((const struct keymap_help *)a)->text,
		      ((const struct keymap_help *)b)->text);
}

static const struct panel_column hp_cols[] = {
	{ "Keys", 14, false, hp_keys },
	{ "Where", 9, false, NULL },
	{ "What it does", 0, false, hp_text },
};

static void hp_cell(const void *row, int col, char *buf, size_t len)
{
	const struct keymap_help *k = row;

	snprintf(buf, len, "%s", col == 0 ? k->keys : col == 1 ?
		 keymap_scope_name(k->scope) : k->text);
}

static const struct panel_class hp_class = {
	.cols = hp_cols,
	.ncols = sizeof hp_cols / sizeof hp_cols[0],
	.cell = hp_cell,
	.empty = "no keys",
};

/* Filled from the key table once; the table is const. */
static struct keymap_help hp_rows[KEYMAP_ACTION_COUNT];
static size_t hp_n;

static struct panel *hp_create(void)
{
	hp_n = keymap_help(hp_rows, KEYMAP_ACTION_COUNT);
	if (hp_n > KEYMAP_ACTION_COUNT)
		hp_n = KEYMAP_ACTION_COUNT;
	return panel_new(&hp_class, -1, false);	/* table order */
}

static void hp_update(struct ui *u, struct panel *p)
{
	const void *rows[KEYMAP_ACTION_COUNT];

	(void)u;
	for (size_t i = 0; i < hp_n; i++)
		rows[i] = &hp_rows[i];
	panel_set_rows(p, rows, hp_n);
}

static void hp_draw(struct ui *u, struct panel *p, WINDOW *win, int h, int w)
{
	const struct draw_glyphs *g = draw_glyphs();
	int y = 0;

	(void)u;
	draw_text(win, y++, 0, w, draw_attr(DRAW_LABEL) | A_BOLD,
		  "Keys (h, ? or F1 again, or Esc: back)");
	draw_fmt(win, y++, 0, w, draw_attr(DRAW_NORMAL),
		 "Graphs: one bar per tick, scaled to fit; %s mean of %d "
		 "ticks; %s change point", g->avg,
		 GRAPH_AVG_WINDOW, g->change);
	draw_text(win, y++, 0, w, draw_attr(DRAW_NORMAL),
		  "Counts are exact; call-site figures are sampled estimates "
		  "unless sampling is every alloc (--exact)");
	draw_fmt(win, y++, 0, w, draw_attr(DRAW_NORMAL),
		 "Hotspots: a row holding %.0f%% of the sampled live bytes "
		 "is a warning, %.0f%% critical",
		 100 * screen_hotspot_bands.warn_live_share,
		 100 * screen_hotspot_bands.crit_live_share);
	panel_draw(p, win, y, 0, h - y, w);
}

const struct screen screen_help = {
	.name = "Help",
	.create = hp_create,
	.update = hp_update,
	.draw = hp_draw,
};
