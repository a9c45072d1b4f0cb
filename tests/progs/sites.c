/* tests/progs/sites.c - call sites whose every allocation is known.
 *
 *   sites exact [--cold]
 *                   a few functions, each allocating a known number of
 *                   blocks of known sizes (malloc, calloc, a realloc chain,
 *                   aligned_alloc, blocks freed by another function and by
 *                   another thread); prints what each site did as JSON.
 *                   Each thread first makes one throw-away allocation
 *                   (warm_up) unless --cold: then the first allocation of
 *                   main and of the worker thread is one the sites count.
 *   sites sampled [ROUNDS]
 *                   five sites sharing the allocated bytes 40/25/15/12/8 %,
 *                   every block freed; prints the true bytes per site.
 *   sites leak [SECONDS]
 *                   three healthy sites churning through fixed rings of
 *                   blocks and one site that never frees, paced over
 *                   SECONDS (default 3); prints what each site did.
 *   sites life      objects of two known lifetimes: lives_short frees
 *                   each block at once, lives_2ms after a 2 ms sleep.
 *
 * The JSON maps each allocating function to its truth: alloc_objects,
 * alloc_bytes (requested), free_objects, free_bytes, live_objects,
 * live_bytes, and the marker comment on the line of its allocation call,
 * which tests/e2e/sites.py finds in this file to learn the expected line.
 * Every allocating function is noinline (and the program is built with
 * -fno-inline), so the function alloctop names as the site's "where" is
 * the one below, whatever calls it.  Sizes are requested bytes, as the
 * shim records them per site.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOINLINE __attribute__((noinline, noclone))

struct truth {
	const char *name;
	const char *marker;
	uint64_t alloc_objects, alloc_bytes;
	uint64_t free_objects, free_bytes;
	uint64_t min_size, max_size;	/* of the blocks allocated */
	uint64_t realloc_grows;		/* blocks of here grown by realloc */
	const char *extra;		/* more JSON members, or NULL */
};

enum { SITE_A, SITE_B, SITE_C, SITE_D, SITE_E, SITE_F, NSITES };

static struct truth truth[NSITES] = {
	[SITE_A] = { .name = "site_a_malloc", .marker = "SITE_A" },
	[SITE_B] = { .name = "site_b_malloc", .marker = "SITE_B" },
	[SITE_C] = { .name = "site_c_calloc", .marker = "SITE_C" },
	[SITE_D] = { .name = "site_d_realloc", .marker = "SITE_D" },
	[SITE_E] = { .name = "site_e_aligned", .marker = "SITE_E" },
	[SITE_F] = { .name = "site_f_thread", .marker = "SITE_F" },
};

/* Keeps pointers observable so that nothing is optimized away. */
static volatile uintptr_t sink;

static void *check(void *p)
{
	if (p == NULL) {
		perror("sites: allocation failed");
		exit(1);
	}
	sink += (uintptr_t)p;
	return p;
}

static void alloced(int site, uint64_t size)
{
	if (truth[site].alloc_objects == 0 || size < truth[site].min_size)
		truth[site].min_size = size;
	if (size > truth[site].max_size)
		truth[site].max_size = size;
	truth[site].alloc_objects++;
	truth[site].alloc_bytes += size;
}

static void freed(int site, uint64_t size)
{
	truth[site].free_objects++;
	truth[site].free_bytes += size;
}

static void print_truth(int n)
{
	printf("{\"sites\":{");
	for (int i = 0; i < n; i++) {
		const struct truth *t = &truth[i];

		printf("%s\"%s\":{\"marker\":\"%s\",\"alloc_objects\":%llu,"
		       "\"alloc_bytes\":%llu,\"free_objects\":%llu,"
		       "\"free_bytes\":%llu,\"live_objects\":%llu,"
		       "\"live_bytes\":%llu,\"min_size\":%llu,"
		       "\"max_size\":%llu,\"realloc_grows\":%llu%s%s}",
		       i ? "," : "", t->name, t->marker,
		       (unsigned long long)t->alloc_objects,
		       (unsigned long long)t->alloc_bytes,
		       (unsigned long long)t->free_objects,
		       (unsigned long long)t->free_bytes,
		       (unsigned long long)(t->alloc_objects - t->free_objects),
		       (unsigned long long)(t->alloc_bytes - t->free_bytes),
		       (unsigned long long)t->min_size,
		       (unsigned long long)t->max_size,
		       (unsigned long long)t->realloc_grows,
		       t->extra ? "," : "", t->extra ? t->extra : "");
	}
	printf("}}\n");
}

/* ---- exact ------------------------------------------------------------ */

/* n blocks of 48 bytes; called from two places, so two stacks (two sites
 * in alloctop's table) share this function and line. */
static NOINLINE void site_a_malloc(void **out, int n)
{
	for (int i = 0; i < n; i++) {
		out[i] = check(malloc(48)); /* SITE_A */
		alloced(SITE_A, 48);
	}
}

static NOINLINE void site_b_malloc(void **out, int n)
{
	for (int i = 0; i < n; i++) {
		out[i] = check(malloc(4096)); /* SITE_B */
		alloced(SITE_B, 4096);
	}
}

