/* src/collect/snapshot.c - figures derived from a snapshot. */
#include "config.h"

#include <string.h>

#include "collect/snapshot.h"

uint64_t snap_alloc_calls(const struct snapshot *s)
{
	uint64_t n = 0;

	for (int f = 0; f < SEG_FN_FREE; f++)
		n += s->total.fn[f].calls;
	return n;
}

uint64_t snap_requested_bytes(const struct snapshot *s)
{
	uint64_t n = 0;

	for (int f = 0; f < SEG_FN_FREE; f++)
		n += s->total.fn[f].bytes;
	return n;
}

uint64_t snap_failed(const struct snapshot *s)
{
	uint64_t n = 0;

	for (int f = 0; f < SEG_FN_COUNT; f++)
		n += s->total.fn[f].failed;
	return n;
}

uint64_t snap_live_bytes(const struct snapshot *s)
{
	const struct seg_counters *c = &s->total;

	return c->alloc_bytes > c->free_bytes ?
		       c->alloc_bytes - c->free_bytes : 0;
}

uint64_t snap_live_blocks(const struct snapshot *s)
{
	const struct seg_counters *c = &s->total;

	return c->alloc_blocks > c->free_blocks ?
		       c->alloc_blocks - c->free_blocks : 0;
}

double snap_slack_ratio(const struct snapshot *s)
{
	double usable = (double)s->total.alloc_bytes;
	double req = (double)snap_requested_bytes(s);

	if (usable <= 0 || req >= usable)
		return 0;
	return (usable - req) / usable;
}

static double per_s(uint64_t a, uint64_t b, double dt)
{
	return b >= a ? (double)(b - a) / dt : 0;
}

void snap_rates(const struct snapshot *prev, const struct snapshot *cur,
		struct snap_rates *out)
{
	const struct seg_counters *a = &prev->total;
	const struct seg_counters *b = &cur->total;
	double dt = (double)(cur->mono_ns - prev->mono_ns) / 1e9;

	memset(out, 0, sizeof *out);
	if (cur->mono_ns <= prev->mono_ns)
		return;
	out->interval_s = dt;
	out->allocs_per_s = per_s(a->alloc_blocks, b->alloc_blocks, dt);
	out->frees_per_s = per_s(a->free_blocks, b->free_blocks, dt);
	out->bytes_per_s = per_s(snap_requested_bytes(prev),
				 snap_requested_bytes(cur), dt);
	out->usable_bytes_per_s = per_s(a->alloc_bytes, b->alloc_bytes, dt);
	out->freed_bytes_per_s = per_s(a->free_bytes, b->free_bytes, dt);
	out->ops_per_s = per_s(a->ops, b->ops, dt);
	for (int f = 0; f < SEG_FN_COUNT; f++)
		out->calls_per_s[f] = per_s(a->fn[f].calls, b->fn[f].calls,
					    dt);
}

const char *snap_fn_name(enum seg_fn fn)
{
	static const char *const names[SEG_FN_COUNT] = {
		[SEG_FN_MALLOC] = "malloc",
		[SEG_FN_CALLOC] = "calloc",
		[SEG_FN_REALLOC] = "realloc",
		[SEG_FN_REALLOCARRAY] = "reallocarray",
		[SEG_FN_POSIX_MEMALIGN] = "posix_memalign",
		[SEG_FN_ALIGNED_ALLOC] = "aligned_alloc",
		[SEG_FN_MEMALIGN] = "memalign",
		[SEG_FN_VALLOC] = "valloc",
		[SEG_FN_PVALLOC] = "pvalloc",
		[SEG_FN_FREE] = "free",
	};

	return (unsigned)fn < SEG_FN_COUNT ? names[fn] : "?";
}

const char *snap_state_name(uint32_t state)
{
	switch (state) {
	case SEG_STATE_STARTING: return "starting";
	case SEG_STATE_RUNNING: return "running";
	case SEG_STATE_EXITED: return "exited";
	case SEG_STATE_EXECED: return "execed";
	default: return "?";
	}
}
