/* src/detect/classify.c - per-class scores and the hysteresis around them.
 *
 * Scores are products of linear ramps between a "not at all" and a "surely"
 * value, so they degrade smoothly and a NaN feature (ramp gives 0) simply
 * removes the class from contention.  The thresholds are judgement calls,
 * each explained where it is set. */
#include "config.h"

#include <math.h>
#include <stddef.h>

#include "detect/classify.h"
#include "detect/stats.h"

static const char *const class_names[DET_CLASS_COUNT] = {
	"healthy", "growth", "burst", "large-object", "realloc-growth",
	"pool-candidate", "fragmentation", "cyclic",
};

static const char *const class_reasons[DET_CLASS_COUNT] = {
	"steady allocation rate and live bytes",
	"live bytes keep growing and their minimum rises",
	"allocation rate far above its recent baseline",
	"most allocated bytes are in blocks of 1 MiB or more",
	"a large share of calls are realloc: buffers grown step by step",
	"one call site allocates same-sized objects at a high rate",
	"many small objects: per-object overhead is a large share of the heap",
	"a regular cycle in allocations or live bytes",
};

const char *det_class_name(enum det_class c)
{
	return (unsigned)c < DET_CLASS_COUNT ? class_names[c] : NULL;
}

void det_class_scores(const struct det_tick *tk,
		      const struct det_class_ctx *cx,
		      double score[DET_CLASS_COUNT])
{
	double rss_over_live = NAN;
	double slack;
	double worst = 0;
	int i;

	if (tk->live_bytes > 0)
		rss_over_live = tk->rss_bytes / tk->live_bytes;

	/* The leak verdict already demands 0.999 confidence; the ramp only
	 * grades it. */
	score[DET_CLASS_GROWTH] = cx->leak ?
				  det_ramp(cx->leak_conf, 0.99, 0.9999) : 0;
	/* 2x the baseline is busy, 4x is a burst. */
	score[DET_CLASS_BURST] = det_ramp(cx->rate_ratio, 2, 4);
	/* Large blocks go to mmap: a third of the bytes is notable, two
	 * thirds dominates. */
	score[DET_CLASS_LARGE_OBJECT] = det_ramp(tk->large_frac, 0.33, 0.66);
	/* Typical programs realloc in well under 5% of calls. */
	score[DET_CLASS_REALLOC_GROWTH] = det_ramp(tk->realloc_frac, 0.1, 0.3);
	/* A pool pays off for one dominant site (30..60% of calls), one size
	 * (cv below 0.05 sure, above 0.25 not) and a high rate (1k..10k/s). */
	score[DET_CLASS_POOL_CANDIDATE] =
		det_ramp(tk->top_site_share, 0.3, 0.6) *
		(isnan(tk->top_site_size_cv) ? 0 :
		 1 - det_ramp(tk->top_site_size_cv, 0.05, 0.25)) *
		det_ramp(tk->allocs_per_s, 1000, 10000);
	/* Many small objects: 70..90% of allocations <= 512 B, at 5k..20k
	 * of them a second, with the waste to show for it: 2.5..5% of
	 * recent bytes lost to rounding (allocations of a few hundred
	 * bytes or less; a program of larger objects stays below 2%), or,
	 * on a heap of 64 MiB or more (where the rest of the process no
	 * longer dominates RSS), RSS 1.3x to 2x the live bytes.  One site
	 * of one size is a pool candidate instead. */
	slack = isnan(tk->recent_slack) ? tk->slack_ratio : tk->recent_slack;
	score[DET_CLASS_FRAGMENTATION] =
		det_ramp(tk->small_frac, 0.7, 0.9) *
		det_ramp(tk->small_frac * tk->allocs_per_s, 5000, 20000) *
		fmax(det_ramp(slack, 0.025, 0.05),
		     tk->live_bytes >= 64.0 * 1024 * 1024 ?
		     det_ramp(rss_over_live, 1.3, 2.0) : 0) *
		(1 - score[DET_CLASS_POOL_CANDIDATE]);
	/* ACF 0.3 is the period detector's floor; 0.6 is a clean cycle.  A
	 * cycle is the fallback explanation of a rhythm: when the content of
	 * the cycle has a class of its own (large blocks every two seconds,
	 * a burst every four), that class says more. */
	score[DET_CLASS_CYCLIC] = det_ramp(cx->cycle_strength, 0.3, 0.6);
	for (i = DET_CLASS_BURST; i < DET_CLASS_CYCLIC; i++)
		if (score[DET_CLASS_CYCLIC] > 1 - score[i])
			score[DET_CLASS_CYCLIC] = 1 - score[i];

	/* A leak comes first: growth in steps (bursts), under a sawtooth
	 * (a cycle), or of one site's same-sized objects (no pool will
	 * help) is growth, and it is what the user must hear about. */
	for (i = DET_CLASS_HEALTHY + 1; i < DET_CLASS_COUNT; i++)
		if (i != DET_CLASS_GROWTH)
			score[i] *= 1 - score[DET_CLASS_GROWTH];
	for (i = DET_CLASS_HEALTHY + 1; i < DET_CLASS_COUNT; i++)
		if (score[i] > worst)
			worst = score[i];
	score[DET_CLASS_HEALTHY] = 1 - worst;
}

