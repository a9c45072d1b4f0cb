/* tests/tui/leaky.c - the workload of tests/tui/hotspots.sh: one call site
 * that leaks (leak_slowly: 64 KiB every 50 ms, never freed) and one that
 * churns (churn_fast: many small blocks, each freed at once).  Runs until
 * killed.  Built with -g -O0 so both functions keep their own frames and
 * the malloc lines are known; the test greps for them. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LEAK_BYTES (64 * 1024)
#define CHURN_BLOCKS 500

/* Written so the compiler cannot drop the blocks. */
volatile unsigned char leaky_sink;

__attribute__((noinline)) static void leak_slowly(void)
{
	unsigned char *p = malloc(LEAK_BYTES);	/* leaky.c: the leak */

	if (p != NULL) {
		memset(p, 1, LEAK_BYTES);	/* touch it: real RSS */
		leaky_sink = p[LEAK_BYTES - 1];
	}
}

__attribute__((noinline)) static void churn_fast(void)
{
	for (int i = 0; i < CHURN_BLOCKS; i++) {
		unsigned char *p = malloc(16 + (size_t)(i % 8) * 8);

		if (p != NULL) {
			p[0] = (unsigned char)i;
			leaky_sink = p[0];
		}
		free(p);
	}
}

int main(void)
{
	for (;;) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		leak_slowly();
		/* Five rounds of churn spread over the 50 ms. */
		for (int r = 0; r < 5; r++) {
			churn_fast();
			nanosleep(&ts, NULL);
		}
	}
}
