/* src/detect/stats.h - moving averages and the small statistics kit that the
 * other detectors share: EWMA mean/variance, a ring-buffer window with
 * mean/variance/min/max, median and MAD, the normal tail.
 *
 * Pure computation, no I/O, no global state.  Every window is allocated once
 * at creation and never grows.  NaN inputs are the caller's business: push
 * only finite values (the engine skips NaN ticks per metric).  Not
 * thread-safe; one owner per object. */
#ifndef ALLOCTOP_DETECT_STATS_H
#define ALLOCTOP_DETECT_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exponentially weighted mean and variance (West's incremental form).  A
 * plain value type: no allocation, copy it freely. */
struct det_ewma {
	double alpha;		/* weight of the newest sample, (0, 1] */
	double mean;
	double var;		/* EW variance around mean; 0 after 1 sample */
	uint64_t n;		/* samples pushed */
};

void det_ewma_init(struct det_ewma *e, double alpha);
void det_ewma_push(struct det_ewma *e, double x);
/* Standard deviation, 0 before two samples. */
double det_ewma_sd(const struct det_ewma *e);

/* The last cap samples: O(1) amortised push, mean, variance, min and max.
 * Sums are kept relative to a reference value and recomputed from the ring
 * once per cap pushes, so rounding error cannot accumulate over a long run
 * nor cancel away the variance of a large, quiet value (live bytes ~ 1e10
 * with a few bytes of noise). */
struct det_window;

/* NULL with errno = EINVAL (cap 0 or too big) or ENOMEM. */
struct det_window *det_window_new(size_t cap);
void det_window_free(struct det_window *w);
void det_window_reset(struct det_window *w);
void det_window_push(struct det_window *w, double x);
size_t det_window_count(const struct det_window *w);
size_t det_window_cap(const struct det_window *w);
/* The i-th oldest sample held, i < count. */
double det_window_at(const struct det_window *w, size_t i);
/* NaN when empty; variance is the sample variance (n - 1), 0 for n = 1. */
double det_window_mean(const struct det_window *w);
double det_window_var(const struct det_window *w);
double det_window_min(const struct det_window *w);
double det_window_max(const struct det_window *w);

/* Median of v[0..n), found by selection: O(n), reorders v.  NaN if n = 0. */
double det_median(double *v, size_t n);
/* Median absolute deviation about med, reorders v (pass a scratch copy). */
double det_mad(double *v, size_t n, double med);
/* 1.4826 * MAD estimates the standard deviation of normal data. */
#define DET_MAD_TO_SD 1.4826

/* P(Z > z) for a standard normal Z. */
double det_normal_sf(double z);

/* Linear ramp: 0 at or below lo, 1 at or above hi; 0 for NaN x. */
double det_ramp(double x, double lo, double hi);

#endif
