/* src/detect/period.h - periodicity from the autocorrelation of a window.
 *
 * Every every_ticks samples the window is detrended (least-squares line, so
 * a leak under a cycle does not swamp the ACF) and its autocorrelation r(k)
 * computed for k up to a third of the window (at least three cycles must be
 * visible).  The period is the first strong peak: the first lag where r,
 * after having dipped below min_strength / 2, climbs to min_strength or
 * more, then the top of that lobe.  Taking the first peak, not the highest,
 * avoids reporting 2P or 3P, whose peaks can be as high.
 *
 * Amplitude: the window is folded at the period (mean value at each phase
 * over the cycles seen) and the amplitude is the peak-to-trough of that mean
 * cycle; averaging first keeps the noise from inflating it.
 *
 * Work: O(window^2 / 3) per evaluation, i.e. O(window^2 / (3 every)) per
 * sample amortised (256 and 8: ~2700 multiply-adds a sample).  Memory is
 * allocated at creation.  Not thread-safe. */
#ifndef ALLOCTOP_DETECT_PERIOD_H
#define ALLOCTOP_DETECT_PERIOD_H

#include <stdbool.h>

struct det_period_params {
	unsigned window_ticks;	/* samples analysed, 24..4096 */
	unsigned min_period;	/* shortest period reported, >= 2 */
	double min_strength;	/* ACF peak needed, (0, 1) */
	unsigned every_ticks;	/* evaluate every this many samples, >= 1 */
};

/* window 256, min period 2, strength 0.3, every 8. */
void det_period_params_default(struct det_period_params *p);

struct det_period_result {
	bool found;
	unsigned period_ticks;	/* 0 if not found */
	double strength;	/* r(period), 0..1 */
	double amplitude;	/* peak-to-trough of the mean cycle, in the
				 * series' units */
};

struct det_period;

/* NULL with errno = EINVAL or ENOMEM; p NULL for the defaults. */
struct det_period *det_period_new(const struct det_period_params *p);
void det_period_free(struct det_period *d);
void det_period_reset(struct det_period *d);
/* Add a sample (NaN: repeat the previous one, keeping the spacing); every
 * every_ticks samples re-evaluate.  Returns true if it re-evaluated. */
bool det_period_push(struct det_period *d, double x);
/* Evaluate now, whatever the schedule. */
void det_period_eval(struct det_period *d);
/* The last evaluation (not found before the first). */
void det_period_result(const struct det_period *d,
		       struct det_period_result *out);

#endif
