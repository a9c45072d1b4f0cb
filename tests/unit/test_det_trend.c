/* tests/unit/test_det_trend.c - Mann-Kendall and Theil-Sen against values
 * worked by hand, leak verdicts on growing, flat, falling and sawtooth
 * series, and the exhaustion forecast. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "detect/trend.h"
#include "tests/unit/check.h"
#include "tests/unit/test_det_synth.c"

static void test_mann_kendall(void)
{
	double up[] = { 1, 2, 3, 4, 5 };
	double tied[] = { 1, 1, 2, 2, 3 };
	double flat[] = { 7, 7, 7, 7 };
	double scratch[8];
	struct det_mk mk;

	/* S = 10, var = 5*4*15/18 = 16.667, z = 9/4.0825 = 2.2045,
	 * two-sided p = 0.02749. */
	CHECK(det_mann_kendall(up, 5, scratch, &mk) == 0);
	CHECK_NEAR(mk.s, 10, 0);
	CHECK_NEAR(mk.var_s, 300.0 / 18, 1e-9);
	CHECK_NEAR(mk.z, 2.2045, 1e-4);
	CHECK_NEAR(mk.p_two_sided, 0.02749, 1e-4);
	CHECK_NEAR(mk.p_growth, 0.013747, 1e-5);
	/* Two tie groups of 2: var = (300 - 2*18)/18 = 14.667, S = 8,
	 * z = 7/3.8297 = 1.8278. */
	CHECK(det_mann_kendall(tied, 5, scratch, &mk) == 0);
	CHECK_NEAR(mk.s, 8, 0);
	CHECK_NEAR(mk.var_s, 264.0 / 18, 1e-9);
	CHECK_NEAR(mk.z, 1.8278, 1e-4);
	/* All tied: no evidence at all. */
	CHECK(det_mann_kendall(flat, 4, scratch, &mk) == 0);
	CHECK_NEAR(mk.z, 0, 0);
	CHECK_NEAR(mk.p_two_sided, 1, 0);
	CHECK(det_mann_kendall(up, 2, scratch, &mk) == -EINVAL);
}

static void test_theil_sen(void)
{
	double t[] = { 0, 1, 2, 3, 4, 5, 6 };
	double x[] = { 1, 3, 5, 1000, 9, 11, 13 };	/* 2t + 1, one wild */
	double same_t[] = { 1, 1, 1 };
	double scratch[32];
	double slope = 0;

	CHECK(det_theil_sen(t, x, 7, scratch, &slope) == 0);
	CHECK_NEAR(slope, 2, 1e-12);
	CHECK(det_theil_sen(same_t, x, 3, scratch, &slope) == -EINVAL);
}

enum shape { FLAT, GROW, FALL, SAW, SAW_LEAK };

/* Feed 600 samples at 0.5 s per tick; live bytes ~ 50 MB, noise 20 kB.
 * From the 300th sample on (a full window) evaluate at every tick, so
 * every phase of a sawtooth ends a window once; count leak verdicts and
 * significant growth. */
struct tally {
	unsigned leaks;
	unsigned significant;
};

static void feed(struct det_trend *tr, enum shape s, uint64_t seed,
		 struct tally *tl)
{
	struct det_trend_result res;
	struct synth_rng r;
	unsigned i;

	tl->leaks = 0;
	tl->significant = 0;
	synth_seed(&r, seed);
	for (i = 0; i < 600; i++) {
		double t = 0.5 * i;
		double x = 5e7 + 2e4 * synth_normal(&r);
		double tooth = fmod(t, 75);	/* 75 s: 2 teeth a window */
		double small = fmod(t, 25);	/* 25 s: 6 teeth a window */

		switch (s) {
		case FLAT:
			break;
		case GROW:
			x += 1000 * t;			/* 1000 B/s */
			break;
		case FALL:
			x -= 1000 * t;
			break;
		case SAW:
			x += 40000 * tooth;		/* up 3 MB, drop */
			break;
		case SAW_LEAK:
			x += 40000 * small + 4000 * t; /* troughs rise */
			break;
		}
		det_trend_push(tr, t, x);
		if (i >= 299 && det_trend_eval(tr, &res) == 0) {
			tl->leaks += res.leak;
			tl->significant += res.growth_conf >= 0.99;
		}
	}
}

