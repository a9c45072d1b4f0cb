/* src/detect/classify.h - the allocation-pattern classifier.
 *
 * Each tick, every class gets a score in 0..1 from the tick's features and
 * from what the other detectors found (det_class_scores, stateless); the
 * scores are smoothed (EWMA) and the best class at or above min_score wins,
 * else "healthy".  To avoid flicker a new winner only takes over after
 * hold_ticks consecutive ticks as winner.  Ties go to the earlier class in
 * enum order: a leak matters more than a cycle.
 *
 * The struct is a plain value (no allocation); treat its fields as private.
 * Not thread-safe. */
#ifndef ALLOCTOP_DETECT_CLASSIFY_H
#define ALLOCTOP_DETECT_CLASSIFY_H

#include <stdbool.h>

#include "detect/tick.h"

enum det_class {
	DET_CLASS_HEALTHY,	/* steady */
	DET_CLASS_GROWTH,	/* live bytes grow, minima rise: a leak */
	DET_CLASS_BURST,	/* allocation rate far above its baseline */
	DET_CLASS_LARGE_OBJECT,	/* most bytes in blocks >= 1 MiB */
	DET_CLASS_REALLOC_GROWTH, /* many reallocs: buffers grown in steps */
	DET_CLASS_POOL_CANDIDATE, /* one site, one size, high rate */
	DET_CLASS_FRAGMENTATION, /* many small objects, high slack or RSS */
	DET_CLASS_CYCLIC,	/* a regular cycle */
	DET_CLASS_COUNT
};

/* "healthy", "growth", "burst", "large-object", "realloc-growth",
 * "pool-candidate", "fragmentation", "cyclic"; NULL if out of range. */
const char *det_class_name(enum det_class c);

/* What the other detectors say, for this tick. */
struct det_class_ctx {
	double rate_ratio;	/* allocs_per_s over its slow baseline;
				 * NaN if unknown */
	bool leak;		/* leak verdict on live bytes */
	double leak_conf;	/* its growth confidence, 0..1 */
	double cycle_strength;	/* ACF strength of the period found, 0 if
				 * none */
};

/* Raw (unsmoothed) scores, indexed by enum det_class. */
void det_class_scores(const struct det_tick *tk,
		      const struct det_class_ctx *cx,
		      double score[DET_CLASS_COUNT]);

struct det_class_params {
	unsigned hold_ticks;	/* ticks a new winner must last, >= 1 */
	double smooth_alpha;	/* EWMA weight of the newest scores */
	double min_score;	/* smoothed score needed to beat healthy */
};

/* hold 5, alpha 0.3, min score 0.5. */
void det_class_params_default(struct det_class_params *p);

struct det_classifier {
	struct det_class_params p;
	bool started;
	enum det_class cls;	/* current, stable class */
	enum det_class pending;	/* challenger */
	unsigned pending_n;	/* consecutive ticks the challenger won */
	double smooth[DET_CLASS_COUNT];
};

struct det_class_result {
	enum det_class cls;
	double confidence;	/* smoothed score of cls, 0..1 */
	const char *reason;	/* static, one short sentence */
};

/* p NULL for the defaults (out-of-range values are replaced by them). */
void det_classifier_init(struct det_classifier *c,
			 const struct det_class_params *p);
void det_classifier_push(struct det_classifier *c, const struct det_tick *tk,
			 const struct det_class_ctx *cx);
void det_classifier_result(const struct det_classifier *c,
			   struct det_class_result *out);

#endif
