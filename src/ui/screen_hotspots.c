/* src/ui/screen_hotspots.c - the Hotspots screen: the call-site table of
 * the model (view.sites) in the four views pprof users know (in-use space,
 * in-use objects, allocated space, allocated objects), per call site or
 * per function, flat or cumulative; and the drill-down into one site:
 * its whole stack, rate and live-bytes graphs, sizes, lifetimes, the
 * source around the allocation and the advisor's recommendations.
 *
 * Work is bounded: a rebuild (once per tick, or after v or c) visits each
 * of at most SEG_MAX_SITES sites once (cumulative: each of its frames,
 * which the symbolizer caches; at most HS_WALKS_PER_BUILD sites are walked
 * for the first time per rebuild); the panel sorts those rows and draws
 * only the visible ones.  History is kept for HS_TRACKED sites only.
 * Memory is allocated once, on the first tick with call sites.
 *
 * State is file-wide, as there is one Hotspots screen.  Called by ui.c
 * through screen_hotspots. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/advise.h"
#include "ui/graph.h"
#include "ui/screen.h"

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

/* Rows: one per site at most; per function, capped at the same count (a
 * program with more distinct functions on its sampled stacks than this
 * folds the rest into one "(other functions)" row). */
#define HS_MAX_ROWS SEG_MAX_SITES
/* Open-addressing slots for the function-name index: twice the rows, so
 * probes stay short. */
#define HS_INDEX_SLOTS (2u * HS_MAX_ROWS)
/* Sites walked frame by frame for the first time per rebuild in the
 * cumulative grouping: the first lookup of a frame reads DWARF, the next
 * ones hit the symbolizer's cache.  Sites not walked yet count for their
 * top frame only, and the title says how many wait. */
#define HS_WALKS_PER_BUILD 64u
/* Sites with a history ring: the drilled-into one, the selected one and
 * the top rows of the table.  Two rings each of MODEL_HISTORY doubles
 * (56 KiB a site). */
#define HS_TRACKED 8u
/* Ticks in a row that a site's live bytes must not fall, with its growth
 * positive, before the advisor is told the growth persisted. */
#define HS_PERSIST_TICKS 5u
/* Growth confidence handed to the advisor for a site the model's trend
 * test does not follow (detect/sitetrend.h: the top sites by live bytes
 * and by growth are followed): "grew for HS_PERSIST_TICKS ticks without
 * falling" (0.99) or not (0.5).  The advisor's default bar for a leak
 * (0.999) is meant for a statistical test, so we lower it to
 * HS_CONF_PERSISTED for this signal. */
#define HS_CONF_PERSISTED 0.99
#define HS_CONF_UNSURE 0.5
/* Lifetime buckets 0..5 end at 4^5 us = 1.024 ms: "short-lived" for the
 * advisor (bucket b > 0 spans [4^(b-1), 4^b) us, shim/segment.h). */
#define HS_SHORT_BUCKETS 6u
/* Source lines shown either side of the allocation. */
#define HS_SOURCE_CONTEXT 5
#define HS_SOURCE_LINES (2 * HS_SOURCE_CONTEXT + 1)
#define HS_SOURCE_COLS 160
/* Advice lines in the drill-down. */
#define HS_ADVICE_MAX 4

struct screen_bands screen_hotspot_bands = {
	.warn_live_share = 0.10,
	.crit_live_share = 0.25,
};

/* pprof's sample types, in the order v cycles through them. */
enum hs_view {
	HS_INUSE_SPACE,
	HS_INUSE_OBJECTS,
	HS_ALLOC_SPACE,
	HS_ALLOC_OBJECTS,
	HS_VIEW_COUNT
};

static const struct {
	const char *title;
	const char *column;
	bool bytes;
} views[HS_VIEW_COUNT] = {
	[HS_INUSE_SPACE] = { "in-use space", "InUse", true },
	[HS_INUSE_OBJECTS] = { "in-use objects", "InUse#", false },
	[HS_ALLOC_SPACE] = { "allocated space", "Alloc", true },
	[HS_ALLOC_OBJECTS] = { "allocated objects", "Alloc#", false },
};

/* What a row stands for; c cycles through them. */
enum hs_group {
	HS_BY_SITE,		/* flat, one row per call site */
	HS_BY_FUNCTION,		/* flat, sites summed by their top function */
	HS_CUMULATIVE,		/* every function on a site's stack gets it */
	HS_GROUP_COUNT
};

static const char *const group_titles[HS_GROUP_COUNT] = {
	[HS_BY_SITE] = "per call site",
	[HS_BY_FUNCTION] = "per function (flat)",
	[HS_CUMULATIVE] = "per function (cumulative)",
};

/* One row of the table: a site, or the sum of the sites of a function. */
struct hs_row {
	char name[160];			/* "function (file:line)", or the
					   function alone when grouped */
	uint32_t site;			/* the heaviest site in the row */
	uint64_t site_hash;		/* ... its stack's hash, to check it */
	uint32_t n_sites;
	uint64_t live_bytes;
	uint64_t live_objects;
	uint64_t alloc_bytes;
	uint64_t alloc_objects;
	double bytes_per_s;		/* allocated, over the last tick */
	double allocs_per_s;
	double growth_per_min;		/* live bytes, smoothed */
	double life_n;			/* sampled frees with a lifetime */
	double life_sum_s;		/* ... their lifetimes summed */
	double value;			/* the view's figure */
	double share;			/* value / the view's total */
	double live_share;		/* live bytes / all live bytes */
	uint32_t mark;			/* cumulative: the last site added */
};

/* What we remember of each site between ticks, by its index. */
struct hs_site {
	uint64_t hash;			/* whose state this is */
	uint64_t grows;			/* raw.realloc_grows last tick */
	double grows_per_s;
	uint64_t live;			/* live bytes last tick */
	uint32_t up_ticks;		/* ticks without a fall, growing */
	bool walked;			/* cumulative: frames looked up once */
};

