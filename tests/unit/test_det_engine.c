/* tests/unit/test_det_engine.c - the engine end to end on one synthetic
 * process: a thread-count step at tick 300, an allocation spike at 700, a
 * leak from 500 on, then the forecast against a limit. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "detect/engine.h"
#include "tests/unit/check.h"
#include "tests/unit/test_det_synth.c"

static void make_tick(struct det_tick *tk, unsigned i, struct synth_rng *r)
{
	det_tick_init(tk);
	tk->t_s = 1000 + i;			/* 1 s ticks */
	tk->allocs_per_s = 20000 + 500 * synth_normal(r);
	if (i == 700)
		tk->allocs_per_s += 20000;	/* one-tick spike */
	tk->frees_per_s = tk->allocs_per_s;
	tk->alloc_bytes_per_s = tk->allocs_per_s * 128;
	tk->live_bytes = 5e7 + 5e4 * synth_normal(r);
	if (i >= 500)
		tk->live_bytes += 10000.0 * (i - 500);	/* 10 kB/s leak */
	tk->live_blocks = tk->live_bytes / 128;
	tk->rss_bytes = tk->live_bytes * 1.2;
	tk->threads = i < 300 ? 4 : 8;
	tk->fds = 12;
	tk->slack_ratio = 0.05;
	tk->small_frac = 0.3;
	tk->large_frac = 0;
	tk->large_allocs = 0;
	tk->realloc_frac = 0.01;
	tk->avg_size = 128;
	/* top_site_* and short_lived_frac stay NaN: no sampling */
}

static void test_run(void)
{
	struct det_engine *e = det_engine_new(NULL);
	struct det_state st;
	struct synth_rng r;
	unsigned thread_changes = 0;
	unsigned rate_anomalies = 0;
	unsigned other_anomalies = 0;
	unsigned i;

	CHECK(e != NULL);
	if (e == NULL)
		return;
	synth_seed(&r, 42);
	det_engine_set_limit(e, 2e9);
	for (i = 0; i < 900; i++) {
		struct det_tick tk;
		const struct det_metric_state *th;

		make_tick(&tk, i, &r);
		det_engine_push(e, &tk);
		det_engine_state(e, &st);
		th = det_engine_metric(e, DET_M_THREADS);
		if (th->change_new) {
			thread_changes++;
			CHECK(th->change_tick == 300);
			CHECK(th->change_t_s == 1300);
			CHECK(th->change_dir == 1);
			CHECK(i >= 300 && i <= 310);
		}
		if (st.m[DET_M_ALLOCS_PER_S].anomaly) {
			rate_anomalies++;
			CHECK(i == 700);
			CHECK(st.m[DET_M_ALLOCS_PER_S].anomaly_z > 6);
		}
		/* frees and bytes are derived from the rate here */
		CHECK(st.m[DET_M_FREES_PER_S].anomaly == (i == 700));
		CHECK(st.m[DET_M_ALLOC_BYTES_PER_S].anomaly == (i == 700));
		other_anomalies += st.anomalies - 3 * (i == 700);

		if (i == 250) {
			CHECK(st.cls == DET_CLASS_HEALTHY);
			CHECK(isinf(st.exhaustion_s));
			CHECK(!st.m[DET_M_LIVE_BYTES].leak);
		}
	}
	CHECK(thread_changes == 1);
	CHECK(rate_anomalies == 1);
	/* The thread step is anomalous until the change point is found
	 * (h / (clip - k) = 5 ticks), then the anomaly detector restarts on
	 * the new level. */
	CHECK(other_anomalies >= 1 && other_anomalies <= 6);

	CHECK(st.ticks == 900);
	CHECK(st.t_s == 1899);
	CHECK(st.m[DET_M_LIVE_BYTES].leak);
	CHECK_NEAR(st.m[DET_M_LIVE_BYTES].slope_per_s, 10000, 1000);
	CHECK(st.m[DET_M_RSS_BYTES].leak);
	CHECK(!st.m[DET_M_FDS].leak && !st.m[DET_M_THREADS].leak);
	CHECK(st.cls == DET_CLASS_GROWTH);
	CHECK(st.class_conf > 0.5);
	CHECK(strstr(st.class_reason, "grow") != NULL);
	/* RSS ~ 1.2 * (5e7 + 4e6) grows 12 kB/s toward 2e9. */
	CHECK_NEAR(st.exhaustion_s, (2e9 - 1.2 * 5.4e7) / 12000,
		   0.15 * (2e9 / 12000));
	/* Windowed and EWMA averages of a constant metric. */
	CHECK_NEAR(st.m[DET_M_FDS].win_mean, 12, 1e-9);
	CHECK_NEAR(st.m[DET_M_FDS].win_sd, 0, 1e-9);
	CHECK_NEAR(st.m[DET_M_FDS].ewma_mean, 12, 1e-9);
	CHECK(st.m[DET_M_FDS].change_tick == -1);
	CHECK_NEAR(st.m[DET_M_ALLOCS_PER_S].win_mean, 20000, 300);
	CHECK(st.m[DET_M_ALLOCS_PER_S].win_max > st.m[DET_M_ALLOCS_PER_S].
	      win_min);
	CHECK_NEAR(st.rate_ratio, 1, 0.2);
	/* The leak is a trend, not a string of level changes. */
	CHECK(st.m[DET_M_LIVE_BYTES].change_tick < 560);

	det_engine_set_limit(e, 0);
	{
		struct det_tick tk;

		make_tick(&tk, 900, &r);
		det_engine_push(e, &tk);
		det_engine_state(e, &st);
		CHECK(isinf(st.exhaustion_s));
	}
	det_engine_free(e);
}

