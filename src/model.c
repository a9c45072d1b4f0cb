/* src/model.c - the history rings behind every view. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cfg.h"
#include "detect/alert.h"
#include "detect/sitetrend.h"
#include "model.h"
#include "report.h"

/* Weight of a tick in the smoothed shares: about ten ticks of memory. */
#define SHARE_ALPHA 0.1
/* "Small" for the fragmentation class: glibc's per-chunk header and
 * 16-byte rounding cost up to 31 bytes an object, 6% at this size and a
 * third at 64 bytes. */
#define SMALL_OBJECT 512

/* Ticks between re-reading the memory limits a forecast runs into. */
#define LIMITS_EVERY 10u

struct model_pipe {
	struct det_engine *det;
	struct alert_engine *alerts;
	const struct alert_rule *rules;
	size_t n_rules;
	struct alert_rule rule_buf[CFG_METRIC_COUNT + 4];
	struct seg_counters prev;	/* last tick's totals, for deltas */
	bool have_prev;
	FILE *log;			/* alerts.log, or NULL */
	/* Smoothed per-tick sums (EWMA) behind the share features: a large
	 * block every few ticks is a large-object program, not one tick in
	 * eight of it. */
	double ew_allocs, ew_small, ew_bytes, ew_large_bytes;
	double ew_usable, ew_requested;		/* bytes, for recent slack */
	double ew_all_objects;			/* per second */
	struct det_site_trends *site_trends;	/* live bytes per call site */
	uint32_t growth_site;			/* behind site_growth_per_s */
	uint64_t min_ticks;		/* ticks before a pattern is shown */
};

static const struct cfg *model_cfg;

void model_set_config(const struct cfg *c)
{
	model_cfg = c;
}

double model_series_at(const struct model_series *s, uint32_t i)
{
	uint32_t start = (s->head + MODEL_HISTORY - s->len) % MODEL_HISTORY;

	if (i >= s->len)
		return 0;
	return s->v[(start + i) % MODEL_HISTORY];
}

double model_series_last(const struct model_series *s)
{
	return s->len ? model_series_at(s, s->len - 1) : 0;
}

double model_series_max(const struct model_series *s, uint32_t n)
{
	double m = 0;

	if (n > s->len)
		n = s->len;
	for (uint32_t i = s->len - n; i < s->len; i++) {
		double v = model_series_at(s, i);

		if (v > m)
			m = v;
	}
	return m;
}

static void series_push(struct model_series *s, double v)
{
	s->v[s->head] = v;
	s->head = (s->head + 1) % MODEL_HISTORY;
	if (s->len < MODEL_HISTORY)
		s->len++;
}

const char *model_metric_name(enum model_metric m)
{
	static const char *const names[MODEL_METRIC_COUNT] = {
		[MODEL_ALLOC_BYTES_PER_S] = "alloc_bytes_per_s",
		[MODEL_ALLOCS_PER_S] = "allocs_per_s",
		[MODEL_FREES_PER_S] = "frees_per_s",
		[MODEL_LIVE_BYTES] = "live_bytes",
		[MODEL_LIVE_BLOCKS] = "live_blocks",
		[MODEL_RSS_BYTES] = "rss_bytes",
		[MODEL_THREADS] = "threads",
		[MODEL_FDS] = "fds",
		[MODEL_SLACK_RATIO] = "slack_ratio",
		[MODEL_OPS_PER_S] = "ops_per_s",
	};

	return (unsigned)m < MODEL_METRIC_COUNT ? names[m] : "?";
}

/* The detector settings alloctop.yaml can change. */
static struct det_params det_params_from(const struct cfg *c)
{
	struct det_params p = det_params_default();

	if (c == NULL)
		return p;
	p.change.h = c->detect.change_point;
	p.anomaly.z_threshold = c->detect.anomaly_z;
	p.trend.min_conf = c->detect.trend_confidence;
	p.min_ticks = c->detect.min_ticks;
	p.trend.window_ticks = c->detect.leak_window_ticks;
	p.period.min_strength = c->detect.periodicity;
	return p;
}

