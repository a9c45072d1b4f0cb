/* bench/workloads.c - allocation-heavy workloads for the overhead bench.
 *
 *   churn   N   single thread, malloc+free pairs of 16..256 bytes
 *   liveset N   a 118 MiB live set of mixed sizes, random replacement
 *   realloc N   buffers grown by small reallocs (16 bytes a step)
 *   threads N   4 threads; every block is freed by another thread
 *   calign  N   calloc, aligned_alloc, posix_memalign and memalign mix
 *
 * N scales the work (default per workload below); deterministic (fixed
 * xorshift seeds), so bare and preloaded runs do the same calls.  Prints a
 * checksum so the compiler cannot drop the work.
 */
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 88172645463325252ull;

static inline uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static uint64_t sink;

static void churn(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		size_t size = 16 + (i * 16) % 241;
		char *p = malloc(size);

		p[0] = (char)i;
		sink += (uint64_t)p[0];
		free(p);
	}
}

static void liveset(unsigned long n)
{
	enum { SLOTS = 1 << 19 };	/* 512 Ki blocks, ~236 B avg: 118 MiB */
	char **live = calloc(SLOTS, sizeof *live);

	for (unsigned i = 0; i < SLOTS; i++)
		live[i] = malloc(16 + next(&rng) % 440);
	for (unsigned long i = 0; i < n; i++) {
		unsigned k = (unsigned)(next(&rng) % SLOTS);

		free(live[k]);
		live[k] = malloc(16 + next(&rng) % 440);
		live[k][0] = 1;
	}
	for (unsigned i = 0; i < SLOTS; i++) {
		sink += (uint64_t)(uintptr_t)live[i] & 1;
		free(live[i]);
	}
	free(live);
}

static void realloc_growth(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		char *buf = NULL;
		size_t len = 0;

		for (int step = 0; step < 64; step++) {
			buf = realloc(buf, len + 16);
			memset(buf + len, (int)step, 16);
			len += 16;
		}
		sink += (uint64_t)buf[len - 1];
		free(buf);
	}
}

/* Each thread hands its blocks to the next through a lock-free-ish ring of
 * batches guarded by a mutex per ring (one lock per 256 blocks). */
#define BATCH 256
struct ring {
	pthread_mutex_t lock;
	void *batch[64][BATCH];
	unsigned head, tail;
};

static struct ring rings[4];
static unsigned long per_thread;

static void *thread_main(void *arg)
{
	unsigned me = (unsigned)(uintptr_t)arg;
	struct ring *out = &rings[(me + 1) % 4];
	struct ring *in = &rings[me];
	void *mine[BATCH];
	uint64_t s = 1234567 + me;
	unsigned long made = 0;

	while (made < per_thread) {
		for (int i = 0; i < BATCH; i++)
			mine[i] = malloc(16 + next(&s) % 240);
		made += BATCH;
		pthread_mutex_lock(&out->lock);
		if (out->head - out->tail < 64) {
			memcpy(out->batch[out->head % 64], mine, sizeof mine);
			out->head++;
			pthread_mutex_unlock(&out->lock);
		} else {
			pthread_mutex_unlock(&out->lock);
			for (int i = 0; i < BATCH; i++)
				free(mine[i]);
		}
		pthread_mutex_lock(&in->lock);
		while (in->tail != in->head) {
			void **b = in->batch[in->tail % 64];

			in->tail++;
			for (int i = 0; i < BATCH; i++)
				free(b[i]);
		}
		pthread_mutex_unlock(&in->lock);
	}
	return NULL;
}

static void threads(unsigned long n)
{
	pthread_t t[4];

	per_thread = n / 4;
	for (unsigned i = 0; i < 4; i++) {
		pthread_mutex_init(&rings[i].lock, NULL);
		pthread_create(&t[i], NULL, thread_main, (void *)(uintptr_t)i);
	}
	for (unsigned i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (unsigned i = 0; i < 4; i++)
		while (rings[i].tail != rings[i].head) {
			void **b = rings[i].batch[rings[i].tail++ % 64];

			for (int k = 0; k < BATCH; k++)
				free(b[k]);
		}
}

static void calign(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		void *p[4];

		p[0] = calloc(4, 16 + i % 64);
		p[1] = aligned_alloc(64, 64 * (1 + i % 8));
		if (posix_memalign(&p[2], 32, 100 + i % 300) != 0)
			p[2] = NULL;
		p[3] = memalign(128, 200 + i % 500);
		sink += (uint64_t)((char *)p[0])[1];
		for (int k = 0; k < 4; k++)
			free(p[k]);
	}
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*run)(unsigned long);
		unsigned long n;
	} w[] = {
		{ "churn", churn, 30000000 },
		{ "liveset", liveset, 6000000 },
		{ "realloc", realloc_growth, 300000 },
		{ "threads", threads, 12000000 },
		{ "calign", calign, 3000000 },
	};

	for (size_t i = 0; argc > 1 && i < sizeof w / sizeof w[0]; i++)
		if (strcmp(argv[1], w[i].name) == 0) {
			w[i].run(argc > 2 ? strtoul(argv[2], NULL, 10) : w[i].n);
			printf("%s %llu\n", w[i].name, (unsigned long long)sink);
			return 0;
		}
	fprintf(stderr, "usage: workloads churn|liveset|realloc|threads|calign [N]\n");
	return 2;
}
