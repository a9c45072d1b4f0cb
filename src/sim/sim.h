/* src/sim/sim.h - what every workload of alloctop-sim shares: the worker it
 * runs in, its counted allocation calls, its random numbers, messages, and
 * the workload descriptor.
 *
 * Counting contract.  The labels file's "counts" are compared with
 * alloctop's exact counters, so every malloc-family call a workload makes
 * goes through a cnt_* wrapper below.  The wrappers are always inlined:
 * the call into the C library is made from the workload's own SIM_SITE
 * function (growth_leak_chunk, cache_insert, ...), the frame alloctop's
 * hotspot table and stacks show.  A worker's counts are written by its
 * own thread only and summed by run_phase() when the phase ends.
 *
 *   allocs          successful malloc, calloc, realloc, posix_memalign and
 *                   aligned_alloc calls (a realloc is one alloc ...)
 *   frees           free(p) calls, and realloc(p != NULL, n) (... and one
 *                   free of the old block)
 *   bytes_allocated bytes requested by those allocs (calloc: nmemb * size)
 *   bytes_freed     bytes requested when the freed blocks were allocated
 * What is still allocated when a phase ends is what it leaks forever.
 */
#ifndef ALLOCTOP_SIM_SIM_H
#define ALLOCTOP_SIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sim/opt.h"

#define SIM_PROG "alloctop-sim"

/* A named allocation site: never inlined, cloned or tail-called into, so
 * it keeps its own frame and its exact symbol name (no .isra suffixes). */
#if defined(__has_attribute)
#if __has_attribute(noipa)
#define SIM_SITE __attribute__((noipa))
#endif
#endif
#ifndef SIM_SITE
#define SIM_SITE __attribute__((noinline))
#endif
#define SIM_INLINE static inline __attribute__((always_inline))

/* ---- messages (sim.c) ------------------------------------------------- */

/* --quiet: sim_info() prints nothing. */
extern bool sim_quiet;

/* "alloctop-sim: " + message + newline on stderr, written with one
 * write(2) from a stack buffer: no stdio buffer, no allocation. */
void sim_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sim_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The check of workloads with --min-size and --max-size: 0, or -EINVAL
 * after a message naming where (a schedule line, or NULL). */
int sim_check_sizes(uint64_t min_size, uint64_t max_size, const char *where);

/* ---- random numbers (sim.c) ------------------------------------------ */

/* xoshiro256**: fast, and the same sequence on every platform. */
struct rng {
	uint64_t s[4];
};

/* Seeds from (seed, stream): each phase and thread gets its own stream. */
void rng_seed(struct rng *r, uint64_t seed, uint64_t stream);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n); n > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* Uniform in [0, 1). */
double rng_unit(struct rng *r);
/* In [lo, hi], log-uniform like real allocation sizes: as many 16-31 as
 * 1024-2047 byte objects. */
size_t rng_size(struct rng *r, size_t lo, size_t hi);

/* ---- counts and workers ---------------------------------------------- */

/* The counters of struct counts, in labels order: X(name). */
#define COUNTS_FIELDS(X) \
	X(allocs) X(frees) X(bytes_allocated) X(bytes_freed) \
	X(threads_leaked) X(fds_leaked) X(failed) X(events) X(steps) \
	X(ops) X(calls_malloc) X(calls_calloc) X(calls_realloc) \
	X(calls_posix_memalign) X(calls_aligned_alloc) X(calls_free)

struct counts {
#define COUNTS_DECLARE(f) uint64_t f;
	COUNTS_FIELDS(COUNTS_DECLARE)
#undef COUNTS_DECLARE
};

void counts_add(struct counts *sum, const struct counts *c);

struct workload;

/* One thread's share of a phase.  Written by that thread only. */
struct worker {
	const struct workload *wl;
	const void *params;	/* the workload's parameter struct */
	unsigned tid;		/* 0 .. nthreads - 1 */
	unsigned nthreads;
	double start_s;		/* phase start, pace clock */
	double end_s;		/* phase end; INFINITY: until stopped */
	uint64_t iterations;	/* 0: steps paced in real time */
	bool ops;		/* --ops: report each step to alloctop */
	bool failed;		/* an allocation failed: the phase ends */
	struct rng rng;
	struct counts c;
};

/* The loop of every workload: the phase's steps are numbered g = 0, 1, ...
 * and step g belongs to thread g % nthreads, so rates and --iterations are
 * totals over all threads:
 *
 *	for (g = w->tid; worker_step(w, g, due_s(g)); g += w->nthreads)
 *
 * Waits until step g is due (due_s seconds after the phase start; not at
 * all with --iterations) and says whether to run it: false once the phase
 * is over, at its end time, after --iterations steps, on a stop request or
 * after a failed allocation. */
bool worker_step(struct worker *w, uint64_t g, double due_s);

/* This thread's share of total things, the shares summing to total. */
uint64_t worker_share(const struct worker *w, uint64_t total);

/* ---- counted allocation calls ----------------------------------------- */

SIM_INLINE void *cnt_failed(struct worker *w)
{
	w->c.failed++;
	w->failed = true;
	return NULL;
}

