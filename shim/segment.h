/* shim/segment.h - the shared-memory format between liballoctop.so and alloctop.
 *
 * The one interface between the two processes (DESIGN.md, "The segment").
 * The shim writes it; the reader maps it read-only and trusts none of it.
 * Everything is addressed by offset from the start of the segment, never by
 * pointer; all integers are native-endian (reader and target share a host).
 *
 * Layout, in this order, each region aligned to SEG_ALIGN:
 *   struct seg_header
 *   struct seg_slot     slots[slot_count]     one per live thread
 *   struct seg_counters retired               folded counts of exited threads
 *                                             and of threads without a slot
 *   struct seg_site     sites[site_count]     sampled call sites
 *   struct seg_module   modules[module_count] loaded objects for symbolizing
 *
 * Change anything here only together with SEG_ABI_VERSION, the reader's
 * validator (src/collect/reader.c) and its tests.
 */
#ifndef ALLOCTOP_SHIM_SEGMENT_H
#define ALLOCTOP_SHIM_SEGMENT_H

#include <stdbool.h>
#include <stdint.h>

#define SEG_MAGIC 0x31504f54434f4c41ULL	/* "ALOCTOP1" read little-endian */
#define SEG_ABI_VERSION 3u
#define SEG_ALIGN 64u			/* one cache line */
#define SEG_NAME_PREFIX "/alloctop."	/* shm_open name: /dev/shm/alloctop.PID */
#define SEG_NAME_MAX 32u

/* Thread slots: 256 covers the thread pools we meet in practice; threads
 * beyond it are still counted exactly, through the shared overflow block
 * (slower, atomic adds), so the limit bounds speed, not correctness. */
#define SEG_MAX_SLOTS 256u
/* Call sites: 16384 distinct stacks, 64 frames each; a full table sends new
 * stacks to the "other" site (index 0), never to a lock or a crash. */
#define SEG_MAX_SITES 16384u
#define SEG_MAX_FRAMES 64u
/* Loaded objects: a large C++ program maps a few hundred. */
#define SEG_MAX_MODULES 1024u
#define SEG_PATH_MAX 256u
#define SEG_BUILD_ID_MAX 20u		/* SHA-1 build-ids; longer ones truncated */
#define SEG_COMM_MAX 64u

/* The entry points we interpose, in counter order. */
enum seg_fn {
	SEG_FN_MALLOC,
	SEG_FN_CALLOC,
	SEG_FN_REALLOC,
	SEG_FN_REALLOCARRAY,
	SEG_FN_POSIX_MEMALIGN,
	SEG_FN_ALIGNED_ALLOC,
	SEG_FN_MEMALIGN,
	SEG_FN_VALLOC,
	SEG_FN_PVALLOC,
	SEG_FN_FREE,
	SEG_FN_COUNT
};

/* Size histogram, log-linear: sizes 0..7 have a bucket each; above that
 * every power of two is split into SEG_HIST_SUB equal sub-buckets (so a
 * bucket spans at most 25% of its lower bound).  Sizes of 2^SEG_HIST_MAX_LOG2
 * and more (1 TiB: no real allocation succeeds there) share the last bucket. */
#define SEG_HIST_SUB_LOG2 2u
#define SEG_HIST_SUB (1u << SEG_HIST_SUB_LOG2)
#define SEG_HIST_MAX_LOG2 40u
#define SEG_HIST_BUCKETS (8u + (SEG_HIST_MAX_LOG2 - 3u) * SEG_HIST_SUB + 1u)

static inline unsigned seg_hist_bucket(uint64_t size)
{
	unsigned e;

	if (size < 8)
		return (unsigned)size;
	e = 63u - (unsigned)__builtin_clzll(size);
	if (e >= SEG_HIST_MAX_LOG2)
		return SEG_HIST_BUCKETS - 1u;
	return 8u + (e - 3u) * SEG_HIST_SUB +
	       (unsigned)((size >> (e - SEG_HIST_SUB_LOG2)) & (SEG_HIST_SUB - 1u));
}

