/* src/detect/period.c - ACF period detection and amplitude.  See period.h.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "detect/period.h"

#define WINDOW_MIN 24
#define WINDOW_MAX 4096

struct det_period {
	struct det_period_params p;
	unsigned count;
	unsigned head;
	unsigned since_eval;
	double last;		/* last finite sample, for NaN */
	double *ring;
	double *y;		/* detrended window */
	double *acf;		/* r(0..window/3) */
	double *profile;	/* mean cycle, window/3 phases */
	unsigned *phase_n;
	struct det_period_result res;
};

void det_period_params_default(struct det_period_params *p)
{
	p->window_ticks = 256;
	p->min_period = 2;
	p->min_strength = 0.3;
	p->every_ticks = 8;
}

struct det_period *det_period_new(const struct det_period_params *p)
{
	struct det_period_params def;
	struct det_period *d;
	size_t lags;

	if (p == NULL) {
		det_period_params_default(&def);
		p = &def;
	}
	if (p->window_ticks < WINDOW_MIN || p->window_ticks > WINDOW_MAX ||
	    p->min_period < 2 || p->min_period > p->window_ticks / 3 ||
	    !(p->min_strength > 0 && p->min_strength < 1) ||
	    p->every_ticks < 1) {
		errno = EINVAL;
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return NULL;
	d->p = *p;
	lags = p->window_ticks / 3 + 2;
	d->ring = calloc(p->window_ticks, sizeof(double));
	d->y = calloc(p->window_ticks, sizeof(double));
	d->acf = calloc(lags, sizeof(double));
	d->profile = calloc(lags, sizeof(double));
	d->phase_n = calloc(lags, sizeof(unsigned));
	if (d->ring == NULL || d->y == NULL || d->acf == NULL ||
	    d->profile == NULL || d->phase_n == NULL) {
		det_period_free(d);
		errno = ENOMEM;
		return NULL;
	}
	det_period_reset(d);
	return d;
}

void det_period_free(struct det_period *d)
{
	if (d == NULL)
		return;
	free(d->ring);
	free(d->y);
	free(d->acf);
	free(d->profile);
	free(d->phase_n);
	free(d);
}

void det_period_reset(struct det_period *d)
{
	d->count = 0;
	d->head = 0;
	d->since_eval = 0;
	d->last = NAN;
	d->res.found = false;
	d->res.period_ticks = 0;
	d->res.strength = 0;
	d->res.amplitude = 0;
}

bool det_period_push(struct det_period *d, double x)
{
	if (isnan(x))
		x = d->last;
	if (isnan(x))
		return false;
	d->last = x;
	d->ring[d->head] = x;
	d->head = (d->head + 1) % d->p.window_ticks;
	if (d->count < d->p.window_ticks)
		d->count++;
	if (++d->since_eval < d->p.every_ticks)
		return false;
	det_period_eval(d);
	return true;
}

/* y = window minus its least-squares line over the index; returns the
 * sum of squares left. */
static double detrend(struct det_period *d)
{
	unsigned n = d->count;
	unsigned w = d->p.window_ticks;
	double tm = (n - 1) / 2.0;
	double xm = 0;
	double sxy = 0;
	double sxx = 0;
	double ss = 0;
	double b;
	unsigned i;

	for (i = 0; i < n; i++) {
		d->y[i] = d->ring[(d->head + w - n + i) % w];
		xm += d->y[i];
	}
	xm /= n;
	for (i = 0; i < n; i++) {
		sxy += (i - tm) * (d->y[i] - xm);
		sxx += (i - tm) * (i - tm);
	}
	b = sxx > 0 ? sxy / sxx : 0;
	for (i = 0; i < n; i++) {
		d->y[i] -= xm + b * (i - tm);
		ss += d->y[i] * d->y[i];
	}
	return ss;
}

/* Peak-to-trough of the mean cycle of y folded at period. */
static double amplitude(struct det_period *d, unsigned period)
{
	double lo = INFINITY;
	double hi = -INFINITY;
	unsigned i;

	for (i = 0; i < period; i++) {
		d->profile[i] = 0;
		d->phase_n[i] = 0;
	}
	for (i = 0; i < d->count; i++) {
		d->profile[i % period] += d->y[i];
		d->phase_n[i % period]++;
	}
	for (i = 0; i < period; i++) {
		double m = d->profile[i] / d->phase_n[i];

		if (m < lo)
			lo = m;
		if (m > hi)
			hi = m;
	}
	return hi - lo;
}

void det_period_eval(struct det_period *d)
{
	unsigned n = d->count;
	unsigned maxlag = n / 3;
	double thr = d->p.min_strength;
	bool dipped = false;
	double ss;
	unsigned k;
	unsigned i;

	d->since_eval = 0;
	d->res.found = false;
	d->res.period_ticks = 0;
	d->res.strength = 0;
	d->res.amplitude = 0;
	if (maxlag < d->p.min_period + 1)
		return;
	ss = detrend(d);
	/* A flat (or exactly linear) window has no cycle; the bound is
	 * relative so that large values with tiny noise still count. */
	if (!(ss > 0) || ss < 1e-24 * n)
		return;
	for (k = 1; k <= maxlag + 1 && k < n; k++) {
		double s = 0;

		for (i = 0; i + k < n; i++)
			s += d->y[i] * d->y[i + k];
		d->acf[k] = s / ss;
	}
	for (k = 1; k <= maxlag; k++) {
		if (d->acf[k] < thr / 2) {
			dipped = true;
			continue;
		}
		if (!dipped || k < d->p.min_period || d->acf[k] < thr)
			continue;
		/* Climb to the top of this lobe. */
		while (k < maxlag && d->acf[k + 1] >= d->acf[k])
			k++;
		d->res.found = true;
		d->res.period_ticks = k;
		d->res.strength = d->acf[k];
		d->res.amplitude = amplitude(d, k);
		return;
	}
}

void det_period_result(const struct det_period *d,
		       struct det_period_result *out)
{
	*out = d->res;
}
