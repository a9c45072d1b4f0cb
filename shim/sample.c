/* shim/sample.c - the sampler: exponential countdowns by bytes.
 *
 * Drawing the distance to the next sample from an exponential distribution
 * with the period as its mean makes sampling a Poisson process over bytes:
 * a block of s bytes is caught with probability 1 - exp(-s/period), so
 * large blocks are caught in proportion to size and nothing aliases with
 * the program's own rhythm (jemalloc's prof_sample_new_event_wait does so).
 */
#include "config.h"

#include <math.h>
#include <time.h>

#include "boot.h"
#include "sample.h"

/* "Never" for a thread when stacks are off: 2^62 bytes. */
#define SAMPLE_NEVER ((int64_t)1 << 62)

static uint64_t next_random(struct tls_state *t)
{
	uint64_t x = t->rng;

	if (x == 0) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		x = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)(uintptr_t)t ^
		    (uint64_t)ts.tv_sec ^ 0x9e3779b97f4a7c15ull;
	}
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	t->rng = x;
	return x * 0x2545f4914f6cdd1dull;
}

int64_t sample_next(struct tls_state *t)
{
	uint64_t period = boot_env.sample_bytes;
	double u;
	double d;

	if (period == 0)
		return SAMPLE_NEVER;
	if (period == 1)
		return 0;
	/* u in (0, 1]: 53 random bits, never 0 so log() stays finite. */
	u = (double)((next_random(t) >> 11) + 1) * 0x1.0p-53;
	d = -log(u) * (double)period;
	if (d < 1.0)
		return 1;
	if (d > (double)SAMPLE_NEVER)
		return SAMPLE_NEVER;
	return (int64_t)d;
}

void sample_take(struct tls_state *t, const struct pub_call *k)
{
	(void)t;
	(void)k;
}
