/* src/collect/snapshot.h - one validated copy of a target's segment, and
 * the figures derived from it.  Everything below collect/ reads these, never
 * the segment itself. */
#ifndef ALLOCTOP_COLLECT_SNAPSHOT_H
#define ALLOCTOP_COLLECT_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

#include "segment.h"

struct snapshot {
	uint64_t mono_ns;		/* CLOCK_MONOTONIC when taken */
	int pid;
	int parent_pid;			/* set for a forked child's segment */
	uint32_t state;			/* enum seg_state */
	uint32_t exec_count;
	uint64_t start_time_ticks;
	uint64_t created_ns;		/* CLOCK_REALTIME the image attached */
	uint64_t sample_bytes;
	char comm[SEG_COMM_MAX];	/* NUL-terminated by the reader */
	struct seg_counters total;	/* active slots + retired block */
	uint64_t threads_live;
	uint64_t threads_total;
	uint64_t threads_unslotted;
	uint32_t slots_active;
	uint64_t samples;		/* stacks captured */
	uint64_t stack_hits;		/* of them, answered by the stack cache */
	uint64_t sites_dropped;		/* samples sent to "other": table full */
	uint64_t ptrs_dropped;		/* sampled blocks whose free is unseen */
	uint64_t segment_bytes;		/* the segment's size */
	uint64_t private_bytes;		/* the shim's other memory */
	bool stale;			/* counts did not settle: last tick's */
};

/* Totals over the allocating entry points (every one but free). */
uint64_t snap_alloc_calls(const struct snapshot *s);
uint64_t snap_requested_bytes(const struct snapshot *s);
uint64_t snap_failed(const struct snapshot *s);
/* Live usable bytes and blocks; 0 rather than negative on bad data. */
uint64_t snap_live_bytes(const struct snapshot *s);
uint64_t snap_live_blocks(const struct snapshot *s);
/* Share of usable bytes the program did not ask for, 0..1. */
double snap_slack_ratio(const struct snapshot *s);

/* Per-second rates between two snapshots of the same image. */
struct snap_rates {
	double interval_s;
	double allocs_per_s;		/* blocks allocated */
	double frees_per_s;		/* blocks released */
	double bytes_per_s;		/* requested bytes allocated */
	double usable_bytes_per_s;
	double freed_bytes_per_s;
	double ops_per_s;
	double calls_per_s[SEG_FN_COUNT];
};

void snap_rates(const struct snapshot *prev, const struct snapshot *cur,
		struct snap_rates *out);

const char *snap_fn_name(enum seg_fn fn);
const char *snap_state_name(uint32_t state);

#endif
