/* src/collect/sites.c - the per-target call-site table. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "collect/sites.h"

/* Smoothing of per-site growth: a time constant of about 10 ticks. */
#define GROWTH_ALPHA 0.1
/* Sites copied out of the segment at a time: the copies stay in the cache
 * while their rows are updated (64 KiB of counters), and each copy costs a
 * system call for its SIGBUS guard. */
#define SITES_CHUNK 256u

struct sites {
	struct site_row *rows;
	uint32_t n;
	struct seg_site *chunk;		/* SITES_CHUNK: copies in flight */
	struct seg_module *mods;	/* SEG_MAX_MODULES */
	struct sym *sym;
	uint64_t mod_seq;		/* modules seen by sym; new: re-place */
};

struct sites *sites_new(void)
{
	struct sites *t = calloc(1, sizeof *t);

	if (t == NULL)
		return NULL;
	t->rows = calloc(SEG_MAX_SITES, sizeof *t->rows);
	t->chunk = calloc(SITES_CHUNK, sizeof *t->chunk);
	t->mods = calloc(SEG_MAX_MODULES, sizeof *t->mods);
	t->sym = sym_new();
	if (!t->rows || !t->chunk || !t->mods || !t->sym) {
		sites_free(t);
		return NULL;
	}
	return t;
}

void sites_free(struct sites *t)
{
	if (t == NULL)
		return;
	free(t->rows);
	free(t->chunk);
	free(t->mods);
	sym_free(t->sym);
	free(t);
}

void sites_reset(struct sites *t)
{
	t->n = 0;
}

uint64_t site_live_bytes(const struct site_row *r)
{
	return r->raw.alloc_bytes > r->raw.free_bytes ?
		       r->raw.alloc_bytes - r->raw.free_bytes : 0;
}

uint64_t site_live_objects(const struct site_row *r)
{
	return r->raw.alloc_objects > r->raw.free_objects ?
		       r->raw.alloc_objects - r->raw.free_objects : 0;
}

double site_value(const struct site_row *r, enum sites_key k)
{
	switch (k) {
	case SITES_LIVE_BYTES: return (double)site_live_bytes(r);
	case SITES_LIVE_OBJECTS: return (double)site_live_objects(r);
	case SITES_ALLOC_BYTES: return (double)r->raw.alloc_bytes;
	case SITES_ALLOC_OBJECTS: return (double)r->raw.alloc_objects;
	case SITES_RATE: return r->alloc_bytes_per_s;
	case SITES_GROWTH: return r->growth_bytes_per_min;
	default: return 0;
	}
}

static double per_s(uint64_t a, uint64_t b, double dt)
{
	return b > a && dt > 0 ? (double)(b - a) / dt : 0;
}

/* The first frame that is not the allocator itself (libc, operator new):
 * where the program asked. */
static void place(struct sites *t, struct site_row *r)
{
	uint32_t i;

	for (i = 0; i < r->raw.nframes; i++) {
		const struct sym_frame *f = sym_lookup(t->sym,
						       r->raw.frames[i]);

		if (!f->allocator || i + 1 == r->raw.nframes) {
			r->top = i;
			r->where = f;
			return;
		}
	}
	r->top = 0;
	r->where = NULL;
}

/* Row i from its new copy s (whole, or counters only for a known row). */
static void update_row(struct site_row *row, const struct seg_site *s,
		       uint32_t i, bool fresh, double dt_s)
{
	double live0;
	double g;

	if (fresh) {
		memset(row, 0, sizeof *row);
		row->raw = *s;
		row->id = i;
		row->raw.alloc_bytes = row->raw.free_bytes = 0;
		row->raw.alloc_objects = row->raw.free_objects = 0;
	}
	live0 = (double)site_live_bytes(row);
	row->alloc_bytes_per_s = per_s(row->raw.alloc_bytes, s->alloc_bytes,
				       dt_s);
	row->alloc_objects_per_s = per_s(row->raw.alloc_objects,
					 s->alloc_objects, dt_s);
	row->free_bytes_per_s = per_s(row->raw.free_bytes, s->free_bytes,
				      dt_s);
	/* The frames stay: a known row's hash is unchanged. */
	memcpy(&row->raw, s, offsetof(struct seg_site, frames));
	if (dt_s > 0) {
		g = ((double)site_live_bytes(row) - live0) / dt_s * 60.0;
		row->growth_bytes_per_min += GROWTH_ALPHA *
					     (g - row->growth_bytes_per_min);
		row->objects_per_s_smooth += GROWTH_ALPHA *
			(row->alloc_objects_per_s - row->objects_per_s_smooth);
	}
}

