/* tests/unit/test_det_classify.c - the pattern classifier: each class from
 * features that define it, hysteresis against flicker, and the det_tick
 * accessors. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "detect/classify.h"
#include "detect/tick.h"
#include "tests/unit/check.h"

static void healthy_tick(struct det_tick *tk, double t)
{
	det_tick_init(tk);
	tk->t_s = t;
	tk->allocs_per_s = 5000;
	tk->frees_per_s = 5000;
	tk->alloc_bytes_per_s = 5000 * 200;
	tk->live_bytes = 1e8;
	tk->live_blocks = 5e5;
	tk->rss_bytes = 1.1e8;
	tk->threads = 4;
	tk->fds = 12;
	tk->slack_ratio = 0.05;
	tk->small_frac = 0.3;
	tk->large_frac = 0.0;
	tk->large_allocs = 0;
	tk->realloc_frac = 0.01;
	tk->avg_size = 200;
	tk->top_site_share = 0.1;
	tk->top_site_size_cv = 0.8;
	tk->short_lived_frac = 0.2;
}

static const struct det_class_ctx calm = { 1.0, false, 0.5, 0 };

/* Push n ticks of (tk, cx); return the class after them and the first
 * tick (1-based) at which the class differed from the start, 0 if never. */
static enum det_class push_n(struct det_classifier *c,
			     const struct det_tick *tk,
			     const struct det_class_ctx *cx, unsigned n,
			     unsigned *switched_at)
{
	struct det_class_result r;
	enum det_class start;
	unsigned i;

	det_classifier_result(c, &r);
	start = r.cls;
	*switched_at = 0;
	for (i = 1; i <= n; i++) {
		det_classifier_push(c, tk, cx);
		det_classifier_result(c, &r);
		if (r.cls != start && *switched_at == 0)
			*switched_at = i;
	}
	return r.cls;
}

static void expect(const char *what, const struct det_tick *tk,
		   const struct det_class_ctx *cx, enum det_class want)
{
	struct det_classifier c;
	struct det_class_result r;
	struct det_tick h;
	unsigned at;

	det_classifier_init(&c, NULL);
	healthy_tick(&h, 0);
	CHECK(push_n(&c, &h, &calm, 20, &at) == DET_CLASS_HEALTHY);
	CHECK(push_n(&c, tk, cx, 30, &at) == want);
	det_classifier_result(&c, &r);
	CHECK(r.confidence >= 0.5 && r.confidence <= 1);
	CHECK(r.reason != NULL && strlen(r.reason) > 10);
	/* Not before hold_ticks, not long after (smoothing takes ~2). */
	if (want != DET_CLASS_HEALTHY && !(at >= 5 && at <= 9))
		fprintf(stderr, "%s: switched after %u ticks\n", what, at);
	CHECK(want == DET_CLASS_HEALTHY || (at >= 5 && at <= 9));
}

