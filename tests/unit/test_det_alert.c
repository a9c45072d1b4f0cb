/* tests/unit/test_det_alert.c - alert rules: raise/escalate/de-escalate/
 * clear with hysteresis, no duplicates, lower-is-worse metrics, NaN, notes
 * from detector findings, and the log ring. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "detect/alert.h"
#include "tests/unit/check.h"

static struct det_state state;
static struct det_tick tick;

static void blank(double t_s)
{
	int i;

	memset(&state, 0, sizeof(state));
	state.t_s = t_s;
	state.exhaustion_s = INFINITY;
	state.rate_ratio = NAN;
	for (i = 0; i < DET_METRIC_COUNT; i++)
		state.m[i].change_tick = -1;
	det_tick_init(&tick);
	tick.t_s = t_s;
}

static unsigned feed(struct alert_engine *e, double t_s, double rss)
{
	blank(t_s);
	tick.rss_bytes = rss;
	return alert_engine_eval(e, &tick, &state);
}

static void test_hysteresis(void)
{
	static const double v[] = {
		50, 150, 150, 150, 150,		/* raise warning at [3] */
		250, 250, 250,			/* critical at [7] */
		150, 150,			/* back to warning at [9] */
		NAN, 50, 50,			/* NaN ignored; clear at [12] */
		150, 50, 150, 50, 150, 150, 50,	/* flicker: nothing */
	};
	struct alert_rule rule = {
		"rss high", ALERT_M_RSS_BYTES, 100, 200, 3, 2,
	};
	struct alert_engine *e = alert_engine_new(&rule, 1, 64);
	struct alert_active act[2];
	const struct alert_event *ev;
	unsigned i;

	CHECK(e != NULL);
	if (e == NULL)
		return;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		unsigned added = feed(e, 10.0 * i, v[i]);

		CHECK(added == (i == 3 || i == 7 || i == 9 || i == 12));
		if (i == 5)
			CHECK(alert_engine_active(e, act, 2) == 1 &&
			      act[0].severity == ALERT_WARNING &&
			      act[0].since_t_s == 30 && act[0].value == 250);
	}
	CHECK(alert_log_count(e) == 4);
	ev = alert_log_at(e, 0);
	CHECK(ev->what == ALERT_RAISED && ev->severity == ALERT_WARNING);
	CHECK(ev->t_s == 30 && ev->tick == 3 && ev->value == 150);
	CHECK(strcmp(ev->text, "rss high") == 0 && ev->rule == 0);
	ev = alert_log_at(e, 1);
	CHECK(ev->what == ALERT_CHANGED && ev->severity == ALERT_CRITICAL);
	CHECK(ev->t_s == 70);
	ev = alert_log_at(e, 2);
	CHECK(ev->what == ALERT_CHANGED && ev->severity == ALERT_WARNING);
	ev = alert_log_at(e, 3);
	CHECK(ev->what == ALERT_CLEARED && ev->t_s == 120);
	CHECK(alert_log_at(e, 4) == NULL);
	CHECK(alert_engine_active(e, act, 2) == 0);

	/* Straight to critical when critical from the start. */
	for (i = 0; i < 3; i++)
		feed(e, 1000 + i, 500);
	CHECK(alert_engine_active(e, act, 2) == 1 &&
	      act[0].severity == ALERT_CRITICAL);
	CHECK(alert_log_at(e, 4)->what == ALERT_RAISED);
	alert_engine_free(e);
}

/* Time to exhaustion: lower is worse; warning only (critical NaN). */
static void test_lower_is_worse(void)
{
	struct alert_rule rule = {
		"oom soon", ALERT_M_EXHAUSTION_S, 3600, NAN, 1, 1,
	};
	struct alert_engine *e = alert_engine_new(&rule, 1, 8);
	struct alert_active act;

	if (e == NULL)
		return;
	blank(1);
	CHECK(alert_engine_eval(e, &tick, &state) == 0);
	state.exhaustion_s = 1800;
	CHECK(alert_engine_eval(e, &tick, &state) == 1);
	CHECK(alert_engine_active(e, &act, 1) == 1 &&
	      act.severity == ALERT_WARNING && act.value == 1800);
	/* Still under: no duplicate. */
	state.exhaustion_s = 100;
	CHECK(alert_engine_eval(e, &tick, &state) == 0);
	CHECK(alert_log_count(e) == 1);
	state.exhaustion_s = INFINITY;
	CHECK(alert_engine_eval(e, &tick, &state) == 1);
	CHECK(alert_log_at(e, 1)->what == ALERT_CLEARED);
	alert_engine_free(e);
}