static void add_rule(struct model_pipe *p, const char *name,
		     enum alert_metric metric, double warning, double critical,
		     unsigned raise, unsigned clear)
{
	struct alert_rule *r = &p->rule_buf[p->n_rules++];

	snprintf(r->name, sizeof r->name, "%s", name);
	r->metric = metric;
	/* 0 in alloctop.yaml means "off". */
	r->warning = warning > 0 ? warning : NAN;
	r->critical = critical > 0 ? critical : NAN;
	r->raise_after_ticks = raise;
	r->clear_after_ticks = clear;
}

/* Thresholds from alloctop.yaml, plus the detector's own findings: a leak
 * (growth confidence of the live heap under the leak verdict) and time to
 * exhaustion.  Per-site growth is the leak verdict of the fastest growing
 * call site (struct det_site_trends). */
static void build_rules(struct model_pipe *p, const struct cfg *c)
{
	static const struct {
		enum cfg_metric from;
		enum alert_metric to;
		double scale;		/* config unit -> alert unit */
	} map[] = {
		{ CFG_M_ALLOC_RATE, ALERT_M_ALLOCS_PER_S, 1 },
		{ CFG_M_ALLOC_BYTES_RATE, ALERT_M_ALLOC_BYTES_PER_S, 1 },
		{ CFG_M_LIVE_BYTES, ALERT_M_LIVE_BYTES, 1 },
		{ CFG_M_LIVE_GROWTH, ALERT_M_LIVE_GROWTH_BYTES_PER_S, 1 / 60.0 },
		{ CFG_M_SLACK, ALERT_M_SLACK_RATIO, 1 },
		{ CFG_M_THREADS, ALERT_M_THREADS, 1 },
		{ CFG_M_FDS, ALERT_M_FDS, 1 },
		{ CFG_M_SITE_GROWTH, ALERT_M_SITE_GROWTH_BYTES_PER_S,
		  1 / 60.0 },
	};
	struct cfg dflt;

	if (c == NULL) {
		cfg_defaults(&dflt);
		c = &dflt;
	}
	p->n_rules = 0;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		const struct cfg_threshold *t = &c->thresholds[map[i].from];

		add_rule(p, cfg_metric_name(map[i].from), map[i].to,
			 t->warning * map[i].scale, t->critical * map[i].scale,
			 t->raise_after_ticks, t->clear_after_ticks);
	}
	add_rule(p, "leak", ALERT_M_LEAK_CONF, c->detect.trend_confidence,
		 0, 3, 10);
	add_rule(p, "thread_leak", ALERT_M_THREAD_LEAK_CONF,
		 c->detect.trend_confidence, 0, 3, 10);
	add_rule(p, "fd_leak", ALERT_M_FD_LEAK_CONF,
		 c->detect.trend_confidence, 0, 3, 10);
	p->rules = p->rule_buf;
}

int model_init(struct model *m, double tick_s)
{
	struct model_pipe *p = calloc(1, sizeof *p);
	struct det_params dp = det_params_from(model_cfg);
	struct det_site_trend_params sp;

	memset(m, 0, sizeof *m);
	m->tick_s = tick_s;
	m->worst_severity = -1;
	m->exhaustion_limit_bytes = INFINITY;
	if (p == NULL)
		return -ENOMEM;
	build_rules(p, model_cfg);
	p->min_ticks = dp.min_ticks;
	p->det = det_engine_new(&dp);
	p->alerts = alert_engine_new(p->rules, p->n_rules, MODEL_ALERTS);
	det_site_trend_params_default(&sp);
	sp.trend = dp.trend;
	sp.warmup_s = dp.trend_warmup_s;
	p->site_trends = det_site_trends_new(&sp);
	if (p->det == NULL || p->alerts == NULL || p->site_trends == NULL) {
		det_engine_free(p->det);
		alert_engine_free(p->alerts);
		det_site_trends_free(p->site_trends);
		free(p);
		return -ENOMEM;
	}
	if (model_cfg != NULL && model_cfg->alerts.log[0] != '\0')
		p->log = fopen(model_cfg->alerts.log, "ae");
	m->pipe = p;
	return 0;
}

