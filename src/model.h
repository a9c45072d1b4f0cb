/* src/model.h - what every view reads: the latest tick, bounded history
 * rings per metric, and (as they land) detector findings, alerts and call
 * sites.  Built by the pipeline (collect -> history -> detect -> alerts);
 * views only read it (DESIGN.md, "The reader's pipeline"). */
#ifndef ALLOCTOP_MODEL_H
#define ALLOCTOP_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "collect/target.h"
#include "detect/engine.h"
#include "detect/sitetrend.h"

struct cfg;
struct model_pipe;

/* One hour at the default 1 s tick; memory is fixed whatever the run. */
#define MODEL_HISTORY 3600u

/* A ring of per-tick values; index 0 is the oldest kept. */
struct model_series {
	double v[MODEL_HISTORY];
	uint32_t head;			/* next write position */
	uint32_t len;			/* values held, <= MODEL_HISTORY */
};

double model_series_at(const struct model_series *s, uint32_t i);
double model_series_last(const struct model_series *s);
/* Largest value among the newest n (n clamped to len); 0 when empty. */
double model_series_max(const struct model_series *s, uint32_t n);

enum model_metric {
	MODEL_ALLOC_BYTES_PER_S,	/* requested bytes allocated per second */
	MODEL_ALLOCS_PER_S,
	MODEL_FREES_PER_S,
	MODEL_LIVE_BYTES,
	MODEL_LIVE_BLOCKS,
	MODEL_RSS_BYTES,
	MODEL_THREADS,
	MODEL_FDS,
	MODEL_SLACK_RATIO,
	MODEL_OPS_PER_S,
	MODEL_METRIC_COUNT
};

const char *model_metric_name(enum model_metric m);

enum model_severity { MODEL_INFO, MODEL_WARNING, MODEL_CRITICAL };

struct model_alert {
	enum model_severity severity;
	double t_s;			/* elapsed seconds when raised */
	bool active;			/* false once cleared */
	bool note;			/* a one-off finding, never active */
	char text[160];
};

#define MODEL_ALERTS 128u

struct model {
	struct target_view view;	/* the latest tick */
	uint64_t ticks;			/* ticks taken */
	double tick_s;			/* configured tick length */
	bool paused;
	struct model_series series[MODEL_METRIC_COUNT];
	/* Change points per metric, as tick numbers (newest last). */
	uint64_t changepoints[MODEL_METRIC_COUNT][8];
	uint32_t n_changepoints[MODEL_METRIC_COUNT];
	/* Moving average per metric (EWMA), for the graphs. */
	double average[MODEL_METRIC_COUNT];
	/* The pattern classifier's verdict; pattern NULL until it has one. */
	const char *pattern;
	double pattern_confidence;	/* 0..1 */
	const char *pattern_reason;
	/* Alerts, newest last, a ring of MODEL_ALERTS. */
	struct model_alert alerts[MODEL_ALERTS];
	uint32_t n_alerts;		/* total raised; ring index = n % size */
	uint32_t new_alerts;		/* of them, added by the last push */
	int worst_severity;		/* highest raised so far; -1: none */
	/* Everything the detectors know after the last push. */
	struct det_state det;
	double exhaustion_limit_bytes;	/* the limit forecast against */
	struct model_pipe *pipe;	/* detector and alert engines */
};

/* The settings every model_init() after this uses (alloctop.yaml); NULL
 * or never called: built-in defaults.  c must outlive the models. */
void model_set_config(const struct cfg *c);

/* Sets up an empty model with its detector and alert engines.  m must be
 * zeroed or freed before; 0 or -ENOMEM. */
int model_init(struct model *m, double tick_s);
void model_free(struct model *m);

/* Appends the target's latest tick to the history. */
void model_push(struct model *m, const struct target_view *v);

/* Forgets the history (the `r` key: a new baseline). */
void model_reset(struct model *m);
/* The trend test's last verdict on call site number site's live bytes;
 * false if the site is not followed (see detect/sitetrend.h). */
bool model_site_trend(const struct model *m, uint32_t site,
		      struct det_site_trend *out);

#endif