static void test_verdicts(void)
{
	uint64_t seed;

	for (seed = 1; seed <= 10; seed++) {
		struct det_trend *tr = det_trend_new(NULL);
		struct det_trend_result res;
		struct tally tl;

		CHECK(tr != NULL);
		if (tr == NULL)
			return;

		feed(tr, GROW, seed, &tl);
		CHECK(det_trend_eval(tr, &res) == 0);
		CHECK(res.valid && res.points == 64);
		/* window 300 ticks = 149.5 s */
		CHECK_NEAR(res.span_s, 149.5, 1e-9);
		CHECK_NEAR(res.slope_per_s, 1000, 50);
		CHECK(res.growth_conf > 0.999);
		CHECK(res.leak);
		CHECK(tl.leaks == 301);
		CHECK_NEAR(res.min_rise_per_s, 1000, 500);

		det_trend_reset(tr);
		feed(tr, FLAT, seed, &tl);
		CHECK(det_trend_eval(tr, &res) == 0);
		CHECK(tl.leaks == 0);
		CHECK(fabs(res.slope_per_s) < 150);

		det_trend_reset(tr);
		feed(tr, FALL, seed, &tl);
		CHECK(det_trend_eval(tr, &res) == 0);
		CHECK(res.conf > 0.999 && res.growth_conf < 0.001);
		CHECK(!res.leak);

		/* A sawtooth: depending on where the window ends, its
		 * slope can be significant, but its minima do not rise:
		 * never a leak, whatever the phase. */
		det_trend_reset(tr);
		feed(tr, SAW, seed, &tl);
		CHECK(tl.leaks == 0);
		CHECK(tl.significant > 50);
		CHECK(det_trend_eval(tr, &res) == 0);
		CHECK(fabs(res.min_rise_per_s) < 1000);
		CHECK_NEAR(res.noise_sd, 2e4, 3e3);
		if (seed == 1)
			printf("sawtooth: %u of 301 windows had significant "
			       "growth, %u leak verdicts\n", tl.significant,
			       tl.leaks);

		/* Teeth of 1 MB whose troughs rise 4000 B/s (600 kB a
		 * window): a leak in every window, and the trough rise
		 * measures it, roughly.  Power has limits: at 2000 B/s
		 * (300 kB a window, under teeth of 1 MB) Mann-Kendall
		 * reaches 0.999 in only about a quarter of the windows
		 * (measured); the caller's hysteresis smooths that. */
		det_trend_reset(tr);
		feed(tr, SAW_LEAK, seed, &tl);
		CHECK(det_trend_eval(tr, &res) == 0);
		CHECK(tl.leaks >= 290);
		CHECK(res.slope_per_s > 0 && res.growth_conf > 0.9);
		CHECK_NEAR(res.min_rise_per_s, 4000, 1200);
		if (seed == 1)
			printf("leaking sawtooth: %u of 301 leak verdicts\n",
			       tl.leaks);
		det_trend_free(tr);
	}
}

static void test_short(void)
{
	struct det_trend *tr = det_trend_new(NULL);
	struct det_trend_result res;
	int i;

	if (tr == NULL)
		return;
	for (i = 0; i < 10; i++)
		det_trend_push(tr, i, i);
	det_trend_push(tr, NAN, 3);
	det_trend_push(tr, 11, NAN);
	CHECK(det_trend_eval(tr, &res) == -EAGAIN);
	CHECK(!res.valid && !res.leak);
	for (; i < 16; i++)
		det_trend_push(tr, i, i);
	CHECK(det_trend_eval(tr, &res) == 0);
	CHECK(res.points == 16);
	CHECK_NEAR(res.slope_per_s, 1, 1e-12);
	det_trend_free(tr);
}

/* A program that fills its working set at start-up, then holds it: live
 * bytes ramp up 5 MB over the first 60 s, then stay flat.  While the ramp
 * is in the window the whole-window tests see growth and rising minima;
 * but once the last half of the window is flat the growth has stopped and
 * it is not a leak (alloctop kept calling every healthy service a leak for
 * a whole window, 300 ticks, after its warm-up).  A leak that starts after
 * a flat stretch still is one. */
static void test_ramp_then_flat(void)
{
	struct det_trend *tr = det_trend_new(NULL);
	struct det_trend_result res;
	struct synth_rng r;
	unsigned leaks_while_ramping = 0;
	unsigned leaks_early = 0;
	unsigned leaks_after = 0;
	unsigned i;

	CHECK(tr != NULL);
	if (tr == NULL)
		return;
	synth_seed(&r, 7);
	for (i = 0; i < 300; i++) {
		double t = 0.5 * i;
		double x = 5e7 + 2e4 * synth_normal(&r) +
			   5e6 * fmin(t / 60, 1);

		det_trend_push(tr, t, x);
		if (det_trend_eval(tr, &res) != 0)
			continue;
		if (t < 15)
			leaks_early += res.leak;
		else if (t < 60)
			leaks_while_ramping += res.leak;
		else if (t >= 120)	/* the last half starts after 60 s */
			leaks_after += res.leak;
	}
	/* Less than min_span_s (15 s) of history: no verdict yet. */
	CHECK(leaks_early == 0);
	/* Growing is growing: from 15 s on the ramp itself is reported (90
	 * evaluations up to 60 s). */
	CHECK(leaks_while_ramping > 80);
	/* The whole window still shows the ramp... */
	CHECK(res.growth_conf > 0.999 && res.slope_per_s > 0);
	/* ...but the growth stopped: no leak verdict. */
	CHECK(!res.leak);
	CHECK(leaks_after == 0);
	if (leaks_after != 0)
		printf("ramp then flat: %u leak verdicts after the ramp\n",
		       leaks_after);

	/* Flat, then a leak of 20 kB/s from 50 s on (so the last half's
	 * minimum has risen, which the older rule needs too): a leak. */
	det_trend_reset(tr);
	for (i = 0; i < 300; i++) {
		double t = 0.5 * i;
		double x = 5e7 + 2e4 * synth_normal(&r) +
			   2e4 * fmax(t - 50, 0);

		det_trend_push(tr, t, x);
	}
	CHECK(det_trend_eval(tr, &res) == 0);
	CHECK(res.leak);
	det_trend_free(tr);
}

static void test_forecast(void)
{
	CHECK_NEAR(det_forecast_exhaustion_s(1e9, 2e9, 1e6), 1000, 1e-9);
	CHECK(isinf(det_forecast_exhaustion_s(1e9, 2e9, 0)));
	CHECK(isinf(det_forecast_exhaustion_s(1e9, 2e9, -5)));
	CHECK(isinf(det_forecast_exhaustion_s(1e9, 2e9, NAN)));
	CHECK(isinf(det_forecast_exhaustion_s(1e9, INFINITY, 1e6)));
	CHECK(isinf(det_forecast_exhaustion_s(1e9, 0, 1e6)));
	CHECK_NEAR(det_forecast_exhaustion_s(3e9, 2e9, 1e6), 0, 0);
}

int main(void)
{
	test_mann_kendall();
	test_theil_sen();
	test_verdicts();
	test_short();
	test_ramp_then_flat();
	test_forecast();
	return check_exit();
}