static void test_notes_and_ring(void)
{
	struct alert_engine *e = alert_engine_new(NULL, 0, 3);
	const struct alert_event *ev;
	int i;

	if (e == NULL)
		return;
	blank(5);
	state.cls = DET_CLASS_HEALTHY;
	CHECK(alert_engine_eval(e, &tick, &state) == 0);
	state.m[DET_M_THREADS].change_new = true;
	state.m[DET_M_THREADS].change_tick = 300;
	state.m[DET_M_THREADS].change_dir = 1;
	state.m[DET_M_THREADS].change_before = 4;
	state.m[DET_M_THREADS].change_after = 8;
	state.cls = DET_CLASS_GROWTH;
	state.class_reason = "live bytes keep growing";
	CHECK(alert_engine_eval(e, &tick, &state) == 2);
	ev = alert_log_at(e, 0);
	CHECK(ev->what == ALERT_NOTE && ev->severity == ALERT_INFO);
	CHECK(ev->rule == -1 && ev->t_s == 5);
	CHECK(strcmp(ev->text, "change point: threads up from 4 to 8 at "
		      "tick 300") == 0);
	CHECK(strcmp(alert_log_at(e, 1)->text,
		     "pattern: growth (live bytes keep growing)") == 0);
	/* Same class next tick: no new note.  Then overflow the ring. */
	state.m[DET_M_THREADS].change_new = false;
	CHECK(alert_engine_eval(e, &tick, &state) == 0);
	for (i = 0; i < 4; i++) {
		state.cls = i % 2 ? DET_CLASS_GROWTH : DET_CLASS_BURST;
		alert_engine_eval(e, &tick, &state);
	}
	CHECK(alert_log_count(e) == 3);
	CHECK(alert_log_dropped(e) == 3);
	CHECK(strncmp(alert_log_at(e, 0)->text, "pattern: growth", 15) == 0);
	CHECK(strncmp(alert_log_at(e, 2)->text, "pattern: growth", 15) == 0);
	CHECK(alert_log_at(e, 2)->tick == 6);
	alert_engine_free(e);
}

/* Live growth is the growth going on now: a start-up ramp that ended (a
 * significant window slope, a flat last half) is not growth any more, or a
 * healthy program warns for a whole trend window after its warm-up. */
static void test_live_growth_recent(void)
{
	struct det_metric_state *live = &state.m[DET_M_LIVE_BYTES];
	enum alert_metric m = ALERT_M_LIVE_GROWTH_BYTES_PER_S;

	blank(1);
	live->growth_conf = 1;
	live->slope_per_s = 5e5;
	live->recent_slope_per_s = 5e5;
	CHECK_NEAR(alert_metric_value(m, &tick, &state), 5e5, 0);
	live->recent_slope_per_s = 2e5;		/* slowing: the recent rate */
	CHECK_NEAR(alert_metric_value(m, &tick, &state), 2e5, 0);
	live->recent_slope_per_s = 1e6;		/* speeding up: the window's */
	CHECK_NEAR(alert_metric_value(m, &tick, &state), 5e5, 0);
	live->recent_slope_per_s = -10;		/* the ramp ended */
	CHECK_NEAR(alert_metric_value(m, &tick, &state), 0, 0);
	live->recent_slope_per_s = NAN;		/* unknown: the window's */
	CHECK_NEAR(alert_metric_value(m, &tick, &state), 5e5, 0);
	live->growth_conf = 0.9;
	CHECK_NEAR(alert_metric_value(m, &tick, &state), 0, 0);
}

static void test_setup(void)
{
	struct alert_rule bad = {
		"inverted", ALERT_M_FDS, 100, 50, 1, 1,
	};

	errno = 0;
	CHECK(alert_engine_new(&bad, 1, 8) == NULL && errno == EINVAL);
	CHECK(alert_engine_new(NULL, 0, 0) == NULL);
	bad.metric = ALERT_M_COUNT;
	CHECK(alert_engine_new(&bad, 1, 8) == NULL);
	CHECK(alert_metric_from_name("exhaustion_s") == ALERT_M_EXHAUSTION_S);
	CHECK(alert_metric_from_name("fds") == ALERT_M_FDS);
	CHECK(alert_metric_from_name("nope") == -ENOENT);
	CHECK(strcmp(alert_metric_name(ALERT_M_LEAK_CONF), "leak_conf") == 0);
	CHECK(strcmp(alert_severity_name(ALERT_CRITICAL), "critical") == 0);
	/* The first metrics are the detector's, by name too. */
	CHECK(strcmp(alert_metric_name(ALERT_M_RSS_BYTES),
		     det_metric_name(DET_M_RSS_BYTES)) == 0);
}

int main(void)
{
	test_hysteresis();
	test_lower_is_worse();
	test_notes_and_ring();
	test_live_growth_recent();
	test_setup();
	return check_exit();
}
