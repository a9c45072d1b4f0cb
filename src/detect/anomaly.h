/* src/detect/anomaly.h - robust, period-aware anomaly scores on one stream.
 *
 * Each sample gets a robust z-score against the samples before it in a
 * window: (x - median) / (1.4826 * MAD).  Median and MAD ignore the outliers
 * they are looking for, so a burst does not hide the next one.
 *
 * When the caller knows the stream's period P (from det_period), the sample
 * is compared with the same phase of the previous cycles instead: the
 * baseline is the median, over up to `cycles` past cycles, of the values
 * at t - P, t - 2P, ...  The z-score is then taken on these seasonal
 * residuals, so a regular compaction or a 25-tick batch cycle is not
 * flagged, while a spike off the cycle, or a peak that fails to come, is.
 * P must be the period in whole ticks; a cycle that drifts in phase against
 * the tick will show as anomalies where its edges move.
 *
 * Work per sample: O(window * cycles), window-bounded.  Memory allocated at
 * creation.  Not thread-safe. */
#ifndef ALLOCTOP_DETECT_ANOMALY_H
#define ALLOCTOP_DETECT_ANOMALY_H

#include <stdbool.h>

struct det_anomaly_params {
	unsigned window_ticks;	/* past samples compared with, 16..4096 */
	unsigned min_ticks;	/* past samples needed for a verdict, >= 8 */
	double z_threshold;	/* |z| above this is an anomaly */
	unsigned cycles;	/* past cycles in the seasonal baseline, 1..8 */
	double rel_floor;	/* scale >= rel_floor * |median| */
	double abs_floor;	/* scale >= abs_floor */
};

/* window 128, min 20, z 6, cycles 3, floors 1e-4 and 1e-9.  z 6 rather
 * than the usual 3.5: the MAD of 128 samples is itself uncertain by ~15%,
 * and a top-like display must not cry wolf every few minutes. */
void det_anomaly_params_default(struct det_anomaly_params *p);

struct det_anomaly_result {
	bool anomalous;		/* |z| > z_threshold */
	bool seasonal;		/* the baseline was the same-phase one */
	double z;		/* robust z-score; NaN if no verdict */
	double baseline;	/* value expected for this sample */
	double scale;		/* robust standard deviation used */
};

struct det_anomaly;

/* NULL with errno = EINVAL or ENOMEM; p NULL for the defaults. */
struct det_anomaly *det_anomaly_new(const struct det_anomaly_params *p);
void det_anomaly_free(struct det_anomaly *a);
void det_anomaly_reset(struct det_anomaly *a);
/* Score x, then add it to the history.  period_ticks is the stream's known
 * period (0 or 1: none).  With a period, there is no verdict (out->z NaN)
 * until the window holds 8 samples with a sample one period before them:
 * better silent than flag the cycle's own peaks.  A NaN x is missing: it
 * occupies a slot and gets no verdict. */
void det_anomaly_push(struct det_anomaly *a, double x, unsigned period_ticks,
		      struct det_anomaly_result *out);

#endif
