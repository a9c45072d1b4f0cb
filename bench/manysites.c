/* bench/manysites.c - the load behind the reader's per-tick cost bench
 * (bench/reader.sh, issue 6): many distinct call sites and many threads
 * in one target's segment, at a modest allocation rate.
 *
 *   manysites [-s SITES] [-t THREADS] [-r ALLOCS_PER_S] [-d SECONDS]
 *             [-f READY_FILE]
 *
 * Run it under the shim in exact mode (ALLOCTOP_SAMPLE_BYTES=1) so every
 * allocation is sampled.  Each of the SITES call sites (at most 10,000) is
 * its own `call malloc` instruction: 100 generated leaf functions with 100
 * calls each, so the innermost return address differs from site to site
 * and the reader has 10,000 top frames to symbolize, its worst case.
 * THREADS worker threads (default 255: with main, the segment's 256 slots
 * all taken) first allocate once from every site between them (so the
 * table is complete before the reader is timed), then stay alive for the
 * whole run, each waking every 100 ms to allocate its share
 * of ALLOCS_PER_S (default 5,000/s in all) from random sites and to free
 * blocks it allocated a while ago (a per-thread ring of 32 live blocks).
 * READY_FILE, when given, is created once the sites exist and every
 * thread runs.  Exits after SECONDS (default: on SIGTERM/SIGINT).
 *
 * Built with -fno-inline -fno-optimize-sibling-calls -fno-ipa-icf
 * -fno-crossjumping so the compiler keeps every call where it is written.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LEAVES 100u
#define CALLS_PER_LEAF 100u
#define MAX_SITES (LEAVES * CALLS_PER_LEAF)
#define RING 32u
#define WAKE_NS 100000000L		/* 100 ms between a thread's bursts */

/* A distinct store after each call: no two call sites share a tail, so
 * none can be merged, and the return addresses all differ. */
static volatile unsigned sink;

#define SITE(k)                                                          \
	case (k):                                                         \
		p = malloc(size);                                         \
		sink = (k);                                               \
		break;
#define SITE10(k)                                                        \
	SITE(k) SITE(k + 1) SITE(k + 2) SITE(k + 3) SITE(k + 4)           \
	SITE(k + 5) SITE(k + 6) SITE(k + 7) SITE(k + 8) SITE(k + 9)
#define SITE100                                                          \
	SITE10(0) SITE10(10) SITE10(20) SITE10(30) SITE10(40)             \
	SITE10(50) SITE10(60) SITE10(70) SITE10(80) SITE10(90)

#define LEAF(j)                                                          \
	static void *leaf##j(unsigned k, size_t size)                     \
	{                                                                 \
		void *p = NULL;                                           \
		switch (k) {                                              \
		SITE100                                                   \
		default:                                                  \
			break;                                            \
		}                                                         \
		sink = (j);                                               \
		return p;                                                 \
	}
