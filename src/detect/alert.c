/* src/detect/alert.c - rule evaluation with hysteresis, notes, and the
 * event log ring.  See alert.h for the rules' semantics. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/alert.h"
#include "detect/classify.h"

static const char *const metric_names[ALERT_M_COUNT] = {
	"allocs_per_s", "frees_per_s", "alloc_bytes_per_s", "live_bytes",
	"live_blocks", "rss_bytes", "threads", "fds", "slack_ratio",
	"live_growth_bytes_per_s", "leak_conf", "exhaustion_s", "anomalies",
	"rate_ratio", "thread_leak_conf", "fd_leak_conf",
	"site_growth_bytes_per_s",
};

const char *alert_metric_name(enum alert_metric m)
{
	return (unsigned)m < ALERT_M_COUNT ? metric_names[m] : NULL;
}

int alert_metric_from_name(const char *name)
{
	int i;

	for (i = 0; i < ALERT_M_COUNT; i++)
		if (strcmp(metric_names[i], name) == 0)
			return i;
	return -ENOENT;
}

bool alert_metric_lower_is_worse(enum alert_metric m)
{
	return m == ALERT_M_EXHAUSTION_S;
}

const char *alert_severity_name(enum alert_severity s)
{
	switch (s) {
	case ALERT_INFO:
		return "info";
	case ALERT_WARNING:
		return "warning";
	case ALERT_CRITICAL:
		return "critical";
	}
	return "?";
}

/* Per-rule hysteresis state. */
struct rule_state {
	bool active;
	enum alert_severity sev;	/* WARNING or CRITICAL when active */
	unsigned over_n;	/* consecutive ticks at >= warning level */
	unsigned crit_n;	/* consecutive ticks at critical level */
	unsigned under_n;	/* consecutive ticks below warning */
	unsigned below_crit_n;	/* consecutive ticks below critical */
	double since_t_s;
	double value;
};

struct alert_engine {
	struct alert_rule *rules;
	struct rule_state *rs;
	size_t n;
	struct alert_event *log;
	size_t log_cap;
	size_t log_len;
	size_t log_head;	/* next slot */
	uint64_t dropped;
	uint64_t tick;		/* index of the next tick evaluated */
	bool have_class;
	enum det_class last_class;
};

static bool rule_ok(const struct alert_rule *r)
{
	bool lower;

	if ((unsigned)r->metric >= ALERT_M_COUNT)
		return false;
	if (isnan(r->warning) || isnan(r->critical))
		return true;
	lower = alert_metric_lower_is_worse(r->metric);
	return lower ? r->critical <= r->warning : r->critical >= r->warning;
}

struct alert_engine *alert_engine_new(const struct alert_rule *rules,
				      size_t n, size_t log_cap)
{
	struct alert_engine *e;
	size_t i;

	if (log_cap == 0 || log_cap > (1u << 20) || n > (1u << 16) ||
	    (n > 0 && rules == NULL)) {
		errno = EINVAL;
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (!rule_ok(&rules[i])) {
			errno = EINVAL;
			return NULL;
		}
	}
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return NULL;
	e->rules = calloc(n ? n : 1, sizeof(*e->rules));
	e->rs = calloc(n ? n : 1, sizeof(*e->rs));
	e->log = calloc(log_cap, sizeof(*e->log));
	if (e->rules == NULL || e->rs == NULL || e->log == NULL) {
		alert_engine_free(e);
		errno = ENOMEM;
		return NULL;
	}
	for (i = 0; i < n; i++) {
		e->rules[i] = rules[i];
		e->rules[i].name[ALERT_NAME_MAX - 1] = '\0';
		if (e->rules[i].raise_after_ticks == 0)
			e->rules[i].raise_after_ticks = 1;
		if (e->rules[i].clear_after_ticks == 0)
			e->rules[i].clear_after_ticks = 1;
	}
	e->n = n;
	e->log_cap = log_cap;
	return e;
}

void alert_engine_free(struct alert_engine *e)
{
	if (e == NULL)
		return;
	free(e->rules);
	free(e->rs);
	free(e->log);
	free(e);
}

double alert_metric_value(enum alert_metric m, const struct det_tick *tk,
			  const struct det_state *st)
{
	const struct det_metric_state *live = &st->m[DET_M_LIVE_BYTES];

	if ((unsigned)m < DET_METRIC_COUNT)
		return det_tick_metric(tk, (enum det_metric)m);
	switch (m) {
	case ALERT_M_SLACK_RATIO:
		return tk->slack_ratio;
	case ALERT_M_LIVE_GROWTH_BYTES_PER_S:
		/* The growth going on now (det_trend_current_growth). */
		if (!(live->growth_conf >= 0.99))
			return 0;
		return det_trend_current_growth(live->slope_per_s,
						live->recent_slope_per_s);
	case ALERT_M_LEAK_CONF:
		return live->leak ? live->growth_conf : 0;
	case ALERT_M_THREAD_LEAK_CONF:
		return st->m[DET_M_THREADS].leak ?
		       st->m[DET_M_THREADS].growth_conf : 0;
	case ALERT_M_FD_LEAK_CONF:
		return st->m[DET_M_FDS].leak ? st->m[DET_M_FDS].growth_conf : 0;
	case ALERT_M_SITE_GROWTH_BYTES_PER_S:
		return tk->site_growth_per_s;
	case ALERT_M_EXHAUSTION_S:
		return st->exhaustion_s;
	case ALERT_M_ANOMALIES:
		return st->anomalies;
	case ALERT_M_RATE_RATIO:
		return st->rate_ratio;
	default:
		return NAN;
	}
}