/* Smallest size that lands in bucket b (b < SEG_HIST_BUCKETS). */
static inline uint64_t seg_hist_lower(unsigned b)
{
	unsigned e;
	uint64_t sub;

	if (b < 8)
		return b;
	e = 3u + (b - 8u) / SEG_HIST_SUB;
	sub = (b - 8u) % SEG_HIST_SUB;
	return (1ull << e) + (sub << (e - SEG_HIST_SUB_LOG2));
}

/* One entry point's counters. */
struct seg_fn_counters {
	uint64_t calls;			/* calls, failed ones included */
	uint64_t bytes;			/* bytes requested (the size argument) */
	uint64_t failed;		/* calls that returned NULL or an error */
	uint64_t pad;
};

/* Per-thread counters.  In a slot, written only by the owning thread with
 * single-instruction adds (a signal handler on the same thread cannot tear
 * them); in the retired block, with atomic adds.  All are monotonic. */
struct seg_counters {
	/* hot line: what every malloc/free touches.  A block's span is its
	 * usable size plus SEG_SPAN_EXTRA: glibc's chunk size, which the
	 * fast path adds as it reads it from the chunk header. */
	uint64_t alloc_spans;		/* spans of allocated blocks */
	uint64_t free_spans;		/* spans of released blocks */
	uint64_t ops;			/* sum of alloctop_ops() arguments */
	uint64_t realloc_moves;		/* reallocs that returned a new address */
	uint64_t free_null;		/* free(NULL) calls */
	uint64_t realloc_news;		/* reallocs of NULL that made a block:
					 * the reallocs that released an old
					 * block are derived from it */
	uint64_t zero_frees;		/* realloc(p, 0) that freed p, no block */
	uint64_t pad;
	/* Derived by the reader (seg_derive_blocks), never written by the
	 * shim: block counts cost the fast path nothing this way. */
	uint64_t alloc_blocks;		/* successful allocations (new blocks) */
	uint64_t free_blocks;		/* blocks released (free, realloc) */
	uint64_t alloc_bytes;		/* usable bytes of allocated blocks */
	uint64_t free_bytes;		/* usable bytes of released blocks */
	/* Sampler statistics (only slotted threads sample), kept per thread:
	 * in the header they were a line every thread fought over. */
	uint64_t samples;		/* stacks captured */
	uint64_t stack_hits;		/* of them, answered by the stack cache */
	uint64_t pad2[2];
	struct seg_fn_counters fn[SEG_FN_COUNT];
	uint64_t hist[SEG_HIST_BUCKETS];	/* requested sizes of allocations */
} __attribute__((aligned(SEG_ALIGN)));

enum seg_slot_state {
	SEG_SLOT_FREE = 0,
	SEG_SLOT_ACTIVE = 1,
};

struct seg_slot {
	uint32_t state;			/* enum seg_slot_state; under header.claim_seq */
	int32_t tid;			/* owning thread's kernel tid */
	uint64_t claimed_ns;		/* CLOCK_MONOTONIC at claim */
	uint8_t pad[SEG_ALIGN - 16];
	struct seg_counters c;
} __attribute__((aligned(SEG_ALIGN)));

enum seg_state {
	SEG_STATE_STARTING = 0,		/* header being filled in */
	SEG_STATE_RUNNING = 1,
	SEG_STATE_EXITED = 2,		/* the image exited normally */
	SEG_STATE_EXECED = 3,		/* replaced by a new image's segment */
};

/* One sampled call site.  Appended once (frames, hash, nframes written,
 * then header.sites_used raised with release), never moved; its counters
 * are then bumped with atomic adds by any thread that samples it, so each is
 * monotonic but two of them may be a sample apart in a snapshot.  Bytes and
 * objects are estimates: every sample adds the weight that makes them
 * unbiased under Poisson sampling by bytes (exact when sample_bytes is 1).
 * Entry 0 is "other": samples that found the table full. */
#define SEG_LIFE_BUCKETS 16u		/* lifetime: [0,1us), then x4 each: ..1h+ */
#define SEG_SIZE_BUCKETS 16u		/* size: [0,16), then x4 each: ..4 GiB+ */

