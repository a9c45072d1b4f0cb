/* src/detect/engine.h - the detector engine: one object that runs every
 * detector over the stream of ticks and keeps the findings.
 *
 * Per metric of enum det_metric: EWMA and windowed mean/sd/min/max, CUSUM
 * change points, robust anomaly scores (seasonal when a period is known).
 * Trend and leak tests run on live bytes, RSS, threads and fds; the period
 * detector on the allocation rate and live bytes.  On top: the pattern
 * classifier and the time-to-exhaustion forecast against a limit the
 * caller sets.
 *
 * All memory is allocated by det_engine_new; det_engine_push does no
 * allocation and bounded work (about 30k floating-point operations with the
 * defaults).  No I/O, no globals.  Not thread-safe: one owner. */
#ifndef ALLOCTOP_DETECT_ENGINE_H
#define ALLOCTOP_DETECT_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "detect/anomaly.h"
#include "detect/change.h"
#include "detect/classify.h"
#include "detect/period.h"
#include "detect/tick.h"
#include "detect/trend.h"

struct det_params {
	unsigned window_ticks;	/* windowed mean/sd/min/max, 2..65536 */
	double ewma_alpha;	/* moving averages, (0, 1] */
	double baseline_alpha;	/* slow allocation-rate baseline (bursts) */
	unsigned min_ticks;	/* no burst ratio before this many ticks */
	double trend_warmup_s;	/* trends start this long after the first
				 * tick: start-up fills are not leaks */
	struct det_change_params change;
	struct det_anomaly_params anomaly;
	struct det_trend_params trend;
	struct det_period_params period;
	struct det_class_params classify;
};

/* window 60, ewma 0.1, baseline 0.02, min ticks 20, and each detector's
 * own defaults. */
struct det_params det_params_default(void);

/* What is known about one metric after the last tick. */
struct det_metric_state {
	double value;		/* this tick's value (NaN if missing) */
	double ewma_mean;
	double ewma_sd;
	double win_mean;	/* over the last window_ticks values */
	double win_sd;
	double win_min;
	double win_max;
	bool change_new;	/* a change point was found this tick */
	int64_t change_tick;	/* tick index of the last change, -1: none */
	double change_t_s;	/* its time */
	int change_dir;		/* +1 up, -1 down */
	double change_before;	/* level before */
	double change_after;	/* level after */
	bool anomaly;		/* this tick's value is anomalous */
	double anomaly_z;	/* its robust z-score (NaN: no verdict) */
	bool has_trend;		/* trend evaluated for this metric */
	double slope_per_s;	/* Theil-Sen slope, units per second */
	double recent_slope_per_s; /* the same over the window's last half */
	double trend_conf;	/* 1 - two-sided p */
	double growth_conf;	/* 1 - one-sided p for growth */
	bool leak;		/* leak verdict (see trend.h) */
	unsigned period_ticks;	/* 0: none found (or not analysed) */
	double period_strength;
	double amplitude;	/* peak-to-trough of the mean cycle */
};

struct det_state {
	uint64_t ticks;		/* ticks pushed; the last has index ticks-1 */
	double t_s;		/* time of the last tick */
	enum det_class cls;
	double class_conf;
	const char *class_reason;	/* static */
	double rate_ratio;	/* allocs_per_s over its slow baseline */
	unsigned anomalies;	/* metrics anomalous this tick */
	double limit_bytes;	/* as set; INFINITY if none */
	double exhaustion_s;	/* until RSS (else live bytes) reaches the
				 * limit at its significant growth rate;
				 * INFINITY when not growing or no limit */
	struct det_metric_state m[DET_METRIC_COUNT];
};

struct det_engine;

/* NULL with errno = EINVAL (a parameter out of range) or ENOMEM.  p NULL
 * for the defaults. */
struct det_engine *det_engine_new(const struct det_params *p);
void det_engine_free(struct det_engine *e);
/* Feed one tick; NaN fields are missing values. */
void det_engine_push(struct det_engine *e, const struct det_tick *tk);
/* The smallest of cgroup limit, address-space limit and MemAvailable + RSS,
 * in bytes; INFINITY or 0 for none. */
void det_engine_set_limit(struct det_engine *e, double limit_bytes);
/* Copy of the state after the last tick. */
void det_engine_state(const struct det_engine *e, struct det_state *out);
/* The same for one metric, without the copy; NULL if m is out of range. */
const struct det_metric_state *det_engine_metric(const struct det_engine *e,
						 enum det_metric m);

#endif
