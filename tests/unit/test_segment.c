/* tests/unit/test_segment.c - the size histogram's bucketing and the
 * segment layout arithmetic of shim/segment.h. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "segment.h"

static void test_small_sizes_exact(void)
{
	for (uint64_t s = 0; s < 8; s++) {
		CHECK(seg_hist_bucket(s) == s);
		CHECK(seg_hist_lower((unsigned)s) == s);
	}
}

static void test_known_buckets(void)
{
	/* 8..9 share [8,10), 10..11 [10,12), ...; 64..79 share a bucket. */
	CHECK(seg_hist_bucket(8) == 8);
	CHECK(seg_hist_bucket(9) == 8);
	CHECK(seg_hist_bucket(10) == 9);
	CHECK(seg_hist_bucket(15) == 11);
	CHECK(seg_hist_bucket(16) == 12);
	CHECK(seg_hist_bucket(64) == seg_hist_bucket(79));
	CHECK(seg_hist_bucket(80) == seg_hist_bucket(64) + 1);
	CHECK(seg_hist_lower(seg_hist_bucket(77)) == 64);
	CHECK(seg_hist_bucket(UINT64_MAX) == SEG_HIST_BUCKETS - 1);
	CHECK(seg_hist_bucket(1ull << SEG_HIST_MAX_LOG2) ==
	      SEG_HIST_BUCKETS - 1);
	CHECK(seg_hist_bucket((1ull << SEG_HIST_MAX_LOG2) - 1) ==
	      SEG_HIST_BUCKETS - 2);
}

/* Every bucket's lower bound maps to it, the one below maps to the bucket
 * before, and no bucket spans more than a quarter of its lower bound. */
static void test_bounds_round_trip(void)
{
	for (unsigned b = 1; b < SEG_HIST_BUCKETS; b++) {
		uint64_t lo = seg_hist_lower(b);
		uint64_t prev = seg_hist_lower(b - 1);

		CHECK_MSG(seg_hist_bucket(lo) == b, "bucket %u", b);
		CHECK_MSG(seg_hist_bucket(lo - 1) == b - 1, "bucket %u", b);
		CHECK_MSG(lo > prev, "bucket %u", b);
		if (prev >= 8)
			CHECK_MSG((lo - prev) * 4 <= prev, "bucket %u", b - 1);
	}
}

/* At least four buckets per power of two above 8. */
static void test_resolution(void)
{
	for (unsigned e = 3; e < SEG_HIST_MAX_LOG2; e++)
		CHECK(seg_hist_bucket((2ull << e) - 1) -
			      seg_hist_bucket(1ull << e) + 1 >= 4);
}

static void test_layout(void)
{
	struct seg_layout l;

	seg_layout_default(&l);
	CHECK(l.slots_off % SEG_ALIGN == 0);
	CHECK(l.retired_off % SEG_ALIGN == 0);
	CHECK(l.sites_off % SEG_ALIGN == 0);
	CHECK(l.modules_off % SEG_ALIGN == 0);
	CHECK(l.size % 4096 == 0);
	CHECK(seg_fits(l.modules_off,
		       (uint64_t)SEG_MAX_MODULES * sizeof(struct seg_module),
		       l.size));
	CHECK(sizeof(struct seg_slot) % SEG_ALIGN == 0);
	CHECK(sizeof(struct seg_counters) % SEG_ALIGN == 0);
	/* The fast path's counters share the slot's first counter line. */
	CHECK(offsetof(struct seg_counters, free_spans) < SEG_ALIGN);
}

static void test_fits(void)
{
	CHECK(seg_fits(0, 10, 10));
	CHECK(!seg_fits(1, 10, 10));
	CHECK(!seg_fits(11, 0, 10));
	CHECK(!seg_fits(UINT64_MAX, 2, UINT64_MAX));
	CHECK(!seg_fits(5, UINT64_MAX, 10));
}

