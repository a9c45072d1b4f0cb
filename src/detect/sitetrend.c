/* src/detect/sitetrend.c - det_trend windows for a bounded set of call
 * sites.  See sitetrend.h. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "detect/sitetrend.h"

/* A site's leak must grow by 1 MiB over the window, like the heap's. */
#define SITE_MATERIAL_BYTES (1024.0 * 1024.0)

struct slot {
	bool used;
	bool offered;			/* this tick */
	uint32_t id;
	uint64_t last_tick;		/* last tick it was offered */
	double live;			/* its live bytes then */
	double se;			/* their standard error */
	struct det_trend *trend;
	struct det_site_trend res;
};

struct det_site_trends {
	struct det_site_trend_params p;
	uint64_t tick;
	double first_t_s;		/* NaN before the first tick */
	struct slot *slots;
};

void det_site_trend_params_default(struct det_site_trend_params *p)
{
	p->slots = 32;
	p->idle_ticks = 30;
	p->warmup_s = 10;
	p->min_growth_se = 4;
	det_trend_params_default(&p->trend);
}

void det_site_trends_free(struct det_site_trends *s)
{
	if (s == NULL)
		return;
	for (unsigned i = 0; i < s->p.slots; i++)
		det_trend_free(s->slots[i].trend);
	free(s->slots);
	free(s);
}

struct det_site_trends *det_site_trends_new(
	const struct det_site_trend_params *p)
{
	struct det_site_trend_params def;
	struct det_site_trends *s;

	if (p == NULL) {
		det_site_trend_params_default(&def);
		p = &def;
	}
	if (p->slots < 1 || p->slots > 256 || p->idle_ticks < 1 ||
	    !(p->warmup_s >= 0) || !(p->min_growth_se >= 0)) {
		errno = EINVAL;
		return NULL;
	}
	s = calloc(1, sizeof *s);
	if (s == NULL)
		return NULL;
	s->p = *p;
	s->first_t_s = NAN;
	s->slots = calloc(p->slots, sizeof *s->slots);
	if (s->slots == NULL) {
		free(s);
		return NULL;
	}
	for (unsigned i = 0; i < p->slots; i++) {
		s->slots[i].trend = det_trend_new(&p->trend);
		if (s->slots[i].trend == NULL) {
			int err = errno;

			det_site_trends_free(s);
			errno = err;
			return NULL;
		}
	}
	return s;
}

void det_site_trends_reset(struct det_site_trends *s)
{
	s->tick = 0;
	s->first_t_s = NAN;
	for (unsigned i = 0; i < s->p.slots; i++) {
		s->slots[i].used = false;
		s->slots[i].offered = false;
		det_trend_reset(s->slots[i].trend);
	}
}

static struct slot *find(const struct det_site_trends *s, uint32_t id)
{
	for (unsigned i = 0; i < s->p.slots; i++)
		if (s->slots[i].used && s->slots[i].id == id)
			return &s->slots[i];
	return NULL;
}

/* A free slot, else the one offered longest ago (never one offered this
 * tick: more candidates than slots lose the latecomers). */
static struct slot *take(struct det_site_trends *s)
{
	struct slot *best = NULL;

	for (unsigned i = 0; i < s->p.slots; i++) {
		struct slot *x = &s->slots[i];

		if (!x->used)
			return x;
		if (!x->offered &&
		    (best == NULL || x->last_tick < best->last_tick))
			best = x;
	}
	return best;
}

void det_site_trends_offer(struct det_site_trends *s, double t_s,
			   uint32_t id, double live_bytes, double se)
{
	struct slot *x = find(s, id);

	if (isnan(s->first_t_s))
		s->first_t_s = t_s;
	if (x == NULL) {
		x = take(s);
		if (x == NULL)
			return;
		det_trend_reset(x->trend);
		x->used = true;
		x->id = id;
		x->res = (struct det_site_trend){ .valid = false };
	}
	if (x->offered)
		return;		/* offered twice in a tick: once is enough */
	x->offered = true;
	x->last_tick = s->tick;
	x->live = live_bytes;
	x->se = se > 0 ? se : 0;
	/* As the engine's trends: the window starts after the warm-up, so
	 * the program's start-up fill is never in it. */
	if (t_s - s->first_t_s >= s->p.warmup_s)
		det_trend_push(x->trend, t_s, live_bytes);
}

void det_site_trends_eval(struct det_site_trends *s, double t_s)
{
	if (isnan(s->first_t_s))
		s->first_t_s = t_s;
	for (unsigned i = 0; i < s->p.slots; i++) {
		struct slot *x = &s->slots[i];
		struct det_trend_result r;

		if (!x->used)
			continue;
		if (!x->offered) {
			if (s->tick - x->last_tick >= s->p.idle_ticks)
				x->used = false;
			continue;
		}
		x->offered = false;
		if (det_trend_eval(x->trend, &r) != 0 || !r.valid) {
			x->res.valid = false;
			x->res.leak = false;
			continue;
		}
		x->res.valid = true;
		x->res.slope_per_s = r.slope_per_s;
		x->res.recent_slope_per_s = r.recent_slope_per_s;
		x->res.growth_conf = r.growth_conf;
		x->res.leak = r.leak &&
			      det_trend_material(&r, x->live,
						 SITE_MATERIAL_BYTES) &&
			      r.slope_per_s * r.span_s >=
				      s->p.min_growth_se * x->se;
	}
	s->tick++;
}

double det_site_trends_fastest(const struct det_site_trends *s,
			       uint32_t *id)
{
	double best = 0;

	for (unsigned i = 0; i < s->p.slots; i++) {
		const struct slot *x = &s->slots[i];
		double g;

		if (!x->used || !x->res.leak)
			continue;
		g = det_trend_current_growth(x->res.slope_per_s,
					     x->res.recent_slope_per_s);
		if (g > best) {
			best = g;
			*id = x->id;
		}
	}
	return best;
}

bool det_site_trends_get(const struct det_site_trends *s, uint32_t id,
			 struct det_site_trend *out)
{
	const struct slot *x = find(s, id);

	if (x == NULL)
		return false;
	*out = x->res;
	return true;
}
