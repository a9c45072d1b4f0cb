/* src/detect/trend.h - trend and leak tests over a window, and the
 * time-to-exhaustion forecast.
 *
 * Slope: Theil-Sen (median of pairwise slopes), robust to the spikes
 * allocation series are full of.  Significance: Mann-Kendall's S with the
 * tie-corrected variance and the normal approximation (continuity
 * corrected), two-sided, and one-sided for growth.  Both are O(n^2) in the
 * points used, so a window of W samples is reduced to at most max_points
 * block medians first (64 points: ~2000 pairs per evaluation).  Block
 * medians rather than every k-th sample: they cannot alias with a cycle,
 * and spikes do not survive them.
 *
 * Leak verdict: a significant positive slope is not enough, since a sawtooth
 * (grow, collect, grow) can show one, depending on where the window ends.
 * The minimum must rise too: the minimum of the last half of the window
 * must exceed that of the first half (halves, so any cycle up to half the
 * window puts a trough in each), and by enough: either at min_rise_frac of
 * the slope (a plain leak: the minima rise as fast as the series), or by
 * min_rise_sd noise sds (a leak under a sawtooth: the troughs rise, slower
 * than the teeth).  The noise sd comes from successive differences, which
 * neither a trend nor a slow cycle inflates.  min_rise_per_s is a rough
 * rate: trough positions within the halves blur it by up to one period.
 * And the growth must still be going on: the Theil-Sen slope of the last
 * half of the points must reach min_recent_frac of the window's slope.
 * Without this, a program that fills its working set at start-up and then
 * holds it stays a "leak" until the ramp leaves the window: every test
 * above looks at the whole window, and a finished ramp passes them all.  A
 * sawtooth only helps its last half's slope (most pairs lie on a tooth), so
 * this costs the leak-under-a-sawtooth case nothing.
 *
 * Mann-Kendall assumes independent samples; on strongly autocorrelated
 * series (a random walk) it overstates confidence.  Memory is allocated at
 * creation; not thread-safe. */
#ifndef ALLOCTOP_DETECT_TREND_H
#define ALLOCTOP_DETECT_TREND_H

#include <stdbool.h>
#include <stddef.h>

/* Mann-Kendall statistics of a series in time order. */
struct det_mk {
	double s;		/* sum of sgn(x_j - x_i), i < j */
	double var_s;		/* tie-corrected variance of S under H0 */
	double z;		/* continuity-corrected normal score */
	double p_two_sided;	/* P(|Z| >= |z|) */
	double p_growth;	/* P(Z >= z): small means growth */
};

/* Mann-Kendall over x[0..n); scratch holds n doubles.  -EINVAL if n < 3. */
int det_mann_kendall(const double *x, size_t n, double *scratch,
		     struct det_mk *out);
/* Theil-Sen slope of x over t; scratch holds n * (n - 1) / 2 doubles.
 * Pairs with equal t are skipped.  -EINVAL if no pair has distinct t. */
int det_theil_sen(const double *t, const double *x, size_t n,
		  double *scratch, double *slope);

struct det_trend_params {
	unsigned window_ticks;	/* samples kept, 8..65536 */
	unsigned max_points;	/* block medians tested, 8..256 */
	unsigned min_points;	/* fewer samples: no verdict, >= 8 */
	double min_conf;	/* leak needs growth confidence >= this */
	double min_rise_frac;	/* minima rising >= this * slope: leak */
	double min_rise_sd;	/* or minima rising >= this * noise sd */
	double min_recent_frac;	/* slope of the last half >= this * slope */
	double min_span_s;	/* no growth verdict on less history: start-up
				 * fills look like growth for seconds */
};

/* window 300, points 64, min 16, conf 0.999, rise 0.25 or 4 sd, recent
 * slope 0.25. */
void det_trend_params_default(struct det_trend_params *p);

struct det_trend_result {
	bool valid;		/* enough samples for a verdict */
	unsigned points;	/* points tested (block medians) */
	double span_s;		/* time covered by the window */
	double slope_per_s;	/* Theil-Sen, units of x per second */
	double conf;		/* 1 - two-sided p: any trend */
	double growth_conf;	/* 1 - one-sided p: growth */
	double min_rise_per_s;	/* min of the last half minus min of the
				 * first, over the time between the halves */
	double noise_sd;	/* robust sd of the sample-to-sample noise */
	double recent_slope_per_s; /* Theil-Sen over the last half of the
				    * points */
	bool leak;		/* growth_conf >= min_conf, slope > 0, minima
				 * rise enough, still growing (see above) */
	struct det_mk mk;
};

struct det_trend;

/* NULL with errno = EINVAL or ENOMEM; p NULL for the defaults. */
struct det_trend *det_trend_new(const struct det_trend_params *p);
void det_trend_free(struct det_trend *t);
void det_trend_reset(struct det_trend *t);
/* Add a sample at time t_s (seconds, increasing).  NaN x or t_s is
 * ignored.  O(1). */
void det_trend_push(struct det_trend *t, double t_s, double x);
/* Evaluate the window: O(window + max_points^2).  Returns 0, or -EAGAIN
 * when there are fewer than min_points samples (out->valid false). */
int det_trend_eval(struct det_trend *t, struct det_trend_result *out);

/* The growth going on now: the window's slope, but no more than its last
 * half's, so a start-up ramp that has ended stops counting; 0 when not
 * growing.  recent may be NaN (too few points): the slope alone. */
double det_trend_current_growth(double slope_per_s, double recent_per_s);

/* Growth worth calling a leak: the window's slope times its span reaches
 * floor (in x's units) and 2% of |level|.  A service whose working set
 * creeps by a few hundred kilobytes while it warms up is not leaking,
 * however significant the creep. */
bool det_trend_material(const struct det_trend_result *r, double level,
			double floor);

/* Seconds until current reaches limit growing at slope_per_s: 0 if already
 * there, INFINITY if not growing or if limit is not a positive finite
 * number (no limit known). */
double det_forecast_exhaustion_s(double current, double limit,
				 double slope_per_s);

#endif
