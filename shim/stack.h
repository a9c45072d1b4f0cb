/* shim/stack.h - call-stack capture with libunwind. */
#ifndef ALLOCTOP_SHIM_STACK_H
#define ALLOCTOP_SHIM_STACK_H

/* First use of libunwind builds caches and may allocate or take loader
 * locks: done once from the constructor, under the reentrancy guard. */
void stack_warm_up(void);

/* Fills frames[0..max) with return addresses, innermost first, our own
 * frames removed; returns the count.  Call under the reentrancy guard. */
int stack_capture(void **frames, int max);

#endif