/* A site followed tick by tick for the drill-down's graphs. */
struct hs_track {
	uint64_t hash;			/* 0: free */
	uint32_t site;
	uint64_t used_tick;		/* last tick it was wanted */
	struct model_series rate;	/* allocated bytes per second */
	struct model_series live;	/* live bytes */
};

/* The source around the drilled-into allocation, read once per site. */
struct hs_source {
	char path[256];
	int line;
	bool tried;
	char why[96];			/* "" if read, else what went wrong */
	int first;			/* line number of text[0] */
	int n;
	char text[HS_SOURCE_LINES][HS_SOURCE_COLS];
};

static struct {
	enum hs_view view;
	enum hs_group group;
	struct ui *u;			/* for the drill-down's callback */
	struct hs_row *rows;		/* HS_MAX_ROWS */
	const void **ptrs;		/* HS_MAX_ROWS */
	uint32_t *index;		/* HS_INDEX_SLOTS; row + 1, 0 empty */
	uint32_t n_rows;
	uint32_t n_shown;		/* rows handed to the panel */
	uint32_t unwalked;		/* cumulative: sites not walked yet */
	bool dirty;			/* rebuild at the next update */
	uint64_t built_tick;
	struct hs_site *sites;		/* SEG_MAX_SITES */
	double last_elapsed_s;
	struct hs_track *track;		/* HS_TRACKED */
	struct hs_source src;
	bool no_memory;
} hs = { .dirty = true };

/* ---- formatting -------------------------------------------------------- */

static void fmt_where(char *out, size_t len, const struct sym_frame *f)
{
	if (f == NULL)
		snprintf(out, len, "(resolving)");
	else if (f->function[0] && f->file[0])
		snprintf(out, len, "%s (%s:%d)", f->function, f->file,
			 f->line);
	else if (f->function[0])
		snprintf(out, len, "%s (%s+0x%llx)", f->function, f->module,
			 (unsigned long long)f->offset);
	else
		snprintf(out, len, "%s+0x%llx", f->module,
			 (unsigned long long)f->offset);
}

/* A function's name for grouping: its name, or module+offset without
 * symbols (each such frame is then its own "function"). */
static void fmt_function(char *out, size_t len, const struct sym_frame *f)
{
	if (f == NULL)
		snprintf(out, len, "(resolving)");
	else if (f->function[0])
		snprintf(out, len, "%s", f->function);
	else
		snprintf(out, len, "%s+0x%llx", f->module,
			 (unsigned long long)f->offset);
}

/* "850ns", "12us", "3.4ms", "1.2s", "5.0m", "2.0h"; "-" when s < 0. */
static void fmt_seconds(char *out, size_t len, double s)
{
	if (s < 0)
		snprintf(out, len, "-");
	else if (s < 1e-6)
		snprintf(out, len, "%.0fns", s * 1e9);
	else if (s < 1e-3)
		snprintf(out, len, "%.0fus", s * 1e6);
	else if (s < 1)
		snprintf(out, len, "%.1fms", s * 1e3);
	else if (s < 60)
		snprintf(out, len, "%.1fs", s);
	else if (s < 3600)
		snprintf(out, len, "%.1fm", s / 60);
	else
		snprintf(out, len, "%.1fh", s / 3600);
}

static double row_avg_size(const struct hs_row *r)
{
	return r->alloc_objects ?
	       (double)r->alloc_bytes / (double)r->alloc_objects : 0;
}

static double row_avg_life_s(const struct hs_row *r)
{
	return r->life_n > 0 ? r->life_sum_s / r->life_n : -1;
}

/* ---- the table --------------------------------------------------------- */

/* Ties go by name, so equal rows (cumulative callers of one site) keep
 * their order from tick to tick. */
#define ROW_CMP(fn, expr) \
	static int fn(const void *a, const void *b) \
	{ \
		const struct hs_row *x = a; \
		const struct hs_row *y = b; \
		int c = (expr); \
		return c != 0 ? c : strcmp(y->name, x->name); \
	}

ROW_CMP(hs_cmp_value, CMP(x->value, y->value))
ROW_CMP(hs_cmp_rate, CMP(x->bytes_per_s, y->bytes_per_s))
ROW_CMP(hs_cmp_allocs, CMP(x->allocs_per_s, y->allocs_per_s))
ROW_CMP(hs_cmp_size, CMP(row_avg_size(x), row_avg_size(y)))
ROW_CMP(hs_cmp_life, CMP(row_avg_life_s(x), row_avg_life_s(y)))
ROW_CMP(hs_cmp_growth, CMP(x->growth_per_min, y->growth_per_min))
ROW_CMP(hs_cmp_name, strcmp(x->name, y->name))

/* Column 0 and 1 take the view's name (hs_set_view). */
enum {
	COL_SHARE,
	COL_VALUE,
	COL_RATE,
	COL_ALLOCS,
	COL_SIZE,
	COL_LIFE,
	COL_GROWTH,
	COL_NAME,
	COL_COUNT
};

static struct panel_column hs_cols[COL_COUNT] = {
	[COL_SHARE] = { "Share", 7, true, hs_cmp_value },
	[COL_VALUE] = { "InUse", 8, true, hs_cmp_value },
	[COL_RATE] = { "Bytes/s", 8, true, hs_cmp_rate },
	[COL_ALLOCS] = { "Allocs/s", 9, true, hs_cmp_allocs },
	[COL_SIZE] = { "AvgSize", 8, true, hs_cmp_size },
	[COL_LIFE] = { "AvgLife", 8, true, hs_cmp_life },
	[COL_GROWTH] = { "Grow/min", 9, true, hs_cmp_growth },
	[COL_NAME] = { "Call site", 0, false, hs_cmp_name },
};