void det_class_params_default(struct det_class_params *p)
{
	p->hold_ticks = 5;
	p->smooth_alpha = 0.3;
	p->min_score = 0.5;
}

void det_classifier_init(struct det_classifier *c,
			 const struct det_class_params *p)
{
	struct det_class_params def;
	int i;

	det_class_params_default(&def);
	c->p = p != NULL ? *p : def;
	if (c->p.hold_ticks < 1)
		c->p.hold_ticks = def.hold_ticks;
	if (!(c->p.smooth_alpha > 0 && c->p.smooth_alpha <= 1))
		c->p.smooth_alpha = def.smooth_alpha;
	if (!(c->p.min_score > 0 && c->p.min_score <= 1))
		c->p.min_score = def.min_score;
	c->started = false;
	c->cls = DET_CLASS_HEALTHY;
	c->pending = DET_CLASS_HEALTHY;
	c->pending_n = 0;
	for (i = 0; i < DET_CLASS_COUNT; i++)
		c->smooth[i] = 0;
	c->smooth[DET_CLASS_HEALTHY] = 1;
}

/* Best class by smoothed score; healthy unless one reaches min_score. */
static enum det_class winner(const struct det_classifier *c)
{
	enum det_class best = DET_CLASS_HEALTHY;
	double best_score = c->p.min_score;
	int i;

	for (i = DET_CLASS_HEALTHY + 1; i < DET_CLASS_COUNT; i++) {
		if (c->smooth[i] >= best_score &&
		    (best == DET_CLASS_HEALTHY || c->smooth[i] > best_score)) {
			best = (enum det_class)i;
			best_score = c->smooth[i];
		}
	}
	return best;
}

void det_classifier_push(struct det_classifier *c, const struct det_tick *tk,
			 const struct det_class_ctx *cx)
{
	double raw[DET_CLASS_COUNT];
	double a = c->p.smooth_alpha;
	enum det_class w;
	int i;

	det_class_scores(tk, cx, raw);
	for (i = 0; i < DET_CLASS_COUNT; i++)
		c->smooth[i] = c->started ? (1 - a) * c->smooth[i] + a * raw[i]
					  : raw[i];
	c->started = true;
	w = winner(c);
	if (w == c->cls) {
		c->pending_n = 0;
		return;
	}
	if (w == c->pending && c->pending_n > 0) {
		c->pending_n++;
	} else {
		c->pending = w;
		c->pending_n = 1;
	}
	if (c->pending_n >= c->p.hold_ticks) {
		c->cls = w;
		c->pending_n = 0;
	}
}

void det_classifier_result(const struct det_classifier *c,
			   struct det_class_result *out)
{
	out->cls = c->cls;
	out->confidence = c->smooth[c->cls];
	out->reason = class_reasons[c->cls];
}
