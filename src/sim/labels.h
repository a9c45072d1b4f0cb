/* src/sim/labels.h - the ground-truth file of a run (--labels FILE).
 *
 * JSON saying what the run really did, phase by phase, with the exact
 * counts of the allocation calls its workloads made (sim.h defines them),
 * so tests can hold alloctop's numbers and findings against it.  The
 * format is documented in alloctop-sim(1), FILES.
 */
#ifndef ALLOCTOP_SIM_LABELS_H
#define ALLOCTOP_SIM_LABELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/run.h"

struct labels_run {
	const struct workload *wl;	/* the subcommand (maybe mixed) */
	const void *params;		/* its parameters */
	uint64_t seed;
	unsigned threads;
	bool ops;
	uint64_t iterations;		/* per phase; 0: paced */
	double duration_s;		/* --duration; 0: none */
	const struct phase_result *phases;
	size_t nphases;
	bool interrupted;		/* a stop signal ended the run */
	int status;			/* the exit status to come */
};

/* Writes the file atomically: PATH.tmp.PID, then rename(2), so a reader
 * polling for PATH never sees half a file.  No malloc-family calls.
 * Returns 0 or -errno (-E2BIG: too many phases for the buffer). */
int labels_write(const char *path, const struct labels_run *run);

#endif