static void hs_cell(const void *row, int col, char *buf, size_t len)
{
	const struct hs_row *r = row;
	char b[16];

	switch (col) {
	case COL_SHARE:
		snprintf(buf, len, "%.1f%%", 100 * r->share);
		break;
	case COL_VALUE:
		if (views[hs.view].bytes)
			draw_bytes(buf, len, r->value);
		else
			draw_count(buf, len, r->value);
		break;
	case COL_RATE:
		draw_bytes(buf, len, r->bytes_per_s);
		break;
	case COL_ALLOCS:
		draw_count(buf, len, r->allocs_per_s);
		break;
	case COL_SIZE:
		draw_bytes(buf, len, row_avg_size(r));
		break;
	case COL_LIFE:
		fmt_seconds(buf, len, row_avg_life_s(r));
		break;
	case COL_GROWTH:
		draw_bytes(b, sizeof b, fabs(r->growth_per_min));
		snprintf(buf, len, "%s%s", r->growth_per_min <= -0.5 ? "-" :
			 "", b);
		break;
	default:
		snprintf(buf, len, "%s", r->name);
		break;
	}
}

static enum draw_role hs_role(const void *row)
{
	const struct hs_row *r = row;

	if (r->live_share >= screen_hotspot_bands.crit_live_share)
		return DRAW_CRITICAL;
	if (r->live_share >= screen_hotspot_bands.warn_live_share)
		return DRAW_WARNING;
	return DRAW_NORMAL;
}

static void hs_detail(const void *row, WINDOW *win, int y, int x, int h,
		      int w);

static const struct panel_class hs_class = {
	.cols = hs_cols,
	.ncols = COL_COUNT,
	.cell = hs_cell,
	.role = hs_role,
	.detail = hs_detail,
	.row_size = sizeof(struct hs_row),
	.empty = "no call sites sampled yet",
};

static void hs_set_view(enum hs_view v)
{
	hs.view = v;
	hs_cols[COL_VALUE].name = views[v].column;
	hs_cols[COL_NAME].name = hs.group == HS_BY_SITE ? "Call site" :
				 "Function";
	hs.dirty = true;
}

static struct panel *hs_create(void)
{
	hs_set_view(HS_INUSE_SPACE);
	return panel_new(&hs_class, COL_VALUE, true);
}

/* ---- per-tick state ------------------------------------------------------ */

static bool hs_alloc(void)
{
	if (hs.rows != NULL)
		return true;
	if (hs.no_memory)
		return false;
	hs.rows = calloc(HS_MAX_ROWS, sizeof *hs.rows);
	hs.ptrs = calloc(HS_MAX_ROWS, sizeof *hs.ptrs);
	hs.index = calloc(HS_INDEX_SLOTS, sizeof *hs.index);
	hs.sites = calloc(SEG_MAX_SITES, sizeof *hs.sites);
	hs.track = calloc(HS_TRACKED, sizeof *hs.track);
	if (!hs.rows || !hs.ptrs || !hs.index || !hs.sites || !hs.track) {
		free(hs.rows);
		free(hs.ptrs);
		free(hs.index);
		free(hs.sites);
		free(hs.track);
		hs.rows = NULL;
		hs.no_memory = true;	/* said once, in the empty text */
		return false;
	}
	return true;
}

static struct sites *model_sites(const struct ui *u)
{
	const struct target_view *v = &u->model->view;

	return v->has_segment ? v->sites : NULL;
}

/* The site a row stands for, NULL when it left the table (its slot holds
 * another stack now, or the target exec'd). */
static const struct site_row *row_site(const struct ui *u,
				       const struct hs_row *r)
{
	struct sites *t = model_sites(u);
	const struct site_row *s;

	if (t == NULL)
		return NULL;
	s = sites_row(t, r->site);
	return s != NULL && s->raw.hash == r->site_hash ? s : NULL;
}

static void series_push(struct model_series *s, double v)
{
	s->v[s->head] = v;
	s->head = (s->head + 1) % MODEL_HISTORY;
	if (s->len < MODEL_HISTORY)
		s->len++;
}

static struct hs_track *track_find(uint64_t hash)
{
	for (uint32_t i = 0; i < HS_TRACKED && hash != 0; i++)
		if (hs.track[i].hash == hash)
			return &hs.track[i];
	return NULL;
}

/* Follows the site of row r from this tick on: its slot if it has one,
 * else the slot wanted longest ago (whose history is dropped). */
static void track_want(const struct hs_row *r, uint64_t tick)
{
	struct hs_track *t;

	if (r == NULL || r->site_hash == 0)
		return;
	t = track_find(r->site_hash);
	if (t == NULL) {
		t = &hs.track[0];
		for (uint32_t i = 1; i < HS_TRACKED; i++)
			if (hs.track[i].used_tick < t->used_tick)
				t = &hs.track[i];
		if (t->used_tick == tick && t->hash != 0)
			return;		/* all wanted this tick */
		memset(t, 0, sizeof *t);
		t->hash = r->site_hash;
	}
	t->site = r->site;
	t->used_tick = tick;
}