static NOINLINE void site_c_calloc(void **out, int n)
{
	for (int i = 0; i < n; i++) {
		out[i] = check(calloc(1, 100)); /* SITE_C */
		alloced(SITE_C, 100);
	}
}

/* One buffer grown 64 bytes a step from nothing: every step is a realloc
 * at this site, and each frees the block the previous step made here. */
static NOINLINE void *site_d_realloc(int steps)
{
	void *p = NULL;

	for (int i = 1; i <= steps; i++) {
		p = check(realloc(p, (size_t)64 * (size_t)i)); /* SITE_D */
		alloced(SITE_D, (uint64_t)64 * (uint64_t)i);
		if (i > 1) {
			freed(SITE_D, (uint64_t)64 * (uint64_t)(i - 1));
			truth[SITE_D].realloc_grows++;
		}
	}
	return p;
}

static NOINLINE void site_e_aligned(void **out, int n)
{
	for (int i = 0; i < n; i++) {
		out[i] = check(aligned_alloc(64, 320)); /* SITE_E */
		alloced(SITE_E, 320);
	}
}

/* Blocks freed far from where they were made. */
static NOINLINE void release(void **p, int n, int site, uint64_t size)
{
	for (int i = 0; i < n; i++) {
		free(p[i]);
		freed(site, size);
	}
}

enum { F_BLOCKS = 500 };
static void *f_blocks[F_BLOCKS];

static NOINLINE void site_f_thread(void)
{
	for (int i = 0; i < F_BLOCKS; i++)
		f_blocks[i] = check(malloc(72)); /* SITE_F */
}

static int cold;

/* One allocation outside every counted site, so that a thread's first
 * allocation (which claims its counter slot in the shim) is not one of
 * them; tests/e2e/sites_first.sh runs without it (--cold). */
static NOINLINE void warm_up(void)
{
	if (!cold)
		free(check(malloc(8)));
}

static void *f_main(void *arg)
{
	(void)arg;
	warm_up();
	site_f_thread();
	return NULL;
}

static NOINLINE void caller_one(void **a)
{
	site_a_malloc(a, 600);
}

static NOINLINE void caller_two(void **a)
{
	site_a_malloc(a, 400);
}

static int run_exact(void)
{
	static void *a[1000], *b[250], *c[300], *e[77];
	pthread_t th;
	void *d;

	warm_up();
	truth[SITE_A].extra =
		"\"callers\":{\"caller_one\":600,\"caller_two\":400}";
	caller_one(a);
	caller_two(a + 600);
	site_b_malloc(b, 250);
	site_c_calloc(c, 300);
	d = site_d_realloc(200);
	site_e_aligned(e, 77);
	if (pthread_create(&th, NULL, f_main, NULL) != 0 ||
	    pthread_join(th, NULL) != 0) {
		fprintf(stderr, "sites: thread failed\n");
		return 1;
	}
	for (int i = 0; i < F_BLOCKS; i++)
		alloced(SITE_F, 72);
	/* A: all freed.  B: all kept.  C: half freed.  D: the last block
	 * kept.  E: all freed.  F: made by a thread, all freed by main. */
	release(a, 1000, SITE_A, 48);
	release(c, 150, SITE_C, 100);
	release(e, 77, SITE_E, 320);
	release(f_blocks, F_BLOCKS, SITE_F, 72);
	sink += (uintptr_t)d + (uintptr_t)b[0] + (uintptr_t)c[299];
	print_truth(NSITES);
	return 0;
}

/* ---- sampled ---------------------------------------------------------- */

/* Per round, site i allocates share[i] units of 64 KiB in blocks of
 * bsize[i] bytes and frees them: 6.25 MiB a round, 40/25/15/12/8 %.
 * The 256 KiB blocks, half the default period, are caught by more than
 * one sample in three: their weight must correct for that. */
#define UNIT 65536u
static const unsigned share[5] = { 40, 25, 15, 12, 8 };
static const unsigned bsize[5] = { 262144, 65536, 1024, 16384, 256 };
/* The most blocks a site makes in a round: s_site_4's 8 units of 256 B. */
static void *ring[8u * UNIT / 256u];

static NOINLINE void s_site_0(unsigned n, unsigned size)
{
	for (unsigned i = 0; i < n; i++)
		ring[i] = check(malloc(size)); /* SAMPLED_0 */
}

static NOINLINE void s_site_1(unsigned n, unsigned size)
{
	for (unsigned i = 0; i < n; i++)
		ring[i] = check(malloc(size)); /* SAMPLED_1 */
}

static NOINLINE void s_site_2(unsigned n, unsigned size)
{
	for (unsigned i = 0; i < n; i++)
		ring[i] = check(malloc(size)); /* SAMPLED_2 */
}

static NOINLINE void s_site_3(unsigned n, unsigned size)
{
	for (unsigned i = 0; i < n; i++)
		ring[i] = check(malloc(size)); /* SAMPLED_3 */
}

static NOINLINE void s_site_4(unsigned n, unsigned size)
{
	for (unsigned i = 0; i < n; i++)
		ring[i] = check(malloc(size)); /* SAMPLED_4 */
}

