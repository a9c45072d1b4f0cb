/* shim/preload.c - the exported entry points, and nothing else.
 *
 * Hot path; read STYLE.md section 5 before changing it.  Each function
 * calls the real allocator, then counts into the calling thread's own slot
 * with plain adds.  Anything unusual (first call of a thread, no slot,
 * sample due, failure, nested call from our own code) goes to pub_slow().
 *
 * Behaviour is the C library's: return values and errno come from the real
 * call and nothing here touches errno on success paths (pub_slow saves and
 * restores it).  realloc of a live block counts as one block released and
 * one allocated, so live blocks and bytes stay exact whether it moved or not.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "alloctop.h"
#include "boot.h"
#include "modules.h"
#include "ptrmap.h"
#include "publish.h"
#include "sample.h"
#include "stack.h"
#include "tls.h"

__thread struct tls_state tls_self __attribute__((tls_model("initial-exec")));

/* The span (segment.h) of a glibc heap chunk's word; fast paths only: a
 * slotted thread implies glibc chunks (boot.h). */
static inline size_t span_of(size_t word)
{
	return word & ~BOOT_CHUNK_FLAGS;
}

static inline bool is_mmapped(size_t word)
{
	return (word & BOOT_CHUNK_MMAPPED) != 0;
}

/* Everything but the common case (first call of a thread, no slot, sample
 * due, failure, an mmap'ed chunk, nested call), out of line so the fast
 * path needs no stack frame for it. */
static SHIM_COLD void *counted_general(enum seg_fn fn, uint64_t req, void *p,
				       uintptr_t ret)
{
	struct tls_state *t = &tls_self;
	struct pub_call k = { .fn = fn, .req = req, .ptr = p,
			      .failed = p == NULL, .ret = ret };

	if (p != NULL)
		k.usable = boot_usable(p);
	pub_slow(t, &k);
	return p;
}

/* A sample due, or the rest of counted_general.  Exact mode's common case
 * (a slotted thread outside our code and the sampler, a heap block) is
 * counted here as the fast path would, and sampled without pub_slow's
 * generality; the countdown stays 0, so the next call comes here too. */
static SHIM_COLD void *counted_slow(enum seg_fn fn, uint64_t req, void *p,
				     uintptr_t ret)
{
	struct tls_state *t = &tls_self;
	size_t word;

	if (p == NULL || t->countdown > 0)
		return counted_general(fn, req, p, ret);
	ptr_prefetch(p);	/* a sample is due: its slot is written */
	if (boot_env.sample_bytes != 1 || t->ctr == NULL || t->sampling)
		return counted_general(fn, req, p, ret);
	word = boot_chunk_word(p);
	if (unlikely(is_mmapped(word)))
		return counted_general(fn, req, p, ret);
	tls_count_alloc(t->ctr, fn, req, span_of(word));
	t->countdown = 0;
	sample_exact(t, fn, p, req, ret);
	return p;
}

/* The common tail of every allocating entry point that returns a block. */
static inline void *counted(enum seg_fn fn, uint64_t req, void *p)
{
	struct tls_state *t = &tls_self;

	/* countdown > 0: slotted, outside our own code, no sample due. */
	if (likely(p != NULL) &&
	    likely(tls_sub_above_zero(&t->countdown, (int64_t)req))) {
		size_t word = boot_chunk_word(p);

		if (likely(!is_mmapped(word))) {
			tls_count_alloc(t->ctr, fn, req, span_of(word));
			return p;
		}
	}
	if (unlikely(t->depth != 0))
		return p;
	return counted_slow(fn, req, p,
			    (uintptr_t)__builtin_return_address(0));
}

SHIM_EXPORT void *malloc(size_t size)
{
	return counted(SEG_FN_MALLOC, size, boot_real.malloc(size));
}

SHIM_EXPORT void *calloc(size_t n, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(n, size, &total))
		total = SIZE_MAX;	/* the call fails; the request was huge */
	return counted(SEG_FN_CALLOC, total, boot_real.calloc(n, size));
}

SHIM_EXPORT void *memalign(size_t align, size_t size)
{
	return counted(SEG_FN_MEMALIGN, size, boot_real.memalign(align, size));
}

SHIM_EXPORT void *aligned_alloc(size_t align, size_t size)
{
	return counted(SEG_FN_ALIGNED_ALLOC, size,
		       boot_real.aligned_alloc(align, size));
}

SHIM_EXPORT void *valloc(size_t size)
{
	return counted(SEG_FN_VALLOC, size, boot_real.valloc(size));
}

SHIM_EXPORT void *pvalloc(size_t size)
{
	return counted(SEG_FN_PVALLOC, size, boot_real.pvalloc(size));
}

SHIM_EXPORT int posix_memalign(void **out, size_t align, size_t size)
{
	void *p = NULL;
	int rc = boot_real.posix_memalign(&p, align, size);

	if (rc == 0)
		*out = p;
	(void)counted(SEG_FN_POSIX_MEMALIGN, size, rc == 0 ? p : NULL);
	return rc;
}

