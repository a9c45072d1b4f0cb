/* tests/unit/test_det_advise.c - the advisor: which advice for which site,
 * its savings, its ranking and its wording. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "detect/advise.h"
#include "tests/unit/check.h"

static struct det_site_stats quiet_site(void)
{
	struct det_site_stats s = {
		.alloc_objects_per_s = 10,
		.alloc_bytes_per_s = 10 * 100,
		.live_bytes = 1e6,
		.live_growth_bytes_per_s = 0,
		.live_growth_conf = 0.5,
		.avg_size = 100,
		.size_cv = 0.5,
		.realloc_grows_per_s = 0,
		.short_lived_frac = 0.1,
		.file = "cache.c",
		.line = 88,
		.function = "cache_put",
	};
	return s;
}

static void test_rules(void)
{
	struct det_site_stats s = quiet_site();
	struct det_advice a[8];
	char buf[256];
	size_t n;

	CHECK(det_advise(&s, NULL, a, 8) == 0);

	/* A leak of 12 KiB/s at 0.9999 confidence. */
	s.live_growth_bytes_per_s = 12288;
	s.live_growth_conf = 0.9999;
	n = det_advise(&s, NULL, a, 8);
	CHECK(n == 1 && a[0].kind == DET_ADVICE_FIX_LEAK);
	CHECK_NEAR(a[0].saved_bytes_per_s, 12288, 0);
	det_advice_format(&a[0], &s, buf, sizeof(buf));
	CHECK(strcmp(buf, "fix the leak at cache.c:88 (cache_put): live "
		      "bytes grow 12.0 KiB/s (720.0 KiB/min)") == 0);
	/* Not confident enough: nothing. */
	s.live_growth_conf = 0.99;
	CHECK(det_advise(&s, NULL, a, 8) == 0);

	/* 50k/s objects of one size: pool, 100k calls/s saved. */
	s = quiet_site();
	s.alloc_objects_per_s = 50000;
	s.alloc_bytes_per_s = 50000 * 48.0;
	s.avg_size = 48;
	s.size_cv = 0;
	n = det_advise(&s, NULL, a, 8);
	CHECK(n == 1 && a[0].kind == DET_ADVICE_POOL);
	CHECK_NEAR(a[0].saved_calls_per_s, 100000, 0);
	det_advice_format(&a[0], &s, buf, sizeof(buf));
	CHECK(strstr(buf, "object pool of 48 B objects at cache.c:88") !=
	      NULL);

	/* ... mostly short-lived too: stack buffer, ranked after the pool
	 * (it saves fewer calls: 90% of them). */
	s.short_lived_frac = 0.9;
	n = det_advise(&s, NULL, a, 8);
	CHECK(n == 2);
	CHECK(a[0].kind == DET_ADVICE_POOL && a[1].kind == DET_ADVICE_STACK);
	CHECK_NEAR(a[1].saved_calls_per_s, 90000, 1e-6);
	CHECK_NEAR(a[1].saved_bytes_per_s, 45000 * 48.0, 1e-6);
	/* max limits the output, best first. */
	CHECK(det_advise(&s, NULL, a, 1) == 1 && a[0].kind == DET_ADVICE_POOL);
	/* Varied sizes: an arena, and no pool. */
	s.size_cv = 0.6;
	n = det_advise(&s, NULL, a, 8);
	CHECK(n == 1 && a[0].kind == DET_ADVICE_ARENA);
	/* Too big for the stack or an arena rule. */
	s.avg_size = 65536;
	CHECK(det_advise(&s, NULL, a, 8) == 0);

	/* Realloc growth: 500/s of ~8 KiB blocks copy ~2 MiB/s. */
	s = quiet_site();
	s.realloc_grows_per_s = 500;
	s.avg_size = 8192;
	n = det_advise(&s, NULL, a, 8);
	CHECK(n == 1 && a[0].kind == DET_ADVICE_PREALLOC);
	CHECK_NEAR(a[0].saved_bytes_per_s, 500 * 4096.0, 0);
	det_advice_format(&a[0], &s, buf, sizeof(buf));
	CHECK(strstr(buf, "saves 500 reallocs/s and ~2.0 MiB/s copied") !=
	      NULL);

	/* Leak ranks first even when another saves more calls; unknown
	 * location is spelled ?; a short buffer is terminated. */
	s.live_growth_bytes_per_s = 100;
	s.live_growth_conf = 1;
	s.file = NULL;
	s.function = NULL;
	n = det_advise(&s, NULL, a, 8);
	CHECK(n == 2 && a[0].kind == DET_ADVICE_FIX_LEAK);
	det_advice_format(&a[0], &s, buf, sizeof(buf));
	CHECK(strstr(buf, "at ?:88 (?)") != NULL);
	CHECK(det_advice_format(&a[0], &s, buf, 8) > 8 && strlen(buf) == 7);

	/* NaN statistics trigger nothing. */
	s = quiet_site();
	s.alloc_objects_per_s = NAN;
	s.realloc_grows_per_s = NAN;
	s.live_growth_conf = NAN;
	CHECK(det_advise(&s, NULL, a, 8) == 0);
}

int main(void)
{
	test_rules();
	return check_exit();
}
