/* src/sim/sched.h - the schedule of the mixed workload.
 *
 * A schedule is a list of phases, one per line:
 *
 *	# comment
 *	WORKLOAD [DURATION] [--option VALUE ...]
 *
 * DURATION defaults to 10s; the options are the workload's own.  It comes
 * from --schedule FILE, from --phases NAME:DURATION,... (the same thing
 * on one line), or from the built-in default, which shows every pattern
 * in under two minutes.  Not thread-safe: the plans point into one static
 * text buffer.
 */
#ifndef ALLOCTOP_SIM_SCHED_H
#define ALLOCTOP_SIM_SCHED_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/run.h"

/* Phases in one pass of a schedule. */
#define SCHED_MAX_PHASES 64

/* Fills plans[0..*n-1] from mixed's parameters.  Returns 0, or -EINVAL
 * or -errno after printing one message. */
int sched_build(const void *mixed_params, struct phase_plan *plans,
		size_t *n);

/* --loop: repeat the schedule until --duration or a stop. */
bool sched_loops(const void *mixed_params);

#endif