/* free of NULL or a bootstrap block, from a thread without a slot, or
 * from inside our own code. */
static SHIM_COLD void free_slow(void *p)
{
	struct tls_state *t = &tls_self;
	struct pub_call k = { .fn = SEG_FN_FREE, .old = p };

	if (boot_in_arena(p))
		return;		/* bootstrap blocks are never freed */
	if (p != NULL && t->depth == 0) {
		k.old_usable = boot_usable(p);
		if (ptr_maybe(p))
			sample_free(p, 0);
	}
	boot_real.free(p);
	if (t->depth == 0 && t->ctr != NULL && p == NULL) {
		tls_add(&t->ctr->fn[SEG_FN_FREE].calls, 1);
		tls_add(&t->ctr->free_null, 1);
	} else {
		pub_slow(t, &k);
	}
}

/* A slotted thread's free of NULL or of a block that may be sampled or
 * from the bootstrap arena (their filter buckets are marked), or of an
 * mmap'ed chunk: the whole call, out of line. */
static SHIM_COLD void free_unusual(struct seg_counters *c, void *p)
{
	if (p == NULL) {
		free_slow(p);
		return;
	}
	if (boot_in_arena(p))
		return;		/* bootstrap blocks are never freed */
	if (ptr_maybe(p))
		ptr_prefetch(p);	/* its miss overlaps the header's */
	tls_add(&c->fn[SEG_FN_FREE].calls, 1);
	tls_count_free(c, boot_usable(p) + SEG_SPAN_EXTRA);
	/* Before the real free: once it runs, another thread may get p back
	 * and sample it anew. */
	if (ptr_maybe(p))
		sample_free(p, 0);
	boot_real.free(p);
}

SHIM_EXPORT void free(void *p)
{
	struct tls_state *t = &tls_self;
	struct seg_counters *c = t->ctr;

	/* ctr != NULL: slotted and outside our own code (tls.h).  NULL's
	 * filter bucket is marked too (ptrmap.c): no test of its own. */
	if (likely(c != NULL)) {
		size_t word;

		if (unlikely(ptr_maybe(p))) {
			free_unusual(c, p);
			return;
		}
		word = boot_chunk_word(p);
		if (unlikely(is_mmapped(word))) {
			free_unusual(c, p);
			return;
		}
		tls_add(&c->fn[SEG_FN_FREE].calls, 1);
		tls_count_free(c, span_of(word));
		boot_real.free(p);
		return;
	}
	free_slow(p);
}

/* A block of the bootstrap arena handed to realloc: copy it out. */
static void *realloc_from_arena(void *old, size_t size)
{
	size_t have = boot_arena_usable(old);
	void *p = malloc(size);

	if (p != NULL)
		__builtin_memcpy(p, old, have < size ? have : size);
	return p;
}

/* realloc and reallocarray, everything but the common cases: a bootstrap
 * or sampled old block, a zero size, a failure, a thread without a slot,
 * a sample due.  Old is released and a block of size bytes
 * allocated, unless the call failed (old stays) or freed old for a zero
 * size (glibc's realloc(p, 0)). */
static SHIM_COLD void *realloc_general(enum seg_fn fn, void *old, size_t size,
				       uintptr_t ret)
{
	struct tls_state *t = &tls_self;
	struct pub_call k = { .fn = fn, .req = size, .ret = ret };
	size_t old_usable = 0;
	void *p;

	if (boot_in_arena(old))
		return realloc_from_arena(old, size);
	if (old != NULL) {
		if (ptr_maybe(old))
			ptr_prefetch(old);	/* overlaps the header's miss */
		old_usable = boot_usable(old);
		/* Before the call: once old is released, another thread may
		 * get its address back and sample it anew. */
		if (ptr_maybe(old) && t->depth == 0)
			sample_free(old, size);
	}
	p = boot_real.realloc(old, size);
	if (p != NULL) {
		t->countdown -= (int64_t)size;
		if (t->countdown <= 0)
			ptr_prefetch(p);	/* a sample is due */
		k.ptr = p;
		k.usable = boot_usable(p);
		k.old = old;
		k.old_usable = old_usable;
	} else if (old != NULL && size == 0) {
		k.req = 0;
		k.old = old;		/* glibc freed it */
		k.old_usable = old_usable;
	} else {
		k.failed = true;
	}
	pub_slow(t, &k);
	return p;
}

/* The real realloc has run; the fast path cannot count it (failure, a
 * sample due, an mmap'ed chunk).  The fast path counted old's span as
 * released before the call, if there was an old block: a failure, which
 * leaves old to the program, takes that back. */
static SHIM_COLD void *realloc_done_slow(enum seg_fn fn, void *old,
					 size_t size, void *p, uintptr_t ret)
{
	struct tls_state *t = &tls_self;
	struct pub_call k = { .fn = fn, .req = size, .ptr = p, .old = old,
			      .old_counted = true, .failed = p == NULL,
			      .ret = ret };

	if (p != NULL) {
		k.usable = boot_usable(p);
	} else if (old != NULL) {
		tls_add(&t->ctr->free_spans,
			-(uint64_t)span_of(boot_chunk_word(old)));
		k.old = NULL;
	}
	pub_slow(t, &k);
	return p;
}