void model_free(struct model *m)
{
	if (m->pipe == NULL)
		return;
	det_engine_free(m->pipe->det);
	alert_engine_free(m->pipe->alerts);
	det_site_trends_free(m->pipe->site_trends);
	if (m->pipe->log != NULL)
		fclose(m->pipe->log);
	free(m->pipe);
	m->pipe = NULL;
}

void model_reset(struct model *m)
{
	struct target_view v = m->view;
	double tick_s = m->tick_s;

	model_free(m);
	(void)model_init(m, tick_s);
	m->view = v;
}

/* EWMA weight: a time constant of about ten ticks. */
#define MODEL_EWMA_ALPHA 0.1

static void detect(struct model *m, const struct target_view *v);

void model_push(struct model *m, const struct target_view *v)
{
	double val[MODEL_METRIC_COUNT] = { 0 };

	m->view = *v;
	m->ticks++;
	if (v->has_segment) {
		if (v->have_rates) {
			val[MODEL_ALLOC_BYTES_PER_S] = v->rates.bytes_per_s;
			val[MODEL_ALLOCS_PER_S] = v->rates.allocs_per_s;
			val[MODEL_FREES_PER_S] = v->rates.frees_per_s;
			val[MODEL_OPS_PER_S] = v->rates.ops_per_s;
		}
		val[MODEL_LIVE_BYTES] = (double)snap_live_bytes(&v->snap);
		val[MODEL_LIVE_BLOCKS] = (double)snap_live_blocks(&v->snap);
		val[MODEL_SLACK_RATIO] = snap_slack_ratio(&v->snap);
	}
	if (v->proc_ok) {
		val[MODEL_RSS_BYTES] = (double)v->proc.rss_bytes;
		val[MODEL_THREADS] = (double)v->proc.threads;
		val[MODEL_FDS] = (double)(v->proc.fds > 0 ? v->proc.fds : 0);
	}
	for (int i = 0; i < MODEL_METRIC_COUNT; i++) {
		series_push(&m->series[i], val[i]);
		m->average[i] = m->series[i].len == 1 ?
			val[i] : m->average[i] + MODEL_EWMA_ALPHA *
						   (val[i] - m->average[i]);
	}
	detect(m, v);
}

/* ---- detectors and alerts ----------------------------------------------- */

static double frac(double part, double whole)
{
	return whole > 0 ? part / whole : NAN;
}

/* Candidates for a site's trend window each tick: the sites holding the
 * most live bytes and those whose live bytes grow fastest (a leak starts
 * small, and its growth brings it in). */
#define SITE_TREND_TOP 16u

static void offer_sites(struct model_pipe *p, const struct target_view *v,
			enum sites_key k)
{
	uint32_t idx[SITE_TREND_TOP];
	uint32_t n = sites_sorted(v->sites, k, idx, SITE_TREND_TOP);

	for (uint32_t i = 0; i < n; i++) {
		const struct site_row *r = sites_row(v->sites, idx[i]);
		double live;

		if (r == NULL || r->id == 0)	/* not "other" */
			continue;
		live = (double)site_live_bytes(r);
		/* Poisson sampling by bytes: the estimate of a live set
		 * of L bytes has a variance of about L times the period
		 * (each sampled block stands for about a period). */
		det_site_trends_offer(p->site_trends, v->elapsed_s, r->id,
				      live, v->snap.sample_bytes > 1 ?
				      sqrt(live * (double)v->snap.sample_bytes)
				      : 0);
	}
}

/* The trend test on call sites' live bytes; tk->site_growth_per_s is the
 * growth of the fastest leaking site (as the live-growth alert, the
 * smaller of the window's slope and its last half's). */
static void site_trends(struct model_pipe *p, const struct target_view *v,
			struct det_tick *tk)
{
	if (v->sites == NULL)
		return;
	offer_sites(p, v, SITES_LIVE_BYTES);
	offer_sites(p, v, SITES_GROWTH);
	det_site_trends_eval(p->site_trends, v->elapsed_s);
	tk->site_growth_per_s = det_site_trends_fastest(p->site_trends,
							&p->growth_site);
}

bool model_site_trend(const struct model *m, uint32_t site,
		      struct det_site_trend *out)
{
	return m->pipe != NULL &&
	       det_site_trends_get(m->pipe->site_trends, site, out);
}

