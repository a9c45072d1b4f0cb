/* src/detect/advise.h - turn per-call-site statistics into concrete
 * recommendations, each with what it would save.
 *
 * Pure: the caller fills struct det_site_stats from the history (collect/
 * and the symbolizer provide file, line, function) and gets back a few
 * struct det_advice, best first; det_advice_format writes the one-line text
 * into the caller's buffer.  Strings in the stats are borrowed, never kept.
 * Thread-safe (no state). */
#ifndef ALLOCTOP_DETECT_ADVISE_H
#define ALLOCTOP_DETECT_ADVISE_H

#include <stddef.h>

struct det_site_stats {
	double alloc_objects_per_s;	/* allocations per second */
	double alloc_bytes_per_s;	/* bytes allocated per second */
	double live_bytes;		/* bytes still allocated */
	double live_growth_bytes_per_s;	/* trend of live_bytes */
	double live_growth_conf;	/* its growth confidence, 0..1 */
	double avg_size;		/* bytes per allocation */
	double size_cv;			/* coefficient of variation of sizes */
	double realloc_grows_per_s;	/* reallocs that grew a block */
	double short_lived_frac;	/* freed objects that lived < 1 ms */
	const char *file;		/* NULL if unknown */
	unsigned line;			/* 0 if unknown */
	const char *function;		/* NULL if unknown */
};

enum det_advice_kind {
	DET_ADVICE_FIX_LEAK,	/* live bytes grow steadily at this site */
	DET_ADVICE_POOL,	/* one size, high rate: an object pool */
	DET_ADVICE_PREALLOC,	/* realloc growth: reserve capacity */
	DET_ADVICE_STACK,	/* short-lived, small, fixed: stack buffer */
	DET_ADVICE_ARENA,	/* short-lived, small, varied: arena */
	DET_ADVICE_KIND_COUNT
};

struct det_advice {
	enum det_advice_kind kind;
	double saved_calls_per_s;	/* allocator calls avoided */
	double saved_bytes_per_s;	/* bytes no longer allocated, copied
					 * or leaked per second */
};

struct det_advise_params {
	double leak_min_conf;		/* growth confidence for a leak */
	double leak_min_bytes_per_s;	/* smaller growth is not worth it */
	double pool_min_per_s;		/* allocation rate for a pool */
	double pool_max_cv;		/* size spread for a pool */
	double prealloc_min_per_s;	/* growing reallocs worth fixing */
	double short_min_frac;		/* share of short-lived objects */
	double short_min_per_s;		/* their rate worth fixing */
	double stack_max_bytes;		/* largest sensible stack buffer */
};

/* leak 0.999 and 1 B/s; pool 1000/s, cv 0.1; prealloc 100/s; short-lived
 * 0.8 at 1000/s; stack buffers up to 4096 bytes. */
void det_advise_params_default(struct det_advise_params *p);

/* Up to max pieces of advice for one site into out, the biggest saving
 * (bytes for leaks, which rank first, then calls) first.  Returns how many.
 * p NULL for the defaults. */
size_t det_advise(const struct det_site_stats *s,
		  const struct det_advise_params *p, struct det_advice *out,
		  size_t max);

/* One line, e.g. "fix the leak at cache.c:88 (cache_put): live bytes grow
 * 12.0 KiB/s (720.0 KiB/min)", into buf (always terminated if len > 0).
 * Returns what snprintf returns. */
int det_advice_format(const struct det_advice *a,
		      const struct det_site_stats *s, char *buf, size_t len);

#endif
