/* shim/publish.h - the segment writer: creation, thread slots, the shared
 * (retired/overflow) block, the slow path of every counted call, fork and
 * exit handling.  Everything here is cold; preload.c holds the hot path.
 */
#ifndef ALLOCTOP_SHIM_PUBLISH_H
#define ALLOCTOP_SHIM_PUBLISH_H

#include <stdbool.h>
#include <stdint.h>

#include "segment.h"
#include "tls.h"

/* 512 KiB: the mean sampling period jemalloc and tcmalloc default to. */
#define PUB_DEFAULT_SAMPLE_BYTES (512u * 1024u)

/* What one interposed call did, for the slow path to count. */
struct pub_call {
	enum seg_fn fn;
	uint64_t req;		/* bytes asked for */
	void *ptr;		/* the new block, or NULL */
	uint64_t usable;	/* its usable size */
	void *old;		/* the block released (free, realloc), or NULL */
	uint64_t old_usable;
	bool old_counted;	/* old's release is counted already */
	bool failed;
	uintptr_t ret;		/* the entry point's return address, or 0 */
};

/* Constructor and destructor halves (boot.c calls them). */
void pub_start(void);
void pub_stop(void);

/* Counts k for thread t when the fast path cannot: no slot yet, shared
 * block, sample due, failure.  May claim a slot and draw a new countdown.
 * Preserves errno. */
void pub_slow(struct tls_state *t, const struct pub_call *k);

/* The published segment and its tables; NULL before it exists. */
struct seg_header *pub_header(void);
struct seg_module *pub_modules(void);

/* The call-site table, for the sampler on every sample (exact mode: every
 * allocation and free), so a load rather than a call. */
extern struct seg_site *pub_site_table;

static inline struct seg_site *pub_sites(void)
{
	return __atomic_load_n(&pub_site_table, __ATOMIC_ACQUIRE);
}

/* Accounts for the shim's private memory (bytes may be negative). */
void pub_private_bytes(int64_t bytes);

/* alloctop_ops() from any context. */
void pub_ops(struct tls_state *t, uint64_t n);

#endif