/* One tick of features for the detectors, from this tick's deltas. */
static void make_tick(struct model *m, const struct target_view *v,
		      struct det_tick *tk)
{
	struct model_pipe *p = m->pipe;
	const struct seg_counters *c = &v->snap.total;
	const struct seg_counters *o = &p->prev;
	double allocs = 0, small = 0, large = 0, large_bytes = 0, bytes = 0;
	double calls = 0, reallocs = 0, requested = 0;

	det_tick_init(tk);
	tk->t_s = v->elapsed_s;
	if (v->proc_ok) {
		tk->rss_bytes = (double)v->proc.rss_bytes;
		tk->threads = v->proc.threads;
		tk->fds = v->proc.fds >= 0 ? v->proc.fds : NAN;
	}
	if (!v->has_segment)
		return;
	tk->live_bytes = (double)snap_live_bytes(&v->snap);
	tk->live_blocks = (double)snap_live_blocks(&v->snap);
	site_trends(p, v, tk);
	if (!v->have_rates || !p->have_prev)
		return;
	tk->allocs_per_s = v->rates.allocs_per_s;
	tk->frees_per_s = v->rates.frees_per_s;
	tk->alloc_bytes_per_s = v->rates.usable_bytes_per_s;
	for (unsigned b = 0; b < SEG_HIST_BUCKETS; b++) {
		double n = (double)(c->hist[b] - o->hist[b]);
		double lo = (double)seg_hist_lower(b);

		allocs += n;
		bytes += n * lo;
		if (lo + 1 <= SMALL_OBJECT)
			small += n;
		if (lo >= 1024.0 * 1024.0) {
			large += n;
			large_bytes += n * lo;
		}
	}
	for (int f = 0; f < SEG_FN_COUNT; f++) {
		calls += (double)(c->fn[f].calls - o->fn[f].calls);
		if (f != SEG_FN_FREE)
			requested += (double)(c->fn[f].bytes - o->fn[f].bytes);
	}
	reallocs = (double)(c->fn[SEG_FN_REALLOC].calls -
			    o->fn[SEG_FN_REALLOC].calls +
			    c->fn[SEG_FN_REALLOCARRAY].calls -
			    o->fn[SEG_FN_REALLOCARRAY].calls);
	tk->slack_ratio = snap_slack_ratio(&v->snap);
	p->ew_allocs += SHARE_ALPHA * (allocs - p->ew_allocs);
	p->ew_small += SHARE_ALPHA * (small - p->ew_small);
	p->ew_bytes += SHARE_ALPHA * (bytes - p->ew_bytes);
	p->ew_large_bytes += SHARE_ALPHA * (large_bytes - p->ew_large_bytes);
	p->ew_usable += SHARE_ALPHA *
		((double)(c->alloc_bytes - o->alloc_bytes) - p->ew_usable);
	p->ew_requested += SHARE_ALPHA * (requested - p->ew_requested);
	tk->recent_slack = p->ew_usable > 0 && p->ew_requested < p->ew_usable ?
			   1 - p->ew_requested / p->ew_usable : 0;
	tk->small_frac = frac(p->ew_small, p->ew_allocs);
	tk->large_frac = frac(p->ew_large_bytes, p->ew_bytes);
	tk->large_allocs = large;
	tk->realloc_frac = frac(reallocs, calls);
	tk->avg_size = frac((double)(c->alloc_bytes - o->alloc_bytes),
			    (double)(c->alloc_blocks - o->alloc_blocks));
	if (v->sites != NULL) {
		const struct site_row *r = NULL;

		/* The busiest site by its smoothed object rate: under
		 * sampling a site's rate is 0 on most ticks and a spike on
		 * one, so this tick's busiest is a lottery. */
		for (uint32_t i = 0; i < sites_count(v->sites); i++) {
			const struct site_row *s = sites_row(v->sites, i);

			if (r == NULL ||
			    s->objects_per_s_smooth > r->objects_per_s_smooth)
				r = s;
		}
		p->ew_all_objects += SHARE_ALPHA *
			(v->rates.allocs_per_s - p->ew_all_objects);
		if (r != NULL && r->objects_per_s_smooth > 0) {
			double lo = (double)r->raw.min_size;
			double hi = (double)r->raw.max_size;
			double life = 0, shortl = 0;

			tk->top_site_share = fmin(1, frac(r->objects_per_s_smooth,
							  p->ew_all_objects));
			tk->top_site_size_cv = hi + lo > 0 ?
				(hi - lo) / (hi + lo) : 0;
			for (unsigned b = 0; b < SEG_LIFE_BUCKETS; b++) {
				life += (double)r->raw.life[b];
				if (b <= 5)	/* below 4^5 us: about 1 ms */
					shortl += (double)r->raw.life[b];
			}
			tk->short_lived_frac = frac(shortl, life);
		}
	}
}

