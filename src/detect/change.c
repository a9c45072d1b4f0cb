/* src/detect/change.c - two-sided robust CUSUM change-point detector.
 *
 * Why CUSUM rather than Page-Hinkley or BOCPD:
 *  - BOCPD keeps a run-length distribution: O(window) work and memory per
 *    tick, a hazard rate and a conjugate observation model to choose, and
 *    its Gaussian model is fooled by the heavy-tailed bursts allocation
 *    rates are made of.  Its advantage (a full posterior) is not something
 *    a top-like display uses.
 *  - Page-Hinkley is CUSUM with the running mean of all samples as the
 *    reference; that mean is dragged by the change itself and by old
 *    regimes, and its threshold is in raw units, not noise units.
 *  - CUSUM is O(1), has a known trade-off between false-alarm run length
 *    and delay (k = half the smallest shift worth seeing, h sets the run
 *    length), and it estimates the change time for free (where the excursion
 *    started).  Standardising by a robust running scale makes h unit-free;
 *    clipping z (a Huber CUSUM) keeps single outliers, which the anomaly
 *    detector reports, from being taken for a change of level.
 *
 * Level and scale: median and MAD of the warm-up, then tracked while the
 * CUSUM is quiet (both sums below h/2) by a weight that starts at 1/n (a
 * running average, so the warm-up's estimation error fades quickly) and
 * settles at adapt_alpha (so slow drift is followed).  Tracking uses clipped
 * residuals, so a burst cannot inflate the scale. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "detect/change.h"
#include "detect/stats.h"

#define WARMUP_MIN 8
#define WARMUP_MAX 1024
/* Residuals used to track the scale are clipped here (in scale units):
 * for normal noise the clipped variance is 97% of the true one. */
#define TRACK_CLIP 3.0

struct det_change {
	struct det_change_params p;
	uint64_t n;		/* samples pushed, NaN included */
	bool armed;
	unsigned warm_n;	/* samples in warm[] */
	uint64_t run_n;		/* finite samples seen since arming */
	double level;
	double var;		/* tracked scale^2 */
	double sp;		/* S+ */
	double sn;		/* S- */
	uint64_t sp_start;	/* index where the current S+ run began */
	uint64_t sn_start;
	double *warm;		/* warm-up samples (finite only) */
	double *hist;		/* last warmup_ticks samples, by n % warmup */
	double *scratch;	/* for median/MAD */
};

void det_change_params_default(struct det_change_params *p)
{
	p->warmup_ticks = 30;
	p->k = 0.5;
	p->h = 12;
	p->clip = 3;
	p->adapt_alpha = 0.01;
	p->rel_floor = 1e-4;
	p->abs_floor = 1e-9;
}

static bool params_ok(const struct det_change_params *p)
{
	return p->warmup_ticks >= WARMUP_MIN && p->warmup_ticks <= WARMUP_MAX &&
	       p->k >= 0 && p->h > 0 && p->clip > p->k &&
	       p->adapt_alpha > 0 && p->adapt_alpha <= 1 &&
	       p->rel_floor >= 0 && p->abs_floor > 0;
}

struct det_change *det_change_new(const struct det_change_params *p)
{
	struct det_change_params def;
	struct det_change *c;
	size_t w;

