/* src/detect/advise.c - the advisor's rules and wording.  See advise.h.
 *
 * Savings are first-order estimates, stated as such in the UI:
 *  - a leak saves its growth rate;
 *  - a pool saves the site's malloc and free calls (2 per object);
 *  - reserving capacity saves each growing realloc and the copy it makes
 *    (on average, half the block moves: avg_size / 2 bytes);
 *  - a stack buffer or an arena saves the malloc and free of each
 *    short-lived object, and their bytes no longer go through the heap. */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "detect/advise.h"

void det_advise_params_default(struct det_advise_params *p)
{
	p->leak_min_conf = 0.999;
	p->leak_min_bytes_per_s = 1;
	p->pool_min_per_s = 1000;
	p->pool_max_cv = 0.1;
	p->prealloc_min_per_s = 100;
	p->short_min_frac = 0.8;
	p->short_min_per_s = 1000;
	p->stack_max_bytes = 4096;
}

/* x > lim, false for NaN. */
static int over(double x, double lim)
{
	return x > lim;
}

static void add(struct det_advice *out, size_t max, size_t *n,
		enum det_advice_kind kind, double calls, double bytes)
{
	if (*n >= max)
		return;
	out[*n].kind = kind;
	out[*n].saved_calls_per_s = calls;
	out[*n].saved_bytes_per_s = bytes;
	(*n)++;
}

size_t det_advise(const struct det_site_stats *s,
		  const struct det_advise_params *p, struct det_advice *out,
		  size_t max)
{
	struct det_advise_params def;
	struct det_advice tmp[DET_ADVICE_KIND_COUNT];
	size_t n = 0;
	size_t i;
	size_t j;

	if (p == NULL) {
		det_advise_params_default(&def);
		p = &def;
	}
	if (s->live_growth_conf >= p->leak_min_conf &&
	    over(s->live_growth_bytes_per_s, p->leak_min_bytes_per_s))
		add(tmp, DET_ADVICE_KIND_COUNT, &n, DET_ADVICE_FIX_LEAK, 0,
		    s->live_growth_bytes_per_s);
	if (over(s->alloc_objects_per_s, p->pool_min_per_s - 1e-9) &&
	    s->size_cv <= p->pool_max_cv)
		add(tmp, DET_ADVICE_KIND_COUNT, &n, DET_ADVICE_POOL,
		    2 * s->alloc_objects_per_s, s->alloc_bytes_per_s);
	if (over(s->realloc_grows_per_s, p->prealloc_min_per_s - 1e-9))
		add(tmp, DET_ADVICE_KIND_COUNT, &n, DET_ADVICE_PREALLOC,
		    s->realloc_grows_per_s,
		    s->realloc_grows_per_s * (isnan(s->avg_size) ? 0 :
					      s->avg_size / 2));
	if (s->short_lived_frac >= p->short_min_frac &&
	    over(s->alloc_objects_per_s * s->short_lived_frac,
		 p->short_min_per_s - 1e-9) &&
	    s->avg_size <= p->stack_max_bytes) {
		double objs = s->alloc_objects_per_s * s->short_lived_frac;
		int fixed = s->size_cv <= p->pool_max_cv;

		add(tmp, DET_ADVICE_KIND_COUNT, &n,
		    fixed ? DET_ADVICE_STACK : DET_ADVICE_ARENA, 2 * objs,
		    objs * s->avg_size);
	}
	/* Leak first, then by calls saved (insertion sort of <= 4). */
	for (i = 1; i < n; i++) {
		struct det_advice a = tmp[i];

		for (j = i; j > 0; j--) {
			const struct det_advice *b = &tmp[j - 1];

			if (b->kind == DET_ADVICE_FIX_LEAK ||
			    (a.kind != DET_ADVICE_FIX_LEAK &&
			     b->saved_calls_per_s >= a.saved_calls_per_s))
				break;
			tmp[j] = tmp[j - 1];
		}
		tmp[j] = a;
	}
	for (i = 0; i < n && i < max; i++)
		out[i] = tmp[i];
	return i;
}

/* "12.0 KiB" style, into buf. */
static void human(double bytes, char *buf, size_t len)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned u = 0;

	while (fabs(bytes) >= 1024 && u + 1 < sizeof(unit) / sizeof(*unit)) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, len, u ? "%.1f %s" : "%.0f %s", bytes, unit[u]);
}

int det_advice_format(const struct det_advice *a,
		      const struct det_site_stats *s, char *buf, size_t len)
{
	const char *file = s->file != NULL ? s->file : "?";
	const char *fn = s->function != NULL ? s->function : "?";
	char b1[32];
	char b2[32];

	switch (a->kind) {
	case DET_ADVICE_FIX_LEAK:
		human(a->saved_bytes_per_s, b1, sizeof(b1));
		human(a->saved_bytes_per_s * 60, b2, sizeof(b2));
		return snprintf(buf, len, "fix the leak at %s:%u (%s): live "
				"bytes grow %s/s (%s/min)", file, s->line, fn,
				b1, b2);
	case DET_ADVICE_POOL:
		human(s->avg_size, b1, sizeof(b1));
		return snprintf(buf, len, "use an object pool of %s objects "
				"at %s:%u (%s): saves %.0f malloc/free "
				"calls/s", b1, file, s->line, fn,
				a->saved_calls_per_s);
	case DET_ADVICE_PREALLOC:
		human(a->saved_bytes_per_s, b1, sizeof(b1));
		return snprintf(buf, len, "reserve capacity up front (or grow "
				"geometrically) at %s:%u (%s): saves %.0f "
				"reallocs/s and ~%s/s copied", file, s->line,
				fn, a->saved_calls_per_s, b1);
	case DET_ADVICE_STACK:
	case DET_ADVICE_ARENA:
		human(s->avg_size, b1, sizeof(b1));
		return snprintf(buf, len, "use %s for the short-lived %s "
				"objects at %s:%u (%s): saves %.0f "
				"malloc/free calls/s",
				a->kind == DET_ADVICE_STACK ?
				"a stack buffer" : "an arena freed in bulk",
				b1, file, s->line, fn, a->saved_calls_per_s);
	case DET_ADVICE_KIND_COUNT:
		break;
	}
	return snprintf(buf, len, "no advice");
}
