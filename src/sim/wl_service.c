/* src/sim/wl_service.c - workloads around ordinary request traffic:
 * steady (healthy), burst, and large.
 *
 * The "service" below is the healthy baseline every one of them runs: each
 * request allocates a few objects of log-uniform sizes into a bounded live
 * set, replacing (freeing) random older ones, plus a request-scoped scratch
 * buffer.  burst and large add periodic events on top of it, driven by
 * events_run(): every --every, each thread allocates its share of --count
 * objects and frees them --hold later.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "sim/sim.h"

/* A request's scratch buffer: a typical small formatting/parsing buffer. */
#define SERVICE_SCRATCH 512
/* Objects per request, on average, in the traffic under burst and large. */
#define SERVICE_OBJECTS 2
/* Object sizes of that traffic: small, as in most C services. */
#define SERVICE_MIN_SIZE 16
#define SERVICE_MAX_SIZE 1024
/* Large buffers are page-aligned, as I/O and arena buffers usually are. */
#define LARGE_ALIGN 4096

struct service {
	struct slot *live;	/* bounded live set */
	size_t nlive;
	uint64_t objects;	/* mean objects per request */
	size_t min_size;
	size_t max_size;
};

static int service_open(struct worker *w, struct service *s, size_t nlive,
			uint64_t objects, size_t min_size, size_t max_size)
{
	s->nlive = nlive > 0 ? nlive : 1;
	s->objects = objects;
	s->min_size = min_size;
	s->max_size = max_size;
	s->live = cnt_calloc(w, s->nlive, sizeof(*s->live));
	return s->live != NULL ? 0 : -ENOMEM;
}

static void service_close(struct worker *w, struct service *s)
{
	slots_free(w, s->live, s->nlive);
	s->live = NULL;
}

/* One object of the live set: one in four is a zeroed struct (calloc),
 * the rest buffers that get filled. */
SIM_SITE static void service_new_object(struct worker *w, struct slot *s,
					size_t n)
{
	void *p;

	if (rng_below(&w->rng, 4) == 0) {
		p = cnt_calloc(w, 1, n);
	} else {
		p = cnt_malloc(w, n);
		if (p != NULL)
			memset(p, 0x5a, n);
	}
	if (p == NULL)
		return;
	cnt_free(w, s->p, s->n);
	s->p = p;
	s->n = n;
}

SIM_SITE static void service_handle_request(struct worker *w,
					    struct service *s)
{
	uint64_t k = 1 + rng_below(&w->rng, 2 * s->objects - 1);
	char *scratch = cnt_malloc(w, SERVICE_SCRATCH);
	uint64_t i;

	if (scratch == NULL)
		return;
	memset(scratch, 0, SERVICE_SCRATCH);
	for (i = 0; i < k && !w->failed; i++)
		service_new_object(w, &s->live[rng_below(&w->rng, s->nlive)],
				   rng_size(&w->rng, s->min_size,
					    s->max_size));
	cnt_free(w, scratch, SERVICE_SCRATCH);
}

/* ---- steady ------------------------------------------------------------ */

struct steady_params {
	double rate;		/* requests per second, all threads */
	uint64_t objects;	/* mean objects allocated per request */
	uint64_t min_size;
	uint64_t max_size;
	uint64_t live;		/* objects kept alive, all threads */
	double noise;		/* jitter of request times, of an interval */
};
SIM_PARAMS_FIT(struct steady_params);

#define P(f) .offset = offsetof(struct steady_params, f)
static const struct opt steady_opts[] = {
	{ .name = "--rate", .type = OPT_RATE, P(rate), .dflt = "2000/s",
	  .help = "requests per second", .positive = true },
	{ .name = "--objects", .type = OPT_UINT, P(objects), .dflt = "4",
	  .help = "mean objects allocated per request", .min = 1,
	  .max = 1000 },
	{ .name = "--min-size", .type = OPT_SIZE, P(min_size), .dflt = "16",
	  .help = "smallest object", .positive = true },
	{ .name = "--max-size", .type = OPT_SIZE, P(max_size), .dflt = "2K",
	  .help = "largest object", .positive = true },
	{ .name = "--live", .type = OPT_UINT, P(live), .dflt = "5000",
	  .help = "objects kept alive (the bounded live set)", .min = 1,
	  .max = 1e8 },
	{ .name = "--noise", .type = OPT_FRACTION, P(noise), .dflt = "50%",
	  .help = "jitter of request times, as a fraction of the interval" },
	{ .name = NULL },
};
#undef P

static int steady_check(const void *params, const char *where)
{
	const struct steady_params *p = params;

	return sim_check_sizes(p->min_size, p->max_size, where);
}

static void steady_run(struct worker *w)
{
	const struct steady_params *p = w->params;
	struct service s;
	uint64_t g;

	if (service_open(w, &s, worker_share(w, p->live), p->objects,
			 p->min_size, p->max_size) != 0)
		return;
	for (g = w->tid;
	     worker_step(w, g, ((double)g + p->noise *
				(rng_unit(&w->rng) - 0.5)) / p->rate);
	     g += w->nthreads)
		service_handle_request(w, &s);
	service_close(w, &s);
}

static const char *const no_leaks[] = { NULL };

const struct workload wl_steady = {
	.name = "steady",
	.class = "healthy",
	.summary = "healthy service: stable request rate with noise, "
		   "bounded live set",
	.opts = steady_opts,
	.params_size = sizeof(struct steady_params),
	.leak_sites = no_leaks,
	.check = steady_check,
	.run = steady_run,
};

/* ---- periodic events: burst and large ----------------------------------- */

