/* src/sim/pace.c - clock, stop flag and absolute sleeps (see pace.h). */
#include "config.h"

#include <stdatomic.h>
#include <time.h>

#include "sim/pace.h"

/* Longest single sleep: how late a thread that blocks the stop signals can
 * notice a stop.  50 ms is below what a person notices after Ctrl-C. */
#define PACE_SLICE_S 0.05

static struct timespec pace_t0;
static atomic_int pace_stop;	/* written by the signal handler */

void pace_init(void)
{
	clock_gettime(CLOCK_MONOTONIC, &pace_t0);
}

double pace_now_s(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - pace_t0.tv_sec) +
	       (double)(now.tv_nsec - pace_t0.tv_nsec) / 1e9;
}

void pace_sleep_until(double t_s)
{
	for (;;) {
		double now = pace_now_s();
		double until = t_s;
		struct timespec ts;
		long nsec;

		if (pace_stopping() || now >= t_s)
			return;
		if (until > now + PACE_SLICE_S)
			until = now + PACE_SLICE_S;
		ts.tv_sec = pace_t0.tv_sec + (time_t)until;
		nsec = pace_t0.tv_nsec +
		       (long)((until - (double)(time_t)until) * 1e9);
		if (nsec >= 1000000000L) {
			ts.tv_sec++;
			nsec -= 1000000000L;
		}
		ts.tv_nsec = nsec;
		/* EINTR (a stop signal) just goes round the loop again. */
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
}

void pace_request_stop(void)
{
	atomic_store(&pace_stop, 1);
}

bool pace_stopping(void)
{
	return atomic_load_explicit(&pace_stop, memory_order_relaxed) != 0;
}
