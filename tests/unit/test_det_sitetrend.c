/* tests/unit/test_det_sitetrend.c - the trend test on call sites: a
 * leaking site among steady ones is called a leak (and only it, and not
 * before the warm-up), its slope is right, slots go to the candidates
 * offered first and come back when a site is no longer offered. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "detect/sitetrend.h"
#include "tests/unit/check.h"
#include "tests/unit/test_det_synth.c"

/* 20 sites at 1 s ticks: site 7 leaks 100 kB/s on top of 2 MB, the others
 * hold 1..20 MB with noise (a few kB).  Site 7 is called a leak from
 * 25..30 s (10 s warm-up, then 15 s of history), at 100 kB/s; no other
 * site ever is. */
static void test_one_leak(void)
{
	struct det_site_trends *s = det_site_trends_new(NULL);
	struct synth_rng r;
	struct det_site_trend st;
	int first = -1;
	int others = 0;
	uint32_t id = 0;

	CHECK(s != NULL);
	if (s == NULL)
		return;
	synth_seed(&r, 3);
	for (int t = 0; t < 60; t++) {
		for (uint32_t k = 1; k <= 20; k++) {
			double live = k * 1e6 + 3e3 * synth_normal(&r);

			if (k == 7)
				live = 2e6 + 1e5 * t;
			det_site_trends_offer(s, 100.0 + t, k, live, 0);
		}
		det_site_trends_eval(s, 100.0 + t);
		for (uint32_t k = 1; k <= 20; k++) {
			CHECK(det_site_trends_get(s, k, &st));
			if (st.leak && k == 7 && first < 0)
				first = t;
			if (st.leak && k != 7)
				others++;
		}
	}
	CHECK_MSG(first >= 24 && first <= 30, "leak called at %d s", first);
	CHECK(others == 0);
	CHECK(det_site_trends_get(s, 7, &st) && st.valid && st.leak);
	CHECK_NEAR(st.slope_per_s, 1e5, 1);
	CHECK(st.growth_conf >= 0.999);
	CHECK_NEAR(det_site_trends_fastest(s, &id), 1e5, 1);
	CHECK(id == 7);
	det_site_trends_free(s);
}

/* 4 slots, 6 candidates a tick: the first 4 offered keep theirs; once
 * sites 1..4 are no longer offered, their slots free up after idle_ticks
 * and go to 5 and 6. */
static void test_slots(void)
{
	struct det_site_trend_params p;
	struct det_site_trends *s;
	struct det_site_trend st;
	int t;

	det_site_trend_params_default(&p);
	p.slots = 4;
	p.idle_ticks = 3;
	s = det_site_trends_new(&p);
	CHECK(s != NULL);
	if (s == NULL)
		return;
	for (t = 0; t < 5; t++) {
		for (uint32_t k = 1; k <= 6; k++)
			det_site_trends_offer(s, t, k, 1e6, 0);
		det_site_trends_eval(s, t);
	}
	for (uint32_t k = 1; k <= 4; k++)
		CHECK(det_site_trends_get(s, k, &st));
	CHECK(!det_site_trends_get(s, 5, &st));
	CHECK(!det_site_trends_get(s, 6, &st));
	/* Only 5 and 6 from now on. */
	for (; t < 10; t++) {
		for (uint32_t k = 5; k <= 6; k++)
			det_site_trends_offer(s, t, k, 1e6, 0);
		det_site_trends_eval(s, t);
	}
	CHECK(det_site_trends_get(s, 5, &st));
	CHECK(det_site_trends_get(s, 6, &st));
	/* 1..4 idle for 5 ticks: two lost their slot to 5 and 6 at once
	 * (least recently offered), the other two after idle_ticks. */
	for (uint32_t k = 1; k <= 4; k++)
		CHECK(!det_site_trends_get(s, k, &st));
	det_site_trends_reset(s);
	CHECK(!det_site_trends_get(s, 5, &st));
	CHECK(det_site_trends_fastest(s, &(uint32_t){ 0 }) == 0);
	det_site_trends_free(s);
}

/* A sampled estimate of a steady 50 MB live set wanders: a random walk
 * of 500 kB steps (one sampled block, at a 512 KiB period) drifts by
 * megabytes and Mann-Kendall calls it growth.  With its standard error
 * (sqrt(50 MB * 512 KiB) = 5 MB) given, no leak; a real 1 MB/s leak on
 * the same noise still is one. */
static void test_sampling_noise(void)
{
	for (int leaking = 0; leaking <= 1; leaking++) {
		struct det_site_trends *s = det_site_trends_new(NULL);
		struct synth_rng r;
		struct det_site_trend st;
		double walk = 0;
		double se = sqrt(50e6 * 524288.0);
		int leaks = 0;

		CHECK(s != NULL);
		if (s == NULL)
			return;
		synth_seed(&r, 11);
		for (int t = 0; t < 60; t++) {
			/* Drifting up: the worst case for a steady set. */
			walk += 524288.0 * (synth_normal(&r) + 0.5);
			det_site_trends_offer(s, t, 1, 50e6 + walk +
					      (leaking ? 1e6 * t : 0), se);
			det_site_trends_eval(s, t);
			if (det_site_trends_get(s, 1, &st) && st.leak)
				leaks++;
		}
		if (leaking)
			CHECK_MSG(leaks > 0, "a 1 MB/s leak under sampling "
				  "was never called");
		else
			CHECK_MSG(leaks == 0, "sampling noise called a leak "
				  "on %d ticks", leaks);
		det_site_trends_free(s);
	}
}

static void test_params(void)
{
	struct det_site_trend_params p;

	det_site_trend_params_default(&p);
	p.slots = 0;
	errno = 0;
	CHECK(det_site_trends_new(&p) == NULL && errno == EINVAL);
	det_site_trend_params_default(&p);
	p.trend.window_ticks = 1;
	errno = 0;
	CHECK(det_site_trends_new(&p) == NULL && errno == EINVAL);
}

int main(void)
{
	test_one_leak();
	test_slots();
	test_sampling_noise();
	test_params();
	return check_exit();
}
