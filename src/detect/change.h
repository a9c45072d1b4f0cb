/* src/detect/change.h - online change-point detection on one metric stream.
 *
 * Method: a two-sided CUSUM on robustly standardised, clipped residuals
 * (see change.c for why CUSUM).  The detector learns the level (median) and
 * scale (1.4826 * MAD) of the stream during a warm-up, then accumulates
 *     z = clip((x - level) / scale, +-clip)
 *     S+ = max(0, S+ + z - k)      S- = max(0, S- - z - k)
 * and reports a change when S+ or S- exceeds h.  The change index is the
 * first sample of the excursion that crossed h (the CUSUM estimate of the
 * change time), not the tick it was noticed.  After a detection it resets and
 * re-learns level and scale from the samples of the new regime it has already
 * seen, so a second change can be found soon after the first.
 *
 * Because k and h are in units of the running scale, one setting works for
 * allocation rates of 10/s and of 10M/s, for bytes and for thread counts.
 * The scale is floored (rel_floor * |level|, abs_floor) so a perfectly
 * constant series (4 threads) still reports a step to 5.  A steady ramp is
 * not a level shift and is left to the trend detector: expect repeated
 * changes on a ramp, which the engine suppresses while the metric trends.
 *
 * Memory: two arrays of warmup_ticks doubles, allocated at creation.  Push is
 * O(1) except at the end of a warm-up (O(warmup) selection).  Not
 * thread-safe. */
#ifndef ALLOCTOP_DETECT_CHANGE_H
#define ALLOCTOP_DETECT_CHANGE_H

#include <stdbool.h>
#include <stdint.h>

struct det_change_params {
	unsigned warmup_ticks;	/* samples to learn level and scale, 8..1024 */
	double k;		/* CUSUM slack, in scale units */
	double h;		/* decision threshold, in scale units */
	double clip;		/* |z| is clipped here: one outlier adds at most
				 * clip - k, so it alone never crosses h */
	double adapt_alpha;	/* slowest weight of level/scale tracking */
	double rel_floor;	/* scale >= rel_floor * |level| */
	double abs_floor;	/* scale >= abs_floor */
};

/* warmup 30, k 0.5, h 12, clip 3, adapt 0.01, floors 1e-4 and 1e-9.
 * Measured: 2 false alarms in 1.5M samples of normal noise (300 seeds), 1
 * with a 20-sigma outlier every 37 samples; a 3-sigma shift is seen about 5
 * samples late (h / (clip - k)), a 1-sigma shift about 24. */
void det_change_params_default(struct det_change_params *p);

struct det_change_event {
	uint64_t index;		/* estimated first sample of the new regime */
	uint64_t detected;	/* sample at which the alarm was raised */
	int dir;		/* +1: level went up, -1: down */
	double before;		/* level before the change */
	double after;		/* median of the new regime's samples so far */
};

struct det_change;

/* NULL with errno = EINVAL (bad parameters) or ENOMEM.  p may be NULL for
 * the defaults. */
struct det_change *det_change_new(const struct det_change_params *p);
void det_change_free(struct det_change *c);
/* Forget everything; the next sample has index 0 again. */
void det_change_reset(struct det_change *c);
/* Feed sample number n (the n-th push since creation or reset, from 0).  A
 * NaN sample is missing: it takes an index but changes nothing.  Returns
 * true and fills *ev (if not NULL) when a change is detected at this
 * sample. */
bool det_change_push(struct det_change *c, double x,
		     struct det_change_event *ev);
/* True once the warm-up is over and the detector is watching. */
bool det_change_armed(const struct det_change *c);
/* Current level and scale estimates; NaN during the warm-up. */
double det_change_level(const struct det_change *c);
double det_change_scale(const struct det_change *c);

#endif