struct events_params {
	double every;		/* seconds between events */
	uint64_t size;		/* bytes per event object */
	uint64_t count;		/* objects per event, all threads */
	double hold;		/* seconds an event's objects live */
	double rate;		/* background requests per second */
	uint64_t live;		/* background live set, all threads */
};
SIM_PARAMS_FIT(struct events_params);

/* Allocates the event's objects into held[0..n-1]. */
typedef void (*events_start_fn)(struct worker *w, struct slot *held,
				size_t n, size_t size);

SIM_SITE static void events_release(struct worker *w, struct slot *held,
				    size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		cnt_free(w, held[i].p, held[i].n);
		held[i].p = NULL;
	}
}

static void events_run(struct worker *w, events_start_fn start)
{
	const struct events_params *p = w->params;
	size_t share = worker_share(w, p->count);
	struct slot *held = NULL;
	struct periodic ev;
	struct service bg;
	uint64_t g;

	if (service_open(w, &bg, worker_share(w, p->live), SERVICE_OBJECTS,
			 SERVICE_MIN_SIZE, SERVICE_MAX_SIZE) != 0)
		return;
	if (share > 0)
		held = cnt_calloc(w, share, sizeof(*held));
	periodic_init(&ev, p->every, p->hold, p->rate);
	for (g = w->tid; worker_step(w, g, (double)g / p->rate);
	     g += w->nthreads) {
		if (periodic_release_due(&ev, g))
			events_release(w, held, share);
		if (periodic_event_due(&ev, g) && held != NULL) {
			events_release(w, held, share);
			start(w, held, share, p->size);
			w->c.events++;
		}
		service_handle_request(w, &bg);
	}
	if (held != NULL) {
		events_release(w, held, share);
		cnt_free(w, held, share * sizeof(*held));
	}
	service_close(w, &bg);
}

#define P(f) .offset = offsetof(struct events_params, f)

/* ---- burst ------------------------------------------------------------- */

static const struct opt burst_opts[] = {
	{ .name = "--every", .type = OPT_DURATION, P(every), .dflt = "5s",
	  .help = "quiet time between spikes", .positive = true },
	{ .name = "--size", .type = OPT_SIZE, P(size), .dflt = "1K",
	  .help = "size of each spike object", .positive = true },
	{ .name = "--count", .type = OPT_UINT, P(count), .dflt = "20000",
	  .help = "objects allocated per spike", .min = 1, .max = 1e8 },
	{ .name = "--hold", .type = OPT_DURATION, P(hold), .dflt = "500ms",
	  .help = "how long spike objects live" },
	{ .name = "--rate", .type = OPT_RATE, P(rate), .dflt = "100/s",
	  .help = "requests per second between spikes", .positive = true },
	{ .name = "--live", .type = OPT_UINT, P(live), .dflt = "256",
	  .help = "objects kept alive between spikes", .min = 1,
	  .max = 1e8 },
	{ .name = NULL },
};

/* The spike: many objects at once, the allocation-rate peak. */
SIM_SITE static void burst_spike(struct worker *w, struct slot *held,
				 size_t n, size_t size)
{
	size_t i;

	for (i = 0; i < n; i++) {
		void *p = cnt_malloc(w, size);

		if (p == NULL)
			return;
		memset(p, 0xb5, size);
		held[i].p = p;
		held[i].n = size;
	}
}

static void burst_run(struct worker *w)
{
	events_run(w, burst_spike);
}

const struct workload wl_burst = {
	.name = "burst",
	.class = "burst",
	.summary = "quiet periods broken by sudden allocation spikes",
	.opts = burst_opts,
	.params_size = sizeof(struct events_params),
	.leak_sites = no_leaks,
	.run = burst_run,
};

/* ---- large ------------------------------------------------------------- */

static const struct opt large_opts[] = {
	{ .name = "--every", .type = OPT_DURATION, P(every), .dflt = "2s",
	  .help = "time between large allocations", .positive = true },
	{ .name = "--size", .type = OPT_SIZE, P(size), .dflt = "8MiB",
	  .help = "size of each large buffer", .positive = true },
	{ .name = "--count", .type = OPT_UINT, P(count), .dflt = "1",
	  .help = "large buffers allocated each time", .min = 1,
	  .max = 1e6 },
	{ .name = "--hold", .type = OPT_DURATION, P(hold), .dflt = "1s",
	  .help = "how long a large buffer lives" },
	{ .name = "--rate", .type = OPT_RATE, P(rate), .dflt = "500/s",
	  .help = "ordinary requests per second", .positive = true },
	{ .name = "--live", .type = OPT_UINT, P(live), .dflt = "1000",
	  .help = "ordinary objects kept alive", .min = 1, .max = 1e8 },
	{ .name = NULL },
};
#undef P

/* Page-aligned and touched, so RSS shows it as well as the counters. */
SIM_SITE static void large_alloc_buffer(struct worker *w, struct slot *held,
					size_t n, size_t size)
{
	size_t i;

	for (i = 0; i < n; i++) {
		void *p = cnt_posix_memalign(w, LARGE_ALIGN, size);

		if (p == NULL)
			return;
		memset(p, 0x1a, size);
		held[i].p = p;
		held[i].n = size;
	}
}

static void large_run(struct worker *w)
{
	events_run(w, large_alloc_buffer);
}

const struct workload wl_large = {
	.name = "large",
	.class = "large-object",
	.summary = "infrequent large (MiB) allocations among ordinary "
		   "traffic",
	.opts = large_opts,
	.params_size = sizeof(struct events_params),
	.leak_sites = no_leaks,
	.run = large_run,
};