/* A periodic allocation rate: found, and its peaks not anomalous. */
static void test_cycle(void)
{
	struct det_engine *e = det_engine_new(NULL);
	struct det_state st;
	struct synth_rng r;
	unsigned late_anomalies = 0;
	unsigned i;

	if (e == NULL)
		return;
	synth_seed(&r, 9);
	for (i = 0; i < 600; i++) {
		struct det_tick tk;

		make_tick(&tk, 0, &r);
		tk.t_s = i;
		tk.allocs_per_s = 20000 + 500 * synth_normal(&r) +
				  (i % 30 < 3 ? 30000 : 0);
		det_engine_push(e, &tk);
		det_engine_state(e, &st);
		if (i >= 300)
			late_anomalies += st.m[DET_M_ALLOCS_PER_S].anomaly;
	}
	CHECK(st.m[DET_M_ALLOCS_PER_S].period_ticks == 30);
	CHECK_NEAR(st.m[DET_M_ALLOCS_PER_S].amplitude, 30000, 3000);
	CHECK(late_anomalies == 0);
	CHECK(st.cls == DET_CLASS_CYCLIC);
	det_engine_free(e);
}

static void test_params(void)
{
	struct det_params p = det_params_default();

	p.window_ticks = 1;
	errno = 0;
	CHECK(det_engine_new(&p) == NULL && errno == EINVAL);
	p = det_params_default();
	p.change.h = -1;
	errno = 0;
	CHECK(det_engine_new(&p) == NULL && errno == EINVAL);
}

/* Bursts are moments; a bursty program has them again and again: a
 * spike of 50x the steady rate every 12 ticks, each one tick long, is a
 * burst pattern (the classifier remembers recent spikes), and a steady
 * rate with the same noise is healthy. */
static void test_bursty(void)
{
	for (int bursty = 0; bursty <= 1; bursty++) {
		struct det_engine *e = det_engine_new(NULL);
		struct synth_rng r;
		struct det_state st;
		unsigned burst_ticks = 0;

		CHECK(e != NULL);
		if (e == NULL)
			return;
		synth_seed(&r, 11);
		for (unsigned i = 0; i < 200; i++) {
			struct det_tick tk;

			make_tick(&tk, i, &r);
			tk.live_bytes = 5e7 + 5e4 * synth_normal(&r);
			tk.live_blocks = tk.live_bytes / 128;
			tk.threads = 4;
			if (bursty && i % 12 == 6)
				tk.allocs_per_s *= 50;
			det_engine_push(e, &tk);
			det_engine_state(e, &st);
			if (i >= 100)
				burst_ticks += st.cls == DET_CLASS_BURST;
		}
		if (bursty)
			CHECK_MSG(burst_ticks >= 95, "burst on %u of 100 ticks",
				  burst_ticks);
		else
			CHECK_MSG(burst_ticks == 0, "burst on %u ticks of a "
				  "steady rate", burst_ticks);
		det_engine_free(e);
	}
}

/* A working set that creeps up by 200 KB over a minute (significant, but
 * 5% of 4 MB and under 1 MiB) is not a leak; 1 MB/s is, within 30 s. */
static void test_material(void)
{
	for (int leaking = 0; leaking <= 1; leaking++) {
		struct det_engine *e = det_engine_new(NULL);
		struct synth_rng r;
		struct det_state st;
		double first_leak = -1;

		CHECK(e != NULL);
		if (e == NULL)
			return;
		synth_seed(&r, 5);
		for (unsigned i = 0; i < 60; i++) {
			struct det_tick tk;

			make_tick(&tk, i, &r);
			tk.live_bytes = 4e6 + 2e3 * synth_normal(&r) +
					(leaking ? 1e6 * i : 200e3 * i / 60.0);
			tk.live_blocks = tk.live_bytes / 128;
			tk.threads = 4;
			det_engine_push(e, &tk);
			det_engine_state(e, &st);
			if (st.m[DET_M_LIVE_BYTES].leak && first_leak < 0)
				first_leak = i;
		}
		/* Trends start 10 s in and need 15 s of history. */
		if (leaking)
			CHECK_MSG(first_leak >= 24 && first_leak <= 30,
				  "1 MB/s leak called at tick %.0f", first_leak);
		else
			CHECK_MSG(first_leak < 0, "a 200 KB creep called a leak "
				  "at tick %.0f", first_leak);
		det_engine_free(e);
	}
}

/* Threads: 2 a second leak; a pool growing from 4 to 10 workers over the
 * run (6 threads, steadily) does not, though it never stops growing. */
static void test_thread_leak(void)
{
	for (int leaking = 0; leaking <= 1; leaking++) {
		struct det_engine *e = det_engine_new(NULL);
		struct synth_rng r;
		struct det_state st;
		double first_leak = -1;

		CHECK(e != NULL);
		if (e == NULL)
			return;
		synth_seed(&r, 9);
		for (unsigned i = 0; i < 60; i++) {
			struct det_tick tk;

			make_tick(&tk, i, &r);
			tk.threads = leaking ? 4 + 2 * i : 4 + i / 10;
			det_engine_push(e, &tk);
			det_engine_state(e, &st);
			if (st.m[DET_M_THREADS].leak && first_leak < 0)
				first_leak = i;
		}
		if (leaking) {
			CHECK_MSG(first_leak >= 24 && first_leak <= 30,
				  "thread leak called at tick %.0f", first_leak);
			CHECK_NEAR(st.m[DET_M_THREADS].slope_per_s, 2, 1e-9);
		} else {
			CHECK_MSG(first_leak < 0, "a pool of 4..10 called a "
				  "leak at tick %.0f", first_leak);
		}
		det_engine_free(e);
	}
}

int main(void)
{
	test_material();
	test_thread_leak();
	test_bursty();
	test_run();
	test_cycle();
	test_params();
	return check_exit();
}
