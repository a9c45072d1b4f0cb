/* src/detect/trend.c - Theil-Sen slope, Mann-Kendall test, leak verdict,
 * exhaustion forecast.  See trend.h for the method and its limits. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "detect/stats.h"
#include "detect/trend.h"

#define WINDOW_MIN 8
#define WINDOW_MAX 65536
#define POINTS_MIN 8
#define POINTS_MAX 256

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a;
	double y = *(const double *)b;

	return (x > y) - (x < y);
}

int det_mann_kendall(const double *x, size_t n, double *scratch,
		     struct det_mk *out)
{
	double nn = (double)n;
	double ties = 0;
	double s = 0;
	size_t i;
	size_t j;

	if (n < 3)
		return -EINVAL;
	for (i = 0; i + 1 < n; i++)
		for (j = i + 1; j < n; j++)
			s += (x[j] > x[i]) - (x[j] < x[i]);
	/* Tie groups: runs of equal values in sorted order. */
	for (i = 0; i < n; i++)
		scratch[i] = x[i];
	qsort(scratch, n, sizeof(*scratch), cmp_double);
	for (i = 0; i < n; i = j) {
		double g;

		for (j = i + 1; j < n && scratch[j] == scratch[i]; j++)
			;
		g = (double)(j - i);
		ties += g * (g - 1) * (2 * g + 5);
	}
	out->s = s;
	out->var_s = (nn * (nn - 1) * (2 * nn + 5) - ties) / 18;
	if (out->var_s <= 0 || s == 0)
		out->z = 0;
	else
		out->z = (s > 0 ? s - 1 : s + 1) / sqrt(out->var_s);
	out->p_two_sided = 2 * det_normal_sf(fabs(out->z));
	if (out->p_two_sided > 1)
		out->p_two_sided = 1;
	out->p_growth = det_normal_sf(out->z);
	return 0;
}

int det_theil_sen(const double *t, const double *x, size_t n,
		  double *scratch, double *slope)
{
	size_t k = 0;
	size_t i;
	size_t j;

	for (i = 0; i + 1 < n; i++)
		for (j = i + 1; j < n; j++)
			if (t[j] != t[i])
				scratch[k++] = (x[j] - x[i]) / (t[j] - t[i]);
	if (k == 0)
		return -EINVAL;
	*slope = det_median(scratch, k);
	return 0;
}

struct det_trend {
	struct det_trend_params p;
	size_t cap;
	size_t count;
	size_t head;		/* next slot */
	double *ts;		/* ring of times */
	double *xs;		/* ring of values */
	double *pt;		/* block times */
	double *px;		/* block medians */
	double *block;		/* one block's values, then MK scratch */
	double *pairs;		/* Theil-Sen scratch */
};

void det_trend_params_default(struct det_trend_params *p)
{
	p->window_ticks = 300;
	p->max_points = 64;
	p->min_points = 16;
	p->min_conf = 0.999;
	p->min_rise_frac = 0.25;
	p->min_rise_sd = 4;
	p->min_recent_frac = 0.25;
	/* 15 s: a program's start-up fill (caches, pools) grows its heap for
	 * seconds, and a 1 MB/s leak must still be called within 30 s. */
	p->min_span_s = 15;
}

struct det_trend *det_trend_new(const struct det_trend_params *p)
{
	struct det_trend_params def;
	struct det_trend *t;
	size_t np;

