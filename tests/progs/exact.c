/* tests/progs/exact.c - a workload whose every allocation call is known.
 *
 * Each of --threads threads runs --rounds rounds of one call to every entry
 * point with fixed sizes, frees what it allocated, and the program prints,
 * as JSON, exactly what its workload did (calls, requested and usable bytes
 * per entry point, blocks left live).  The e2e tests run it twice, with
 * --rounds 0 and with --rounds N, under alloctop: the difference of the two
 * totals alloctop reports must equal what this program printed, whatever the
 * C library and the thread machinery allocate around it.
 *
 * Options: --threads N, --rounds N, --concurrent (all threads alive at once:
 * more threads than slots), --leak N (N blocks of 48 bytes kept to the end),
 * --atexit N (N allocations of 33 bytes from an atexit handler),
 * --tls-exit N (N allocations of 35 bytes from each thread's key destructor),
 * --signal (a timer signal whose handler allocates while the main thread
 * allocates in a loop), --ops N (alloctop_ops(1) N times), --mapped (each
 * round also makes blocks above the mmap threshold, glibc's mapped chunks).
 * --heap-probe alone: whether the program's first 300 KiB block is mapped,
 * which glibc decides by a threshold it raises when a smaller mapped block
 * is freed; a shim that did so at start-up would change the program.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "alloctop.h"

enum { MALLOC, CALLOC, REALLOC, REALLOCARRAY, POSIX_MEMALIGN, ALIGNED_ALLOC,
       MEMALIGN, VALLOC, PVALLOC, FREE, NFN };

static const char *const fn_name[NFN] = {
	"malloc", "calloc", "realloc", "reallocarray", "posix_memalign",
	"aligned_alloc", "memalign", "valloc", "pvalloc", "free"
};

struct tally {
	uint64_t calls[NFN];
	uint64_t bytes[NFN];
	uint64_t alloc_blocks, free_blocks, alloc_usable, free_usable;
};

static struct tally total;
static pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned rounds, tls_exit_n, atexit_n;
static int with_mapped;
static pthread_barrier_t barrier;
static int concurrent;
static pthread_key_t exit_key;

static void die(const char *what)
{
	fprintf(stderr, "exact: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void *got(struct tally *t, int fn, uint64_t req, void *p)
{
	if (p == NULL)
		die(fn_name[fn]);
	t->calls[fn]++;
	t->bytes[fn] += req;
	t->alloc_blocks++;
	t->alloc_usable += malloc_usable_size(p);
	return p;
}

static void release(struct tally *t, void *p)
{
	t->calls[FREE]++;
	if (p != NULL) {
		t->free_blocks++;
		t->free_usable += malloc_usable_size(p);
	}
	free(p);
}

/* realloc: one block released, one allocated (alloctop's convention). */
static void *regrow(struct tally *t, int fn, void *old, size_t n, size_t size)
{
	size_t old_usable = malloc_usable_size(old);
	void *p = fn == REALLOC ? realloc(old, n * size)
				: reallocarray(old, n, size);

	if (p == NULL)
		die(fn_name[fn]);
	t->calls[fn]++;
	t->bytes[fn] += n * size;
	t->alloc_blocks++;
	t->alloc_usable += malloc_usable_size(p);
	if (old != NULL) {
		t->free_blocks++;
		t->free_usable += old_usable;
	}
	return p;
}

/* realloc's edges, with glibc's answers: realloc(p, 0) frees p and makes
 * no block; realloc(NULL, 0) makes one; a realloc that fails (too large)
 * and a reallocarray that overflows leave their block as it was and count
 * as calls only.  keep is a live block of the round's, unchanged. */
static void realloc_edges(struct tally *t, void *keep)
{
	/* volatile: the compiler must not see (and refuse) the sizes. */
	volatile size_t huge = SIZE_MAX / 2;
	void *z = got(t, MALLOC, 30, malloc(30));
	size_t zu = malloc_usable_size(z);
	void *e;

	if (realloc(z, 0) != NULL)
		die("realloc(p, 0) returned a block");
	t->calls[REALLOC]++;
	t->free_blocks++;
	t->free_usable += zu;
	e = realloc(NULL, 0);
	if (e == NULL)
		die("realloc(NULL, 0)");
	t->calls[REALLOC]++;
	t->alloc_blocks++;
	t->alloc_usable += malloc_usable_size(e);
	release(t, e);
	errno = 0;
	if (realloc(keep, huge) != NULL || errno != ENOMEM)
		die("a huge realloc did not fail with ENOMEM");
	t->calls[REALLOC]++;
	errno = 0;
	if (reallocarray(keep, huge, 4) != NULL || errno != ENOMEM)
		die("an overflowing reallocarray did not fail with ENOMEM");
	t->calls[REALLOCARRAY]++;
}