static void (*const s_site[5])(unsigned, unsigned) = {
	s_site_0, s_site_1, s_site_2, s_site_3, s_site_4
};

static int run_sampled(unsigned long rounds)
{
	static const char *const names[5] = {
		"s_site_0", "s_site_1", "s_site_2", "s_site_3", "s_site_4"
	};
	static const char *const markers[5] = {
		"SAMPLED_0", "SAMPLED_1", "SAMPLED_2", "SAMPLED_3", "SAMPLED_4"
	};

	for (int i = 0; i < 5; i++) {
		truth[i].name = names[i];
		truth[i].marker = markers[i];
	}
	for (unsigned long r = 0; r < rounds; r++)
		for (int i = 0; i < 5; i++) {
			unsigned n = share[i] * UNIT / bsize[i];

			if (n > sizeof ring / sizeof ring[0])
				abort();
			s_site[i](n, bsize[i]);
			for (unsigned k = 0; k < n; k++) {
				free(ring[k]);
				alloced(i, bsize[i]);
				freed(i, bsize[i]);
			}
		}
	print_truth(5);
	return 0;
}

/* ---- leak ------------------------------------------------------------- */

/* Healthy sites replace blocks in fixed rings (their live bytes stay
 * put once the ring is full); the leaker keeps everything. */
enum { H_SLOTS = 256 };
static void *h_ring[3][H_SLOTS];

static NOINLINE void healthy_small(unsigned k)
{
	free(h_ring[0][k % H_SLOTS]);
	h_ring[0][k % H_SLOTS] = check(malloc(32)); /* HEALTHY_SMALL */
}

static NOINLINE void healthy_mid(unsigned k)
{
	free(h_ring[1][k % H_SLOTS]);
	h_ring[1][k % H_SLOTS] = check(malloc(512)); /* HEALTHY_MID */
}

static NOINLINE void healthy_big(unsigned k)
{
	free(h_ring[2][k % H_SLOTS]);
	h_ring[2][k % H_SLOTS] = check(calloc(1, 2048)); /* HEALTHY_BIG */
}

static NOINLINE void *leaky_site(void)
{
	return check(malloc(1000)); /* LEAKY */
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int run_leak(double seconds)
{
	static const char *const names[4] = {
		"healthy_small", "healthy_mid", "healthy_big", "leaky_site"
	};
	static const char *const markers[4] = {
		"HEALTHY_SMALL", "HEALTHY_MID", "HEALTHY_BIG", "LEAKY"
	};
	static const unsigned sizes[3] = { 32, 512, 2048 };
	double start = now_s();
	unsigned k = 0;

	for (int i = 0; i < 4; i++) {
		truth[i].name = names[i];
		truth[i].marker = markers[i];
	}
	/* Steps of 1 ms: 20 replacements per healthy site and one leaked
	 * kilobyte (about 1 MB/s leaked, 20 k allocations/s per site). */
	while (now_s() - start < seconds) {
		struct timespec ms = { 0, 1000000 };

		for (int j = 0; j < 20; j++, k++) {
			for (int s = 0; s < 3; s++) {
				if (h_ring[s][k % H_SLOTS] != NULL)
					freed(s, sizes[s]);
				alloced(s, sizes[s]);
			}
			healthy_small(k);
			healthy_mid(k);
			healthy_big(k);
		}
		sink += (uintptr_t)leaky_site();
		alloced(3, 1000);
		nanosleep(&ms, NULL);
	}
	print_truth(4);
	return 0;
}

/* ---- life ------------------------------------------------------------- */

static NOINLINE void *lives_short(void)
{
	return check(malloc(64)); /* LIVES_SHORT */
}

static NOINLINE void *lives_2ms(void)
{
	return check(malloc(128)); /* LIVES_2MS */
}

static int run_life(void)
{
	struct timespec ms2 = { 0, 2000000 };

	truth[0] = (struct truth){ .name = "lives_short",
				   .marker = "LIVES_SHORT" };
	truth[1] = (struct truth){ .name = "lives_2ms",
				   .marker = "LIVES_2MS" };
	for (int i = 0; i < 50; i++) {
		void *p;

		for (int j = 0; j < 4; j++) {
			free(lives_short());
			alloced(0, 64);
			freed(0, 64);
		}
		p = lives_2ms();
		alloced(1, 128);
		nanosleep(&ms2, NULL);
		free(p);
		freed(1, 128);
	}
	print_truth(2);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (strcmp(mode, "exact") == 0) {
		cold = argc > 2 && strcmp(argv[2], "--cold") == 0;
		return run_exact();
	}
	if (strcmp(mode, "sampled") == 0)
		return run_sampled(argc > 2 ? strtoul(argv[2], NULL, 0) : 1300);
	if (strcmp(mode, "leak") == 0)
		return run_leak(argc > 2 ? strtod(argv[2], NULL) : 3.0);
	if (strcmp(mode, "life") == 0)
		return run_life();
	fprintf(stderr, "usage: sites exact [--cold] | sampled [ROUNDS] | "
		"leak [S] | life\n");
	return 2;
}
