/* src/sim/run.h - runs one phase of a workload on its worker threads.
 *
 * A phase is one workload with its parameters for a duration or a fixed
 * number of steps.  run_phase() starts the workers (or runs the only one
 * on the calling thread, so --threads 1 creates no thread at all), waits
 * for them, and sums their counts into the phase result.  Called from
 * main() only; not thread-safe.
 */
#ifndef ALLOCTOP_SIM_RUN_H
#define ALLOCTOP_SIM_RUN_H

#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/sim.h"

/* Worker threads per phase: far more than the cores of any test host,
 * and a bound on the static worker array. */
#define RUN_MAX_THREADS 256

/* What to run. */
struct phase_plan {
	const struct workload *wl;
	double duration_s;	/* the phase ends after this; 0: never */
	uint64_t iterations;	/* 0: paced in real time; else unpaced */
	alignas(max_align_t) unsigned char params[SIM_PARAMS_MAX];
};

/* What happened. */
struct phase_result {
	const struct phase_plan *plan;
	double start_s;		/* pace clock */
	double end_s;
	bool interrupted;	/* ended by a stop request */
	struct counts c;	/* summed over its workers */
};

/* Settings common to every phase of a run. */
struct run_conf {
	uint64_t seed;
	unsigned threads;
	bool ops;
};

/* Runs plan as phase number index (which picks the random streams) and
 * fills *r.  The phase ends at the plan's duration or at deadline_s (pace
 * clock; INFINITY for none), whichever comes first.  Returns 0, -ENOMEM
 * if an allocation failed, or -errno if a worker thread could not start
 * (the run is then stopped). */
int run_phase(struct phase_result *r, const struct phase_plan *plan,
	      unsigned index, const struct run_conf *conf, double deadline_s);

#endif
