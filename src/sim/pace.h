/* src/sim/pace.h - alloctop-sim's clock, stop flag and real-time pacing.
 *
 * Time is CLOCK_MONOTONIC seconds since pace_init(), called first thing in
 * main(): the unit of "start_s" and "end_s" in the labels file.  The stop
 * flag is raised by the SIGINT/SIGTERM handler (or by a fatal error) and
 * polled by every loop.  Sleeps are absolute, so a paced rate does not
 * drift however long each step takes.
 */
#ifndef ALLOCTOP_SIM_PACE_H
#define ALLOCTOP_SIM_PACE_H

#include <stdbool.h>

/* Starts the clock.  Call once, before any other pace_ function. */
void pace_init(void);

/* Seconds since pace_init().  Thread-safe. */
double pace_now_s(void);

/* Sleeps until pace_now_s() >= t_s, or until a stop is requested.
 * Never returns early otherwise (phase ends rely on it); timer slack may
 * make it some 50 us late, which absolute deadlines absorb.
 * Wakes at least every 50 ms to look at the stop flag, because worker
 * threads block SIGINT/SIGTERM and are never interrupted.  Thread-safe. */
void pace_sleep_until(double t_s);

/* Asks every loop to finish its current step.  Async-signal-safe. */
void pace_request_stop(void);

/* True once a stop was requested.  Thread-safe. */
bool pace_stopping(void);

#endif
