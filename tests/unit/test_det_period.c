/* tests/unit/test_det_period.c - ACF periodicity on cycles of known period
 * and amplitude, and no period on noise or a ramp. */
#include "config.h"

#include <errno.h>
#include <math.h>

#include "detect/period.h"
#include "tests/unit/check.h"
#include "tests/unit/test_det_synth.c"

enum shape { SINE, SPIKES, SAW, NOISE, RAMP };

static void run(enum shape s, uint64_t seed, struct det_period_result *res)
{
	struct det_period *d = det_period_new(NULL);
	struct synth_rng r;
	unsigned i;

	res->found = false;
	if (d == NULL)
		return;
	synth_seed(&r, seed);
	for (i = 0; i < 1000; i++) {
		double x = 1e6 + 10 * synth_normal(&r);

		switch (s) {
		case SINE:	/* period 40, peak-to-trough 200, on a ramp */
			x += 100 * sin(2 * M_PI * i / 40.0) + 5.0 * i;
			break;
		case SPIKES:	/* +200 every 25 ticks */
			x += i % 25 == 0 ? 200 : 0;
			break;
		case SAW:	/* 0..196 over 50 ticks */
			x += 4.0 * (i % 50);
			break;
		case NOISE:
			break;
		case RAMP:
			x += 3.0 * i;
			break;
		}
		det_period_push(d, x);
	}
	det_period_result(d, res);
	det_period_free(d);
}

static void test_cycles(void)
{
	struct det_period_result res;
	uint64_t seed;

	for (seed = 1; seed <= 10; seed++) {
		run(SINE, seed, &res);
		CHECK(res.found && res.period_ticks == 40);
		CHECK(res.strength > 0.6);
		CHECK_NEAR(res.amplitude, 200, 30);

		run(SPIKES, seed, &res);
		CHECK(res.found && res.period_ticks == 25);
		CHECK_NEAR(res.amplitude, 200, 30);

		run(SAW, seed, &res);
		CHECK(res.found && res.period_ticks == 50);
		CHECK_NEAR(res.amplitude, 196, 30);
	}
}

static void test_none(void)
{
	struct det_period_result res;
	unsigned found = 0;
	uint64_t seed;

	for (seed = 1; seed <= 10; seed++) {
		run(NOISE, seed, &res);
		found += res.found;
		run(RAMP, seed, &res);
		found += res.found;
	}
	CHECK(found == 0);
}

static void test_schedule(void)
{
	struct det_period_params p;
	struct det_period *d;
	struct det_period_result res;
	unsigned evals = 0;
	unsigned i;

	det_period_params_default(&p);
	p.every_ticks = 4;
	d = det_period_new(&p);
	CHECK(d != NULL);
	if (d == NULL)
		return;
	for (i = 0; i < 100; i++)
		evals += det_period_push(d, i % 10 < 5 ? 1.0 : 0.0);
	CHECK(evals == 25);
	det_period_result(d, &res);
	CHECK(res.found && res.period_ticks == 10);
	CHECK_NEAR(res.amplitude, 1, 0.01);	/* detrend of 25.6 cycles */
	/* Missing samples repeat the last one. */
	CHECK(!det_period_push(d, NAN));
	det_period_reset(d);
	det_period_result(d, &res);
	CHECK(!res.found);
	det_period_free(d);

	det_period_params_default(&p);
	p.min_strength = 1.5;
	errno = 0;
	CHECK(det_period_new(&p) == NULL && errno == EINVAL);
}

int main(void)
{
	test_cycles();
	test_none();
	test_schedule();
	return check_exit();
}