/* realloc(NULL, size) from a slotted thread: a new block, no old one (the
 * reader derives the reallocs that released a block from this count). */
static inline __attribute__((always_inline)) void *
realloc_new(struct tls_state *t, struct seg_counters *c, enum seg_fn fn,
	    size_t size, uintptr_t ret)
{
	void *p = boot_real.realloc(NULL, size);
	size_t word;

	if (unlikely(p == NULL) ||
	    unlikely(!tls_sub_above_zero(&t->countdown, (int64_t)size)))
		return realloc_done_slow(fn, NULL, size, p, ret);
	word = boot_chunk_word(p);
	if (unlikely(is_mmapped(word)))
		return realloc_done_slow(fn, NULL, size, p, ret);
	c = t->ctr;	/* a load, not a register kept across the call */
	tls_count_alloc(c, fn, size, span_of(word));
	tls_add(&c->realloc_news, 1);
	return p;
}

/* The common cases, inline: a slotted thread moving a live, unsampled
 * heap block, or NULL, to a non-zero size, and getting a heap block. */
static inline __attribute__((always_inline)) void *
realloc_common(enum seg_fn fn, void *old, size_t size)
{
	struct tls_state *t = &tls_self;
	struct seg_counters *c = t->ctr;
	size_t old_word, word;
	void *p;

	if (unlikely(c == NULL || size == 0))
		return realloc_general(fn, old, size,
				       (uintptr_t)__builtin_return_address(0));
	if (old == NULL)
		return realloc_new(t, c, fn, size,
				   (uintptr_t)__builtin_return_address(0));
	if (unlikely(ptr_maybe(old)))
		return realloc_general(fn, old, size,
				       (uintptr_t)__builtin_return_address(0));
	old_word = boot_chunk_word(old);
	if (unlikely(is_mmapped(old_word)))
		return realloc_general(fn, old, size,
				       (uintptr_t)__builtin_return_address(0));
	/* Old's release is counted before the call, so that only old and
	 * size have to outlive it (each a register saved and restored). */
	tls_count_free(c, span_of(old_word));
	p = boot_real.realloc(old, size);
	t = &tls_self;
	if (unlikely(p == NULL) ||
	    unlikely(!tls_sub_above_zero(&t->countdown, (int64_t)size)))
		return realloc_done_slow(fn, old, size, p,
				(uintptr_t)__builtin_return_address(0));
	word = boot_chunk_word(p);
	if (unlikely(is_mmapped(word)))
		return realloc_done_slow(fn, old, size, p,
				(uintptr_t)__builtin_return_address(0));
	c = t->ctr;
	tls_count_alloc(c, fn, size, span_of(word));
	if (p != old)
		tls_add(&c->realloc_moves, 1);
	return p;
}

SHIM_EXPORT void *realloc(void *old, size_t size)
{
	return realloc_common(SEG_FN_REALLOC, old, size);
}

/* Not forwarded to the C library's reallocarray: glibc's calls realloc
 * through the PLT, which would count the call twice. */
SHIM_EXPORT void *reallocarray(void *old, size_t n, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(n, size, &total)) {
		struct pub_call k = { .fn = SEG_FN_REALLOCARRAY,
				      .failed = true };

		pub_slow(&tls_self, &k);
		errno = ENOMEM;
		return NULL;
	}
	return realloc_common(SEG_FN_REALLOCARRAY, old, total);
}

SHIM_EXPORT size_t malloc_usable_size(void *p)
{
	if (unlikely(boot_in_arena(p)))
		return boot_arena_usable(p);
	return p ? boot_real.usable(p) : 0;
}

SHIM_EXPORT void alloctop_ops_v1(uint64_t n)
{
	pub_ops(&tls_self, n);
}

/* pipe2 is a system call and nothing more in glibc.  Made by libunwind's
 * code, the pipe is moved out of the program's way (stack.c); the
 * program's own pipes are the system call's. */
SHIM_EXPORT int pipe2(int fds[2], int flags)
{
	return stack_pipe2(fds, flags, (uintptr_t)__builtin_return_address(0));
}

/* dlopen: the new object's code may allocate; publish it for symbols. */
SHIM_EXPORT void *dlopen(const char *file, int mode)
{
	static void *(*real_dlopen)(const char *, int);
	struct tls_state *t = &tls_self;
	void *h;

	if (real_dlopen == NULL) {
		tls_enter(t);
		real_dlopen = (void *(*)(const char *, int))dlsym(RTLD_NEXT,
								   "dlopen");
		tls_leave(t);
		if (real_dlopen == NULL)
			return NULL;
	}
	h = real_dlopen(file, mode);
	if (h != NULL && t->depth == 0) {
		int saved = errno;

		tls_enter(t);
		mod_refresh();
		tls_leave(t);
		errno = saved;
	}
	return h;
}