	if (p == NULL) {
		det_trend_params_default(&def);
		p = &def;
	}
	if (p->window_ticks < WINDOW_MIN || p->window_ticks > WINDOW_MAX ||
	    p->max_points < POINTS_MIN || p->max_points > POINTS_MAX ||
	    p->min_points < 8 || p->min_points > p->window_ticks ||
	    !(p->min_conf > 0 && p->min_conf < 1) ||
	    !(p->min_rise_frac >= 0) || !(p->min_rise_sd > 0) ||
	    !(p->min_recent_frac >= 0) || !(p->min_span_s >= 0)) {
		errno = EINVAL;
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->p = *p;
	t->cap = p->window_ticks;
	np = p->max_points;
	t->ts = calloc(t->cap, sizeof(double));
	t->xs = calloc(t->cap, sizeof(double));
	t->pt = calloc(np, sizeof(double));
	t->px = calloc(np, sizeof(double));
	/* A block holds at most ceil(cap / points) samples when there are
	 * more samples than points, else one; MK needs np. */
	t->block = calloc(t->cap > np ? t->cap : np, sizeof(double));
	t->pairs = calloc(np * (np - 1) / 2, sizeof(double));
	if (t->ts == NULL || t->xs == NULL || t->pt == NULL ||
	    t->px == NULL || t->block == NULL || t->pairs == NULL) {
		det_trend_free(t);
		errno = ENOMEM;
		return NULL;
	}
	return t;
}

void det_trend_free(struct det_trend *t)
{
	if (t == NULL)
		return;
	free(t->ts);
	free(t->xs);
	free(t->pt);
	free(t->px);
	free(t->block);
	free(t->pairs);
	free(t);
}

void det_trend_reset(struct det_trend *t)
{
	t->count = 0;
	t->head = 0;
}

void det_trend_push(struct det_trend *t, double t_s, double x)
{
	if (isnan(x) || isnan(t_s))
		return;
	t->ts[t->head] = t_s;
	t->xs[t->head] = x;
	t->head = (t->head + 1) % t->cap;
	if (t->count < t->cap)
		t->count++;
}

/* Ring slot of the i-th oldest sample. */
static size_t slot(const struct det_trend *t, size_t i)
{
	return (t->head + t->cap - t->count + i) % t->cap;
}

/* Reduce the window to n block medians (time: block mean). */
static size_t blocks(struct det_trend *t)
{
	size_t n = t->count < t->p.max_points ? t->count : t->p.max_points;
	size_t b;

	for (b = 0; b < n; b++) {
		size_t lo = b * t->count / n;
		size_t hi = (b + 1) * t->count / n;
		double tsum = 0;
		size_t i;

		for (i = lo; i < hi; i++) {
			t->block[i - lo] = t->xs[slot(t, i)];
			tsum += t->ts[slot(t, i)];
		}
		t->pt[b] = tsum / (double)(hi - lo);
		t->px[b] = det_median(t->block, hi - lo);
	}
	return n;
}

/* Minimum and mean time of the samples [lo, hi) of the window. */
static void half(const struct det_trend *t, size_t lo, size_t hi,
		 double *mn, double *tmean)
{
	double tsum = 0;
	size_t i;

	*mn = INFINITY;
	for (i = lo; i < hi; i++) {
		double x = t->xs[slot(t, i)];

		if (x < *mn)
			*mn = x;
		tsum += t->ts[slot(t, i)];
	}
	*tmean = tsum / (double)(hi - lo);
}

/* Robust noise sd from successive differences: 1.4826 * MAD / sqrt(2).
 * Differences ignore any trend or slow cycle, and the MAD ignores the
 * drops of a sawtooth. */
static double noise_sd(struct det_trend *t)
{
	size_t n = t->count - 1;
	double med;
	size_t i;

	for (i = 0; i < n; i++)
		t->block[i] = t->xs[slot(t, i + 1)] - t->xs[slot(t, i)];
	med = det_median(t->block, n);
	for (i = 0; i < n; i++)
		t->block[i] = t->xs[slot(t, i + 1)] - t->xs[slot(t, i)];
	return DET_MAD_TO_SD * det_mad(t->block, n, med) / sqrt(2.0);
}

int det_trend_eval(struct det_trend *t, struct det_trend_result *out)
{
	double m1;
	double m2;
	double t1;
	double t2;
	double rise;
	size_t q;
	size_t n;

	out->valid = false;
	out->leak = false;
	out->points = 0;
	out->slope_per_s = NAN;
	out->conf = 0;
	out->growth_conf = 0;
	out->min_rise_per_s = NAN;
	out->span_s = 0;
	out->noise_sd = NAN;
	out->recent_slope_per_s = NAN;
	if (t->count < t->p.min_points)
		return -EAGAIN;
	out->span_s = t->ts[slot(t, t->count - 1)] - t->ts[slot(t, 0)];
	n = blocks(t);
	if (det_theil_sen(t->pt, t->px, n, t->pairs, &out->slope_per_s) < 0 ||
	    det_mann_kendall(t->px, n, t->block, &out->mk) < 0)
		return -EAGAIN;
	out->valid = true;
	out->points = (unsigned)n;
	out->conf = 1 - out->mk.p_two_sided;
	out->growth_conf = 1 - out->mk.p_growth;
	if (out->span_s < t->p.min_span_s)
		out->growth_conf = 0;	/* too early to call growth */

	q = t->count / 2;
	half(t, 0, q, &m1, &t1);
	half(t, t->count - q, t->count, &m2, &t2);
	rise = m2 - m1;
	if (t2 > t1)
		out->min_rise_per_s = rise / (t2 - t1);
	out->noise_sd = noise_sd(t);
	/* n >= min_points >= 8, so the last half has 4 points or more, at
	 * distinct block times. */
	if (det_theil_sen(t->pt + n / 2, t->px + n / 2, n - n / 2, t->pairs,
			  &out->recent_slope_per_s) < 0)
		out->recent_slope_per_s = NAN;
	out->leak = out->growth_conf >= t->p.min_conf &&
		    out->slope_per_s > 0 && rise > 0 &&
		    (out->min_rise_per_s >=
			     t->p.min_rise_frac * out->slope_per_s ||
		     rise >= t->p.min_rise_sd * out->noise_sd) &&
		    out->recent_slope_per_s >=
			    t->p.min_recent_frac * out->slope_per_s;
	return 0;
}

double det_trend_current_growth(double slope_per_s, double recent_per_s)
{
	if (!(slope_per_s > 0))
		return 0;
	if (isnan(recent_per_s))
		return slope_per_s;
	return fmax(0, fmin(slope_per_s, recent_per_s));
}

bool det_trend_material(const struct det_trend_result *r, double level,
			double floor)
{
	double grown = r->slope_per_s * r->span_s;

	return grown >= floor && grown >= 0.02 * fabs(level);
}

double det_forecast_exhaustion_s(double current, double limit,
				 double slope_per_s)
{
	if (!(limit > 0) || isinf(limit))
		return INFINITY;
	if (current >= limit)
		return 0;
	if (!(slope_per_s > 0))
		return INFINITY;
	return (limit - current) / slope_per_s;
}