#define LEAF10(j)                                                        \
	LEAF(j##0) LEAF(j##1) LEAF(j##2) LEAF(j##3) LEAF(j##4)            \
	LEAF(j##5) LEAF(j##6) LEAF(j##7) LEAF(j##8) LEAF(j##9)

LEAF(0) LEAF(1) LEAF(2) LEAF(3) LEAF(4) LEAF(5) LEAF(6) LEAF(7) LEAF(8)
LEAF(9) LEAF10(1) LEAF10(2) LEAF10(3) LEAF10(4) LEAF10(5) LEAF10(6)
LEAF10(7) LEAF10(8) LEAF10(9)

typedef void *(*leaf_fn)(unsigned, size_t);

#define REF10(j)                                                         \
	leaf##j##0, leaf##j##1, leaf##j##2, leaf##j##3, leaf##j##4,       \
	leaf##j##5, leaf##j##6, leaf##j##7, leaf##j##8, leaf##j##9
static const leaf_fn leaves[LEAVES] = {
	leaf0, leaf1, leaf2, leaf3, leaf4, leaf5, leaf6, leaf7, leaf8, leaf9,
	REF10(1), REF10(2), REF10(3), REF10(4), REF10(5), REF10(6), REF10(7),
	REF10(8), REF10(9),
};

static unsigned n_sites = MAX_SITES;
static unsigned n_threads = 255;	/* + main: 256 slots, all taken */
static double rate = 5000;
static volatile sig_atomic_t stop;

/* Site s: leaf s / 100, call s % 100; sizes vary a little per site. */
static void *site_alloc(unsigned s)
{
	return leaves[s / CALLS_PER_LEAF](s % CALLS_PER_LEAF,
					  16u + (s % 61u) * 8u);
}

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static pthread_mutex_t ready_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready_cond = PTHREAD_COND_INITIALIZER;
static unsigned n_running;

static void *worker(void *arg)
{
	unsigned id = (unsigned)(uintptr_t)arg;
	uint64_t seed = 0x9e3779b97f4a7c15ull * (id + 1u);
	void *ring[RING] = { NULL };
	unsigned head = 0;
	/* This thread's share per burst, carried over as a fraction. */
	double per_burst = rate * (WAKE_NS / 1e9) / n_threads;
	double owed = 0;
	/* First this thread's share of the sites, once each. */
	unsigned init = id;
	bool told = false;

	for (;;) {
		/* One call of site_alloc for both phases: a second call
		 * instruction would make every site a second stack, and
		 * 20,000 of them overflow the table. */
		while (init < n_sites || owed >= 1) {
			unsigned s;

			if (init < n_sites) {
				s = init;
				init += n_threads;
			} else {
				s = (unsigned)(xorshift(&seed) % n_sites);
				owed -= 1;
			}
			free(ring[head]);
			ring[head] = site_alloc(s);
			head = (head + 1) % RING;
		}
		if (!told) {
			pthread_mutex_lock(&ready_lock);
			n_running++;
			pthread_cond_broadcast(&ready_cond);
			pthread_mutex_unlock(&ready_lock);
			told = true;
		}
		if (stop)
			break;
		{
			struct timespec ts = { 0, WAKE_NS };

			nanosleep(&ts, NULL);
		}
		owed += per_burst;
	}
	for (unsigned i = 0; i < RING; i++)
		free(ring[i]);
	return NULL;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: manysites [-s SITES] [-t THREADS] "
		"[-r ALLOCS_PER_S] [-d SECONDS] [-f READY_FILE]\n");
	return 2;
}

int main(int argc, char **argv)
{
	double seconds = 0;
	const char *ready = NULL;
	pthread_t *tids;
	pthread_attr_t attr;
	struct sigaction sa;
	int opt;

	while ((opt = getopt(argc, argv, "s:t:r:d:f:")) != -1) {
		switch (opt) {
		case 's': n_sites = (unsigned)strtoul(optarg, NULL, 10); break;
		case 't': n_threads = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'r': rate = strtod(optarg, NULL); break;
		case 'd': seconds = strtod(optarg, NULL); break;
		case 'f': ready = optarg; break;
		default: return usage();
		}
	}
	if (optind != argc || n_sites == 0 || n_sites > MAX_SITES ||
	    n_threads == 0 || n_threads > 4096 || !(rate >= 0))
		return usage();

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	tids = calloc(n_threads, sizeof *tids);
	if (tids == NULL)
		return 1;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	for (unsigned i = 0; i < n_threads; i++) {
		int err = pthread_create(&tids[i], &attr, worker,
					 (void *)(uintptr_t)i);

		if (err != 0) {
			fprintf(stderr, "manysites: thread %u: %s\n", i,
				strerror(err));
			return 1;
		}
	}
	pthread_mutex_lock(&ready_lock);
	while (n_running < n_threads)
		pthread_cond_wait(&ready_cond, &ready_lock);
	pthread_mutex_unlock(&ready_lock);
	if (ready != NULL) {
		FILE *f = fopen(ready, "w");

		if (f != NULL) {
			fprintf(f, "%d\n", (int)getpid());
			fclose(f);
		}
	}
	if (seconds > 0) {
		struct timespec ts = { (time_t)seconds,
				       (long)((seconds - (double)(time_t)seconds) *
					      1e9) };

		while (nanosleep(&ts, &ts) != 0 && errno == EINTR && !stop)
			;
		stop = 1;
	} else {
		while (!stop) {
			struct timespec ts = { 0, WAKE_NS };

			nanosleep(&ts, NULL);
		}
	}
	for (unsigned i = 0; i < n_threads; i++)
		pthread_join(tids[i], NULL);
	free(tids);
	return 0;
}
