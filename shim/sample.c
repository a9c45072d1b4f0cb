/* shim/sample.c - the sampler: when to sample, and what a sample records.
 *
 * Drawing the distance to the next sample from an exponential distribution
 * with the period as its mean makes sampling a Poisson process over bytes:
 * a block of s bytes is caught with probability 1 - exp(-s/period), so
 * large blocks are caught in proportion to size and nothing aliases with
 * the program's own rhythm (jemalloc's prof_sample_new_event_wait does so).
 * Each sample then counts for s / (1 - exp(-s/period)) bytes and
 * 1 / (1 - exp(-s/period)) objects, which makes per-site estimates
 * unbiased; in exact mode (period 1) every block is sampled, weight 1.
 *
 * Call sites are appended to the segment's table once and found again
 * through a private open-addressing index keyed by the stack's hash.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "boot.h"
#include "ptrmap.h"
#include "sample.h"
#include "stack.h"

/* "Never" for a thread when stacks are off: 2^62 bytes. */
#define SAMPLE_NEVER ((int64_t)1 << 62)
#define INDEX_SLOTS (2u * SEG_MAX_SITES)	/* load factor at most 1/2 */

static uint32_t site_index[INDEX_SLOTS];	/* site number + 1; 0 empty */
static int index_lock;

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

static SHIM_COLD void weights_sampled(uint64_t size, uint64_t period,
				      uint64_t *bytes, uint64_t *objects)
{
	double p = -expm1(-(double)size / (double)period);

	*bytes = (uint64_t)llround((double)size / p);
	*objects = (uint64_t)llround(1.0 / p);
}

