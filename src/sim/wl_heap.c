/* src/sim/wl_heap.c - workloads shaped by the heap alone: growth, cyclic,
 * fragment, realloc and pool-candidate.  Each keeps its objects in the
 * worker's own arrays and frees, when the phase ends, all it does not
 * leak by design (only growth leaks).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "sim/sim.h"

static const char *const no_leaks[] = { NULL };

/* ---- growth ------------------------------------------------------------ */

enum growth_shape { GROWTH_LINEAR, GROWTH_EXPONENTIAL, GROWTH_STEPPED };
static const char *const growth_shapes[] = {
	"linear", "exponential", "stepped", NULL
};

struct growth_params {
	double rate;		/* bytes leaked per second (initial rate) */
	int shape;		/* enum growth_shape */
	uint64_t chunk;		/* bytes per leaked object */
	double doubling;	/* exponential: seconds to double the rate */
	double step;		/* stepped: seconds between steps */
};
SIM_PARAMS_FIT(struct growth_params);

#define P(f) .offset = offsetof(struct growth_params, f)
static const struct opt growth_opts[] = {
	{ .name = "--rate", .type = OPT_BYTE_RATE, P(rate), .dflt = "1MB/s",
	  .help = "bytes leaked per second (exponential: at first)",
	  .positive = true },
	{ .name = "--shape", .type = OPT_CHOICE, P(shape), .dflt = "linear",
	  .help = "how the live size grows over time",
	  .choices = growth_shapes },
	{ .name = "--chunk", .type = OPT_SIZE, P(chunk), .dflt = "64KiB",
	  .help = "size of each leaked object", .positive = true },
	{ .name = "--doubling", .type = OPT_DURATION, P(doubling),
	  .dflt = "10s", .help = "exponential: time for the rate to double",
	  .positive = true },
	{ .name = "--step", .type = OPT_DURATION, P(step), .dflt = "5s",
	  .help = "stepped: a step's worth leaks at once every STEP",
	  .positive = true },
	{ .name = NULL },
};
#undef P

/* When chunk g is due: the time at which the shape has leaked g chunks.
 *   linear       B(t) = rate t
 *   exponential  B(t) = rate T / ln 2 (2^(t/T) - 1), T the doubling time
 *   stepped      B(t) = rate S (floor(t/S) + 1), one step per S seconds */
static double growth_due_s(const struct growth_params *p, uint64_t g)
{
	double bytes = (double)g * (double)p->chunk;

	switch (p->shape) {
	case GROWTH_EXPONENTIAL:
		return p->doubling *
		       log2(1 + bytes * M_LN2 / (p->rate * p->doubling));
	case GROWTH_STEPPED:
		return floor(bytes / (p->rate * p->step)) * p->step;
	default:
		return bytes / p->rate;
	}
}

/* The leak: allocated, filled (so RSS grows too), never freed. */
SIM_SITE static void *growth_leak_chunk(struct worker *w, size_t n)
{
	void *p = cnt_malloc(w, n);

	if (p != NULL)
		memset(p, 0x6c, n);
	return p;
}

static void growth_run(struct worker *w)
{
	const struct growth_params *p = w->params;
	uint64_t g;

	for (g = w->tid; worker_step(w, g, growth_due_s(p, g));
	     g += w->nthreads)
		growth_leak_chunk(w, p->chunk);
}

static const char *const growth_leaks[] = { "growth_leak_chunk", NULL };

const struct workload wl_growth = {
	.name = "growth",
	.class = "growth",
	.summary = "live memory grows at a set rate, never freed",
	.opts = growth_opts,
	.params_size = sizeof(struct growth_params),
	.leak_sites = growth_leaks,
	.run = growth_run,
};

/* ---- cyclic ------------------------------------------------------------ */

/* Chunks are cache-line aligned (aligned_alloc wants a multiple). */
#define CYCLIC_ALIGN 64

