/* src/detect/tick.h - one tick of metrics, the detectors' input.
 *
 * collect/ builds one struct det_tick per tick from two snapshots; the
 * detectors and the offline CLI only ever see these.  Every field is a
 * double so that "unknown" is NaN: a field the source cannot provide (no
 * call-site sampling, a recording without fd counts) is NaN and the
 * detectors skip it. */
#ifndef ALLOCTOP_DETECT_TICK_H
#define ALLOCTOP_DETECT_TICK_H

struct det_tick {
	double t_s;		/* time of the tick, seconds, increasing */
	double allocs_per_s;	/* allocation calls per second */
	double frees_per_s;	/* free calls per second */
	double alloc_bytes_per_s; /* bytes allocated per second (usable) */
	double live_bytes;	/* allocated minus freed, bytes */
	double live_blocks;	/* allocated minus freed, objects */
	double rss_bytes;	/* resident set size */
	double threads;		/* thread count */
	double fds;		/* open file descriptors */
	double slack_ratio;	/* (usable - requested) / usable, 0..1 */
	double recent_slack;	/* the same, of recent allocations, 0..1 */
	double small_frac;	/* recent allocations <= 512 bytes, 0..1 */
	double large_frac;	/* allocated bytes in blocks >= 1 MiB, 0..1 */
	double large_allocs;	/* allocations >= 1 MiB this tick */
	double realloc_frac;	/* calls that are realloc, 0..1 */
	double avg_size;	/* mean allocation size, bytes */
	double top_site_share;	/* allocations from the busiest site, 0..1;
				 * NaN if unknown */
	double top_site_size_cv; /* size coefficient of variation at the
				  * busiest site; NaN if unknown */
	double short_lived_frac; /* freed sampled objects that lived < 1 ms,
				  * 0..1; NaN if unknown */
	double site_growth_per_s; /* live-bytes growth of the fastest
				   * leaking call site (its leak verdict
				   * holds), bytes/s; 0 if none, NaN if
				   * unknown */
};

/* The metrics followed over time (change points, anomalies, averages,
 * trends).  Order is ABI for det_state's arrays. */
enum det_metric {
	DET_M_ALLOCS_PER_S,
	DET_M_FREES_PER_S,
	DET_M_ALLOC_BYTES_PER_S,
	DET_M_LIVE_BYTES,
	DET_M_LIVE_BLOCKS,
	DET_M_RSS_BYTES,
	DET_M_THREADS,
	DET_M_FDS,
	DET_METRIC_COUNT
};

/* Every field NaN. */
void det_tick_init(struct det_tick *tk);
/* The value of metric m in tk; NaN for an unknown metric. */
double det_tick_metric(const struct det_tick *tk, enum det_metric m);
/* "live_bytes", ...: the det_tick field name; NULL if out of range. */
const char *det_metric_name(enum det_metric m);
/* Set the field called name (a det_tick member name, e.g. "rss_bytes") to
 * v.  0, or -ENOENT for no such field.  For loaders (CSV, recordings). */
int det_tick_set(struct det_tick *tk, const char *name, double v);

#endif