	if (p == NULL) {
		det_change_params_default(&def);
		p = &def;
	}
	if (!params_ok(p)) {
		errno = EINVAL;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->p = *p;
	w = p->warmup_ticks;
	c->warm = calloc(w, sizeof(double));
	c->hist = calloc(w, sizeof(double));
	c->scratch = calloc(w, sizeof(double));
	if (c->warm == NULL || c->hist == NULL || c->scratch == NULL) {
		det_change_free(c);
		errno = ENOMEM;
		return NULL;
	}
	det_change_reset(c);
	return c;
}

void det_change_free(struct det_change *c)
{
	if (c == NULL)
		return;
	free(c->warm);
	free(c->hist);
	free(c->scratch);
	free(c);
}

static void restart(struct det_change *c)
{
	c->armed = false;
	c->warm_n = 0;
	c->run_n = 0;
	c->sp = 0;
	c->sn = 0;
}

void det_change_reset(struct det_change *c)
{
	restart(c);
	c->n = 0;
	c->level = NAN;
	c->var = NAN;
}

static double scale_floor(const struct det_change *c, double level)
{
	double f = c->p.rel_floor * fabs(level);

	return f > c->p.abs_floor ? f : c->p.abs_floor;
}

static double scale_of(const struct det_change *c)
{
	double s = sqrt(c->var);
	double f = scale_floor(c, c->level);

	return s > f ? s : f;
}

/* End of warm-up: median and MAD of the warm-up samples. */
static void arm(struct det_change *c)
{
	double med;
	double sd;

	memcpy(c->scratch, c->warm, c->warm_n * sizeof(double));
	med = det_median(c->scratch, c->warm_n);
	memcpy(c->scratch, c->warm, c->warm_n * sizeof(double));
	sd = DET_MAD_TO_SD * det_mad(c->scratch, c->warm_n, med);
	c->level = med;
	c->var = sd * sd;
	c->armed = true;
	c->run_n = c->warm_n;
	c->sp = 0;
	c->sn = 0;
}

static void warm_add(struct det_change *c, double x)
{
	c->warm[c->warm_n++] = x;
	if (c->warm_n == c->p.warmup_ticks)
		arm(c);
}

static double clampd(double x, double lim)
{
	return x > lim ? lim : x < -lim ? -lim : x;
}

/* Alarm: report, then restart the warm-up from the samples since the
 * estimated change (they are all in hist[], being at most warmup old). */
static void alarm(struct det_change *c, int dir, uint64_t start,
		  struct det_change_event *ev)
{
	uint64_t now = c->n - 1;
	uint64_t w = c->p.warmup_ticks;
	uint64_t first = now + 1 - (now + 1 < w ? now + 1 : w);
	uint64_t i;
	double before = c->level;

	if (start < first)
		start = first;
	restart(c);
	for (i = start; i <= now; i++) {
		double v = c->hist[i % w];

		if (!isnan(v))
			warm_add(c, v);
	}
	if (ev != NULL) {
		ev->index = start;
		ev->detected = now;
		ev->dir = dir;
		ev->before = before;
		memcpy(c->scratch, c->warm, c->warm_n * sizeof(double));
		ev->after = c->armed ? c->level :
			    det_median(c->scratch, c->warm_n);
	}
}

bool det_change_push(struct det_change *c, double x,
		     struct det_change_event *ev)
{
	uint64_t i = c->n++;
	double scale;
	double z;
	double a;

	c->hist[i % c->p.warmup_ticks] = x;
	if (isnan(x))
		return false;
	if (!c->armed) {
		warm_add(c, x);
		return false;
	}

	scale = scale_of(c);
	z = clampd((x - c->level) / scale, c->p.clip);
	if (c->sp == 0)
		c->sp_start = i;
	if (c->sn == 0)
		c->sn_start = i;
	c->sp = fmax(0, c->sp + z - c->p.k);
	c->sn = fmax(0, c->sn - z - c->p.k);
	if (c->sp > c->p.h) {
		alarm(c, +1, c->sp_start, ev);
		return true;
	}
	if (c->sn > c->p.h) {
		alarm(c, -1, c->sn_start, ev);
		return true;
	}

	/* Quiet: track level and scale with clipped residuals. */
	c->run_n++;
	if (c->sp < c->p.h / 2 && c->sn < c->p.h / 2) {
		double r = clampd(z, TRACK_CLIP) * scale;

		a = 1.0 / (double)c->run_n;
		if (a < c->p.adapt_alpha)
			a = c->p.adapt_alpha;
		c->level += a * r;
		c->var = (1 - a) * c->var + a * r * r;
	}
	return false;
}

bool det_change_armed(const struct det_change *c)
{
	return c->armed;
}

double det_change_level(const struct det_change *c)
{
	return c->armed ? c->level : NAN;
}

double det_change_scale(const struct det_change *c)
{
	return c->armed ? scale_of(c) : NAN;
}
