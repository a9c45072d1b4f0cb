/* src/detect/engine.c - wires the detectors together per tick.  See
 * engine.h.
 *
 * Order within a tick: per metric, averages, then the period (so the
 * anomaly score can use it), the anomaly score, the trend, and the change
 * point (whose report is dropped when the trend already explains it: a ramp
 * is a trend, not a string of level shifts; when kept, it restarts the
 * anomaly detector on the new level).  Then the classifier, from the
 * tick and these findings, and the forecast. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "detect/engine.h"
#include "detect/stats.h"

/* Which detectors run on which metric.  Trends: the quantities that leak.
 * Periods: the two series in which cycles show. */
static const bool has_trend[DET_METRIC_COUNT] = {
	[DET_M_LIVE_BYTES] = true, [DET_M_LIVE_BLOCKS] = true,
	[DET_M_RSS_BYTES] = true, [DET_M_THREADS] = true, [DET_M_FDS] = true,
};
static const bool has_period[DET_METRIC_COUNT] = {
	[DET_M_ALLOCS_PER_S] = true, [DET_M_LIVE_BYTES] = true,
};

struct metric {
	struct det_ewma ewma;
	struct det_window *win;
	struct det_change *change;
	struct det_anomaly *anomaly;
	struct det_trend *trend;	/* NULL if not analysed */
	struct det_period *period;	/* NULL if not analysed */
};

struct det_engine {
	struct det_params p;
	struct metric m[DET_METRIC_COUNT];
	struct det_classifier cls;
	struct det_ewma baseline;	/* slow allocs_per_s */
	double burst_memory;		/* recent peak rate ratio, fading */
	double first_t_s;		/* time of the first tick */
	double *t_ring;			/* t_s of the last tick_ring ticks */
	unsigned t_ring_len;
	struct det_state st;
};

struct det_params det_params_default(void)
{
	struct det_params p;

	p.window_ticks = 60;
	p.ewma_alpha = 0.1;
	p.baseline_alpha = 0.02;
	p.min_ticks = 20;
	/* 10 s: most programs fill their caches and pools within it, and a
	 * leak present from the start is still called by 25-30 s. */
	p.trend_warmup_s = 10;
	det_change_params_default(&p.change);
	det_anomaly_params_default(&p.anomaly);
	det_trend_params_default(&p.trend);
	det_period_params_default(&p.period);
	det_class_params_default(&p.classify);
	return p;
}

void det_engine_free(struct det_engine *e)
{
	int i;

	if (e == NULL)
		return;
	for (i = 0; i < DET_METRIC_COUNT; i++) {
		det_window_free(e->m[i].win);
		det_change_free(e->m[i].change);
		det_anomaly_free(e->m[i].anomaly);
		det_trend_free(e->m[i].trend);
		det_period_free(e->m[i].period);
	}
	free(e->t_ring);
	free(e);
}

static void state_init(struct det_engine *e)
{
	struct det_class_result r;
	int i;

	e->st.ticks = 0;
	e->st.t_s = NAN;
	det_classifier_result(&e->cls, &r);
	e->st.cls = r.cls;
	e->st.class_conf = r.confidence;
	e->st.class_reason = r.reason;
	e->st.rate_ratio = NAN;
	e->st.anomalies = 0;
	e->st.limit_bytes = INFINITY;
	e->st.exhaustion_s = INFINITY;
	for (i = 0; i < DET_METRIC_COUNT; i++) {
		struct det_metric_state *ms = &e->st.m[i];

		ms->value = NAN;
		ms->ewma_mean = ms->ewma_sd = NAN;
		ms->win_mean = ms->win_sd = ms->win_min = ms->win_max = NAN;
		ms->change_new = false;
		ms->change_tick = -1;
		ms->change_t_s = NAN;
		ms->change_dir = 0;
		ms->change_before = ms->change_after = NAN;
		ms->anomaly = false;
		ms->anomaly_z = NAN;
		ms->has_trend = has_trend[i];
		ms->slope_per_s = NAN;
		ms->recent_slope_per_s = NAN;
		ms->trend_conf = 0;
		ms->growth_conf = 0;
		ms->leak = false;
		ms->period_ticks = 0;
		ms->period_strength = 0;
		ms->amplitude = 0;
	}
}