static enum model_severity severity_of(enum alert_severity s)
{
	return s == ALERT_CRITICAL ? MODEL_CRITICAL :
	       s == ALERT_WARNING ? MODEL_WARNING : MODEL_INFO;
}

static void log_alert(FILE *f, const struct model_alert *a)
{
	char when[32];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S%z", &tm);
	fprintf(f, "%s %s %s\n", when,
		a->severity == MODEL_CRITICAL ? "critical" :
		a->severity == MODEL_WARNING ? "warning" : "info", a->text);
	fflush(f);
}

/* "threads grow without bound: +12/min (confidence 0.9999)". */
static void count_leak_text(char *buf, size_t len,
			    const struct model_pipe *p,
			    enum alert_metric metric, double conf)
{
	bool threads = metric == ALERT_M_THREAD_LEAK_CONF;
	const struct det_metric_state *ms = det_engine_metric(
		p->det, threads ? DET_M_THREADS : DET_M_FDS);

	snprintf(buf, len, "%s grow without bound: %+.0f/min "
		 "(confidence %.4f)", threads ? "threads" : "open fds",
		 ms != NULL ? ms->slope_per_s * 60 : NAN, conf);
}

/* "+2.0 MiB/min at cache_insert (cache.c:42)": the fastest leaking site. */
static void site_growth_text(char *buf, size_t len, const struct model *m,
			     double bytes_per_s)
{
	const struct target_view *v = &m->view;
	const struct site_row *r = v->sites != NULL ?
		sites_row(v->sites, m->pipe->growth_site) : NULL;
	char b[24];

	report_bytes(b, sizeof b, bytes_per_s * 60);
	if (r != NULL && r->where != NULL && r->where->function[0] != '\0')
		snprintf(buf, len, "+%s/min at %s (%s:%d)", b,
			 r->where->function,
			 r->where->file[0] ? r->where->file : r->where->module,
			 r->where->line);
	else
		snprintf(buf, len, "+%s/min at call site %u", b,
			 m->pipe->growth_site);
}

static void take_events(struct model *m, unsigned n)
{
	struct model_pipe *p = m->pipe;
	size_t count = alert_log_count(p->alerts);

	m->new_alerts = 0;
	for (size_t i = count > n ? count - n : 0; i < count; i++) {
		const struct alert_event *e = alert_log_at(p->alerts, i);
		struct model_alert *a = &m->alerts[m->n_alerts % MODEL_ALERTS];
		char val[128] = "";

		if (e == NULL)
			continue;
		if (e->rule >= 0 && isfinite(e->value)) {
			enum alert_metric metric = p->rules[e->rule].metric;

			char b[24];

			switch (metric) {
			case ALERT_M_LIVE_BYTES:
				report_bytes(val, sizeof val, e->value);
				break;
			case ALERT_M_ALLOC_BYTES_PER_S:
				report_bytes(b, sizeof b, e->value);
				snprintf(val, sizeof val, "%s/s", b);
				break;
			case ALERT_M_LIVE_GROWTH_BYTES_PER_S:
				report_bytes(b, sizeof b, e->value * 60);
				snprintf(val, sizeof val, "+%s/min", b);
				break;
			case ALERT_M_LEAK_CONF:
				snprintf(val, sizeof val, "live heap grows "
					 "without bound (confidence %.4f)",
					 e->value);
				break;
			case ALERT_M_THREAD_LEAK_CONF:
			case ALERT_M_FD_LEAK_CONF:
				count_leak_text(val, sizeof val, p, metric,
						e->value);
				break;
			case ALERT_M_SITE_GROWTH_BYTES_PER_S:
				site_growth_text(val, sizeof val, m,
						 e->value);
				break;
			default:
				snprintf(val, sizeof val, "%.3g", e->value);
				break;
			}
		}
		a->severity = severity_of(e->severity);
		a->t_s = e->t_s;
		a->active = e->what == ALERT_RAISED || e->what == ALERT_CHANGED;
		a->note = e->what == ALERT_NOTE;
		switch (e->what) {
		case ALERT_RAISED:
			snprintf(a->text, sizeof a->text, "%s: %s", e->text,
				 val);
			break;
		case ALERT_CHANGED:
			snprintf(a->text, sizeof a->text, "%s: now %s", e->text,
				 val);
			break;
		case ALERT_CLEARED:
			snprintf(a->text, sizeof a->text, "%s: cleared",
				 e->text);
			a->severity = MODEL_INFO;
			break;
		default:
			snprintf(a->text, sizeof a->text, "%s", e->text);
			break;
		}
		if (a->active && (int)a->severity > m->worst_severity)
			m->worst_severity = (int)a->severity;
		if (p->log != NULL)
			log_alert(p->log, a);
		m->n_alerts++;
		m->new_alerts++;
	}
}