/* Blocks above the mmap threshold (main fixes it at 128 KiB, so that
 * glibc does not raise it as they are freed): each is a chunk of its own
 * mapping, with a larger header than a heap chunk's. */
static void mapped(struct tally *t)
{
	void *a = got(t, MALLOC, 200 << 10, malloc(200 << 10));
	void *c = got(t, CALLOC, 150 << 10, calloc(150, 1 << 10));
	void *r = regrow(t, REALLOC, NULL, 1, 64);

	r = regrow(t, REALLOC, r, 1, 300 << 10);	/* heap to mapped */
	r = regrow(t, REALLOC, r, 1, 400 << 10);	/* mapped to mapped */
	r = regrow(t, REALLOC, r, 1, 100);		/* and down again */
	release(t, a);
	release(t, c);
	release(t, r);
}

static void one_round(struct tally *t)
{
	void *b[9];
	void *q = NULL;

	b[0] = got(t, MALLOC, 48, malloc(48));
	b[1] = got(t, CALLOC, 120, calloc(3, 40));
	b[2] = regrow(t, REALLOC, NULL, 1, 10);
	b[2] = regrow(t, REALLOC, b[2], 1, 100);
	b[2] = regrow(t, REALLOCARRAY, b[2], 4, 50);
	if (posix_memalign(&q, 64, 200) != 0)
		die("posix_memalign");
	b[3] = got(t, POSIX_MEMALIGN, 200, q);
	b[4] = got(t, ALIGNED_ALLOC, 256, aligned_alloc(64, 256));
	b[5] = got(t, MEMALIGN, 96, memalign(32, 96));
	b[6] = got(t, VALLOC, 1000, valloc(1000));
	b[7] = got(t, PVALLOC, 5000, pvalloc(5000));
	realloc_edges(t, b[0]);
	if (with_mapped)
		mapped(t);
	for (int i = 0; i < 8; i++)
		release(t, b[i]);
	release(t, NULL);
}

static void merge(const struct tally *t)
{
	pthread_mutex_lock(&total_lock);
	for (int f = 0; f < NFN; f++) {
		total.calls[f] += t->calls[f];
		total.bytes[f] += t->bytes[f];
	}
	total.alloc_blocks += t->alloc_blocks;
	total.free_blocks += t->free_blocks;
	total.alloc_usable += t->alloc_usable;
	total.free_usable += t->free_usable;
	pthread_mutex_unlock(&total_lock);
}

/* Runs at thread exit, after the thread's own work: its allocations must
 * still be counted (into the retired block). */
static void thread_key_exit(void *arg)
{
	struct tally t = { 0 };

	(void)arg;
	for (unsigned i = 0; i < tls_exit_n; i++)
		release(&t, got(&t, MALLOC, 35, malloc(35)));
	merge(&t);
}

static void *worker(void *arg)
{
	struct tally t = { 0 };

	(void)arg;
	if (tls_exit_n)
		pthread_setspecific(exit_key, (void *)1);
	if (concurrent)
		pthread_barrier_wait(&barrier);
	for (unsigned r = 0; r < rounds; r++)
		one_round(&t);
	merge(&t);
	if (concurrent)
		pthread_barrier_wait(&barrier);
	return NULL;
}

static void at_exit_allocs(void)
{
	/* Leaked on purpose: the final snapshot shows them live. */
	for (unsigned i = 0; i < atexit_n; i++)
		(void)malloc(33);
}

static volatile sig_atomic_t handler_runs;

static void on_alarm(int sig)
{
	(void)sig;
	free(malloc(24));
	handler_runs++;
}

/* Main-thread malloc/free churn while a 50 us timer interrupts it with a
 * handler that allocates: the counts must still be exact. */