struct cyclic_params {
	double period;		/* seconds per fill-and-drain cycle */
	uint64_t amplitude;	/* bytes allocated at the top of a cycle */
	uint64_t chunk;		/* bytes per object */
};
SIM_PARAMS_FIT(struct cyclic_params);

#define P(f) .offset = offsetof(struct cyclic_params, f)
static const struct opt cyclic_opts[] = {
	{ .name = "--period", .type = OPT_DURATION, P(period), .dflt = "30s",
	  .help = "length of one fill-and-release cycle", .positive = true },
	{ .name = "--amplitude", .type = OPT_SIZE, P(amplitude),
	  .dflt = "10MB", .help = "bytes live at the top of each cycle",
	  .positive = true },
	{ .name = "--chunk", .type = OPT_SIZE, P(chunk), .dflt = "64KiB",
	  .help = "size of each object (rounded up to 64 bytes)",
	  .positive = true },
	{ .name = NULL },
};
#undef P

SIM_SITE static void *cyclic_fill_chunk(struct worker *w, size_t n)
{
	void *p = cnt_aligned_alloc(w, CYCLIC_ALIGN, n);

	if (p != NULL)
		memset(p, 0xc7, n);
	return p;
}

SIM_SITE static void cyclic_drain_chunk(struct worker *w, void *p, size_t n)
{
	cnt_free(w, p, n);
}

/* A cycle is 2m steps: m fills, then m drains, evenly over the period. */
static void cyclic_run(struct worker *w)
{
	const struct cyclic_params *p = w->params;
	size_t n = (p->chunk + CYCLIC_ALIGN - 1) & ~(size_t)(CYCLIC_ALIGN - 1);
	uint64_t m = p->amplitude / n > 0 ? p->amplitude / n : 1;
	/* A thread fills at most ceil(m / nthreads) per half-cycle, and
	 * drains what it filled; 2 spare for the phase of the remainder. */
	size_t cap = m / w->nthreads + 2;
	void **stack = cnt_calloc(w, cap, sizeof(*stack));
	size_t top = 0;
	uint64_t g;

	if (stack == NULL)
		return;
	for (g = w->tid; worker_step(w, g, (double)g * p->period / (2.0 * m));
	     g += w->nthreads) {
		if (g % (2 * m) < m) {
			if (top < cap)
				stack[top] = cyclic_fill_chunk(w, n);
			if (top < cap && stack[top] != NULL)
				top++;
		} else if (top > 0) {
			cyclic_drain_chunk(w, stack[--top], n);
		}
	}
	while (top > 0)
		cyclic_drain_chunk(w, stack[--top], n);
	cnt_free(w, stack, cap * sizeof(*stack));
}

const struct workload wl_cyclic = {
	.name = "cyclic",
	.class = "cyclic",
	.summary = "allocation and release in a regular cycle",
	.opts = cyclic_opts,
	.params_size = sizeof(struct cyclic_params),
	.leak_sites = no_leaks,
	.run = cyclic_run,
};

/* ---- fragment ---------------------------------------------------------- */

struct fragment_params {
	double rate;		/* objects per second */
	uint64_t min_size;
	uint64_t max_size;
	double long_fraction;	/* of objects that are long-lived */
	uint64_t long_live;	/* long-lived objects kept, all threads */
	uint64_t short_live;	/* a short-lived object dies this many
				   short-lived allocations later */
	uint64_t batch;		/* objects per step */
};
SIM_PARAMS_FIT(struct fragment_params);

