/* src/ui/panel.c - the table widget.  Work per call is bounded by the
 * rows handed in: one filter pass and one sort. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ui/panel.h"
#include "ui/screen.h"

#define CELL_MAX 256

struct panel {
	const struct panel_class *cls;
	const void **rows;		/* shown rows, filtered and sorted */
	size_t n_rows;
	size_t n_total;
	size_t cap;
	size_t sel;			/* index into rows */
	size_t top;			/* first row on screen */
	int page;			/* rows on screen at the last draw */
	int sort_col;
	bool desc;
	char filter[64];
	const void *sel_row;		/* keeps the selection across updates */
	void *detail;			/* copy of the drilled-into row */
};

struct panel *panel_new(const struct panel_class *cls, int sort_col,
			bool desc)
{
	struct panel *p = calloc(1, sizeof *p);

	if (p == NULL)
		return NULL;
	p->cls = cls;
	p->sort_col = sort_col;
	p->desc = desc;
	p->page = 1;
	return p;
}

void panel_free(struct panel *p)
{
	if (p == NULL)
		return;
	free(p->rows);
	free(p->detail);
	free(p);
}

static bool contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return n == 0;
}

static bool row_matches(const struct panel *p, const void *row)
{
	char cell[CELL_MAX];

	if (p->filter[0] == '\0')
		return true;
	for (int c = 0; c < p->cls->ncols; c++) {
		p->cls->cell(row, c, cell, sizeof cell);
		if (contains_nocase(cell, p->filter))
			return true;
	}
	return false;
}

static int cmp_rows(const void *a, const void *b, void *arg)
{
	const struct panel *p = arg;
	const void *ra = *(const void *const *)a;
	const void *rb = *(const void *const *)b;
	int r = p->cls->cols[p->sort_col].cmp(ra, rb);

	return p->desc ? -r : r;
}

static void sort_rows(struct panel *p)
{
	if (p->sort_col >= 0 && p->sort_col < p->cls->ncols &&
	    p->cls->cols[p->sort_col].cmp != NULL)
		qsort_r(p->rows, p->n_rows, sizeof *p->rows, cmp_rows, p);
}

static void clamp(struct panel *p)
{
	size_t page = p->page > 0 ? (size_t)p->page : 1;

	if (p->sel_row != NULL) {
		for (size_t i = 0; i < p->n_rows; i++) {
			if (p->rows[i] == p->sel_row) {
				p->sel = i;
				break;
			}
		}
	}
	if (p->n_rows == 0)
		p->sel = 0;
	else if (p->sel >= p->n_rows)
		p->sel = p->n_rows - 1;
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + page)
		p->top = p->sel - page + 1;
	if (p->top + page > p->n_rows)
		p->top = p->n_rows > page ? p->n_rows - page : 0;
	p->sel_row = p->n_rows ? p->rows[p->sel] : NULL;
}

int panel_set_rows(struct panel *p, const void *const *rows, size_t n)
{
	if (n > p->cap) {
		const void **r = realloc(p->rows, n * sizeof *r);

		if (r == NULL)
			return -ENOMEM;
		p->rows = r;
		p->cap = n;
	}
	p->n_total = n;
	p->n_rows = 0;
	for (size_t i = 0; i < n; i++)
		if (row_matches(p, rows[i]))
			p->rows[p->n_rows++] = rows[i];
	sort_rows(p);
	clamp(p);
	return 0;
}

void panel_set_filter(struct panel *p, const char *text)
{
	snprintf(p->filter, sizeof p->filter, "%s", text);
}

const char *panel_filter(const struct panel *p)
{
	return p->filter;
}

size_t panel_shown(const struct panel *p)
{
	return p->n_rows;
}

size_t panel_total(const struct panel *p)
{
	return p->n_total;
}

bool panel_in_detail(const struct panel *p)
{
	return p->detail != NULL;
}

void panel_set_sort(struct panel *p, int col, bool desc)
{
	if (col < 0 || col >= p->cls->ncols)
		return;
	p->sort_col = col;
	p->desc = desc;
	sort_rows(p);
	clamp(p);
}

const void *panel_row(const struct panel *p, size_t i)
{
	return i < p->n_rows ? p->rows[i] : NULL;
}

const void *panel_selected(const struct panel *p)
{
	return p->n_rows ? p->rows[p->sel] : NULL;
}

const void *panel_detail(const struct panel *p)
{
	return p->detail;
}

static void move_sel(struct panel *p, long delta)
{
	long s = (long)p->sel + delta;

	if (s < 0 || p->n_rows == 0)
		s = 0;
	else if ((size_t)s >= p->n_rows)
		s = (long)p->n_rows - 1;
	p->sel = (size_t)s;
	p->sel_row = NULL;
	clamp(p);
}

