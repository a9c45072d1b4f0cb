/* shim/stack.c - call-stack capture for sampled allocations.
 *
 * unw_backtrace walks with libunwind's per-thread caches (about 70 ns for
 * a short stack once warm, PERF-NOTES.md); it is only reached for sampled
 * allocations, under the reentrancy guard, so allocations it makes itself
 * go uncounted to the real allocator.
 */
#include "config.h"

#define UNW_LOCAL_ONLY
#include <libunwind.h>

#include "stack.h"

/* Frames of ours above the interposed entry point: stack_capture,
 * pub_slow/sample, and the entry point itself. */
#define STACK_SKIP 3

void stack_warm_up(void)
{
	void *frames[8];

	unw_set_caching_policy(unw_local_addr_space, UNW_CACHE_PER_THREAD);
	(void)unw_backtrace(frames, 8);
}

int stack_capture(void **frames, int max)
{
	void *buf[64 + STACK_SKIP];
	int n;
	int i;

	if (max > 64)
		max = 64;
	n = unw_backtrace(buf, max + STACK_SKIP);
	if (n <= STACK_SKIP)
		return 0;
	for (i = 0; i + STACK_SKIP < n; i++)
		frames[i] = buf[i + STACK_SKIP];
	return n - STACK_SKIP;
}
