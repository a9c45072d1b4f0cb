/* shim/tls.h - per-thread state, the reentrancy guard and the counting
 * primitives of the fast path.  Inline only: everything here runs inside
 * someone else's malloc (STYLE.md section 5).
 *
 * Invariant the fast path relies on: countdown > 0 implies ctr != NULL and
 * status == TLS_SLOTTED.  Whoever clears ctr first sets status, then
 * countdown = 0; only the slow path makes countdown positive again, and only
 * for a slotted thread.  So `countdown <= 0` is the one test malloc needs to
 * catch "not initialised", "no slot", "retired" and "sample due".
 */
#ifndef ALLOCTOP_SHIM_TLS_H
#define ALLOCTOP_SHIM_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/single_threaded.h>

#include "segment.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define SHIM_COLD __attribute__((noinline, cold))
#define SHIM_EXPORT __attribute__((visibility("default")))

enum tls_status {
	TLS_FRESH = 0,		/* never counted; TLS starts zeroed */
	TLS_CLAIMING,		/* inside the slot claim (a signal may land) */
	TLS_SLOTTED,		/* owns a slot: the fast path is open */
	TLS_UNSLOTTED,		/* no slot was free: counts go to the shared block */
	TLS_RETIRING,		/* thread exit is folding the slot */
	TLS_RETIRED,		/* after thread exit: shared block, never re-claims */
};

struct tls_state {
	int64_t countdown;		/* bytes until the next sample; <= 0: slow path */
	struct seg_counters *ctr;	/* our slot's counters, or NULL */
	uint32_t depth;			/* > 0: inside our own code; calls pass through */
	uint32_t status;		/* enum tls_status */
	uint64_t rng;			/* sampler state (xorshift64*) */
	uint32_t slot;			/* index of our slot when slotted */
	uint32_t sampling;		/* inside sample_take: take no other */
	struct seg_counters *saved_ctr;	/* ctr and countdown while depth > 0 */
	int64_t saved_countdown;
	struct stack_cache *stack_cache;	/* exact mode's (stack.c) */
	uint32_t stack_cache_failed;
	uint32_t walking;		/* inside libunwind (stack.c) */
};

extern __thread struct tls_state tls_self
	__attribute__((tls_model("initial-exec")));

/* While inside our own code (depth > 0) the fast paths are closed the way
 * they are closed for a thread without a slot: ctr NULL and the countdown
 * far below zero.  So malloc and free need no depth test of their own;
 * the slow path sees depth > 0 and passes the call through uncounted. */
#define TLS_HELD (INT64_MIN / 4)

static inline void tls_enter(struct tls_state *t)
{
	if (t->depth++ != 0)
		return;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	t->saved_ctr = t->ctr;
	t->saved_countdown = t->countdown;
	t->countdown = TLS_HELD;
	t->ctr = NULL;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static inline void tls_leave(struct tls_state *t)
{
	if (t->depth != 1) {
		t->depth--;
		return;
	}
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	t->ctr = t->saved_ctr;
	t->countdown = t->saved_countdown;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	t->depth = 0;
}

/* Adds n to a counter that only this thread writes.  On x86-64 one `add`
 * instruction to memory: a signal handler on this thread cannot land inside
 * it, and no lock prefix is paid (about 5 ns each, PERF-NOTES.md).  The
 * reader sees each aligned 8-byte value whole. */
static inline void tls_add(uint64_t *p, uint64_t n)
{
#if defined(__x86_64__)
	__asm__ volatile("addq %1, %0" : "+m"(*p) : "er"(n));
#else
	/* Elsewhere a load and a store: a signal handler that allocates
	 * between them could lose its own counts on this thread. */
	__atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + n,
			 __ATOMIC_RELAXED);
#endif
}

/* Adds n to a counter other threads may write too (the retired block, the
 * site table, the header).  While glibc's __libc_single_threaded says the
 * process has one thread (the flag its own malloc trusts to skip atomics)
 * no other thread can race us, and tls_add's single instruction is safe
 * from our own signal handlers; a locked add costs about 20 cycles. */
static inline void shared_add(uint64_t *p, uint64_t n)
{
	if (__libc_single_threaded)
		tls_add(p, n);
	else if (n != 0)
		__atomic_fetch_add(p, n, __ATOMIC_RELAXED);
}

/* Subtracts n from a counter only this thread writes (the countdown) and
 * says whether it is still above zero: one `sub` to memory and the branch
 * on its flags, where the compiler makes a load, sub, store and test. */
static inline bool tls_sub_above_zero(int64_t *p, int64_t n)
{
#if defined(__x86_64__)
	bool above;

	__asm__ volatile("subq %2, %0" : "+m"(*p), "=@ccg"(above) : "er"(n));
	return above;
#else
	*p -= n;
	return *p > 0;
#endif
}

/* Histogram counters of sizes below 1 KiB, as byte offsets into struct
 * seg_counters precomputed at start-up: a load instead of a bit scan and
 * shifts on every allocation, and no scaling of the index. */
#define TLS_HIST_SMALL 1024u
extern uint16_t tls_hist_small[TLS_HIST_SMALL];

static inline uint64_t *tls_hist_counter(struct seg_counters *c, uint64_t size)
{
	if (likely(size < TLS_HIST_SMALL))
		return (uint64_t *)((char *)c + tls_hist_small[size]);
	return &c->hist[seg_hist_bucket(size)];
}

/* Counters of one successful allocation into our own slot; span is the
 * block's usable size plus SEG_SPAN_EXTRA (segment.h). */
static inline void tls_count_alloc(struct seg_counters *c, enum seg_fn fn,
				   uint64_t req, uint64_t span)
{
	tls_add(&c->fn[fn].calls, 1);
	tls_add(&c->fn[fn].bytes, req);
	tls_add(&c->alloc_spans, span);
	tls_add(tls_hist_counter(c, req), 1);
}

static inline void tls_count_free(struct seg_counters *c, uint64_t span)
{
	tls_add(&c->free_spans, span);
}

#endif