/* Size bucket of a call site's allocation: 0 below 16 bytes, then one per
 * factor of four (bucket b >= 1 starts at 16 * 4^(b-1)). */
static inline unsigned seg_size_bucket(uint64_t size)
{
	unsigned b;

	if (size < 16)
		return 0;
	b = 1u + (63u - (unsigned)__builtin_clzll(size) - 4u) / 2u;
	return b < SEG_SIZE_BUCKETS ? b : SEG_SIZE_BUCKETS - 1u;
}

static inline uint64_t seg_size_lower(unsigned b)
{
	return b == 0 ? 0 : 16ull << (2u * (b - 1u));
}

struct seg_site {
	uint32_t nframes;		/* valid entries in frames[] */
	uint32_t pad;
	uint64_t hash;			/* of the frames */
	uint64_t alloc_bytes;		/* estimated bytes allocated here */
	uint64_t alloc_objects;		/* estimated objects allocated here */
	uint64_t free_bytes;		/* estimated bytes of those freed */
	uint64_t free_objects;
	uint64_t samples;		/* raw sample count */
	uint64_t min_size;		/* of sampled blocks; UINT64_MAX if none */
	uint64_t max_size;
	uint64_t realloc_grows;		/* sampled blocks grown by realloc */
	uint64_t life[SEG_LIFE_BUCKETS];	/* sampled frees by lifetime */
	uint64_t sizes[SEG_SIZE_BUCKETS];	/* estimated objects by size */
	uint64_t frames[SEG_MAX_FRAMES];	/* return addresses, innermost first */
} __attribute__((aligned(SEG_ALIGN)));

/* Lifetime bucket of a block that lived ns nanoseconds. */
static inline unsigned seg_life_bucket(uint64_t ns)
{
	uint64_t us = ns / 1000u;
	unsigned b;

	if (us == 0)
		return 0;
	/* Base-4 digits of us: half its bit length, rounded up. */
	b = (64u - (unsigned)__builtin_clzll(us) + 1u) / 2u;
	return b < SEG_LIFE_BUCKETS - 1u ? b : SEG_LIFE_BUCKETS - 1u;
}

/* A loaded object.  Written once, before modules_used is raised. */
struct seg_module {
	uint32_t pad0;
	uint32_t build_id_len;
	uint64_t base;			/* load bias (dlpi_addr) */
	uint64_t lo, hi;		/* address range of its PT_LOAD segments */
	uint8_t build_id[SEG_BUILD_ID_MAX];
	uint8_t pad[4];
	char path[SEG_PATH_MAX];	/* NUL-terminated unless corrupt */
} __attribute__((aligned(SEG_ALIGN)));

struct seg_header {
	uint64_t magic;			/* SEG_MAGIC */
	uint32_t abi_version;		/* SEG_ABI_VERSION */
	uint32_t header_size;		/* sizeof(struct seg_header) */
	uint64_t segment_size;		/* bytes, = file size */
	int32_t pid;
	uint32_t state;			/* enum seg_state */
	uint64_t start_time_ticks;	/* /proc/PID/stat field 22: detects pid reuse */
	uint64_t created_ns;		/* CLOCK_REALTIME when this image attached */
	uint64_t sample_bytes;		/* mean sampling period; 0 = no stacks */
	uint32_t exec_count;		/* execs of this pid seen under the shim */
	uint32_t parent_pid;		/* set in a forked child, else 0 */
	char comm[SEG_COMM_MAX];	/* the image's executable name */

	/* region table */
	uint64_t slots_off;
	uint32_t slot_count;		/* entries in slots[] (= SEG_MAX_SLOTS) */
	uint32_t slot_size;		/* sizeof(struct seg_slot) */
	uint64_t retired_off;
	uint64_t sites_off;
	uint32_t site_count;
	uint32_t site_size;
	uint64_t modules_off;
	uint32_t module_count;
	uint32_t module_size;