/* The weights of one sample of a size-byte block. */
static inline void weights(uint64_t size, uint64_t *bytes, uint64_t *objects)
{
	uint64_t period = boot_env.sample_bytes;

	if (period <= 1 || size == 0) {
		*bytes = size;
		*objects = 1;
		return;
	}
	weights_sampled(size, period, bytes, objects);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Lifetimes are timed with the TSC where it is invariant (a constant
 * rate, counting through sleep states): exact mode reads the clock twice a
 * pair, and clock_gettime costs about 24 ns here against 10 for rdtsc.
 * The rate is calibrated once, against CLOCK_MONOTONIC, over at least
 * 2^17 ticks (some 40 us: within 0.1%, plenty for buckets a factor of
 * four wide) counted from the first reading. */
#if defined(__x86_64__)
#include <cpuid.h>
#include <x86intrin.h>

static int tsc_state;			/* 0 unknown, 1 invariant, -1 no */
static uint64_t tsc_base, tsc_base_ns;	/* the first reading */
static uint64_t tsc_ns_per_2_32;	/* ns per 2^32 ticks, 0 = not yet */

static bool tsc_usable(void)
{
	unsigned a, b, c, d;
	int s = __atomic_load_n(&tsc_state, __ATOMIC_RELAXED);

	if (s == 0) {
		/* CPUID 0x80000007, EDX bit 8: invariant TSC. */
		s = __get_cpuid(0x80000007, &a, &b, &c, &d) &&
		    (d & (1u << 8)) ? 1 : -1;
		if (s == 1) {
			uint64_t ns = now_ns();

			tsc_base = __rdtsc();
			tsc_base_ns = ns;
		}
		__atomic_store_n(&tsc_state, s, __ATOMIC_RELEASE);
	}
	return s == 1;
}

static uint64_t sample_clock(void)
{
	return tsc_usable() ? __rdtsc() : now_ns();
}

/* Nanoseconds in d ticks of sample_clock. */
static uint64_t clock_ns(uint64_t d)
{
	uint64_t k;

	if (__atomic_load_n(&tsc_state, __ATOMIC_ACQUIRE) != 1)
		return d;
	if ((int64_t)d < 0)
		return 0;	/* freed on a CPU whose counter lags */
	k = __atomic_load_n(&tsc_ns_per_2_32, __ATOMIC_RELAXED);
	if (k == 0) {
		uint64_t ticks = __rdtsc() - tsc_base;
		uint64_t ns = now_ns() - tsc_base_ns;

		if (ticks < (1u << 17))
			return d;	/* too soon to tell: call it 1 GHz */
		k = (uint64_t)((double)ns / (double)ticks * 4294967296.0);
		if (k == 0)
			k = 1;
		__atomic_store_n(&tsc_ns_per_2_32, k, __ATOMIC_RELAXED);
	}
	return (uint64_t)((unsigned __int128)d * k >> 32);
}
#else
static uint64_t sample_clock(void)
{
	return now_ns();
}

static uint64_t clock_ns(uint64_t d)
{
	return d;
}
#endif

static uint64_t hash_frames(void *const *f, int n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (int i = 0; i < n; i++) {
		h ^= (uint64_t)(uintptr_t)f[i];
		h *= 0x100000001b3ull;
		h ^= h >> 29;
	}
	return h ? h : 1;
}

static bool same_stack(const struct seg_site *s, uint64_t hash,
		       void *const *f, int n)
{
	if (s->hash != hash || s->nframes != (uint32_t)n)
		return false;
	for (int i = 0; i < n; i++)
		if (s->frames[i] != (uint64_t)(uintptr_t)f[i])
			return false;
	return true;
}

/* The site number of this stack, appending it if new; 0 ("other") when
 * the table is full. */
static uint32_t find_site(struct seg_header *h, struct seg_site *sites,
			  void *const *f, int n, uint64_t hash)
{
	uint32_t i = (uint32_t)(hash & (INDEX_SLOTS - 1));
	uint32_t slot;
	uint32_t id;

	for (;;) {
		slot = __atomic_load_n(&site_index[i], __ATOMIC_ACQUIRE);
		if (slot == 0)
			break;
		if (same_stack(&sites[slot - 1], hash, f, n))
			return slot - 1;
		i = (i + 1) & (INDEX_SLOTS - 1);
	}
	/* Not there: insert under the lock, looking again from where the
	 * empty slot was (someone may have filled it meanwhile). */
	while (__atomic_exchange_n(&index_lock, 1, __ATOMIC_ACQUIRE) != 0)
		;
	for (;;) {
		slot = site_index[i];
		if (slot == 0)
			break;
		if (same_stack(&sites[slot - 1], hash, f, n)) {
			__atomic_store_n(&index_lock, 0, __ATOMIC_RELEASE);
			return slot - 1;
		}
		i = (i + 1) & (INDEX_SLOTS - 1);
	}
	id = (uint32_t)h->sites_used;
	if (id == 0)
		id = 1;		/* 0 is "other" */
	if (id >= SEG_MAX_SITES) {
		__atomic_store_n(&index_lock, 0, __ATOMIC_RELEASE);
		shared_add(&h->sites_dropped, 1);
		return 0;
	}
	for (int k = 0; k < n; k++)
		sites[id].frames[k] = (uint64_t)(uintptr_t)f[k];
	sites[id].nframes = (uint32_t)n;
	sites[id].hash = hash;
	sites[id].min_size = UINT64_MAX;
	__atomic_store_n(&site_index[i], id + 1, __ATOMIC_RELEASE);
	__atomic_store_n(&h->sites_used, (uint64_t)id + 1, __ATOMIC_RELEASE);
	__atomic_store_n(&index_lock, 0, __ATOMIC_RELEASE);
	return id;
}

static void atomic_min(uint64_t *p, uint64_t v)
{
	uint64_t cur = __atomic_load_n(p, __ATOMIC_RELAXED);

	while (v < cur && !__atomic_compare_exchange_n(p, &cur, v, true,
						       __ATOMIC_RELAXED,
						       __ATOMIC_RELAXED))
		;
}

static void atomic_max(uint64_t *p, uint64_t v)
{
	uint64_t cur = __atomic_load_n(p, __ATOMIC_RELAXED);

	while (v > cur && !__atomic_compare_exchange_n(p, &cur, v, true,
						       __ATOMIC_RELAXED,
						       __ATOMIC_RELAXED))
		;
}

/* The site's counters for one sampled block of size bytes. */
static inline void site_alloc(struct seg_site *s, uint64_t size)
{
	uint64_t wb;
	uint64_t wo;

	weights(size, &wb, &wo);
	shared_add(&s->alloc_bytes, wb);
	shared_add(&s->alloc_objects, wo);
	shared_add(&s->samples, 1);
	shared_add(&s->sizes[seg_size_bucket(size)], wo);
	atomic_min(&s->min_size, size);
	atomic_max(&s->max_size, size);
}

/* sample_take's body, under the sampling flag; key as for stack_capture.
 * Out of line: its frame array stays off exact mode's common path. */
static __attribute__((noinline)) void
take(struct tls_state *t, const struct pub_call *k, uintptr_t key)
{
	struct seg_header *h = pub_header();
	struct seg_site *sites = pub_sites();
	void *frames[SEG_MAX_FRAMES];
	uint32_t id;
	bool cached;
	int n;

	if (h == NULL || sites == NULL)
		return;
	n = stack_capture(t, k->ret, key, frames, SEG_MAX_FRAMES, &id,
			  &cached);
	/* In our own slot (pub_slow samples only for a slotted thread):
	 * on the header's line four threads sampling one site spent a third
	 * of their time. */
	tls_add(&t->ctr->samples, 1);
	if (cached)
		tls_add(&t->ctr->stack_hits, 1);
	if (n == 0) {
		id = 0;		/* no stack to be had: "other" */
	} else if (id >= SEG_MAX_SITES) {
		id = find_site(h, sites, frames, n, hash_frames(frames, n));
		stack_remember_site(t, id);
	}
	site_alloc(&sites[id], k->req);
	if (!ptr_insert(k->ptr, id, k->req, sample_clock()))
		shared_add(&h->ptrs_dropped, 1);
}

/* Not the reentrancy guard: libunwind allocates nothing once warm, and a
 * signal handler landing in the sampler must still be counted.  The flag
 * only keeps the handler from sampling (and spinning on the index lock we
 * may hold). */
static inline void sampling_begin(struct tls_state *t)
{
	t->sampling = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static inline void sampling_end(struct tls_state *t)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	t->sampling = 0;
}

void sample_take(struct tls_state *t, const struct pub_call *k)
{
	/* At a fixed distance from the program's stack pointer for a given
	 * call path: with the return address, the stack cache's key. */
	uintptr_t key = (uintptr_t)__builtin_frame_address(0);

	sampling_begin(t);
	take(t, k, key);
	sampling_end(t);
}

void sample_exact(struct tls_state *t, enum seg_fn fn, void *p, uint64_t req,
		  uintptr_t ret)
{
	uintptr_t key = (uintptr_t)__builtin_frame_address(0);
	struct seg_site *sites = pub_sites();
	uint32_t id;

	sampling_begin(t);
	id = stack_known_site(t, ret, key);
	if (likely(id < SEG_MAX_SITES && sites != NULL)) {
		tls_add(&t->ctr->samples, 1);
		tls_add(&t->ctr->stack_hits, 1);
		site_alloc(&sites[id], req);
		if (unlikely(!ptr_insert(p, id, req, sample_clock())))
			shared_add(&pub_header()->ptrs_dropped, 1);
	} else {
		/* A new stack: unwind it (which may touch errno). */
		struct pub_call k = { .fn = fn, .req = req, .ptr = p,
				      .ret = ret };
		int saved = errno;

		take(t, &k, key);
		errno = saved;
	}
	sampling_end(t);
}

void sample_free(const void *p, uint64_t grown_to)
{
	struct seg_site *sites = pub_sites();
	struct ptr_entry e;
	struct seg_site *s;
	uint64_t wb;
	uint64_t wo;

	if (sites == NULL || !ptr_take(p, &e) || e.site >= SEG_MAX_SITES)
		return;
	s = &sites[e.site];
	weights(e.size, &wb, &wo);	/* exact mode: e.size and 1 */
	shared_add(&s->free_bytes, wb);
	shared_add(&s->free_objects, wo);
	shared_add(&s->life[seg_life_bucket(clock_ns(sample_clock() -
						     e.alloc_ns))], 1);
	if (grown_to > e.size)
		shared_add(&s->realloc_grows, 1);
}

/* The site index, in the shim's private memory. */
size_t sample_private_bytes(void)
{
	return sizeof site_index;
}

void sample_reset(void)
{
	stack_forget_sites();
	memset(site_index, 0, sizeof site_index);
	__atomic_store_n(&index_lock, 0, __ATOMIC_RELAXED);
	ptr_reset();
}
