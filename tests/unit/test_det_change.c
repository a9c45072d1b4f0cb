/* tests/unit/test_det_change.c - the CUSUM change-point detector on
 * synthetic series whose change points are known. */
#include "config.h"

#include <errno.h>
#include <math.h>

#include "detect/change.h"
#include "tests/unit/check.h"
#include "tests/unit/test_det_synth.c"

#define MAXEV 32

/* Run the detector over f(i) for i < n; returns the number of events. */
struct series {
	double level;
	double sd;
	double shift;		/* added from index at on */
	unsigned at;
	double shift2;		/* added from index at2 on (if at2 != 0) */
	unsigned at2;
	double outlier_every;	/* 0: none; else a 20 sd spike each N */
};

static unsigned run(const struct series *s, uint64_t seed, unsigned n,
		    struct det_change_event *ev)
{
	struct det_change *c = det_change_new(NULL);
	struct synth_rng r;
	unsigned found = 0;
	unsigned i;

	if (c == NULL)
		return 999;
	synth_seed(&r, seed);
	for (i = 0; i < n; i++) {
		double x = s->level + s->sd * synth_normal(&r);
		struct det_change_event e;

		if (i >= s->at)
			x += s->shift;
		if (s->at2 && i >= s->at2)
			x += s->shift2;
		if (s->outlier_every > 0 &&
		    fmod(i, s->outlier_every) == s->outlier_every - 1)
			x += 20 * s->sd;
		if (det_change_push(c, x, &e) && found < MAXEV)
			ev[found++] = e;
	}
	det_change_free(c);
	return found;
}

static void test_step(double level, double sd, double shift)
{
	struct series s = { level, sd, shift, 300, 0, 0, 0 };
	struct det_change_event ev[MAXEV];
	uint64_t seed;

	for (seed = 1; seed <= 10; seed++) {
		unsigned n = run(&s, seed, 1000, ev);

		CHECK(n == 1);
		if (n < 1)
			continue;
		CHECK(ev[0].index >= 290 && ev[0].index <= 310);
		CHECK(ev[0].detected >= ev[0].index);
		CHECK(ev[0].detected <= 320);
		CHECK(ev[0].dir == (shift > 0 ? 1 : -1));
		CHECK(fabs(ev[0].before - level) < sd);
	}
}

static void test_stationary(void)
{
	struct series quiet = { 50, 2, 0, 0, 0, 0, 0 };
	struct series spiky = { 1e7, 1e4, 0, 0, 0, 0, 37 };
	struct det_change_event ev[MAXEV];
	unsigned total = 0;
	unsigned total_spiky = 0;
	uint64_t seed;

	for (seed = 1; seed <= 10; seed++) {
		total += run(&quiet, seed, 5000, ev);
		total_spiky += run(&spiky, seed + 100, 5000, ev);
	}
	CHECK(total == 0);
	/* Isolated 20-sigma outliers are anomalies, not changes. */
	CHECK(total_spiky == 0);
}

static void test_two_changes(void)
{
	/* up at 300, back down at 380: both, in order. */
	struct series s = { 100, 1, 4, 300, -4, 380, 0 };
	struct det_change_event ev[MAXEV];
	uint64_t seed;

	for (seed = 1; seed <= 10; seed++) {
		unsigned n = run(&s, seed, 800, ev);

		CHECK(n == 2);
		if (n != 2)
			continue;
		CHECK(ev[0].dir == 1 && ev[1].dir == -1);
		CHECK(ev[0].index >= 290 && ev[0].index <= 310);
		CHECK(ev[1].index >= 370 && ev[1].index <= 390);
	}
}

/* A constant count (threads) stepping by one is a change, found exactly. */
static void test_constant_counts(void)
{
	struct det_change *c = det_change_new(NULL);
	struct det_change_event e;
	unsigned hits = 0;
	unsigned i;

	CHECK(c != NULL);
	if (c == NULL)
		return;
	for (i = 0; i < 400; i++) {
		double x = i < 100 ? 4 : i < 250 ? 5 : 3;

		if (det_change_push(c, x, &e)) {
			hits++;
			if (hits == 1) {
				CHECK(e.index == 100);
				CHECK(e.dir == 1);
				CHECK_NEAR(e.before, 4, 1e-3);
				CHECK_NEAR(e.after, 5, 1e-3);
			} else if (hits == 2) {
				CHECK(e.index == 250);
				CHECK(e.dir == -1);
			}
		}
	}
	CHECK(hits == 2);
	det_change_free(c);
}

/* NaN samples take an index and nothing else. */
static void test_missing(void)
{
	struct det_change *c = det_change_new(NULL);
	struct det_change_event e;
	unsigned hits = 0;
	unsigned i;

	CHECK(c != NULL);
	if (c == NULL)
		return;
	for (i = 0; i < 300; i++) {
		double x = i % 3 == 0 ? NAN : i < 200 ? 10 : 20;

		if (det_change_push(c, x, &e)) {
			hits++;
			CHECK(e.index >= 200 && e.index <= 201);
		}
	}
	CHECK(hits == 1);
	CHECK(det_change_armed(c));
	CHECK_NEAR(det_change_level(c), 20, 1e-6);
	det_change_reset(c);
	CHECK(!det_change_armed(c));
	CHECK(isnan(det_change_level(c)));
	det_change_free(c);
}

static void test_params(void)
{
	struct det_change_params p;

	det_change_params_default(&p);
	p.warmup_ticks = 2;
	errno = 0;
	CHECK(det_change_new(&p) == NULL && errno == EINVAL);
	det_change_params_default(&p);
	p.clip = p.k;
	CHECK(det_change_new(&p) == NULL);
}

int main(void)
{
	test_step(100, 1, 3);
	test_step(100, 1, -3);
	/* Same shift in noise units at a very different scale. */
	test_step(5e8, 2e6, 6e6);
	test_stationary();
	test_two_changes();
	test_constant_counts();
	test_missing();
	test_params();
	return check_exit();
}
