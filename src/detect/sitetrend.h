/* src/detect/sitetrend.h - the trend and leak test on call sites' live
 * bytes.
 *
 * A process has thousands of call sites; a Theil-Sen window for each
 * would cost more than the rest of the pipeline.  The caller offers a few
 * candidates a tick (the sites with the most live bytes and those whose
 * live bytes grow fastest); each candidate gets a slot with its own
 * det_trend window and keeps it while it is offered, so a leaking site,
 * whose growth keeps it among the candidates, builds a full history.  A
 * slot not offered for idle_ticks ticks is given to the next newcomer; so
 * is the least recently offered one when all are taken.
 *
 * The verdict per site is det_trend's, with the engine's guards: the
 * windows take no sample before warmup_s after the first tick (then
 * det_trend wants min_span_s of history), and a leak also needs
 * material growth over the window (det_trend_material).  A site's live
 * bytes are an estimate under sampling, and the estimate of a steady live
 * set wanders like a random walk as the set turns over (Mann-Kendall
 * takes that for a trend): the caller gives each value's standard error,
 * and a leak must also grow by min_growth_se of them.  Each evaluation
 * costs O(window + points^2) per slot (about 30 us at the defaults), so
 * the slot count bounds the cost of a tick.  Not thread-safe. */
#ifndef ALLOCTOP_DETECT_SITETREND_H
#define ALLOCTOP_DETECT_SITETREND_H

#include <stdbool.h>
#include <stdint.h>

#include "detect/trend.h"

struct det_site_trend_params {
	unsigned slots;		/* sites followed at once, 1..256 */
	unsigned idle_ticks;	/* a slot not offered this long is free */
	double warmup_s;	/* no verdict this soon after the first tick */
	double min_growth_se;	/* a leak grows by this many standard
				 * errors of the estimate */
	struct det_trend_params trend;
};

/* 32 slots, idle after 30 ticks, 10 s warm-up, 4 standard errors,
 * det_trend's defaults. */
void det_site_trend_params_default(struct det_site_trend_params *p);

struct det_site_trend {
	bool valid;		/* enough history for a verdict */
	double slope_per_s;	/* live bytes, Theil-Sen */
	double recent_slope_per_s;
	double growth_conf;	/* 1 - one-sided p for growth */
	bool leak;		/* det_trend's leak, and material */
};

struct det_site_trends;

/* NULL with errno = EINVAL or ENOMEM; p NULL for the defaults. */
struct det_site_trends *det_site_trends_new(
	const struct det_site_trend_params *p);
void det_site_trends_free(struct det_site_trends *s);
/* Forget every site (the target exec'd: new site numbers). */
void det_site_trends_reset(struct det_site_trends *s);
/* Site id (the caller's number for it) has live_bytes at tick time t_s,
 * an estimate with standard error se (0: exact).  Call for each
 * candidate, then det_site_trends_eval once a tick. */
void det_site_trends_offer(struct det_site_trends *s, double t_s,
			   uint32_t id, double live_bytes, double se);
/* End of the tick at t_s: evaluate the sites offered, age the others. */
void det_site_trends_eval(struct det_site_trends *s, double t_s);
/* The growth of the fastest leaking site (its leak verdict holds): the
 * smaller of its window's slope and its last half's, bytes/s, its id in
 * *id; 0 if no site leaks. */
double det_site_trends_fastest(const struct det_site_trends *s,
			       uint32_t *id);
/* The last verdict for site id; false if it has no slot. */
bool det_site_trends_get(const struct det_site_trends *s, uint32_t id,
			 struct det_site_trend *out);

#endif