static void test_classes(void)
{
	struct det_class_ctx cx = calm;
	struct det_tick tk;

	healthy_tick(&tk, 1);
	expect("healthy", &tk, &cx, DET_CLASS_HEALTHY);

	cx.leak = true;
	cx.leak_conf = 0.99999;
	expect("growth", &tk, &cx, DET_CLASS_GROWTH);
	cx = calm;

	cx.rate_ratio = 6;
	expect("burst", &tk, &cx, DET_CLASS_BURST);
	cx = calm;

	tk.large_frac = 0.9;
	tk.large_allocs = 20;
	expect("large", &tk, &cx, DET_CLASS_LARGE_OBJECT);
	healthy_tick(&tk, 1);

	tk.realloc_frac = 0.5;
	expect("realloc", &tk, &cx, DET_CLASS_REALLOC_GROWTH);
	healthy_tick(&tk, 1);

	tk.top_site_share = 0.8;
	tk.top_site_size_cv = 0.0;
	tk.allocs_per_s = 50000;
	expect("pool", &tk, &cx, DET_CLASS_POOL_CANDIDATE);
	/* Same site but unknown size spread: no pool verdict. */
	tk.top_site_size_cv = NAN;
	expect("pool unknown cv", &tk, &cx, DET_CLASS_HEALTHY);
	healthy_tick(&tk, 1);

	/* Many small objects, a lot of them, with rounding waste. */
	tk.small_frac = 0.95;
	tk.allocs_per_s = 50000;
	tk.recent_slack = 0.08;
	expect("frag slack", &tk, &cx, DET_CLASS_FRAGMENTATION);
	/* Without recent_slack (a CSV without the column): the total's. */
	tk.recent_slack = NAN;
	tk.slack_ratio = 0.08;
	expect("frag total slack", &tk, &cx, DET_CLASS_FRAGMENTATION);
	/* Objects of a few hundred bytes lose under 2.5%: not fragmented. */
	tk.slack_ratio = 0.02;
	expect("small, little slack", &tk, &cx, DET_CLASS_HEALTHY);
	/* ...unless RSS is well above a large live heap. */
	tk.rss_bytes = 2.5 * tk.live_bytes;
	expect("frag rss", &tk, &cx, DET_CLASS_FRAGMENTATION);
	/* On a small heap the rest of the process dominates RSS. */
	tk.live_bytes = 4e6;
	tk.rss_bytes = 2.5 * tk.live_bytes;
	expect("small heap rss", &tk, &cx, DET_CLASS_HEALTHY);
	/* Few small allocations a second: not worth a verdict. */
	tk.recent_slack = 0.2;
	tk.allocs_per_s = 2000;
	expect("frag slow", &tk, &cx, DET_CLASS_HEALTHY);
	/* One site, one size, at a high rate: a pool, not fragmentation. */
	tk.allocs_per_s = 50000;
	tk.top_site_share = 0.9;
	tk.top_site_size_cv = 0;
	expect("pool not frag", &tk, &cx, DET_CLASS_POOL_CANDIDATE);
	healthy_tick(&tk, 1);

	cx.cycle_strength = 0.8;
	expect("cyclic", &tk, &cx, DET_CLASS_CYCLIC);
	/* A cycle of large blocks (4 MiB every two seconds) is large-object:
	 * the class of the cycle's content says more. */
	tk.large_frac = 0.63;
	expect("cycle of large blocks", &tk, &cx, DET_CLASS_LARGE_OBJECT);
	tk.large_frac = 0;

	/* Growth outranks a cycle when both are certain. */
	cx.leak = true;
	cx.leak_conf = 0.99999;
	expect("growth+cyclic", &tk, &cx, DET_CLASS_GROWTH);
	/* And bursts: a leak in steps (batches every second) shows bursts
	 * long before the leak verdict; once the verdict comes it is
	 * growth. */
	{
		struct det_classifier c;
		unsigned at;

		cx.cycle_strength = 0;
		cx.rate_ratio = 50;
		cx.leak = false;
		det_classifier_init(&c, NULL);
		CHECK(push_n(&c, &tk, &cx, 30, &at) == DET_CLASS_BURST);
		cx.leak = true;
		CHECK(push_n(&c, &tk, &cx, 30, &at) == DET_CLASS_GROWTH);
	}
	/* And a pool candidate: a cache that never evicts allocates one
	 * size from one site at a high rate, and leaks it all. */
	{
		struct det_classifier c;
		unsigned at;

		healthy_tick(&tk, 1);
		cx.rate_ratio = 1;
		tk.top_site_share = 0.9;
		tk.top_site_size_cv = 0;
		tk.allocs_per_s = 50000;
		cx.leak = false;
		det_classifier_init(&c, NULL);
		CHECK(push_n(&c, &tk, &cx, 30, &at) ==
		      DET_CLASS_POOL_CANDIDATE);
		cx.leak = true;
		CHECK(push_n(&c, &tk, &cx, 30, &at) == DET_CLASS_GROWTH);
	}
}

/* A challenger winning 4 ticks out of 8 never takes over; a flicker of
 * single ticks does not either. */
static void test_hysteresis(void)
{
	struct det_classifier c;
	struct det_class_ctx burst = calm;
	struct det_tick tk;
	unsigned changes = 0;
	enum det_class last = DET_CLASS_HEALTHY;
	unsigned i;

	burst.rate_ratio = 10;
	healthy_tick(&tk, 0);
	det_classifier_init(&c, NULL);
	for (i = 0; i < 400; i++) {
		struct det_class_result r;
		bool on = i < 204 ? (i / 4) % 2 == 1 : i % 2 == 1;

		det_classifier_push(&c, &tk, on ? &burst : &calm);
		det_classifier_result(&c, &r);
		changes += r.cls != last;
		last = r.cls;
	}
	CHECK(changes == 0);

	/* Once switched, a short lull does not switch back. */
	for (i = 0; i < 20; i++)
		det_classifier_push(&c, &tk, &burst);
	for (i = 0; i < 3; i++)
		det_classifier_push(&c, &tk, &calm);
	{
		struct det_class_result r;

		det_classifier_result(&c, &r);
		CHECK(r.cls == DET_CLASS_BURST);
	}
}

static void test_tick(void)
{
	struct det_tick tk;

	det_tick_init(&tk);
	CHECK(isnan(tk.t_s) && isnan(tk.short_lived_frac));
	CHECK(det_tick_set(&tk, "rss_bytes", 42) == 0);
	CHECK(det_tick_set(&tk, "fds", 7) == 0);
	CHECK(det_tick_set(&tk, "no_such", 1) == -ENOENT);
	CHECK(det_tick_metric(&tk, DET_M_RSS_BYTES) == 42);
	CHECK(det_tick_metric(&tk, DET_M_FDS) == 7);
	CHECK(isnan(det_tick_metric(&tk, DET_METRIC_COUNT)));
	CHECK(strcmp(det_metric_name(DET_M_LIVE_BYTES), "live_bytes") == 0);
	CHECK(det_metric_name(DET_METRIC_COUNT) == NULL);
	CHECK(strcmp(det_class_name(DET_CLASS_POOL_CANDIDATE),
		     "pool-candidate") == 0);
	CHECK(det_class_name(DET_CLASS_COUNT) == NULL);
}

int main(void)
{
	test_classes();
	test_hysteresis();
	test_tick();
	return check_exit();
}