	/* live state */
	uint32_t claim_seq;		/* odd while a slot is claimed or retired */
	uint32_t modules_used;		/* entries of modules[] filled */
	uint64_t threads_live;		/* threads holding or wanting a slot */
	uint64_t threads_total;		/* threads ever seen counting */
	uint64_t threads_unslotted;	/* threads that found no free slot */
	uint64_t sites_used;		/* site entries filled (incl. "other") */
	uint64_t sites_dropped;		/* samples sent to "other": table full */
	uint64_t modules_seq;		/* bumped whenever modules[] changes */
	uint64_t ptrs_dropped;		/* sampled blocks the pointer map had no
					 * room for: their frees go unattributed */
	uint64_t private_bytes;		/* the shim's own memory besides this
					 * segment: fixed tables plus a stack
					 * cache per sampling thread */
} __attribute__((aligned(SEG_ALIGN)));

/* What a block's span adds to its usable size: glibc's chunk header word
 * (a heap chunk's size is its usable size plus this one word). */
#define SEG_SPAN_EXTRA 8u

/* Usable bytes of n blocks of these spans.  A snapshot taken between a
 * thread's adds may see a block's count before its span: never below 0. */
static inline uint64_t seg_usable_of_spans(uint64_t spans, uint64_t n)
{
	return spans > SEG_SPAN_EXTRA * n ? spans - SEG_SPAN_EXTRA * n : 0;
}

/* Fills in the block counts and usable bytes of summed counters: every
 * successful call of an allocating entry point made a block, except a
 * realloc(p, 0) that only freed; blocks were released by free of non-NULL
 * and by every successful realloc but those of NULL (a zero-size one
 * released its block and made none).  The fast path so counts a realloc
 * with no add of its own, and adds spans as it reads them. */
static inline void seg_derive_blocks(struct seg_counters *c)
{
	uint64_t made = 0;
	uint64_t reallocs = 0;

	for (unsigned f = 0; f < SEG_FN_FREE; f++)
		made += c->fn[f].calls - c->fn[f].failed;
	for (unsigned f = SEG_FN_REALLOC; f <= SEG_FN_REALLOCARRAY; f++)
		reallocs += c->fn[f].calls - c->fn[f].failed;
	c->alloc_blocks = made - c->zero_frees;
	c->free_blocks = c->fn[SEG_FN_FREE].calls - c->free_null +
			 reallocs - c->realloc_news;
	c->alloc_bytes = seg_usable_of_spans(c->alloc_spans, c->alloc_blocks);
	c->free_bytes = seg_usable_of_spans(c->free_spans, c->free_blocks);
}

/* Where each region starts in a segment laid out by this ABI version.  The
 * reader never relies on it: it checks the offsets the header declares. */
struct seg_layout {
	uint64_t slots_off;
	uint64_t retired_off;
	uint64_t sites_off;
	uint64_t modules_off;
	uint64_t size;
};

static inline void seg_layout_default(struct seg_layout *l)
{
	l->slots_off = sizeof(struct seg_header);
	l->retired_off = l->slots_off +
			 (uint64_t)SEG_MAX_SLOTS * sizeof(struct seg_slot);
	l->sites_off = l->retired_off + sizeof(struct seg_counters);
	l->modules_off = l->sites_off +
			 (uint64_t)SEG_MAX_SITES * sizeof(struct seg_site);
	l->size = l->modules_off +
		  (uint64_t)SEG_MAX_MODULES * sizeof(struct seg_module);
	l->size = (l->size + 4095u) & ~(uint64_t)4095u;
}

/* The shm_open name of pid's segment, without stdio (the shim may not). */
static inline void seg_name(char out[SEG_NAME_MAX], int pid)
{
	char digits[12];
	unsigned n = 0;
	unsigned i = 0;
	unsigned v = (unsigned)pid;

	do {
		digits[n++] = (char)('0' + v % 10u);
		v /= 10u;
	} while (v != 0 && n < sizeof digits);
	for (const char *p = SEG_NAME_PREFIX; *p != '\0'; p++)
		out[i++] = *p;
	while (n > 0)
		out[i++] = digits[--n];
	out[i] = '\0';
}

/* [off, off + len) lies within size bytes; no sum can wrap. */
static inline bool seg_fits(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

#endif
