/* src/detect/alert.h - the alert engine: threshold rules over metric values
 * and detector findings, with hysteresis, severities and a bounded log.
 *
 * Rules are plain data (the config loader fills them from alloctop.yaml;
 * name is an inline array so the struct copies whole).  A rule is "over"
 * on a tick when its metric's value is above the threshold, or below it for
 * metrics where lower is worse (time to exhaustion).  It raises after
 * raise_after_ticks consecutive ticks over the warning (or critical)
 * threshold, escalates to critical after as many ticks over critical,
 * falls back to warning after clear_after_ticks ticks under critical, and
 * clears after clear_after_ticks consecutive ticks under warning.  A rule
 * has at most one active alert: no duplicates.  A NaN value (no data this
 * tick) neither raises nor clears.
 *
 * Detector findings that are events rather than levels (a change point, a
 * new class) become "info" notes in the log, no rule needed.
 *
 * Memory: rules copied and the log ring allocated at creation.  No I/O.
 * Not thread-safe. */
#ifndef ALLOCTOP_DETECT_ALERT_H
#define ALLOCTOP_DETECT_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect/engine.h"
#include "detect/tick.h"

enum alert_severity {
	ALERT_INFO,
	ALERT_WARNING,
	ALERT_CRITICAL,
};

/* What a rule watches.  The first eight are enum det_metric's, in order. */
enum alert_metric {
	ALERT_M_ALLOCS_PER_S,
	ALERT_M_FREES_PER_S,
	ALERT_M_ALLOC_BYTES_PER_S,
	ALERT_M_LIVE_BYTES,
	ALERT_M_LIVE_BLOCKS,
	ALERT_M_RSS_BYTES,
	ALERT_M_THREADS,
	ALERT_M_FDS,
	ALERT_M_SLACK_RATIO,	/* tick's slack ratio */
	ALERT_M_LIVE_GROWTH_BYTES_PER_S, /* live-bytes slope when its growth
					  * confidence >= 0.99, else 0;
					  * capped by the slope of the
					  * window's last half */
	ALERT_M_LEAK_CONF,	/* growth confidence when the live-bytes leak
				 * verdict holds, else 0 */
	ALERT_M_EXHAUSTION_S,	/* time to exhaustion; lower is worse */
	ALERT_M_ANOMALIES,	/* metrics anomalous this tick */
	ALERT_M_RATE_RATIO,	/* allocation rate over its baseline */
	ALERT_M_THREAD_LEAK_CONF, /* growth confidence when the threads leak
				   * verdict holds, else 0 */
	ALERT_M_FD_LEAK_CONF,	/* the same for open file descriptors */
	ALERT_M_SITE_GROWTH_BYTES_PER_S, /* tick's site_growth_per_s */
	ALERT_M_COUNT
};

/* "allocs_per_s", ..., "exhaustion_s": the key the config file uses. */
const char *alert_metric_name(enum alert_metric m);
/* The metric called name, or -ENOENT. */
int alert_metric_from_name(const char *name);
bool alert_metric_lower_is_worse(enum alert_metric m);
/* "info", "warning", "critical". */
const char *alert_severity_name(enum alert_severity s);

#define ALERT_NAME_MAX 48	/* a rule name, NUL included */

struct alert_rule {
	char name[ALERT_NAME_MAX];
	enum alert_metric metric;
	double warning;		/* NaN: no warning level */
	double critical;	/* NaN: no critical level */
	unsigned raise_after_ticks;	/* 0 counts as 1 */
	unsigned clear_after_ticks;	/* 0 counts as 1 */
};

enum alert_what {
	ALERT_RAISED,		/* a rule's alert became active */
	ALERT_CHANGED,		/* an active alert changed severity */
	ALERT_CLEARED,		/* it stopped */
	ALERT_NOTE,		/* a one-off detector finding (info) */
};

#define ALERT_TEXT_MAX 96

struct alert_event {
	double t_s;		/* the tick's time */
	uint64_t tick;		/* the tick's index */
	enum alert_what what;
	enum alert_severity severity;	/* after the event */
	int rule;		/* index into the rules, -1 for a note */
	double value;		/* the metric's value (NaN for notes) */
	char text[ALERT_TEXT_MAX];	/* rule name, or the note */
};

struct alert_active {
	int rule;
	enum alert_severity severity;
	double since_t_s;	/* when it was raised */
	double value;		/* latest value */
};

struct alert_engine;

/* Copies the n rules.  log_cap: events kept (older ones are overwritten).
 * NULL with errno = EINVAL (log_cap 0, a bad metric, a critical threshold
 * on the wrong side of the warning one) or ENOMEM. */
struct alert_engine *alert_engine_new(const struct alert_rule *rules,
				      size_t n, size_t log_cap);
void alert_engine_free(struct alert_engine *e);
/* Evaluate the rules and notes for the tick just pushed to the detector
 * engine whose state is st.  Returns the number of events logged. */
unsigned alert_engine_eval(struct alert_engine *e, const struct det_tick *tk,
			   const struct det_state *st);
/* The value a rule on metric m sees for this tick. */
double alert_metric_value(enum alert_metric m, const struct det_tick *tk,
			  const struct det_state *st);
/* Up to max active alerts into out, in rule order; returns how many. */
size_t alert_engine_active(const struct alert_engine *e,
			   struct alert_active *out, size_t max);
/* Events in the log, oldest first: count, the i-th, and how many were
 * overwritten since creation. */
size_t alert_log_count(const struct alert_engine *e);
const struct alert_event *alert_log_at(const struct alert_engine *e,
				       size_t i);
uint64_t alert_log_dropped(const struct alert_engine *e);

#endif