/* Maps detector metrics onto the model's, for change-point marks. */
static int model_metric_of(enum det_metric d)
{
	switch (d) {
	case DET_M_ALLOCS_PER_S: return MODEL_ALLOCS_PER_S;
	case DET_M_ALLOC_BYTES_PER_S: return MODEL_ALLOC_BYTES_PER_S;
	case DET_M_LIVE_BYTES: return MODEL_LIVE_BYTES;
	case DET_M_RSS_BYTES: return MODEL_RSS_BYTES;
	case DET_M_THREADS: return MODEL_THREADS;
	case DET_M_FDS: return MODEL_FDS;
	default: return -1;
	}
}

static void detect(struct model *m, const struct target_view *v)
{
	struct model_pipe *p = m->pipe;
	struct det_tick tk;
	unsigned n;

	if (p == NULL)
		return;
	make_tick(m, v, &tk);
	if (v->has_segment) {
		p->prev = v->snap.total;
		p->have_prev = true;
	}
	if (m->ticks % LIMITS_EVERY == 1 && v->proc_ok) {
		struct proc_limits l;
		double lim;

		proc_limits(v->pid, &l);
		lim = (double)l.cgroup_bytes;
		if ((double)l.as_bytes < lim)
			lim = (double)l.as_bytes;
		if ((double)l.mem_available_bytes + (double)v->proc.rss_bytes <
		    lim)
			lim = (double)l.mem_available_bytes +
			      (double)v->proc.rss_bytes;
		if (lim >= 1.8e19)
			lim = INFINITY;	/* no limit at all */
		m->exhaustion_limit_bytes = lim;
		det_engine_set_limit(p->det, lim);
	}
	det_engine_push(p->det, &tk);
	det_engine_state(p->det, &m->det);
	/* No verdict before the classifier has seen min_ticks of history. */
	if (m->det.ticks >= p->min_ticks && m->det.class_conf > 0) {
		m->pattern = det_class_name(m->det.cls);
		m->pattern_confidence = m->det.class_conf;
		m->pattern_reason = m->det.class_reason;
	}
	for (int d = 0; d < DET_METRIC_COUNT; d++) {
		int mm = model_metric_of((enum det_metric)d);
		const struct det_metric_state *ms = &m->det.m[d];

		if (mm < 0 || !ms->change_new || ms->change_tick < 0)
			continue;
		if (m->n_changepoints[mm] == 8) {
			memmove(m->changepoints[mm], m->changepoints[mm] + 1,
				7 * sizeof m->changepoints[mm][0]);
			m->n_changepoints[mm]--;
		}
		/* Tick numbers of the model count from 1. */
		m->changepoints[mm][m->n_changepoints[mm]++] =
			(uint64_t)ms->change_tick + 1;
	}
	n = alert_engine_eval(p->alerts, &tk, &m->det);
	take_events(m, n);
}
