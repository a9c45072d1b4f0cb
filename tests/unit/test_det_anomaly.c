/* tests/unit/test_det_anomaly.c - robust z-scores, with and without a known
 * period, on series whose anomalies are planted at known indices. */
#include "config.h"

#include <errno.h>
#include <math.h>

#include "detect/anomaly.h"
#include "tests/unit/check.h"
#include "tests/unit/test_det_synth.c"

/* No anomaly in 10 seeds of normal noise, 3000 samples each. */
static void test_stationary(void)
{
	unsigned flagged = 0;
	uint64_t seed;

	for (seed = 1; seed <= 10; seed++) {
		struct det_anomaly *a = det_anomaly_new(NULL);
		struct det_anomaly_result res;
		struct synth_rng r;
		unsigned i;

		CHECK(a != NULL);
		if (a == NULL)
			return;
		synth_seed(&r, seed);
		for (i = 0; i < 3000; i++) {
			det_anomaly_push(a, 1e6 + 1e3 * synth_normal(&r), 0,
					 &res);
			flagged += res.anomalous;
		}
		det_anomaly_free(a);
	}
	CHECK(flagged == 0);
}

/* Spikes planted at 500 (up) and 800 (down) are found, nothing else, and
 * the verdict needs min_ticks of history. */
static void test_spikes(void)
{
	uint64_t seed;

	for (seed = 1; seed <= 10; seed++) {
		struct det_anomaly *a = det_anomaly_new(NULL);
		struct det_anomaly_result res;
		struct synth_rng r;
		unsigned wrong = 0;
		unsigned i;

		if (a == NULL)
			return;
		synth_seed(&r, seed);
		for (i = 0; i < 1000; i++) {
			double x = 50 + 2 * synth_normal(&r);

			if (i == 500)
				x += 30;
			if (i == 800)
				x -= 30;
			det_anomaly_push(a, x, 0, &res);
			if (i < 19)
				CHECK(isnan(res.z));
			if (i == 500) {
				CHECK(res.anomalous && res.z > 6);
				CHECK_NEAR(res.baseline, 50, 1);
				CHECK_NEAR(res.scale, 2, 0.6);
			} else if (i == 800) {
				CHECK(res.anomalous && res.z < -6);
			} else if (res.anomalous) {
				wrong++;
			}
		}
		CHECK(wrong == 0);
		det_anomaly_free(a);
	}
}

/* A spike train with period 25: flagged without the period, not with it;
 * an off-phase spike (index 612) and a missing peak (index 700) are
 * flagged with it. */
static void test_periodic(void)
{
	uint64_t seed;

	for (seed = 1; seed <= 10; seed++) {
		struct det_anomaly *plain = det_anomaly_new(NULL);
		struct det_anomaly *aware = det_anomaly_new(NULL);
		struct det_anomaly_result rp;
		struct det_anomaly_result ra;
		struct synth_rng r;
		unsigned plain_hits = 0;
		unsigned wrong = 0;
		unsigned i;

		if (plain == NULL || aware == NULL)
			return;
		synth_seed(&r, seed);
		for (i = 0; i < 1000; i++) {
			double x = 1000 + 10 * synth_normal(&r);

			if (i % 25 == 0 && i != 700)
				x += 200;
			if (i == 612)
				x += 200;
			det_anomaly_push(plain, x, 0, &rp);
			det_anomaly_push(aware, x, 25, &ra);
			if (i < 200)
				continue;
			plain_hits += rp.anomalous && i % 25 == 0;
			if (i == 612 || i == 700) {
				CHECK(ra.anomalous);
				CHECK(ra.seasonal);
				CHECK((ra.z > 0) == (i == 612));
			} else if (ra.anomalous) {
				wrong++;
			}
		}
		/* 32 regular peaks from 200 on, bar the missing one. */
		CHECK(plain_hits >= 30);
		CHECK(wrong == 0);
		det_anomaly_free(plain);
		det_anomaly_free(aware);
	}
}

/* A constant series: any departure is anomalous; NaN gets no verdict. */
static void test_constant_and_missing(void)
{
	struct det_anomaly *a = det_anomaly_new(NULL);
	struct det_anomaly_result res;
	unsigned i;

	if (a == NULL)
		return;
	for (i = 0; i < 40; i++) {
		det_anomaly_push(a, 8, 0, &res);
		CHECK(!res.anomalous);
	}
	det_anomaly_push(a, NAN, 0, &res);
	CHECK(!res.anomalous && isnan(res.z));
	det_anomaly_push(a, 9, 0, &res);
	CHECK(res.anomalous && res.z > 0);
	det_anomaly_reset(a);
	det_anomaly_push(a, 100, 0, &res);
	CHECK(isnan(res.z));
	det_anomaly_free(a);
}

static void test_params(void)
{
	struct det_anomaly_params p;

	det_anomaly_params_default(&p);
	p.window_ticks = 4;
	errno = 0;
	CHECK(det_anomaly_new(&p) == NULL && errno == EINVAL);
	det_anomaly_params_default(&p);
	p.cycles = 0;
	CHECK(det_anomaly_new(&p) == NULL);
}

int main(void)
{
	test_stationary();
	test_spikes();
	test_periodic();
	test_constant_and_missing();
	test_params();
	return check_exit();
}