static void hs_tick(struct ui *u, struct panel *p)
{
	struct sites *t = model_sites(u);
	const struct target_view *v = &u->model->view;
	uint64_t tick = u->model->ticks;
	double dt = v->elapsed_s - hs.last_elapsed_s;
	uint32_t n;

	hs.last_elapsed_s = v->elapsed_s;
	hs.dirty = true;
	if (t == NULL || !hs_alloc())
		return;
	n = sites_count(t);
	for (uint32_t i = 0; i < n && i < SEG_MAX_SITES; i++) {
		const struct site_row *r = sites_row(t, i);
		struct hs_site *s = &hs.sites[i];
		uint64_t live = site_live_bytes(r);

		if (s->hash != r->raw.hash) {
			memset(s, 0, sizeof *s);
			s->hash = r->raw.hash;
			s->grows = r->raw.realloc_grows;
			s->live = live;
			continue;
		}
		s->grows_per_s = dt > 0 && r->raw.realloc_grows >= s->grows ?
				 (double)(r->raw.realloc_grows - s->grows) /
				 dt : 0;
		s->grows = r->raw.realloc_grows;
		if (live < s->live || r->growth_bytes_per_min <= 0)
			s->up_ticks = 0;
		else if (live > s->live && s->up_ticks < UINT32_MAX)
			s->up_ticks++;
		s->live = live;
	}
	/* Which sites to follow: the drill-down's, the selection, the top
	 * of the table (as last drawn). */
	track_want(panel_detail(p), tick);
	track_want(panel_selected(p), tick);
	for (size_t i = 0; i + 2 < HS_TRACKED; i++)
		track_want(panel_row(p, i), tick);
	for (uint32_t i = 0; i < HS_TRACKED; i++) {
		struct hs_track *k = &hs.track[i];
		const struct site_row *r = sites_row(t, k->site);

		if (k->hash == 0)
			continue;
		if (r == NULL || r->raw.hash != k->hash) {
			memset(k, 0, sizeof *k);
			continue;
		}
		series_push(&k->rate, r->alloc_bytes_per_s);
		series_push(&k->live, (double)site_live_bytes(r));
	}
}

/* ---- building the rows --------------------------------------------------- */

static double site_view_value(const struct site_row *s, enum hs_view v)
{
	switch (v) {
	case HS_INUSE_SPACE: return site_value(s, SITES_LIVE_BYTES);
	case HS_INUSE_OBJECTS: return site_value(s, SITES_LIVE_OBJECTS);
	case HS_ALLOC_SPACE: return site_value(s, SITES_ALLOC_BYTES);
	default: return site_value(s, SITES_ALLOC_OBJECTS);
	}
}