static void test_name(void)
{
	char n[SEG_NAME_MAX];

	seg_name(n, 4242);
	CHECK(strcmp(n, "/alloctop.4242") == 0);
	seg_name(n, 2147483647);
	CHECK(strcmp(n, "/alloctop.2147483647") == 0);
}

static void test_size_buckets(void)
{
	CHECK(seg_size_bucket(0) == 0 && seg_size_bucket(15) == 0);
	CHECK(seg_size_bucket(16) == 1 && seg_size_bucket(63) == 1);
	CHECK(seg_size_bucket(64) == 2 && seg_size_bucket(4095) == 4);
	CHECK(seg_size_bucket(4096) == 5);
	CHECK(seg_size_bucket(UINT64_MAX) == SEG_SIZE_BUCKETS - 1);
	for (unsigned b = 1; b < SEG_SIZE_BUCKETS; b++) {
		CHECK_MSG(seg_size_bucket(seg_size_lower(b)) == b, "%u", b);
		CHECK_MSG(seg_size_bucket(seg_size_lower(b) - 1) == b - 1, "%u",
			  b);
	}
}

/* Lifetime buckets: 0 below 1 us, then b for [4^(b-1), 4^b) us, the last
 * one open-ended; checked against the definition at every power of two
 * and either side of it. */
static void test_life_buckets(void)
{
	CHECK(seg_life_bucket(0) == 0);
	CHECK(seg_life_bucket(999) == 0);
	CHECK(seg_life_bucket(1000) == 1);
	CHECK(seg_life_bucket(3999) == 1);
	CHECK(seg_life_bucket(4000) == 2);
	CHECK(seg_life_bucket(UINT64_MAX) == SEG_LIFE_BUCKETS - 1);
	for (unsigned k = 0; k < 64; k++) {
		for (int d = -1; d <= 1; d++) {
			uint64_t ns = (1ull << k) + (uint64_t)(int64_t)d;
			uint64_t us = ns / 1000u;
			unsigned want = 0;
			uint64_t lo = 1;

			while (us >= lo && want < SEG_LIFE_BUCKETS - 1) {
				want++;
				if (lo > UINT64_MAX / 4)
					break;
				lo *= 4;
			}
			CHECK_MSG(seg_life_bucket(ns) == want,
				  "%llu ns: bucket %u, want %u",
				  (unsigned long long)ns, seg_life_bucket(ns),
				  want);
		}
	}
}

/* Block counts and usable bytes from what the fast path adds: two
 * mallocs of 24 and 40 usable bytes, a realloc of NULL (24), a realloc
 * moving the 40 to 56, a failed calloc, a realloc(p, 0) of the 24 and a
 * free of the realloc'd 56 and a free(NULL). */
static void test_derive_blocks(void)
{
	struct seg_counters c = { 0 };

	c.fn[SEG_FN_MALLOC].calls = 2;
	c.fn[SEG_FN_CALLOC].calls = 1;
	c.fn[SEG_FN_CALLOC].failed = 1;
	c.fn[SEG_FN_REALLOC].calls = 3;
	c.realloc_news = 1;
	c.zero_frees = 1;
	c.fn[SEG_FN_FREE].calls = 2;
	c.free_null = 1;
	c.alloc_spans = (24 + 8) + (40 + 8) + (24 + 8) + (56 + 8);
	c.free_spans = (40 + 8) + (24 + 8) + (56 + 8);
	seg_derive_blocks(&c);
	CHECK(c.alloc_blocks == 4);
	CHECK(c.free_blocks == 3);
	CHECK(c.alloc_bytes == 24 + 40 + 24 + 56);
	CHECK(c.free_bytes == 40 + 24 + 56);
	/* A snapshot between a thread's adds: a count without its span. */
	CHECK(seg_usable_of_spans(8, 2) == 0);
	CHECK(seg_usable_of_spans(0, 1) == 0);
}

int main(void)
{
	test_derive_blocks();
	test_size_buckets();
	test_life_buckets();
	test_small_sizes_exact();
	test_known_buckets();
	test_bounds_round_trip();
	test_resolution();
	test_layout();
	test_fits();
	test_name();
	return check_exit();
}