/* Next sortable column in direction dir, wrapping. */
static void next_sort(struct panel *p, int dir)
{
	int n = p->cls->ncols;

	for (int i = 1; i <= n; i++) {
		int c = ((p->sort_col + dir * i) % n + n) % n;

		if (p->cls->cols[c].cmp != NULL) {
			p->sort_col = c;
			return;
		}
	}
}

static int enter(struct panel *p)
{
	void *copy;

	if (p->cls->detail == NULL || p->n_rows == 0)
		return UI_OK;
	copy = malloc(p->cls->row_size);
	if (copy == NULL)
		return UI_OK;
	memcpy(copy, p->rows[p->sel], p->cls->row_size);
	free(p->detail);
	p->detail = copy;
	return UI_REDRAW;
}

int panel_key(struct panel *p, enum keymap_action a)
{
	long page = p->page > 1 ? p->page - 1 : 1;

	if (p->detail != NULL && a != KEYMAP_BACK && a != KEYMAP_ENTER)
		return UI_OK;
	switch (a) {
	case KEYMAP_UP:
		move_sel(p, -1);
		break;
	case KEYMAP_DOWN:
		move_sel(p, 1);
		break;
	case KEYMAP_PAGE_UP:
		move_sel(p, -page);
		break;
	case KEYMAP_PAGE_DOWN:
		move_sel(p, page);
		break;
	case KEYMAP_HOME:
		move_sel(p, -(long)p->n_rows);
		break;
	case KEYMAP_END:
		move_sel(p, (long)p->n_rows);
		break;
	case KEYMAP_SORT_PREV:
	case KEYMAP_SORT_NEXT:
		next_sort(p, a == KEYMAP_SORT_PREV ? -1 : 1);
		sort_rows(p);
		clamp(p);
		break;
	case KEYMAP_SORT_REVERSE:
		p->desc = !p->desc;
		sort_rows(p);
		clamp(p);
		break;
	case KEYMAP_ENTER:
		return p->detail ? UI_OK : enter(p);
	case KEYMAP_BACK:
		if (p->detail != NULL) {
			free(p->detail);
			p->detail = NULL;
		} else if (p->filter[0] != '\0') {
			p->filter[0] = '\0';	/* rows return at the draw */
		} else {
			return UI_OK;
		}
		break;
	default:
		return UI_OK;
	}
	return UI_REDRAW;
}

/* One line of cells; head: the column names. */
static void draw_line(struct panel *p, WINDOW *win, int y, int x, int w,
		      const void *row, attr_t a)
{
	const struct draw_glyphs *g = draw_glyphs();
	char cell[CELL_MAX];
	int cx = x;

	draw_fill(win, y, x, w, a);
	for (int c = 0; c < p->cls->ncols && cx < x + w; c++) {
		const struct panel_column *col = &p->cls->cols[c];
		int cw = col->width > 0 ? col->width : x + w - cx;
		attr_t ca = a;
		int len;

		if (cw > x + w - cx)
			cw = x + w - cx;
		if (row != NULL) {
			p->cls->cell(row, c, cell, sizeof cell);
		} else {
			snprintf(cell, sizeof cell, "%s%s", col->name,
				 c == p->sort_col ?
				 (p->desc ? g->down : g->up) : "");
			if (c == p->sort_col)
				ca = draw_attr(DRAW_TABLE_SORT);
		}
		len = (int)strlen(cell);	/* cells are mostly ASCII */
		if (col->right && len < cw - 1)
			draw_text(win, y, cx + cw - 1 - len, len, ca, cell);
		else
			draw_text(win, y, cx, cw - 1, ca, cell);
		cx += cw;
	}
}

void panel_draw(struct panel *p, WINDOW *win, int y, int x, int h, int w)
{
	if (h <= 0 || w <= 0)
		return;
	if (p->detail != NULL) {
		p->cls->detail(p->detail, win, y, x, h, w);
		return;
	}
	draw_line(p, win, y, x, w, NULL, draw_attr(DRAW_TABLE_HEAD));
	p->page = h - 1 > 0 ? h - 1 : 1;
	clamp(p);
	if (p->n_rows == 0) {
		draw_text(win, y + 1, x + 1, w - 1, draw_attr(DRAW_DIM),
			  p->n_total ? "no rows match the filter" :
			  p->cls->empty);
		return;
	}
	for (int i = 0; i < h - 1 && p->top + (size_t)i < p->n_rows; i++) {
		size_t r = p->top + (size_t)i;
		enum draw_role role = p->cls->role ?
				      p->cls->role(p->rows[r]) : DRAW_NORMAL;

		draw_line(p, win, y + 1 + i, x, w, p->rows[r],
			  r == p->sel ? draw_attr(DRAW_SELECTED) :
			  draw_attr(role));
	}
}