int sites_update(struct sites *t, struct reader *r, double dt_s, int max_new)
{
	uint64_t seq;
	int nm = reader_modules(r, t->mods, SEG_MAX_MODULES, &seq);
	int n;

	if (nm < 0)
		return nm;
	if (seq != t->mod_seq) {
		/* sym drops its cache: no row may keep a frame of it. */
		for (uint32_t i = 0; i < t->n; i++)
			t->rows[i].where = NULL;
		t->mod_seq = seq;
	}
	sym_set_modules(t->sym, t->mods, nm, seq);
	n = reader_sites_used(r);
	if (n < 0)
		return n;
	/* Known sites: only their counters are read again, a chunk at a
	 * time; whole records (frames included) were 15 MB of copying a
	 * tick at 10,000 sites (bench/reader.md). */
	for (uint32_t first = 0; first < (uint32_t)n; first += SITES_CHUNK) {
		uint32_t count = (uint32_t)n - first < SITES_CHUNK ?
				 (uint32_t)n - first : SITES_CHUNK;
		bool known = first + count <= t->n;
		int err = reader_sites_range(r, first, count, t->chunk, known);

		if (err != 0)
			return err;
		for (uint32_t k = 0; k < count; k++) {
			uint32_t i = first + k;
			struct site_row *row = &t->rows[i];
			bool fresh = i >= t->n || row->raw.hash != t->chunk[k].hash;

			/* A known slot holding another stack (only a
			 * corrupt segment does that): its frames too. */
			if (fresh && known) {
				err = reader_sites_range(r, i, 1,
							 &t->chunk[k], false);
				if (err != 0)
					return err;
			}
			update_row(row, &t->chunk[k], i, fresh, dt_s);
		}
	}
	t->n = (uint32_t)n;
	for (uint32_t i = 0; i < t->n && max_new != 0; i++)
		if (t->rows[i].where == NULL && t->rows[i].raw.nframes) {
			place(t, &t->rows[i]);
			if (max_new > 0)
				max_new--;
		}
	return 0;
}

uint32_t sites_count(const struct sites *t)
{
	return t->n;
}

const struct site_row *sites_row(const struct sites *t, uint32_t i)
{
	return i < t->n ? &t->rows[i] : NULL;
}

const struct sym_frame *sites_frame(struct sites *t, const struct site_row *r,
				    uint32_t i)
{
	return sym_lookup(t->sym, i < r->raw.nframes ? r->raw.frames[i] : 0);
}

/* A row's sort value, computed once per sort rather than per comparison. */
struct keyed {
	double v;
	uint32_t i;
};

/* a goes before b: larger values first, then lower indices. */
static bool before(const struct keyed *a, const struct keyed *b)
{
	if (a->v != b->v)
		return a->v > b->v;
	return a->i < b->i;
}

static int by_key(const void *a, const void *b)
{
	return before(a, b) ? -1 : before(b, a) ? 1 : 0;
}

/* heap[0..n) is a heap with its last-ranked entry at the root. */
static void sift_down(struct keyed *heap, uint32_t n, uint32_t at)
{
	for (;;) {
		uint32_t l = 2 * at + 1;
		uint32_t worst = at;
		struct keyed tmp;

		if (l < n && before(&heap[worst], &heap[l]))
			worst = l;
		if (l + 1 < n && before(&heap[worst], &heap[l + 1]))
			worst = l + 1;
		if (worst == at)
			return;
		tmp = heap[at];
		heap[at] = heap[worst];
		heap[worst] = tmp;
		at = worst;
	}
}

static void sift_up(struct keyed *heap, uint32_t at)
{
	while (at > 0) {
		uint32_t up = (at - 1) / 2;
		struct keyed tmp;

		if (!before(&heap[up], &heap[at]))
			return;
		tmp = heap[at];
		heap[at] = heap[up];
		heap[up] = tmp;
		at = up;
	}
}

/* Every tick asks for the first one (the detectors) or the first ten (the
 * report) of thousands: a heap of max entries finds them in one pass,
 * where sorting all of them cost milliseconds a tick (bench/reader.md). */
uint32_t sites_sorted(const struct sites *t, enum sites_key k, uint32_t *idx,
		      uint32_t max)
{
	struct keyed *all;
	uint32_t m = 0;

	if (max == 0)
		return 0;
	all = malloc((t->n ? t->n : 1) * sizeof *all);
	if (all == NULL)
		return 0;
	for (uint32_t i = 0; i < t->n; i++) {
		struct keyed e;

		if (t->rows[i].raw.samples == 0)
			continue;
		e.v = site_value(&t->rows[i], k);
		if (isnan(e.v))
			e.v = -INFINITY;	/* keeps the order total */
		e.i = i;
		if (m < max) {
			all[m] = e;
			sift_up(all, m++);
		} else if (before(&e, &all[0])) {
			all[0] = e;
			sift_down(all, m, 0);
		}
	}
	qsort(all, m, sizeof *all, by_key);
	for (uint32_t i = 0; i < m; i++)
		idx[i] = all[i].i;
	free(all);
	return m;
}

