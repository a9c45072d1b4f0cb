/* src/sim/sim.c - helpers shared by the workloads: messages, random
 * numbers, counts, slots, periodic events, the workload registry. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim/sim.h"

bool sim_quiet;

static void sim_vmsg(const char *fmt, va_list ap)
{
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "%s: ", SIM_PROG);
	int m = vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	ssize_t w;

	if (m < 0)
		m = 0;
	if ((size_t)(n + m) > sizeof(buf) - 2)
		m = (int)sizeof(buf) - 2 - n;
	buf[n + m] = '\n';
	w = write(STDERR_FILENO, buf, (size_t)(n + m + 1));
	(void)w;	/* nowhere left to report a failed write */
}

void sim_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sim_vmsg(fmt, ap);
	va_end(ap);
}

void sim_info(const char *fmt, ...)
{
	va_list ap;

	if (sim_quiet)
		return;
	va_start(ap, fmt);
	sim_vmsg(fmt, ap);
	va_end(ap);
}

int sim_check_sizes(uint64_t min_size, uint64_t max_size, const char *where)
{
	if (min_size <= max_size)
		return 0;
	sim_err("%s%s--min-size: larger than --max-size", where ? where : "",
		where ? ": " : "");
	return -EINVAL;
}

/* ---- random numbers ---------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL);
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
	/* The modulo bias is below 2^-40 for every n we use. */
	return rng_next(r) % n;
}

double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static int log2_floor(uint64_t v)
{
	return 63 - __builtin_clzll(v | 1);
}

size_t rng_size(struct rng *r, size_t lo, size_t hi)
{
	int e_lo = log2_floor(lo);
	int e;
	uint64_t v;

	if (hi <= lo)
		return lo;
	e = e_lo + (int)rng_below(r, (uint64_t)(log2_floor(hi) - e_lo + 1));
	v = ((uint64_t)1 << e) + rng_below(r, (uint64_t)1 << e);
	if (v < lo)
		v = lo + rng_below(r, ((uint64_t)1 << (e_lo + 1)) - lo);
	return v > hi ? hi : (size_t)v;
}

/* ---- counts, slots, periodic events ------------------------------------ */

void counts_add(struct counts *sum, const struct counts *c)
{
#define COUNTS_ADD(f) sum->f += c->f;
	COUNTS_FIELDS(COUNTS_ADD)
#undef COUNTS_ADD
}

void slots_free(struct worker *w, struct slot *slots, size_t n)
{
	size_t i;

	if (slots == NULL)
		return;
	for (i = 0; i < n; i++)
		cnt_free(w, slots[i].p, slots[i].n);
	cnt_free(w, slots, n * sizeof(*slots));
}

static uint64_t steps_of(double secs, double steps_per_s)
{
	double n = secs * steps_per_s + 0.5;

	return n < 1 ? 1 : (uint64_t)n;
}

void periodic_init(struct periodic *e, double every_s, double hold_s,
		   double steps_per_s)
{
	e->every = steps_of(every_s, steps_per_s);
	e->hold = steps_of(hold_s, steps_per_s);
	e->next = e->every;
	e->release = UINT64_MAX;
}

bool periodic_release_due(struct periodic *e, uint64_t g)
{
	if (g < e->release)
		return false;
	e->release = UINT64_MAX;
	return true;
}

bool periodic_event_due(struct periodic *e, uint64_t g)
{
	if (g < e->next)
		return false;
	/* A thread sees every nthreads-th step: skip events it overslept. */
	while (e->next <= g)
		e->next += e->every;
	e->release = g + e->hold;
	return true;
}

/* ---- registry ---------------------------------------------------------- */

const struct workload *const sim_workloads[] = {
	&wl_steady, &wl_burst, &wl_growth, &wl_cyclic, &wl_fragment,
	&wl_large, &wl_realloc, &wl_pool, &wl_thread_leak, &wl_fd_leak,
	&wl_cache_leak, &wl_mixed, NULL,
};

const struct workload *sim_workload_find(const char *name)
{
	size_t i;

	for (i = 0; sim_workloads[i] != NULL; i++)
		if (strcmp(sim_workloads[i]->name, name) == 0)
			return sim_workloads[i];
	return NULL;
}