struct det_engine *det_engine_new(const struct det_params *p)
{
	struct det_params def = det_params_default();
	struct det_engine *e;
	int i;

	if (p == NULL)
		p = &def;
	if (p->window_ticks < 2 || p->window_ticks > 65536 ||
	    !(p->ewma_alpha > 0 && p->ewma_alpha <= 1) ||
	    !(p->baseline_alpha > 0 && p->baseline_alpha <= 1) ||
	    !(p->trend_warmup_s >= 0)) {
		errno = EINVAL;
		return NULL;
	}
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return NULL;
	e->p = *p;
	e->t_ring_len = p->change.warmup_ticks + 1;
	e->t_ring = calloc(e->t_ring_len, sizeof(double));
	if (e->t_ring == NULL)
		goto out_free;
	for (i = 0; i < DET_METRIC_COUNT; i++) {
		struct metric *m = &e->m[i];

		det_ewma_init(&m->ewma, p->ewma_alpha);
		m->win = det_window_new(p->window_ticks);
		m->change = det_change_new(&p->change);
		m->anomaly = det_anomaly_new(&p->anomaly);
		if (m->win == NULL || m->change == NULL || m->anomaly == NULL)
			goto out_free;
		if (has_trend[i] &&
		    (m->trend = det_trend_new(&p->trend)) == NULL)
			goto out_free;
		if (has_period[i] &&
		    (m->period = det_period_new(&p->period)) == NULL)
			goto out_free;
	}
	det_classifier_init(&e->cls, &p->classify);
	det_ewma_init(&e->baseline, p->baseline_alpha);
	state_init(e);
	return e;

out_free:
	/* errno is EINVAL or ENOMEM from the constructor that failed. */
	i = errno;
	det_engine_free(e);
	errno = i ? i : ENOMEM;
	return NULL;
}

void det_engine_set_limit(struct det_engine *e, double limit_bytes)
{
	e->st.limit_bytes = limit_bytes > 0 ? limit_bytes : INFINITY;
}

/* A leak must be worth the name (det_trend_material): over the trend's
 * span the series grew by at least a floor (1 MiB of memory, 1000 blocks,
 * 8 threads or fds) and 2% of its level; a 1 MB/s leak clears both bars
 * within seconds. */
static bool material(int metric, double level, const struct det_trend_result *tr)
{
	double floor;

	switch (metric) {
	case DET_M_LIVE_BYTES:
	case DET_M_RSS_BYTES:
		floor = 1024.0 * 1024.0;
		break;
	case DET_M_LIVE_BLOCKS:
		floor = 1000;
		break;
	default:
		/* Threads, fds: a pool that starts a few workers late is
		 * not a leak. */
		floor = 8;
		break;
	}
	return det_trend_material(tr, level, floor);
}

/* Is a change in direction dir explained by the metric's trend? */
static bool trend_explains(const struct det_engine *e,
			   const struct det_metric_state *ms, int dir)
{
	double c = e->p.trend.min_conf;

	if (!ms->has_trend || !(ms->trend_conf >= c))
		return false;
	return dir > 0 ? ms->slope_per_s > 0 : ms->slope_per_s < 0;
}