SIM_INLINE void *cnt_done(struct worker *w, void *p, size_t n)
{
	if (p == NULL)
		return cnt_failed(w);
	w->c.allocs++;
	w->c.bytes_allocated += n;
	return p;
}

SIM_INLINE void *cnt_malloc(struct worker *w, size_t n)
{
	void *p = malloc(n);

	w->c.calls_malloc++;
	return cnt_done(w, p, n);
}

SIM_INLINE void *cnt_calloc(struct worker *w, size_t nmemb, size_t size)
{
	void *p = calloc(nmemb, size);

	w->c.calls_calloc++;
	return cnt_done(w, p, nmemb * size);	/* no overflow if p != NULL */
}

/* On failure returns NULL and p stays valid, as with realloc. */
SIM_INLINE void *cnt_realloc(struct worker *w, void *p, size_t old_n,
			     size_t n)
{
	void *q = realloc(p, n);

	w->c.calls_realloc++;
	if (q != NULL && p != NULL) {
		w->c.frees++;
		w->c.bytes_freed += old_n;
	}
	return cnt_done(w, q, n);
}

SIM_INLINE void *cnt_posix_memalign(struct worker *w, size_t align, size_t n)
{
	void *p = NULL;

	if (posix_memalign(&p, align, n) != 0)
		p = NULL;
	w->c.calls_posix_memalign++;
	return cnt_done(w, p, n);
}

/* n must be a multiple of align (C11). */
SIM_INLINE void *cnt_aligned_alloc(struct worker *w, size_t align, size_t n)
{
	void *p = aligned_alloc(align, n);

	w->c.calls_aligned_alloc++;
	return cnt_done(w, p, n);
}

/* n: the size p was allocated with.  p may be NULL (nothing happens). */
SIM_INLINE void cnt_free(struct worker *w, void *p, size_t n)
{
	if (p == NULL)
		return;
	free(p);
	w->c.calls_free++;
	w->c.frees++;
	w->c.bytes_freed += n;
}

/* A live object and its requested size. */
struct slot {
	void *p;
	size_t n;
};

/* Puts a new object of n bytes, filled with byte, into s, freeing the one
 * it held.  Inlined, so both calls are made from the caller's frame.
 * False if the allocation failed (s is then unchanged). */
SIM_INLINE bool slot_replace(struct worker *w, struct slot *s, size_t n,
			     int byte)
{
	void *p = cnt_malloc(w, n);

	if (p == NULL)
		return false;
	__builtin_memset(p, byte, n);
	cnt_free(w, s->p, s->n);
	s->p = p;
	s->n = n;
	return true;
}

/* Frees every object of slots[0..n-1], then the array itself (allocated
 * with cnt_calloc(w, n, sizeof(struct slot))). */
void slots_free(struct worker *w, struct slot *slots, size_t n);

/* ---- periodic events --------------------------------------------------- */

/* Something that happens every few steps (a burst, a large buffer) and is
 * undone some steps later.  Counted in steps, not seconds, so --iterations
 * runs are deterministic.  The first event comes after one quiet period. */
struct periodic {
	uint64_t every;		/* steps between events, >= 1 */
	uint64_t hold;		/* steps an event's objects live */
	uint64_t next;		/* step of the next event */
	uint64_t release;	/* step to undo the held event; UINT64_MAX:
				   nothing held */
};

void periodic_init(struct periodic *e, double every_s, double hold_s,
		   double steps_per_s);
/* True (once) when step g should undo the held event. */
bool periodic_release_due(struct periodic *e, uint64_t g);
/* True (once per event) when step g should start an event; the caller
 * first undoes a held one, if hold >= every left one held. */
bool periodic_event_due(struct periodic *e, uint64_t g);

/* ---- workloads --------------------------------------------------------- */

/* Largest parameter struct of any workload (checked at compile time). */
#define SIM_PARAMS_MAX 128

struct workload {
	const char *name;	/* the subcommand */
	const char *class;	/* the labels' "class" */
	const char *summary;	/* one line for --help */
	const struct opt *opts;	/* its own options */
	size_t params_size;
	const char *const *leak_sites;	/* NULL-terminated: functions
					   whose objects it leaks */
	/* Checks between options after parsing: prints the message and
	 * returns -EINVAL.  May be NULL. */
	int (*check)(const void *params, const char *where);
	/* Runs one worker's share of a phase; frees on the way out whatever
	 * the pattern does not leak.  NULL for mixed. */
	void (*run)(struct worker *w);
};

#define SIM_PARAMS_FIT(type) \
	_Static_assert(sizeof(type) <= SIM_PARAMS_MAX, #type " too big")

extern const struct workload wl_steady;
extern const struct workload wl_burst;
extern const struct workload wl_growth;
extern const struct workload wl_cyclic;
extern const struct workload wl_fragment;
extern const struct workload wl_large;
extern const struct workload wl_realloc;
extern const struct workload wl_pool;
extern const struct workload wl_thread_leak;
extern const struct workload wl_fd_leak;
extern const struct workload wl_cache_leak;
extern const struct workload wl_mixed;

/* Every workload, mixed last, NULL-terminated. */
extern const struct workload *const sim_workloads[];

const struct workload *sim_workload_find(const char *name);

#endif
