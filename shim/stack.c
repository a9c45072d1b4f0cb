/* shim/stack.c - call-stack capture for sampled allocations.
 *
 * unw_backtrace walks with libunwind's per-thread caches (about 70 ns for
 * a short stack once warm, PERF-NOTES.md).  Our own frames are dropped by
 * address (everything inside liballoctop's mapping), not by a fixed count,
 * so inlining decisions cannot shift what the user sees.
 */
#include "config.h"

#define UNW_LOCAL_ONLY
#include <libunwind.h>
#include <link.h>

#include "segment.h"
#include "stack.h"

#define SEG_MAX_FRAMES_HINT ((int)SEG_MAX_FRAMES)

static uintptr_t self_lo, self_hi;

static int find_self(struct dl_phdr_info *i, size_t size, void *arg)
{
	uintptr_t me = (uintptr_t)arg;
	uintptr_t lo = UINTPTR_MAX;
	uintptr_t hi = 0;

	(void)size;
	for (int k = 0; k < i->dlpi_phnum; k++) {
		const ElfW(Phdr) *ph = &i->dlpi_phdr[k];
		uintptr_t a = i->dlpi_addr + ph->p_vaddr;

		if (ph->p_type != PT_LOAD)
			continue;
		if (a < lo)
			lo = a;
		if (a + ph->p_memsz > hi)
			hi = a + ph->p_memsz;
	}
	if (me >= lo && me < hi) {
		self_lo = lo;
		self_hi = hi;
		return 1;
	}
	return 0;
}

void stack_warm_up(void)
{
	void *frames[8];

	dl_iterate_phdr(find_self, (void *)(uintptr_t)stack_warm_up);
	unw_set_caching_policy(unw_local_addr_space, UNW_CACHE_PER_THREAD);
	(void)unw_backtrace(frames, 8);
}

/* Our frames above the entry point: capture, sample, slow path, entry. */
#define STACK_OURS_MAX 8

int stack_capture(void **frames, int max)
{
	void *buf[SEG_MAX_FRAMES_HINT + STACK_OURS_MAX];
	int n;
	int skip = 0;
	int out = 0;

	if (max > SEG_MAX_FRAMES_HINT)
		max = SEG_MAX_FRAMES_HINT;
	n = unw_backtrace(buf, max + STACK_OURS_MAX);
	while (skip < n && (uintptr_t)buf[skip] >= self_lo &&
	       (uintptr_t)buf[skip] < self_hi)
		skip++;
	for (int i = skip; i < n && out < max; i++)
		frames[out++] = buf[i];
	return out;
}