static void signal_storm(struct tally *t)
{
	struct itimerval it = { { 0, 50 }, { 0, 50 } };
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (unsigned i = 0; i < 2000000 || handler_runs < 1000; i++)
		release(t, got(t, MALLOC, 64, malloc(64)));
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGALRM, SIG_IGN);
	/* The handler's calls: one malloc(24) and one free each. */
	t->calls[MALLOC] += handler_runs;
	t->bytes[MALLOC] += 24ull * handler_runs;
	t->calls[FREE] += handler_runs;
	t->alloc_blocks += handler_runs;
	t->free_blocks += handler_runs;
	/* glibc rounds 24 and 64 up to fixed chunk sizes. */
	{
		void *p = malloc(24);
		size_t u = malloc_usable_size(p);

		free(p);
		t->alloc_usable += u * handler_runs;
		t->free_usable += u * handler_runs;
		t->calls[MALLOC]++;
		t->bytes[MALLOC] += 24;
		t->calls[FREE]++;
		t->alloc_blocks++;
		t->free_blocks++;
		t->alloc_usable += u;
		t->free_usable += u;
	}
}

static int heap_probe(void)
{
	size_t before = mallinfo2().hblks;
	void *p = malloc(300 << 10);
	size_t after = mallinfo2().hblks;

	if (p == NULL)
		die("malloc");
	printf("{\"mapped_blocks\":%zu}\n", after - before);
	free(p);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned threads = 1, leak = 0, ops = 0;
	int sig = 0;
	pthread_t *tid;
	struct tally t = { 0 };
	static void *kept[100000];	/* static: same baseline for any --leak */

	if (argc == 2 && !strcmp(argv[1], "--heap-probe"))
		return heap_probe();
	if (mallopt(M_MMAP_THRESHOLD, 128 << 10) != 1)
		die("mallopt");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		unsigned v = i + 1 < argc ? (unsigned)strtoul(argv[i + 1], NULL,
							     10) : 0;

		if (!strcmp(a, "--threads"))
			threads = v, i++;
		else if (!strcmp(a, "--rounds"))
			rounds = v, i++;
		else if (!strcmp(a, "--leak"))
			leak = v, i++;
		else if (!strcmp(a, "--atexit"))
			atexit_n = v, i++;
		else if (!strcmp(a, "--tls-exit"))
			tls_exit_n = v, i++;
		else if (!strcmp(a, "--ops"))
			ops = v, i++;
		else if (!strcmp(a, "--concurrent"))
			concurrent = 1;
		else if (!strcmp(a, "--signal"))
			sig = 1;
		else if (!strcmp(a, "--mapped"))
			with_mapped = 1;
		else {
			fprintf(stderr, "exact: unknown option %s\n", a);
			return 2;
		}
	}
	/* Everything the harness needs is allocated before the work. */
	tid = calloc(threads, sizeof *tid);
	if (leak > sizeof kept / sizeof kept[0])
		leak = sizeof kept / sizeof kept[0];
	if (tid == NULL)
		die("calloc");
	pthread_key_create(&exit_key, thread_key_exit);
	if (concurrent)
		pthread_barrier_init(&barrier, NULL, threads);
	atexit(at_exit_allocs);
	for (unsigned i = 0; i < threads; i++)
		if (pthread_create(&tid[i], NULL, worker, NULL) != 0)
			die("pthread_create");
	for (unsigned i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	for (unsigned i = 0; i < leak; i++)
		kept[i] = got(&t, MALLOC, 48, malloc(48));
	if (sig)
		signal_storm(&t);
	for (unsigned i = 0; i < ops; i++)
		alloctop_ops(1);
	merge(&t);

	/* The atexit allocations happen after this report: count them now. */
	if (atexit_n) {
		void *p = malloc(33);
		size_t u = malloc_usable_size(p);

		free(p);
		total.calls[MALLOC] += atexit_n + 1;
		total.bytes[MALLOC] += 33ull * (atexit_n + 1);
		total.calls[FREE]++;
		total.alloc_blocks += atexit_n + 1;
		total.free_blocks++;
		total.alloc_usable += u * (atexit_n + 1);
		total.free_usable += u;
	}
	printf("{\"calls\":{");
	for (int f = 0; f < NFN; f++)
		printf("%s\"%s\":{\"calls\":%llu,\"bytes\":%llu}", f ? "," : "",
		       fn_name[f], (unsigned long long)total.calls[f],
		       (unsigned long long)total.bytes[f]);
	printf("},\"alloc_blocks\":%llu,\"free_blocks\":%llu,"
	       "\"alloc_bytes\":%llu,\"free_bytes\":%llu,\"ops\":%u,"
	       "\"signals\":%d}\n",
	       (unsigned long long)total.alloc_blocks,
	       (unsigned long long)total.free_blocks,
	       (unsigned long long)total.alloc_usable,
	       (unsigned long long)total.free_usable, ops, (int)handler_runs);
	fflush(stdout);
	return 0;
}