static void push_metric(struct det_engine *e, int i, double x, double t_s)
{
	struct metric *m = &e->m[i];
	struct det_metric_state *ms = &e->st.m[i];
	struct det_anomaly_result ar;
	struct det_change_event ev;

	ms->value = x;
	ms->change_new = false;
	if (!isnan(x)) {
		det_ewma_push(&m->ewma, x);
		det_window_push(m->win, x);
		ms->ewma_mean = m->ewma.mean;
		ms->ewma_sd = det_ewma_sd(&m->ewma);
		ms->win_mean = det_window_mean(m->win);
		ms->win_sd = sqrt(det_window_var(m->win));
		ms->win_min = det_window_min(m->win);
		ms->win_max = det_window_max(m->win);
	}
	if (m->period != NULL) {
		struct det_period_result pr;

		det_period_push(m->period, x);
		det_period_result(m->period, &pr);
		ms->period_ticks = pr.period_ticks;
		ms->period_strength = pr.strength;
		ms->amplitude = pr.amplitude;
	}
	det_anomaly_push(m->anomaly, x, ms->period_ticks, &ar);
	ms->anomaly = ar.anomalous;
	ms->anomaly_z = ar.z;
	if (m->trend != NULL) {
		struct det_trend_result tr;

		if (t_s - e->first_t_s >= e->p.trend_warmup_s)
			det_trend_push(m->trend, t_s, x);
		det_trend_eval(m->trend, &tr);
		ms->slope_per_s = tr.slope_per_s;
		ms->recent_slope_per_s = tr.recent_slope_per_s;
		ms->trend_conf = tr.conf;
		ms->growth_conf = tr.growth_conf;
		ms->leak = tr.leak && material(i, x, &tr);
	}
	if (det_change_push(m->change, x, &ev) &&
	    !trend_explains(e, ms, ev.dir)) {
		/* A new level: judge anomalies against the new regime, or
		 * every tick until the window median crosses over would be
		 * flagged. */
		det_anomaly_reset(m->anomaly);
		ms->change_new = true;
		ms->change_tick = (int64_t)ev.index;
		ms->change_t_s = e->t_ring[ev.index % e->t_ring_len];
		ms->change_dir = ev.dir;
		ms->change_before = ev.before;
		ms->change_after = ev.after;
	}
}

static void forecast(struct det_engine *e)
{
	const struct det_metric_state *ms = &e->st.m[DET_M_RSS_BYTES];

	if (isnan(ms->value))
		ms = &e->st.m[DET_M_LIVE_BYTES];
	e->st.exhaustion_s = INFINITY;
	if (ms->growth_conf >= e->p.trend.min_conf)
		e->st.exhaustion_s = det_forecast_exhaustion_s(
			ms->value, e->st.limit_bytes, ms->slope_per_s);
	else if (ms->value >= e->st.limit_bytes)
		e->st.exhaustion_s = 0;
}

void det_engine_push(struct det_engine *e, const struct det_tick *tk)
{
	struct det_class_result cr;
	struct det_class_ctx cx;
	double rate = tk->allocs_per_s;
	int i;

	if (e->st.ticks == 0)
		e->first_t_s = tk->t_s;
	e->t_ring[e->st.ticks % e->t_ring_len] = tk->t_s;
	e->st.t_s = tk->t_s;
	e->st.anomalies = 0;
	for (i = 0; i < DET_METRIC_COUNT; i++) {
		push_metric(e, i, det_tick_metric(tk, (enum det_metric)i),
			    tk->t_s);
		e->st.anomalies += e->st.m[i].anomaly;
	}
	e->st.ticks++;

	if (!isnan(rate)) {
		bool known = e->baseline.n >= e->p.min_ticks &&
			     e->baseline.mean > 0;

		if (known)
			e->st.rate_ratio = rate / e->baseline.mean;
		/* A spike must not become the baseline it is judged by. */
		det_ewma_push(&e->baseline, known ?
			      fmin(rate, 4 * e->baseline.mean) : rate);
	}
	/* Bursts are moments; a bursty program is one that had them lately:
	 * the classifier sees the recent peak ratio, fading by 5% a tick (a
	 * spike of 100x stays a burst for about 60 ticks). */
	if (!isnan(e->st.rate_ratio))
		e->burst_memory = fmax(e->st.rate_ratio,
				       e->burst_memory * 0.95);
	cx.rate_ratio = isnan(e->st.rate_ratio) ? NAN : e->burst_memory;
	cx.leak = e->st.m[DET_M_LIVE_BYTES].leak;
	cx.leak_conf = e->st.m[DET_M_LIVE_BYTES].growth_conf;
	cx.cycle_strength = fmax(e->st.m[DET_M_ALLOCS_PER_S].period_strength,
				 e->st.m[DET_M_LIVE_BYTES].period_strength);
	det_classifier_push(&e->cls, tk, &cx);
	det_classifier_result(&e->cls, &cr);
	e->st.cls = cr.cls;
	e->st.class_conf = cr.confidence;
	e->st.class_reason = cr.reason;
	forecast(e);
}

void det_engine_state(const struct det_engine *e, struct det_state *out)
{
	*out = e->st;
}

const struct det_metric_state *det_engine_metric(const struct det_engine *e,
						 enum det_metric m)
{
	return (unsigned)m < DET_METRIC_COUNT ? &e->st.m[m] : NULL;
}