static const char *const key_names[SITES_KEY_COUNT] = {
	[SITES_LIVE_BYTES] = "live_bytes",
	[SITES_LIVE_OBJECTS] = "live_objects",
	[SITES_ALLOC_BYTES] = "alloc_bytes",
	[SITES_ALLOC_OBJECTS] = "alloc_objects",
	[SITES_RATE] = "rate",
	[SITES_GROWTH] = "growth",
};

const char *sites_key_name(enum sites_key k)
{
	return (unsigned)k < SITES_KEY_COUNT ? key_names[k] : "?";
}

enum sites_key sites_key_parse(const char *name)
{
	for (int k = 0; k < SITES_KEY_COUNT; k++)
		if (strcmp(name, key_names[k]) == 0)
			return (enum sites_key)k;
	return SITES_KEY_COUNT;
}

double site_avg_lifetime_s(const struct site_row *r)
{
	double n = 0;
	double sum = 0;

	for (unsigned b = 0; b < SEG_LIFE_BUCKETS; b++) {
		/* Bucket b > 0 spans [4^(b-1), 4^b) us: take the middle. */
		double mid_us = b == 0 ? 0.5 : 2.5 * pow(4, (double)b - 1);

		n += (double)r->raw.life[b];
		sum += (double)r->raw.life[b] * mid_us;
	}
	return n > 0 ? sum / n / 1e6 : -1;
}

/* ---- per function ------------------------------------------------------- */

static uint64_t name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ull;
	}
	return h;
}

static enum sites_key func_key;

static int by_func(const void *a, const void *b)
{
	double x = ((const struct site_func *)a)->value[func_key];
	double y = ((const struct site_func *)b)->value[func_key];

	return x < y ? 1 : x > y ? -1 : 0;
}

/* Adds row r's figures to fn's entry of the open-addressing table. */
static void credit(struct site_func *tab, uint32_t cap, const char *fn,
		   const struct site_row *r)
{
	uint32_t i = (uint32_t)name_hash(fn) & (cap - 1);

	while (tab[i].function != NULL && strcmp(tab[i].function, fn) != 0)
		i = (i + 1) & (cap - 1);
	tab[i].function = fn;
	tab[i].sites++;
	for (int k = 0; k < SITES_KEY_COUNT; k++)
		tab[i].value[k] += site_value(r, (enum sites_key)k);
}

uint32_t sites_by_function(struct sites *t, bool cumulative, enum sites_key k,
			   struct site_func *out, uint32_t max)
{
	/* At most one entry per (site, frame) pair; twice that keeps the
	 * table at most half full. */
	uint32_t cap = 1;
	uint32_t need = 0;
	struct site_func *tab;
	uint32_t n = 0;

	for (uint32_t i = 0; i < t->n; i++)
		need += cumulative ? t->rows[i].raw.nframes : 1;
	while (cap < 2 * need + 2)
		cap <<= 1;
	tab = calloc(cap, sizeof *tab);
	if (tab == NULL)
		return 0;
	for (uint32_t i = 0; i < t->n; i++) {
		const struct site_row *r = &t->rows[i];
		const char *seen[SEG_MAX_FRAMES];
		uint32_t nseen = 0;

		if (r->raw.samples == 0 || r->id == 0)
			continue;
		if (!cumulative) {
			credit(tab, cap, r->where ? r->where->function : "",
			       r);
			continue;
		}
		for (uint32_t f = 0; f < r->raw.nframes; f++) {
			const char *fn = sites_frame(t, r, f)->function;
			bool dup = false;

			for (uint32_t j = 0; j < nseen && !dup; j++)
				dup = strcmp(seen[j], fn) == 0;
			if (dup || fn[0] == '\0')
				continue;	/* recursion counts once */
			seen[nseen++] = fn;
			credit(tab, cap, fn, r);
		}
	}
	for (uint32_t i = 0; i < cap; i++)
		if (tab[i].function != NULL)
			tab[n++] = tab[i];
	func_key = k;
	qsort(tab, n, sizeof *tab, by_func);
	if (n > max)
		n = max;
	memcpy(out, tab, n * sizeof *out);
	free(tab);
	return n;
}