#define P(f) .offset = offsetof(struct fragment_params, f)
static const struct opt fragment_opts[] = {
	{ .name = "--rate", .type = OPT_RATE, P(rate), .dflt = "50k/s",
	  .help = "objects allocated per second", .positive = true },
	{ .name = "--min-size", .type = OPT_SIZE, P(min_size), .dflt = "8",
	  .help = "smallest object", .positive = true },
	{ .name = "--max-size", .type = OPT_SIZE, P(max_size), .dflt = "256",
	  .help = "largest object", .positive = true },
	{ .name = "--long-fraction", .type = OPT_FRACTION, P(long_fraction),
	  .dflt = "10%", .help = "share of objects that are long-lived" },
	{ .name = "--long-live", .type = OPT_UINT, P(long_live),
	  .dflt = "50000", .help = "long-lived objects kept alive",
	  .min = 1, .max = 1e8 },
	{ .name = "--short-live", .type = OPT_UINT, P(short_live),
	  .dflt = "64", .help = "short-lived objects alive at a time",
	  .min = 1, .max = 1e8 },
	{ .name = "--batch", .type = OPT_UINT, P(batch), .dflt = "100",
	  .help = "objects per step", .min = 1, .max = 1e6 },
	{ .name = NULL },
};
#undef P

static int fragment_check(const void *params, const char *where)
{
	const struct fragment_params *p = params;

	return sim_check_sizes(p->min_size, p->max_size, where);
}

/* Long-lived objects replace a random older one: the survivors end up
 * scattered between the holes the short-lived ones leave. */
SIM_SITE static bool frag_alloc_long(struct worker *w, struct slot *s,
				     size_t n)
{
	return slot_replace(w, s, n, 0x4c);
}

SIM_SITE static bool frag_alloc_short(struct worker *w, struct slot *s,
				      size_t n)
{
	return slot_replace(w, s, n, 0x53);
}

static void fragment_run(struct worker *w)
{
	const struct fragment_params *p = w->params;
	size_t nlong = worker_share(w, p->long_live);
	size_t nshort = p->short_live;
	struct slot *longs;
	struct slot *shorts;
	uint64_t next_short = 0;
	uint64_t g;

	nlong = nlong > 0 ? nlong : 1;
	longs = cnt_calloc(w, nlong, sizeof(*longs));
	shorts = cnt_calloc(w, nshort, sizeof(*shorts));
	for (g = w->tid;
	     worker_step(w, g, (double)g * (double)p->batch / p->rate);
	     g += w->nthreads) {
		uint64_t i;

		for (i = 0; i < p->batch && !w->failed; i++) {
			size_t n = rng_size(&w->rng, p->min_size,
					    p->max_size);

			if (rng_unit(&w->rng) < p->long_fraction)
				frag_alloc_long(w, &longs[rng_below(&w->rng,
								    nlong)],
						n);
			else
				frag_alloc_short(w, &shorts[next_short++ %
							    nshort], n);
		}
	}
	slots_free(w, longs, nlong);
	slots_free(w, shorts, nshort);
}

const struct workload wl_fragment = {
	.name = "fragment",
	.class = "fragmentation",
	.summary = "very many small, interleaved short- and long-lived "
		   "objects",
	.opts = fragment_opts,
	.params_size = sizeof(struct fragment_params),
	.leak_sites = no_leaks,
	.check = fragment_check,
	.run = fragment_run,
};

/* ---- realloc ----------------------------------------------------------- */

struct realloc_params {
	double rate;		/* appends per second */
	uint64_t append;	/* mean bytes per append */
	uint64_t max;		/* a buffer this big is done and freed */
	uint64_t buffers;	/* buffers growing at once, per thread */
};
SIM_PARAMS_FIT(struct realloc_params);

#define P(f) .offset = offsetof(struct realloc_params, f)
static const struct opt realloc_opts[] = {
	{ .name = "--rate", .type = OPT_RATE, P(rate), .dflt = "20k/s",
	  .help = "appends (reallocs) per second", .positive = true },
	{ .name = "--append", .type = OPT_SIZE, P(append), .dflt = "8",
	  .help = "mean bytes added by each realloc", .positive = true },
	{ .name = "--max", .type = OPT_SIZE, P(max), .dflt = "16K",
	  .help = "a buffer this big is complete and freed",
	  .positive = true },
	{ .name = "--buffers", .type = OPT_UINT, P(buffers), .dflt = "4",
	  .help = "buffers growing at once, per thread", .min = 1,
	  .max = 1e6 },
	{ .name = NULL },
};
#undef P

