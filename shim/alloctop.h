/* alloctop.h - optional application API of liballoctop.
 *
 * A program counts its own operations (requests served, messages handled)
 * so that alloctop can show bytes per op and allocations per op:
 *
 *	#include <alloctop.h>
 *	...
 *	handle_request(r);
 *	alloctop_ops(1);
 *
 * Header-only on the program's side: nothing to link.  The shim's entry
 * point is a weak reference, so a program built with this header runs
 * unchanged, and pays one predictable branch, when the shim is not
 * preloaded.  Async-signal-safe and thread-safe; never allocates.
 */
#ifndef ALLOCTOP_H
#define ALLOCTOP_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ALLOCTOP_API_VERSION 1

/* Exported by liballoctop.so; NULL when the shim is not loaded. */
extern void alloctop_ops_v1(uint64_t n) __attribute__((weak));

/* Adds n to this process's application-operation counter. */
static inline void alloctop_ops(uint64_t n)
{
	if (alloctop_ops_v1)
		alloctop_ops_v1(n);
}

/* True when the program runs under liballoctop. */
static inline int alloctop_active(void)
{
	return alloctop_ops_v1 != 0;
}

#ifdef __cplusplus
}
#endif

#endif
