/* shim/ptrmap.c - open addressing, linear probing, lock-free.
 *
 * Slots are claimed with a CAS on the pointer word and released by storing
 * a tombstone (or empty, when the process has one thread and the next slot
 * is empty, so that no probe runs past this one).  Inserts reuse
 * tombstones, and a lookup stops after MAX_PROBE slots, so a table that
 * many threads have filled with tombstones costs a bounded probe.
 *
 * The table is mmap'ed once at its final size: 64 Ki
 * entries (2 MiB) with sampling, where live sampled blocks number about
 * live bytes / period; 2 Mi entries (64 MiB) in exact mode, where every
 * live block is here.  A full table drops the sample (header.ptrs_dropped):
 * a fixed memory bound, at the price of that block's free going unnoticed.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/single_threaded.h>

#include "ptrmap.h"
#include "publish.h"

#define EMPTY 0u
#define DELETED 1u
/* Probe at most this far: beyond it the table is too full to be useful. */
#define MAX_PROBE 64u

uint8_t ptr_filter[1u << PTR_FILTER_BITS];
bool ptr_all;

static struct ptr_entry *table;
static uint64_t mask;
/* Entries of an older generation (before a fork) are dead: O(1) reset. */
static uint32_t generation = 1;

void ptr_init(uint64_t sample_bytes)
{
	uint64_t n = sample_bytes == 1 ? (1u << 21) : (1u << 16);
	void *m = mmap(NULL, n * sizeof *table, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	/* NULL's bucket: free's fast path then needs no NULL test. */
	ptr_pin(NULL);
	if (m == MAP_FAILED)
		return;		/* no attribution of frees; counts unaffected */
	table = m;
	mask = n - 1;
	pub_private_bytes((int64_t)(n * sizeof *table) +
			  (int64_t)sizeof ptr_filter);
	ptr_all = sample_bytes == 1;
	if (ptr_all)
		for (unsigned i = 1; i < (1u << PTR_FILTER_BITS); i++)
			ptr_filter[i] = 1;
}

static void filter_add(const void *p, int d)
{
	uint8_t *f = &ptr_filter[ptr_bucket(p)];
	uint8_t v = __atomic_load_n(f, __ATOMIC_RELAXED);

	/* A saturated counter stays so: a false positive forever, never a
	 * false negative. */
	while (v != 255 && !(d < 0 && v == 0)) {
		if (__atomic_compare_exchange_n(f, &v, (uint8_t)(v + d), true,
						__ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return;
	}
}

void ptr_pin(const void *p)
{
	__atomic_store_n(&ptr_filter[ptr_bucket(p)], 255, __ATOMIC_RELAXED);
}

/* Takes the free slot e (holding cur) for p; false if another thread won
 * it.  With one thread in the process there is no race, and no signal
 * handler of ours either (the sampler's flag keeps handlers from sampling
 * while we insert): a plain store, no locked instruction. */
static bool claim(struct ptr_entry *e, uintptr_t cur, const void *p)
{
	if (__libc_single_threaded) {
		__atomic_store_n(&e->ptr, (uintptr_t)p, __ATOMIC_RELEASE);
		return true;
	}
	return __atomic_compare_exchange_n(&e->ptr, &cur, (uintptr_t)p, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}

void ptr_prefetch(const void *p)
{
	if (table != NULL)
		__builtin_prefetch(&table[ptr_hash(p) & mask], 1);
}

bool ptr_insert(const void *p, uint32_t site, uint64_t size, uint64_t ns)
{
	uint64_t i;

	if (table == NULL)
		return false;
	i = ptr_hash(p) & mask;
	for (unsigned k = 0; k < MAX_PROBE; k++, i = (i + 1) & mask) {
		struct ptr_entry *e = &table[i];
		uintptr_t cur = __atomic_load_n(&e->ptr, __ATOMIC_ACQUIRE);

		if (cur == (uintptr_t)p)
			goto fill;	/* a stale entry of a missed free */
		if ((cur == EMPTY || cur == DELETED) && claim(e, cur, p)) {
			if (!ptr_all)
				filter_add(p, 1);
			goto fill;
		}
		if (cur == EMPTY)
			k--;		/* lost a race for this slot: retry it */
		continue;
fill:
		e->pad = generation;
		e->site = site;
		e->size = size;
		e->alloc_ns = ns;
		return true;
	}
	return false;
}

bool ptr_take(const void *p, struct ptr_entry *out)
{
	uint64_t i;

	if (table == NULL)
		return false;
	i = ptr_hash(p) & mask;
	for (unsigned k = 0; k < MAX_PROBE; k++, i = (i + 1) & mask) {
		struct ptr_entry *e = &table[i];
		uintptr_t cur = __atomic_load_n(&e->ptr, __ATOMIC_ACQUIRE);

		if (cur == EMPTY)
			return false;
		if (cur != (uintptr_t)p)
			continue;
		*out = *e;
		if (out->pad != generation)
			k = MAX_PROBE;	/* dead: remove it, report no sample */
		/* Empty again only with one thread in the process: with more,
		 * an insert may have just probed past this slot to claim the
		 * next, and a hole here would hide its entry from every
		 * lookup (a free the site would never see). */
		if (__libc_single_threaded &&
		    __atomic_load_n(&table[(i + 1) & mask].ptr,
				    __ATOMIC_RELAXED) == EMPTY)
			__atomic_store_n(&e->ptr, EMPTY, __ATOMIC_RELEASE);
		else
			__atomic_store_n(&e->ptr, DELETED, __ATOMIC_RELEASE);
		if (!ptr_all && k != MAX_PROBE)
			filter_add(p, -1);
		return k != MAX_PROBE;
	}
	return false;
}

void ptr_reset(void)
{
	/* The child's live blocks still free normally, but their sites were
	 * the parent's: a new generation forgets them without a sweep. */
	generation++;
	for (unsigned i = 0; i < (1u << PTR_FILTER_BITS); i++)
		if (ptr_filter[i] != 255)	/* keep pinned buckets */
			ptr_filter[i] = ptr_all;
}
