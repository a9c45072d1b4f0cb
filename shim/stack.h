/* shim/stack.h - call-stack capture with libunwind, and a per-thread cache
 * of stacks for exact mode. */
#ifndef ALLOCTOP_SHIM_STACK_H
#define ALLOCTOP_SHIM_STACK_H

#include <stdbool.h>
#include <stdint.h>

#include "tls.h"

/* First use of libunwind builds caches and may allocate or take loader
 * locks: done once from the constructor, under the reentrancy guard. */
void stack_warm_up(void);

/* pipe2, called from caller: from libunwind's code (stack.c), the pipe it
 * keeps for checking memory is moved to numbers out of the program's way;
 * anyone else's is the system call's. */
int stack_pipe2(int fds[2], int flags, uintptr_t caller);

/* The program's stack at an interposed entry point: frames[0..n) return
 * addresses, innermost first, our own frames removed; returns n.
 *
 * ret is the entry point's return address and key an address that sits at
 * a fixed distance from the program's stack pointer for a given call path
 * (the caller's frame address); when both are non-zero a per-thread cache
 * answers repeated stacks without unwinding: a hit is taken only if every
 * return address it remembers is still in its slot on the stack.  *site
 * receives the call-site number remembered with a hit, or UINT32_MAX (only
 * then are frames[] filled in: a known site needs none); *cached is true
 * for a hit.  Returns 0, no stack, when the program has taken over the
 * descriptor numbers of libunwind's pipe. */
int stack_capture(struct tls_state *t, uintptr_t ret, uintptr_t key,
		  void **frames, int max, uint32_t *site, bool *cached);

/* Exact mode's common case, in full: the site number the cache remembers
 * for this stack (ret and key as for stack_capture), or UINT32_MAX when it
 * knows none; then stack_capture, with the same key. */
uint32_t stack_known_site(struct tls_state *t, uintptr_t ret, uintptr_t key);

/* Remembers the site number of the stack stack_capture just returned. */
void stack_remember_site(struct tls_state *t, uint32_t site);

/* pthread_atfork's three: fork waits for the stack walks under way and
 * holds new ones off, so that no child inherits a lock of libunwind's
 * that another thread held. */
void stack_fork_prepare(void);
void stack_fork_parent(void);
void stack_fork_child(void);

/* Forget every remembered site number (a fork gave us a new table). */
void stack_forget_sites(void);

/* Thread exit: release the thread's cache. */
void stack_release(struct tls_state *t);

#endif