static uint32_t str_hash(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The row of the function called name, made if new; the overflow row
 * (the last) once the rows are full.  */
static struct hs_row *row_for(const char *name)
{
	uint32_t i = str_hash(name) & (HS_INDEX_SLOTS - 1);
	struct hs_row *r;

	for (uint32_t k = 0; k < HS_INDEX_SLOTS; k++) {
		uint32_t slot = (i + k) & (HS_INDEX_SLOTS - 1);
		uint32_t at = hs.index[slot];

		if (at == 0) {
			if (hs.n_rows + 1 >= HS_MAX_ROWS)
				break;
			r = &hs.rows[hs.n_rows];
			memset(r, 0, sizeof *r);
			snprintf(r->name, sizeof r->name, "%s", name);
			r->mark = UINT32_MAX;
			hs.index[slot] = ++hs.n_rows;
			return r;
		}
		if (strcmp(hs.rows[at - 1].name, name) == 0)
			return &hs.rows[at - 1];
	}
	r = &hs.rows[HS_MAX_ROWS - 1];
	if (r->name[0] == '\0')
		snprintf(r->name, sizeof r->name, "(other functions)");
	return r;
}

/* Adds site s (index i) to row r; the heaviest site in the view names the
 * row's drill-down. */
static void row_add(struct hs_row *r, const struct site_row *s, uint32_t i)
{
	double life = site_avg_lifetime_s(s);
	double freed = 0;
	bool heavier = r->n_sites == 0 ||
		       site_view_value(s, hs.view) > r->value;

	for (unsigned b = 0; b < SEG_LIFE_BUCKETS; b++)
		freed += (double)s->raw.life[b];
	if (heavier) {
		r->site = i;
		r->site_hash = s->raw.hash;
		r->value = site_view_value(s, hs.view);
	}
	r->n_sites++;
	r->live_bytes += site_live_bytes(s);
	r->live_objects += site_live_objects(s);
	r->alloc_bytes += s->raw.alloc_bytes;
	r->alloc_objects += s->raw.alloc_objects;
	r->bytes_per_s += s->alloc_bytes_per_s;
	r->allocs_per_s += s->alloc_objects_per_s;
	r->growth_per_min += s->growth_bytes_per_min;
	if (life >= 0) {
		r->life_n += freed;
		r->life_sum_s += freed * life;
	}
	r->mark = i;
}

/* Cumulative: adds the site to every distinct function on its stack,
 * from its top frame outwards.  A frame may live in the symbolizer's
 * scratch entry, so each name is copied before the next lookup. */
static void add_cumulative(struct sites *t, const struct site_row *s,
			   uint32_t i, uint32_t *walks)
{
	struct hs_site *st = &hs.sites[i];
	char name[160];

	if (s->where == NULL || (!st->walked && *walks == 0)) {
		fmt_function(name, sizeof name, s->where);
		row_add(row_for(name), s, i);
		hs.unwalked++;
		return;
	}
	if (!st->walked) {
		st->walked = true;
		(*walks)--;
	}
	for (uint32_t f = s->top; f < s->raw.nframes; f++) {
		struct hs_row *r;

		fmt_function(name, sizeof name, sites_frame(t, s, f));
		r = row_for(name);
		if (r->mark != i)	/* recursion counts once */
			row_add(r, s, i);
	}
}

/* The view's figure of a row: the sum of its sites. */
static double row_view_value(const struct hs_row *r)
{
	switch (hs.view) {
	case HS_INUSE_SPACE: return (double)r->live_bytes;
	case HS_INUSE_OBJECTS: return (double)r->live_objects;
	case HS_ALLOC_SPACE: return (double)r->alloc_bytes;
	default: return (double)r->alloc_objects;
	}
}

static void build(struct ui *u)
{
	struct sites *t = model_sites(u);
	uint32_t n = t != NULL ? sites_count(t) : 0;
	uint32_t walks = HS_WALKS_PER_BUILD;
	double total = 0;
	double live_total = 0;

	hs.n_rows = 0;
	hs.n_shown = 0;
	hs.unwalked = 0;
	hs.built_tick = u->model->ticks;
	hs.dirty = false;
	if (n == 0 || !hs_alloc())
		return;
	if (n > HS_MAX_ROWS)
		n = HS_MAX_ROWS;
	if (hs.group != HS_BY_SITE) {
		memset(hs.index, 0, HS_INDEX_SLOTS * sizeof *hs.index);
		memset(&hs.rows[HS_MAX_ROWS - 1], 0, sizeof *hs.rows);
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct site_row *s = sites_row(t, i);
		char name[160];

		if (s->raw.samples == 0)
			continue;	/* a slot nothing landed in */
		total += site_view_value(s, hs.view);
		live_total += (double)site_live_bytes(s);
		switch (hs.group) {
		case HS_BY_SITE:
			/* Row i is site i, so the selection follows it. */
			memset(&hs.rows[i], 0, sizeof hs.rows[i]);
			if (s->id == 0)
				snprintf(hs.rows[i].name,
					 sizeof hs.rows[i].name, "%s",
					 "(other: no stack, or table full)");
			else
				fmt_where(hs.rows[i].name,
					  sizeof hs.rows[i].name, s->where);
			row_add(&hs.rows[i], s, i);
			hs.ptrs[hs.n_shown++] = &hs.rows[i];
			break;
		case HS_BY_FUNCTION:
			fmt_function(name, sizeof name, s->where);
			row_add(row_for(name), s, i);
			break;
		default:
			add_cumulative(t, s, i, &walks);
			break;
		}
	}
	if (hs.group != HS_BY_SITE) {
		for (uint32_t i = 0; i < hs.n_rows; i++)
			hs.ptrs[hs.n_shown++] = &hs.rows[i];
		if (hs.rows[HS_MAX_ROWS - 1].n_sites > 0)
			hs.ptrs[hs.n_shown++] = &hs.rows[HS_MAX_ROWS - 1];
	}
	for (uint32_t i = 0; i < hs.n_shown; i++) {
		struct hs_row *r = (struct hs_row *)hs.ptrs[i];

		r->value = row_view_value(r);
		r->share = total > 0 ? r->value / total : 0;
		r->live_share = live_total > 0 ?
				(double)r->live_bytes / live_total : 0;
	}
}

static void hs_update(struct ui *u, struct panel *p)
{
	hs.u = u;
	if (hs.dirty || hs.built_tick != u->model->ticks)
		build(u);
	panel_set_rows(p, hs.ptrs, hs.n_shown);
}

static int hs_key(struct ui *u, struct panel *p, enum keymap_action a)
{
	(void)u;
	if (panel_in_detail(p))
		return UI_OK;
	switch (a) {
	case KEYMAP_VIEW:
		hs_set_view((enum hs_view)((hs.view + 1) % HS_VIEW_COUNT));
		/* The view's figure leads, largest first, as in pprof. */
		panel_set_sort(p, COL_VALUE, true);
		return UI_REDRAW;
	case KEYMAP_GROUP:
		hs.group = (enum hs_group)((hs.group + 1) % HS_GROUP_COUNT);
		hs_set_view(hs.view);
		return UI_REDRAW;
	default:
		return UI_OK;
	}
}

static void hs_draw(struct ui *u, struct panel *p, WINDOW *win, int h, int w)
{
	const struct target_view *v = &u->model->view;
	const char *f = panel_filter(p);
	char how[64];
	int y = 0;
	int x = 0;

	if (panel_in_detail(p)) {
		panel_draw(p, win, 0, 0, h, w);
		return;
	}
	if (!v->has_segment)
		snprintf(how, sizeof how, "no segment");
	else if (v->snap.sample_bytes == 0)
		snprintf(how, sizeof how, "stacks off");
	else if (v->snap.sample_bytes == 1)
		snprintf(how, sizeof how, "exact");
	else {
		char b[16];

		draw_bytes(b, sizeof b, (double)v->snap.sample_bytes);
		snprintf(how, sizeof how, "sampled estimates, 1 per %s", b);
	}
	x += draw_fmt(win, y, x, w, draw_attr(DRAW_LABEL) | A_BOLD,
		      "%s, %s", views[hs.view].title, group_titles[hs.group]);
	x += draw_fmt(win, y, x, w - x, draw_attr(DRAW_VALUE), "; %s", how);
	x += draw_fmt(win, y, x, w - x, draw_attr(DRAW_DIM),
		      "  %zu of %zu %s%s%s%s", panel_shown(p), panel_total(p),
		      hs.group == HS_BY_SITE ? "sites" : "functions",
		      f[0] ? ", filter \"" : "", f, f[0] ? "\"" : "");
	if (hs.unwalked > 0)
		x += draw_fmt(win, y, x, w - x, draw_attr(DRAW_DIM),
			      ", %u stacks resolving", hs.unwalked);
	draw_text(win, y, x, w - x, draw_attr(DRAW_DIM),
		  "  v: view  c: group");
	y++;
	if (v->has_segment && v->snap.sample_bytes == 0) {
		draw_text(win, y + 1, 1, w - 1, draw_attr(DRAW_DIM),
			  "stacks off: the target runs with "
			  "ALLOCTOP_SAMPLE_BYTES=0, so no call sites are "
			  "recorded (launch with --exact or --sample-bytes N)");
		return;
	}
	if (hs.no_memory) {
		draw_text(win, y + 1, 1, w - 1, draw_attr(DRAW_STATUS),
			  "no memory for the call-site table");
		return;
	}
	panel_draw(p, win, y, 0, h - y, w);
}

/* ---- the drill-down ------------------------------------------------------ */

/* Copies a source line into out (HS_SOURCE_COLS), tabs expanded to 8. */
static void untab(char *out, const char *in)
{
	size_t k = 0;

	for (; *in != '\0' && k + 1 < HS_SOURCE_COLS; in++) {
		if (*in != '\t') {
			out[k++] = *in;
			continue;
		}
		do
			out[k++] = ' ';
		while (k % 8 != 0 && k + 1 < HS_SOURCE_COLS);
	}
	out[k] = '\0';
}

/* Reads the lines around line of path into hs.src, once per path+line. */
static void source_load(const char *path, int line)
{
	struct hs_source *s = &hs.src;
	char buf[512];
	bool mid_line = false;
	FILE *fp;
	int no = 0;

	if (s->tried && s->line == line && strcmp(s->path, path) == 0)
		return;
	memset(s, 0, sizeof *s);
	snprintf(s->path, sizeof s->path, "%s", path);
	s->line = line;
	s->tried = true;
	s->first = line - HS_SOURCE_CONTEXT > 1 ?
		   line - HS_SOURCE_CONTEXT : 1;
	if (path[0] == '\0' || line <= 0) {
		snprintf(s->why, sizeof s->why, "no debug information");
		return;
	}
	fp = fopen(path, "r");
	if (fp == NULL) {
		snprintf(s->why, sizeof s->why, "%s", strerror(errno));
		return;
	}
	/* Long lines come in pieces: a piece after a newline starts the
	 * next line, and only a line's first piece is kept. */
	while (no <= line + HS_SOURCE_CONTEXT &&
	       fgets(buf, sizeof buf, fp) != NULL) {
		size_t len = strlen(buf);
		bool first_piece = !mid_line;

		mid_line = len == 0 || buf[len - 1] != '\n';
		if (!mid_line)
			buf[--len] = '\0';
		if (!first_piece)
			continue;
		no++;
		if (no >= s->first && s->n < HS_SOURCE_LINES)
			untab(s->text[s->n++], buf);
	}
	if (ferror(fp))
		snprintf(s->why, sizeof s->why, "read error");
	else if (no < line)
		snprintf(s->why, sizeof s->why, "the file has %d lines, "
			 "not %d: changed since the build?", no, line);
	fclose(fp);
}

/* The stack, innermost first; returns the next free row. */
static int draw_stack(const struct site_row *s, WINDOW *win, int y, int x,
		      int end, int w)
{
	struct sites *t = model_sites(hs.u);
	char text[400];

	draw_text(win, y++, x, w, draw_attr(DRAW_LABEL) | A_BOLD,
		  "Stack (innermost first; > where the program asked)");
	for (uint32_t i = 0; i < s->raw.nframes && y < end; i++) {
		const struct sym_frame *f = sites_frame(t, s, i);
		attr_t a = draw_attr(f->allocator ? DRAW_DIM : DRAW_NORMAL);
		int used;

		if (f->function[0] && f->file[0])
			snprintf(text, sizeof text, "%s at %s:%d",
				 f->function, f->file, f->line);
		else
			snprintf(text, sizeof text, "%s%s%s+0x%llx",
				 f->function, f->function[0] ? " in " : "",
				 f->module, (unsigned long long)f->offset);
		used = draw_fmt(win, y, x, w, a, "%c#%-2u ",
				i == s->top ? '>' : ' ', i);
		draw_text(win, y++, x + used, w - used,
			  i == s->top ? draw_attr(DRAW_VALUE) : a, text);
		if (f->inlined[0] && y < end)
			draw_fmt(win, y++, x + used, w - used,
				 draw_attr(DRAW_DIM), "inlined: %s",
				 f->inlined);
	}
	return y;
}

static int draw_source(const struct site_row *s, WINDOW *win, int y, int x,
		       int end, int w)
{
	const struct sym_frame *f = s->where;
	struct hs_source *src = &hs.src;

	if (f == NULL || y >= end)
		return y;
	source_load(f->file, f->line);
	if (src->n == 0) {
		draw_fmt(win, y++, x, w, draw_attr(DRAW_DIM),
			 "Source %s:%d: cannot show it (%s)",
			 f->file[0] ? f->file : "?", f->line,
			 src->why[0] ? src->why : "empty");
		return y;
	}
	draw_fmt(win, y++, x, w, draw_attr(DRAW_LABEL) | A_BOLD,
		 "Source %s:%d%s%s", f->file, f->line,
		 src->why[0] ? ": " : "", src->why);
	for (int i = 0; i < src->n && y < end; i++) {
		int no = src->first + i;
		bool here = no == src->line;

		draw_fmt(win, y++, x, w, draw_attr(here ? DRAW_SELECTED :
						   DRAW_NORMAL),
			 "%c%5d  %s", here ? '>' : ' ', no, src->text[i]);
	}
	return y;
}

/* The size histogram of the site's allocations (estimated objects), one
 * bar per bucket from the first to the last that holds any.  Returns the
 * next free row. */
static int draw_sizes(const struct site_row *s, WINDOW *win, int y, int x,
		      int end, int w)
{
	const uint64_t *n = s->raw.sizes;
	uint64_t max = 0;
	unsigned lo = SEG_SIZE_BUCKETS;
	unsigned hi = 0;

	for (unsigned b = 0; b < SEG_SIZE_BUCKETS; b++) {
		if (n[b] == 0)
			continue;
		if (lo == SEG_SIZE_BUCKETS)
			lo = b;
		hi = b;
		if (n[b] > max)
			max = n[b];
	}
	if (y >= end || max == 0)
		return y;
	draw_text(win, y++, x, w, draw_attr(DRAW_LABEL) | A_BOLD,
		  "Sizes of its allocations");
	for (unsigned b = lo; b <= hi && y < end; b++) {
		char edge[16];
		char c[16];

		draw_bytes(edge, sizeof edge, (double)seg_size_lower(b));
		draw_count(c, sizeof c, (double)n[b]);
		draw_fmt(win, y, x, 16, draw_attr(DRAW_NORMAL), ">=%-6s %6s",
			 edge, c);
		graph_hbar(win, y++, x + 16, w - 16, (double)n[b] / (double)max,
			   DRAW_HIST);
	}
	return y;
}

/* The lifetime histogram: one bar per bucket from the first to the last
 * that holds frees.  Returns the next free row. */
static int draw_lifetimes(const struct site_row *s, WINDOW *win, int y,
			  int x, int end, int w)
{
	const uint64_t *life = s->raw.life;
	uint64_t max = 0;
	unsigned lo = SEG_LIFE_BUCKETS;
	unsigned hi = 0;

	for (unsigned b = 0; b < SEG_LIFE_BUCKETS; b++) {
		if (life[b] == 0)
			continue;
		if (lo == SEG_LIFE_BUCKETS)
			lo = b;
		hi = b;
		if (life[b] > max)
			max = life[b];
	}
	if (y >= end)
		return y;
	draw_text(win, y++, x, w, draw_attr(DRAW_LABEL) | A_BOLD,
		  "Lifetimes of sampled frees");
	if (max == 0) {
		if (y < end)
			draw_text(win, y++, x + 2, w - 2, draw_attr(DRAW_DIM),
				  "none freed yet");
		return y;
	}
	for (unsigned b = lo; b <= hi && y < end; b++) {
		/* Bucket b > 0 spans [4^(b-1), 4^b) us; the last one is
		 * open, so it is labelled by where it starts. */
		bool last = b + 1 == SEG_LIFE_BUCKETS;
		char edge[16];
		char n[16];

		fmt_seconds(edge, sizeof edge,
			    pow(4, (double)b - (last ? 1 : 0)) / 1e6);
		draw_count(n, sizeof n, (double)life[b]);
		draw_fmt(win, y, x, 16, draw_attr(DRAW_NORMAL), "%s%-7s %5s",
			 last ? ">=" : "< ", edge, n);
		graph_hbar(win, y++, x + 16, w - 16,
			   (double)life[b] / (double)max, DRAW_HIST);
	}
	return y;
}

/* The advisor's input, from what the table keeps (see the HS_ macros for
 * the estimates: growth confidence, size spread, short lives). */
static void site_stats(const struct site_row *s, struct det_site_stats *st)
{
	const struct hs_site *m = &hs.sites[s->id < SEG_MAX_SITES ?
					    s->id : 0];
	bool mine = m->hash == s->raw.hash;
	struct det_site_trend tr;
	uint64_t lo = s->raw.min_size;
	uint64_t hi = s->raw.max_size;
	double freed = 0;
	double quick = 0;

	memset(st, 0, sizeof *st);
	st->alloc_objects_per_s = s->alloc_objects_per_s;
	st->alloc_bytes_per_s = s->alloc_bytes_per_s;
	st->live_bytes = (double)site_live_bytes(s);
	st->live_growth_bytes_per_s = s->growth_bytes_per_min / 60;
	st->live_growth_conf = mine && m->up_ticks >= HS_PERSIST_TICKS &&
			       s->growth_bytes_per_min > 0 ?
			       HS_CONF_PERSISTED : HS_CONF_UNSURE;
	/* A site the model follows has the real test: its slope, and a
	 * leak only if the verdict says so. */
	if (hs.u != NULL && model_site_trend(hs.u->model, s->id, &tr) &&
	    tr.valid) {
		st->live_growth_bytes_per_s = tr.slope_per_s;
		st->live_growth_conf = tr.leak ? tr.growth_conf : 0;
	}
	st->avg_size = s->raw.alloc_objects ? (double)s->raw.alloc_bytes /
					      (double)s->raw.alloc_objects : 0;
	/* Only the range is known: (max - min) / (max + min) stands in for
	 * the coefficient of variation (0 for one size, near 1 for wide
	 * ranges). */
	st->size_cv = lo == UINT64_MAX || hi <= lo ? 0 :
		      (double)(hi - lo) / ((double)hi + (double)lo);
	st->realloc_grows_per_s = mine ? m->grows_per_s : 0;
	for (unsigned b = 0; b < SEG_LIFE_BUCKETS; b++) {
		freed += (double)s->raw.life[b];
		if (b < HS_SHORT_BUCKETS)
			quick += (double)s->raw.life[b];
	}
	st->short_lived_frac = freed > 0 ? quick / freed : 0;
	if (s->where != NULL) {
		st->file = s->where->file[0] ? s->where->file : NULL;
		st->line = s->where->line > 0 ? (unsigned)s->where->line : 0;
		st->function = s->where->function[0] ?
			       s->where->function : NULL;
	}
}

static int draw_advice(const struct site_row *s, WINDOW *win, int y, int x,
		       int end, int w)
{
	struct det_advise_params p;
	struct det_site_stats st;
	struct det_advice a[HS_ADVICE_MAX];
	size_t n;

	det_advise_params_default(&p);
	p.leak_min_conf = HS_CONF_PERSISTED;
	site_stats(s, &st);
	n = det_advise(&st, &p, a, HS_ADVICE_MAX);
	if (y >= end)
		return y;
	draw_text(win, y++, x, w, draw_attr(DRAW_LABEL) | A_BOLD, "Advice");
	if (n == 0 && y < end)
		draw_text(win, y++, x + 2, w - 2, draw_attr(DRAW_DIM),
			  "nothing to recommend at this site yet");
	for (size_t i = 0; i < n && y < end; i++) {
		char line[320];

		det_advice_format(&a[i], &st, line, sizeof line);
		y = screen_wrap(win, y, x + 2, end, w - 2,
				draw_attr(a[i].kind == DET_ADVICE_FIX_LEAK ?
					  DRAW_WARNING : DRAW_NORMAL), line);
	}
	return y;
}

static int draw_graph(const struct model_series *series, const char *title,
		      bool bytes, const char *unit, enum draw_role role,
		      WINDOW *win, int y, int x, int h, int w)
{
	struct graph g = {
		.title = title,
		.series = series,
		.last_tick = hs.u->model->ticks,
		.bytes = bytes,
		.unit = unit,
		.role = role,
	};
	uint32_t n = series->len < GRAPH_AVG_WINDOW ? series->len :
		     GRAPH_AVG_WINDOW;

	for (uint32_t i = series->len - n; i < series->len; i++)
		g.average += model_series_at(series, i) / n;
	graph_draw(&g, win, y, x, h, w);
	return y + h;
}

static void hs_detail(const void *row, WINDOW *win, int y, int x, int h,
		      int w)
{
	const struct hs_row *r = row;
	const struct site_row *s = hs.u != NULL ? row_site(hs.u, r) : NULL;
	const struct hs_track *k = track_find(r->site_hash);
	struct det_site_trend tr;
	int end = y + h;
	int lw = w;
	int rx = x;
	int ry;
	char b[4][16];
	char where[200];

	if (s == NULL) {
		draw_text(win, y, x, w, draw_attr(DRAW_LABEL) | A_BOLD,
			  "Call site (Esc: back)");
		draw_text(win, y + 2, x + 2, w - 2, draw_attr(DRAW_DIM),
			  "this call site left the table (the target exec'd "
			  "or exited)");
		return;
	}
	fmt_where(where, sizeof where, s->where);
	draw_fmt(win, y++, x, w, draw_attr(DRAW_LABEL) | A_BOLD,
		 "%s %s (Esc: back)", hs.group == HS_BY_SITE ?
		 "Call site" : "Heaviest call site:", where);
	draw_bytes(b[0], sizeof b[0], (double)site_live_bytes(s));
	draw_count(b[1], sizeof b[1], (double)site_live_objects(s));
	draw_bytes(b[2], sizeof b[2], (double)s->raw.alloc_bytes);
	draw_count(b[3], sizeof b[3], (double)s->raw.alloc_objects);
	draw_fmt(win, y++, x + 2, w - 2, draw_attr(DRAW_NORMAL),
		 "in use %s in %s objects (%.1f%% of live), allocated %s in "
		 "%s objects", b[0], b[1], 100 * r->live_share, b[2], b[3]);
	draw_bytes(b[0], sizeof b[0], s->alloc_bytes_per_s);
	draw_count(b[1], sizeof b[1], s->alloc_objects_per_s);
	draw_bytes(b[2], sizeof b[2], fabs(s->growth_bytes_per_min));
	fmt_seconds(b[3], sizeof b[3], site_avg_lifetime_s(s));
	draw_fmt(win, y++, x + 2, w - 2, draw_attr(DRAW_NORMAL),
		 "%s/s in %s allocs/s, live %s%s/min, average lifetime %s",
		 b[0], b[1], s->growth_bytes_per_min <= -0.5 ? "-" : "+",
		 b[2], b[3]);
	if (model_site_trend(hs.u->model, s->id, &tr) && tr.valid) {
		draw_bytes(b[0], sizeof b[0], fabs(tr.slope_per_s * 60));
		draw_fmt(win, y++, x + 2, w - 2,
			 draw_attr(tr.leak ? DRAW_WARNING : DRAW_NORMAL),
			 "trend of live bytes %s%s/min, growth confidence "
			 "%.4f%s", tr.slope_per_s < 0 ? "-" : "+", b[0],
			 tr.growth_conf, tr.leak ? ": LEAK" : "");
	}
	if (s->raw.min_size != UINT64_MAX && s->raw.alloc_objects > 0) {
		draw_bytes(b[0], sizeof b[0], (double)s->raw.min_size);
		draw_bytes(b[1], sizeof b[1], (double)s->raw.max_size);
		draw_bytes(b[2], sizeof b[2], (double)s->raw.alloc_bytes /
			   (double)s->raw.alloc_objects);
		draw_fmt(win, y++, x + 2, w - 2, draw_attr(DRAW_NORMAL),
			 "sizes %s to %s, average %s; %llu samples, %llu "
			 "grown by realloc", b[0], b[1], b[2],
			 (unsigned long long)s->raw.samples,
			 (unsigned long long)s->raw.realloc_grows);
	}
	y = draw_advice(s, win, y, x, end, w);
	if (y < end)
		y++;
	/* Wide: stack and source on the left, graphs and lifetimes on the
	 * right.  Narrow: all in one column, as far as it goes. */
	if (w >= 100) {
		lw = w * 11 / 20;
		rx = x + lw + 1;
	}
	ry = y;
	y = draw_stack(s, win, y, x, end, lw);
	if (y < end)
		y++;
	y = draw_source(s, win, y, x, end, lw);
	if (rx != x) {
		y = ry;
		w = w - lw - 1;
	} else if (y < end) {
		y++;
	}
	if (k == NULL) {
		if (y < end)
			draw_text(win, y++, rx, w, draw_attr(DRAW_DIM),
				  "graphs: following this site from the next "
				  "tick");
	} else {
		if (y + 6 <= end)
			y = draw_graph(&k->rate, "Allocated bytes/s", true,
				       "/s", DRAW_GRAPH, win, y, rx, 6, w);
		if (y + 6 <= end)
			y = draw_graph(&k->live, "Live bytes", true, "",
				       DRAW_GRAPH_LIVE, win, y, rx, 6, w);
	}
	y = draw_sizes(s, win, y, rx, end, w);
	draw_lifetimes(s, win, y, rx, end, w);
}

const struct screen screen_hotspots = {
	.name = "Hotspots",
	.create = hs_create,
	.update = hs_update,
	.draw = hs_draw,
	.tick = hs_tick,
	.key = hs_key,
};
