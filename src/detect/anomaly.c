/* src/detect/anomaly.c - robust median/MAD z-scores, optionally against the
 * same phase of previous cycles.  See anomaly.h.
 *
 * Each push lays the window out oldest-first in lin[] (current sample last),
 * computes a residual for every sample that has a baseline, and scores the
 * current residual against the others.  Recomputing the residuals each time
 * costs O(window * cycles) but keeps no state that a change of period would
 * invalidate. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "detect/anomaly.h"
#include "detect/stats.h"

#define WINDOW_MIN 16
#define WINDOW_MAX 4096
#define CYCLES_MAX 8
/* Seasonal scoring needs this many past residuals, else plain scoring. */
#define SEASONAL_MIN_RESIDUALS 8

struct det_anomaly {
	struct det_anomaly_params p;
	size_t cap;		/* window + the current sample */
	size_t count;
	size_t head;		/* next slot to write */
	double *ring;
	double *lin;		/* window laid out oldest first */
	double *res;		/* residuals */
	double *scratch;
};

void det_anomaly_params_default(struct det_anomaly_params *p)
{
	p->window_ticks = 128;
	p->min_ticks = 20;
	p->z_threshold = 6;
	p->cycles = 3;
	p->rel_floor = 1e-4;
	p->abs_floor = 1e-9;
}

struct det_anomaly *det_anomaly_new(const struct det_anomaly_params *p)
{
	struct det_anomaly_params def;
	struct det_anomaly *a;

	if (p == NULL) {
		det_anomaly_params_default(&def);
		p = &def;
	}
	if (p->window_ticks < WINDOW_MIN || p->window_ticks > WINDOW_MAX ||
	    p->min_ticks < 8 || p->min_ticks > p->window_ticks ||
	    !(p->z_threshold > 0) || p->cycles < 1 ||
	    p->cycles > CYCLES_MAX || !(p->rel_floor >= 0) ||
	    !(p->abs_floor > 0)) {
		errno = EINVAL;
		return NULL;
	}
	a = calloc(1, sizeof(*a));
	if (a == NULL)
		return NULL;
	a->p = *p;
	a->cap = (size_t)p->window_ticks + 1;
	a->ring = calloc(a->cap, sizeof(double));
	a->lin = calloc(a->cap, sizeof(double));
	a->res = calloc(a->cap, sizeof(double));
	a->scratch = calloc(a->cap, sizeof(double));
	if (a->ring == NULL || a->lin == NULL || a->res == NULL ||
	    a->scratch == NULL) {
		det_anomaly_free(a);
		errno = ENOMEM;
		return NULL;
	}
	return a;
}

void det_anomaly_free(struct det_anomaly *a)
{
	if (a == NULL)
		return;
	free(a->ring);
	free(a->lin);
	free(a->res);
	free(a->scratch);
	free(a);
}

void det_anomaly_reset(struct det_anomaly *a)
{
	a->count = 0;
	a->head = 0;
}

/* Same-phase baseline of lin[i]: median over past cycles of lin[i - jP].
 * Cycles reaching before lin[0] are not used; NaN if none is usable.
 * (Picking, among t - jP +- 1, the value closest to x would absorb phase
 * jitter, but it shrinks the residuals' MAD more than their tails and
 * hides a missing peak: tried, and the tests caught both.) */
static double seasonal_base(const struct det_anomaly *a, size_t i,
			    size_t period)
{
	double v[CYCLES_MAX];
	size_t k = 0;
	size_t j;

	for (j = 1; j <= a->p.cycles && j * period <= i; j++) {
		double b = a->lin[i - j * period];

		if (!isnan(b))
			v[k++] = b;
	}
	return k ? det_median(v, k) : NAN;
}

static double floor_of(const struct det_anomaly *a, double level)
{
	double f = a->p.rel_floor * fabs(level);

	return f > a->p.abs_floor ? f : a->p.abs_floor;
}

/* Median and robust sd of the finite values of v[0..n); returns how many. */
static size_t robust(struct det_anomaly *a, const double *v, size_t n,
		     double *med, double *sd)
{
	size_t k = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (!isnan(v[i]))
			a->scratch[k++] = v[i];
	if (k == 0)
		return 0;
	*med = det_median(a->scratch, k);
	k = 0;
	for (i = 0; i < n; i++)
		if (!isnan(v[i]))
			a->scratch[k++] = v[i];
	*sd = DET_MAD_TO_SD * det_mad(a->scratch, k, *med);
	return k;
}

/* Seasonal residuals for lin[0..n); true if enough past ones exist. */
static bool seasonal_residuals(struct det_anomaly *a, size_t n, size_t period)
{
	size_t have = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		double b = isnan(a->lin[i]) ? NAN :
			   seasonal_base(a, i, period);

		a->res[i] = isnan(b) ? NAN : a->lin[i] - b;
		if (i + 1 < n && !isnan(a->res[i]))
			have++;
	}
	return have >= SEASONAL_MIN_RESIDUALS && !isnan(a->res[n - 1]);
}

void det_anomaly_push(struct det_anomaly *a, double x, unsigned period_ticks,
		      struct det_anomaly_result *out)
{
	size_t n;
	size_t i;
	double med = NAN;
	double sd = NAN;
	double level_med = NAN;
	double level_sd;
	size_t past;

	a->ring[a->head] = x;
	a->head = (a->head + 1) % a->cap;
	if (a->count < a->cap)
		a->count++;
	n = a->count;
	for (i = 0; i < n; i++)
		a->lin[i] = a->ring[(a->head + a->cap - n + i) % a->cap];

	out->anomalous = false;
	out->seasonal = false;
	out->z = NAN;
	out->baseline = NAN;
	out->scale = NAN;
	if (isnan(x))
		return;
	past = robust(a, a->lin, n - 1, &level_med, &level_sd);
	if (past < a->p.min_ticks)
		return;

	if (period_ticks >= 2) {
		/* A known cycle but too few cycles seen to compare phases:
		 * no verdict, rather than flag the cycle's own peaks. */
		if (!seasonal_residuals(a, n, period_ticks))
			return;
		robust(a, a->res, n - 1, &med, &sd);
		out->seasonal = true;
		out->baseline = x - a->res[n - 1] + med;
	} else {
		med = level_med;
		sd = level_sd;
		out->baseline = med;
	}
	if (sd < floor_of(a, level_med))
		sd = floor_of(a, level_med);
	out->scale = sd;
	out->z = (x - out->baseline) / sd;
	out->anomalous = fabs(out->z) > a->p.z_threshold;
}
