/* bench/ladder.c - the counting shim taken apart, one rung at a time: what
 * each piece of an exact malloc counter costs on the machine at hand.
 *
 * Built four times (bench/local.mk sets RUNG); each library interposes
 * malloc, free and realloc only, so run it on churn, liveset and realloc:
 *
 *   RUNG 1  malloc calls the C library and returns its value: a call and a
 *           return where the floor (floor.c) jumps.  Counting anything
 *           about the block malloc returns needs at least this.
 *   RUNG 2  + what the shim's fast paths do except the histogram: in
 *           malloc the per-thread countdown (a `sub` to memory and its
 *           branch), the chunk word and its mmap flag, three adds (calls,
 *           bytes, usable bytes); in free the sampled-block filter, the
 *           chunk word and its flag, two adds; realloc does both, the old
 *           block's before the call, and counts a move.
 *   RUNG 3  + the size histogram's counter, its offset from a table as in
 *           the shim: every counter issue 2 asks for, nothing else.
 *   RUNG 4  rung 2 with an 8-byte no-op instruction where rung 3 has the
 *           histogram add: says whether that add costs as arithmetic or as
 *           one more instruction for the front end.
 *
 * Counts go to one static block; nothing reads them.  Not thread-safe
 * beyond what these single-threaded workloads need.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <stdint.h>

#ifndef RUNG
#define RUNG 1
#endif

#define EXPORT __attribute__((visibility("default")))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

struct counters {
	uint64_t calls, bytes, spans;
	uint64_t free_calls, free_spans;
	uint64_t moves, news;
	uint64_t hist[64];
} __attribute__((aligned(64)));

struct thread_state {
	int64_t countdown;
	struct counters *ctr;
};

static __thread struct thread_state self
	__attribute__((tls_model("initial-exec")));
static struct counters block;
static uint8_t filter[1u << 14];
static uint16_t hist_offset[1024];

static void *(*real_malloc)(size_t);
static void (*real_free)(void *);
static void *(*real_realloc)(void *, size_t);
static char arena[16384];
static size_t arena_used;
static int booting;

static __attribute__((noinline, cold)) void *boot_malloc(size_t n)
{
	if (booting) {		/* dlsym allocates */
		void *p = arena + arena_used;

		arena_used += (n + 15) & ~(size_t)15;
		return arena_used <= sizeof arena ? p : NULL;
	}
	booting = 1;
	real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
	real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	booting = 0;
	for (size_t i = 0; i < 1024; i++)
		hist_offset[i] = (uint16_t)(offsetof(struct counters, hist) +
					    8 * ((i >> 4) & 63));
	filter[0] = 1;		/* free(NULL) takes the filter's way out */
	self.ctr = &block;
	self.countdown = INT64_MAX;
	return real_malloc(n);
}

/* One `add` to memory, as the shim's tls_add. */
static inline void add(uint64_t *p, uint64_t n)
{
	__asm__ volatile("addq %1, %0" : "+m"(*p) : "er"(n));
}

static inline int sub_above_zero(int64_t *p, int64_t n)
{
	int above;

	__asm__ volatile("subq %2, %0" : "+m"(*p), "=@ccg"(above) : "er"(n));
	return above;
}

/* What malloc and realloc count of a block they got: the countdown, the
 * chunk word and its mmap flag, three adds, and by rung the histogram. */
static inline __attribute__((always_inline)) int count_alloc(void *p,
							     size_t n)
{
	if (likely(p != NULL) && sub_above_zero(&self.countdown, (int64_t)n)) {
		size_t word = ((const size_t *)p)[-1];

		if (likely(!(word & 2))) {
			struct counters *c = self.ctr;

			add(&c->calls, 1);
			add(&c->bytes, n);
			add(&c->spans, word & ~(size_t)7);
#if RUNG == 3
			add((uint64_t *)((char *)c +
					 (n < 1024 ? hist_offset[n] : 8)), 1);
#elif RUNG == 4
			__asm__ volatile(".byte 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0");
#endif
			return 1;
		}
	}
	return 0;
}

EXPORT void *malloc(size_t n)
{
	void *p;

	if (unlikely(real_malloc == NULL))
		return boot_malloc(n);
	p = real_malloc(n);
	__asm__ volatile("" : "+r"(p));	/* a call, never a jump */
#if RUNG >= 2
	(void)count_alloc(p, n);
#endif
	return p;
}

static inline int in_arena(const void *p)
{
	return (const char *)p >= arena && (const char *)p < arena + sizeof arena;
}

/* Before the first malloc, or of a bootstrap block: a new block, the old
 * one's bytes copied (bootstrap blocks are never freed). */
static __attribute__((noinline, cold)) void *realloc_rare(void *old, size_t n)
{
	void *p = malloc(n);
	size_t have = old != NULL ? (size_t)(arena + arena_used - (char *)old) : 0;

	if (p != NULL && have > 0)
		__builtin_memcpy(p, old, n < have ? n : have);
	return p;
}

/* realloc of a live block: its release counted before the call, as the
 * shim does, and the new block after it. */
EXPORT void *realloc(void *old, size_t n)
{
	void *p;

	if (unlikely(real_realloc == NULL) || unlikely(in_arena(old)))
		return realloc_rare(old, n);
#if RUNG >= 2
	struct counters *c = self.ctr;

	if (old != NULL && likely(c != NULL) &&
	    likely(!filter[((uintptr_t)old >> 4) & (sizeof filter - 1)])) {
		size_t word = ((const size_t *)old)[-1];

		if (likely(!(word & 2)))
			add(&c->free_spans, word & ~(size_t)7);
	}
#endif
	p = real_realloc(old, n);
	__asm__ volatile("" : "+r"(p));
#if RUNG >= 2
	if (count_alloc(p, n) && p != old)
		add(old == NULL ? &self.ctr->news : &self.ctr->moves, 1);
#endif
	return p;
}

EXPORT void free(void *p)
{
#if RUNG >= 2
	struct counters *c = self.ctr;

	if (likely(c != NULL) &&
	    likely(!filter[((uintptr_t)p >> 4) & (sizeof filter - 1)])) {
		size_t word = ((const size_t *)p)[-1];

		if (likely(!(word & 2))) {
			add(&c->free_calls, 1);
			add(&c->free_spans, word & ~(size_t)7);
		}
	}
#endif
	if (unlikely(in_arena(p)) || unlikely(real_free == NULL))
		return;		/* a bootstrap block, or free(NULL) first */
	real_free(p);
}
