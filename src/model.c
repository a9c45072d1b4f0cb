/* src/model.c - the history rings behind every view. */
#include "config.h"

#include <string.h>

#include "model.h"

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

void model_init(struct model *m, double tick_s)
{
	memset(m, 0, sizeof *m);
	m->tick_s = tick_s;
}

void model_reset(struct model *m)
{
	struct target_view v = m->view;
	double tick_s = m->tick_s;

	model_init(m, tick_s);
	m->view = v;
}

/* EWMA weight: a time constant of about ten ticks. */
#define MODEL_EWMA_ALPHA 0.1

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
}
