/* shim/ptrmap.h - the sampled blocks still live: pointer -> call site.
 *
 * So that the free of a sampled block is attributed back to its site, and
 * live bytes per site are known.  A free of an unsampled block must stay
 * cheap: ptr_maybe() is one load from a 16 KiB counting filter (or a flag
 * in exact mode, where every block is in the map).
 */
#ifndef ALLOCTOP_SHIM_PTRMAP_H
#define ALLOCTOP_SHIM_PTRMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "tls.h"

#define PTR_FILTER_BITS 14u

/* Counts of sampled live blocks per hash bucket; all 1 in exact mode,
 * where every block is in the map. */
extern uint8_t ptr_filter[1u << PTR_FILTER_BITS];
extern bool ptr_all;

static inline uint64_t ptr_hash(const void *p)
{
	return ((uint64_t)(uintptr_t)p >> 4) * 0x9e3779b97f4a7c15ull;
}

/* The filter's bucket of p: 16-byte granules, wrapping every 256 KiB.
 * No multiply: sampled blocks are few, so the aliasing costs little. */
static inline unsigned ptr_bucket(const void *p)
{
	return (unsigned)((uintptr_t)p >> 4) & ((1u << PTR_FILTER_BITS) - 1);
}

/* False: p is certainly neither a sampled block, a bootstrap block nor
 * NULL (their buckets are marked too, so free needs no arena or NULL
 * test). */
static inline bool ptr_maybe(const void *p)
{
	return ptr_filter[ptr_bucket(p)] != 0;
}

/* Marks p's bucket for good (bootstrap blocks). */
void ptr_pin(const void *p);

struct ptr_entry {
	uintptr_t ptr;			/* 0 empty, 1 deleted */
	uint32_t site;
	uint32_t pad;			/* generation */
	uint64_t size;			/* requested bytes */
	uint64_t alloc_ns;		/* sample_clock() at allocation */
};

/* Sizes the map for the sampling period; call once, before sampling. */
void ptr_init(uint64_t sample_bytes);

/* Starts loading p's slot, for a ptr_insert or ptr_take a few hundred
 * instructions later: on a large map each is a cache miss, which would
 * otherwise wait for the block's own (its chunk header) to end first. */
void ptr_prefetch(const void *p);

/* Records a sampled block; false when the map is full. */
bool ptr_insert(const void *p, uint32_t site, uint64_t size, uint64_t ns);

/* Removes p and copies its entry out; false when p was not sampled. */
bool ptr_take(const void *p, struct ptr_entry *out);

/* After fork: the child's blocks are its own but its sites are new. */
void ptr_reset(void);

#endif