/* The anti-pattern: grow by exactly what is needed, no capacity kept, so
 * every append is a realloc (and often a copy).  Starts from NULL. */
SIM_SITE static void realloc_append_bytes(struct worker *w, struct slot *b,
					  size_t n)
{
	char *q = cnt_realloc(w, b->p, b->n, b->n + n);

	if (q == NULL)
		return;
	memset(q + b->n, 'x', n);
	b->p = q;
	b->n += n;
}

static void realloc_run(struct worker *w)
{
	const struct realloc_params *p = w->params;
	struct slot *bufs = cnt_calloc(w, p->buffers, sizeof(*bufs));
	uint64_t k = 0;
	uint64_t g;

	if (bufs == NULL)
		return;
	for (g = w->tid; worker_step(w, g, (double)g / p->rate);
	     g += w->nthreads) {
		struct slot *b = &bufs[k++ % p->buffers];

		realloc_append_bytes(w, b,
				     1 + rng_below(&w->rng,
						   2 * p->append - 1));
		if (b->n >= p->max) {
			cnt_free(w, b->p, b->n);
			b->p = NULL;
			b->n = 0;
		}
	}
	slots_free(w, bufs, p->buffers);
}

const struct workload wl_realloc = {
	.name = "realloc",
	.class = "realloc-growth",
	.summary = "buffers grown by small repeated reallocs",
	.opts = realloc_opts,
	.params_size = sizeof(struct realloc_params),
	.leak_sites = no_leaks,
	.run = realloc_run,
};

/* ---- pool-candidate ----------------------------------------------------- */

/* Objects allocated before the batch is freed: bounds the stack array. */
#define POOL_BATCH_MAX 4096

struct pool_params {
	uint64_t size;		/* bytes per object, all the same */
	double rate;		/* objects per second */
	uint64_t batch;		/* objects live at once, per step */
};
SIM_PARAMS_FIT(struct pool_params);

#define P(f) .offset = offsetof(struct pool_params, f)
static const struct opt pool_opts[] = {
	{ .name = "--size", .type = OPT_SIZE, P(size), .dflt = "64",
	  .help = "size of every object", .positive = true },
	{ .name = "--rate", .type = OPT_RATE, P(rate), .dflt = "200k/s",
	  .help = "objects allocated (and freed) per second",
	  .positive = true },
	{ .name = "--batch", .type = OPT_UINT, P(batch), .dflt = "256",
	  .help = "objects allocated before the batch is freed", .min = 1,
	  .max = POOL_BATCH_MAX },
	{ .name = NULL },
};
#undef P

SIM_SITE static void *pool_churn_object(struct worker *w, size_t n)
{
	void *p = cnt_malloc(w, n);

	if (p != NULL)
		memset(p, 0x70, n);
	return p;
}

SIM_SITE static void pool_release_object(struct worker *w, void *p,
					 size_t n)
{
	cnt_free(w, p, n);
}

static void pool_run(struct worker *w)
{
	const struct pool_params *p = w->params;
	void *objs[POOL_BATCH_MAX];
	uint64_t g;

	for (g = w->tid;
	     worker_step(w, g, (double)g * (double)p->batch / p->rate);
	     g += w->nthreads) {
		uint64_t i;
		uint64_t n;

		for (n = 0; n < p->batch; n++) {
			objs[n] = pool_churn_object(w, p->size);
			if (objs[n] == NULL)
				break;
		}
		for (i = 0; i < n; i++)
			pool_release_object(w, objs[i], p->size);
	}
}

const struct workload wl_pool = {
	.name = "pool-candidate",
	.class = "pool-candidate",
	.summary = "many same-size objects allocated and freed at a high "
		   "rate",
	.opts = pool_opts,
	.params_size = sizeof(struct pool_params),
	.leak_sites = no_leaks,
	.run = pool_run,
};
