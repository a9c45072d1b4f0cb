/* tests/unit/test_det_stats.c - EWMA, windows, median/MAD against values
 * computed by hand or by brute force. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "detect/stats.h"
#include "tests/unit/check.h"
#include "tests/unit/test_det_synth.c"

static void test_ewma(void)
{
	struct det_ewma e;
	int i;

	det_ewma_init(&e, 0.5);
	det_ewma_push(&e, 10);
	CHECK_NEAR(e.mean, 10, 0);
	CHECK_NEAR(det_ewma_sd(&e), 0, 0);
	det_ewma_push(&e, 20);
	/* mean 10 + 0.5 * 10 = 15; var 0.5 * (0 + 10 * 5) = 25 */
	CHECK_NEAR(e.mean, 15, 1e-12);
	CHECK_NEAR(e.var, 25, 1e-12);

	/* Converges to the mean and sd of stationary noise. */
	{
		struct synth_rng r;

		synth_seed(&r, 1);
		det_ewma_init(&e, 0.01);
		for (i = 0; i < 20000; i++)
			det_ewma_push(&e, 100 + 3 * synth_normal(&r));
		CHECK_NEAR(e.mean, 100, 1.0);
		CHECK_NEAR(det_ewma_sd(&e), 3, 0.5);
	}
}

/* Brute force over the last cap samples of v[0..n). */
static void brute(const double *v, size_t n, size_t cap, double *mean,
		  double *var, double *mn, double *mx)
{
	size_t first = n > cap ? n - cap : 0;
	size_t m = n - first;
	double s = 0;
	double ss = 0;
	size_t i;

	*mn = INFINITY;
	*mx = -INFINITY;
	for (i = first; i < n; i++) {
		s += v[i];
		if (v[i] < *mn)
			*mn = v[i];
		if (v[i] > *mx)
			*mx = v[i];
	}
	*mean = s / (double)m;
	for (i = first; i < n; i++)
		ss += (v[i] - *mean) * (v[i] - *mean);
	*var = m > 1 ? ss / (double)(m - 1) : 0;
}

static void test_window(void)
{
	enum { N = 1000, CAP = 37 };
	struct det_window *w = det_window_new(CAP);
	struct synth_rng r;
	static double v[N];
	unsigned bad = 0;
	size_t i;

	CHECK(w != NULL);
	if (w == NULL)
		return;
	CHECK(isnan(det_window_mean(w)));
	CHECK(isnan(det_window_min(w)));
	CHECK(det_window_new(0) == NULL);
	synth_seed(&r, 7);
	for (i = 0; i < N; i++) {
		double mean;
		double var;
		double mn;
		double mx;

		/* A large, quiet value: 1e10 with noise of a few units, and
		 * a ramp, to exercise cancellation and the deques. */
		v[i] = 1e10 + 4 * synth_normal(&r) + (double)(i % 100);
		det_window_push(w, v[i]);
		brute(v, i + 1, CAP, &mean, &var, &mn, &mx);
		if (fabs(det_window_mean(w) - mean) > 1e-3 ||
		    fabs(det_window_var(w) - var) > 1e-3 * (1 + var) ||
		    det_window_min(w) != mn || det_window_max(w) != mx)
			bad++;
	}
	CHECK(bad == 0);
	CHECK(det_window_count(w) == CAP);
	CHECK(det_window_at(w, CAP - 1) == v[N - 1]);
	CHECK(det_window_at(w, 0) == v[N - CAP]);
	det_window_reset(w);
	CHECK(det_window_count(w) == 0);
	det_window_push(w, 5);
	CHECK_NEAR(det_window_mean(w), 5, 0);
	CHECK_NEAR(det_window_var(w), 0, 0);
	CHECK_NEAR(det_window_max(w), 5, 0);
	det_window_free(w);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a;
	double y = *(const double *)b;

	return (x > y) - (x < y);
}

static void test_median(void)
{
	double a[] = { 5, 1, 4, 2, 3 };
	double b[] = { 4, 1, 3, 2 };
	double c[] = { 1, 1, 2, 2, 4, 6, 9 };
	double d[] = { 7, 7, 7, 7 };
	struct synth_rng r;
	unsigned bad = 0;
	int trial;

	CHECK_NEAR(det_median(a, 5), 3, 0);
	CHECK_NEAR(det_median(b, 4), 2.5, 0);
	CHECK(isnan(det_median(a, 0)));
	/* median 2, deviations 1 1 0 0 2 4 7 -> MAD 1 */
	CHECK_NEAR(det_mad(c, 7, 2), 1, 0);
	CHECK_NEAR(det_median(d, 4), 7, 0);

	/* Random arrays with many ties against qsort. */
	synth_seed(&r, 3);
	for (trial = 0; trial < 500; trial++) {
		double v[64];
		double s[64];
		size_t n = 1 + (size_t)(synth_uniform(&r) * 63);
		size_t i;
		double want;

		for (i = 0; i < n; i++)
			s[i] = v[i] = floor(synth_uniform(&r) * 8);
		qsort(s, n, sizeof(*s), cmp_double);
		want = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
		if (det_median(v, n) != want)
			bad++;
	}
	CHECK(bad == 0);
}

static void test_misc(void)
{
	CHECK_NEAR(det_normal_sf(0), 0.5, 1e-12);
	CHECK_NEAR(det_normal_sf(1.959964), 0.025, 1e-6);
	CHECK_NEAR(det_normal_sf(-1.644854), 0.95, 1e-6);
	CHECK_NEAR(det_ramp(5, 0, 10), 0.5, 1e-12);
	CHECK_NEAR(det_ramp(-1, 0, 10), 0, 0);
	CHECK_NEAR(det_ramp(11, 0, 10), 1, 0);
	CHECK_NEAR(det_ramp(NAN, 0, 10), 0, 0);
}

int main(void)
{
	test_ewma();
	test_window();
	test_median();
	test_misc();
	return check_exit();
}
