/* shim/sample.h - when to sample, and what a sample records. */
#ifndef ALLOCTOP_SHIM_SAMPLE_H
#define ALLOCTOP_SHIM_SAMPLE_H

#include <stdint.h>

#include "publish.h"
#include "tls.h"

/* Bytes until this thread's next sample: exponential with the configured
 * mean (Poisson sampling by bytes), 0 in exact mode (every allocation),
 * effectively never when stacks are off. */
int64_t sample_next(struct tls_state *t);

/* Records the sampled allocation k (stack, site, weight).  Called with a
 * slot, outside the reentrancy guard; raises it itself. */
void sample_take(struct tls_state *t, const struct pub_call *k);

/* Exact mode's allocation of p (req bytes, by entry point fn, returning
 * to ret), already counted in t's slot: its site from the stack cache
 * when the stack was seen before, else as sample_take.  Called with a
 * slot, outside the reentrancy guard and the sampler; keeps errno. */
void sample_exact(struct tls_state *t, enum seg_fn fn, void *p, uint64_t req,
		  uintptr_t ret);

/* A block is being freed (or moved by realloc, grown_to its new size):
 * if it was sampled, credit the free to its site.  Under no guard; takes
 * no lock. */
void sample_free(const void *p, uint64_t grown_to);

/* Bytes of the private site index. */
size_t sample_private_bytes(void);

/* After fork: the child's segment starts with no sites. */
void sample_reset(void);

#endif
