/* src/collect/sites.h - the call-site table of one target: the sampled
 * sites copied each tick, their rates and live-bytes growth, symbolized
 * top frames, sorted views and per-function totals. */
#ifndef ALLOCTOP_COLLECT_SITES_H
#define ALLOCTOP_COLLECT_SITES_H

#include <stdbool.h>
#include <stdint.h>

#include "collect/reader.h"
#include "collect/sym.h"
#include "segment.h"

struct site_row {
	struct seg_site raw;		/* latest copy; estimates */
	double alloc_bytes_per_s;	/* over the last tick */
	double alloc_objects_per_s;
	double free_bytes_per_s;
	double growth_bytes_per_min;	/* live bytes, smoothed (EWMA) */
	double objects_per_s_smooth;	/* alloc_objects_per_s, smoothed like
					   growth: a sampled site's rate is 0
					   on most ticks and a spike on one */
	uint32_t id;			/* index in the segment; 0 = other */
	uint32_t top;			/* first frame outside the allocator */
	const struct sym_frame *where;	/* raw.frames[top]; NULL: not yet */
};

enum sites_key {
	SITES_LIVE_BYTES,		/* in-use space */
	SITES_LIVE_OBJECTS,		/* in-use objects */
	SITES_ALLOC_BYTES,		/* allocated space */
	SITES_ALLOC_OBJECTS,		/* allocated objects */
	SITES_RATE,			/* allocated bytes per second */
	SITES_GROWTH,			/* live bytes per minute */
	SITES_KEY_COUNT
};

struct sites;

struct sites *sites_new(void);
void sites_free(struct sites *t);

/* Copies the target's sites and modules, updates rates over dt_s seconds
 * and symbolizes at most max_new sites not yet resolved (-1: all).
 * 0 or -EPROTO. */
int sites_update(struct sites *t, struct reader *r, double dt_s,
		 int max_new);

/* Forget everything (the target exec'd a new image). */
void sites_reset(struct sites *t);

uint32_t sites_count(const struct sites *t);
const struct site_row *sites_row(const struct sites *t, uint32_t i);

/* The symbolized frame i of a row. */
const struct sym_frame *sites_frame(struct sites *t, const struct site_row *r,
				    uint32_t i);

uint64_t site_live_bytes(const struct site_row *r);
uint64_t site_live_objects(const struct site_row *r);
double site_value(const struct site_row *r, enum sites_key k);

/* Fills idx with up to max row indices, largest first by key; returns
 * how many. */
uint32_t sites_sorted(const struct sites *t, enum sites_key k, uint32_t *idx,
		      uint32_t max);

const char *sites_key_name(enum sites_key k);
/* SITES_KEY_COUNT when name matches none. */
enum sites_key sites_key_parse(const char *name);

/* Totals per function: flat (the function where the program asked, each
 * site's `where`) or cumulative (every distinct function on each site's
 * stack, counted once per site). */
struct site_func {
	const char *function;		/* "" for frames without a symbol */
	double value[SITES_KEY_COUNT];	/* sums of site_value() */
	uint32_t sites;
};

/* Fills out with up to max functions, largest first by key; returns how
 * many.  Symbolizes every frame of every site when cumulative. */
uint32_t sites_by_function(struct sites *t, bool cumulative, enum sites_key k,
			   struct site_func *out, uint32_t max);

/* Average lifetime in seconds of the site's sampled frees (bucket
 * midpoints), or -1 when none were freed. */
double site_avg_lifetime_s(const struct site_row *r);

#endif