static struct alert_event *log_add(struct alert_engine *e, double t_s,
				   enum alert_what what,
				   enum alert_severity sev, int rule,
				   double value)
{
	struct alert_event *ev = &e->log[e->log_head];

	e->log_head = (e->log_head + 1) % e->log_cap;
	if (e->log_len < e->log_cap)
		e->log_len++;
	else
		e->dropped++;
	ev->t_s = t_s;
	ev->tick = e->tick;
	ev->what = what;
	ev->severity = sev;
	ev->rule = rule;
	ev->value = value;
	if (rule >= 0)
		snprintf(ev->text, sizeof(ev->text), "%s",
			 e->rules[rule].name);
	else
		ev->text[0] = '\0';
	return ev;
}

/* Is v over threshold thr for metric m?  False when thr is NaN. */
static bool over(enum alert_metric m, double v, double thr)
{
	if (isnan(thr))
		return false;
	return alert_metric_lower_is_worse(m) ? v < thr : v > thr;
}

static unsigned eval_rule(struct alert_engine *e, int i, double v,
			  double t_s)
{
	const struct alert_rule *r = &e->rules[i];
	struct rule_state *s = &e->rs[i];
	bool crit;
	bool warn;

	if (isnan(v))
		return 0;
	s->value = v;
	crit = over(r->metric, v, r->critical);
	warn = crit || over(r->metric, v, r->warning);
	s->over_n = warn ? s->over_n + 1 : 0;
	s->crit_n = crit ? s->crit_n + 1 : 0;
	s->under_n = warn ? 0 : s->under_n + 1;
	s->below_crit_n = crit ? 0 : s->below_crit_n + 1;

	if (!s->active) {
		if (s->over_n < r->raise_after_ticks)
			return 0;
		s->active = true;
		s->sev = s->crit_n >= r->raise_after_ticks ? ALERT_CRITICAL :
							     ALERT_WARNING;
		s->since_t_s = t_s;
		log_add(e, t_s, ALERT_RAISED, s->sev, i, v);
		return 1;
	}
	if (s->under_n >= r->clear_after_ticks) {
		s->active = false;
		log_add(e, t_s, ALERT_CLEARED, s->sev, i, v);
		return 1;
	}
	if (s->sev == ALERT_WARNING && s->crit_n >= r->raise_after_ticks) {
		s->sev = ALERT_CRITICAL;
		log_add(e, t_s, ALERT_CHANGED, s->sev, i, v);
		return 1;
	}
	if (s->sev == ALERT_CRITICAL && warn &&
	    s->below_crit_n >= r->clear_after_ticks) {
		s->sev = ALERT_WARNING;
		log_add(e, t_s, ALERT_CHANGED, s->sev, i, v);
		return 1;
	}
	return 0;
}

/* Info notes: change points found this tick, and class changes. */
static unsigned notes(struct alert_engine *e, const struct det_state *st)
{
	unsigned added = 0;
	int i;

	for (i = 0; i < DET_METRIC_COUNT; i++) {
		const struct det_metric_state *ms = &st->m[i];
		struct alert_event *ev;

		if (!ms->change_new)
			continue;
		ev = log_add(e, st->t_s, ALERT_NOTE, ALERT_INFO, -1, NAN);
		snprintf(ev->text, sizeof(ev->text),
			 "change point: %s %s from %.6g to %.6g at tick %lld",
			 det_metric_name((enum det_metric)i),
			 ms->change_dir > 0 ? "up" : "down", ms->change_before,
			 ms->change_after, (long long)ms->change_tick);
		added++;
	}
	if (e->have_class && st->cls != e->last_class) {
		struct alert_event *ev = log_add(e, st->t_s, ALERT_NOTE,
						 ALERT_INFO, -1, NAN);

		snprintf(ev->text, sizeof(ev->text), "pattern: %s (%s)",
			 det_class_name(st->cls), st->class_reason);
		added++;
	}
	e->have_class = true;
	e->last_class = st->cls;
	return added;
}

unsigned alert_engine_eval(struct alert_engine *e, const struct det_tick *tk,
			   const struct det_state *st)
{
	unsigned added = notes(e, st);
	size_t i;

	for (i = 0; i < e->n; i++)
		added += eval_rule(e, (int)i,
				   alert_metric_value(e->rules[i].metric, tk,
						      st), tk->t_s);
	e->tick++;
	return added;
}

size_t alert_engine_active(const struct alert_engine *e,
			   struct alert_active *out, size_t max)
{
	size_t k = 0;
	size_t i;

	for (i = 0; i < e->n && k < max; i++) {
		if (!e->rs[i].active)
			continue;
		out[k].rule = (int)i;
		out[k].severity = e->rs[i].sev;
		out[k].since_t_s = e->rs[i].since_t_s;
		out[k].value = e->rs[i].value;
		k++;
	}
	return k;
}

size_t alert_log_count(const struct alert_engine *e)
{
	return e->log_len;
}

const struct alert_event *alert_log_at(const struct alert_engine *e,
				       size_t i)
{
	if (i >= e->log_len)
		return NULL;
	return &e->log[(e->log_head + e->log_cap - e->log_len + i) %
		       e->log_cap];
}

uint64_t alert_log_dropped(const struct alert_engine *e)
{
	return e->dropped;
}
