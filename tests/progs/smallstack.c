/* tests/progs/smallstack.c - threads on the smallest stacks POSIX allows
 * (PTHREAD_STACK_MIN, 16 KiB here), allocating from deep inside them.
 *
 *   smallstack KIB [PAIRS]
 *
 * Four threads each make PAIRS (2000) malloc+free pairs below KIB KiB of
 * their own frames, at once, then the program prints "ok".  Bare it runs
 * with 6; under the shim it must too: a stack walk needs more than such a
 * thread has left.
 */
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 4
static size_t pairs = 2000;

/* Each level takes a KiB of stack. */
static __attribute__((noinline)) void *deep(int kib, size_t n)
{
	volatile char pad[1024];

	memset((char *)pad, kib, sizeof pad);
	if (kib > 1)
		return deep(kib - 1, n);
	return malloc(n + (size_t)(pad[3] & 0));
}

static void *run(void *arg)
{
	int kib = (int)(intptr_t)arg;

	for (size_t i = 0; i < pairs; i++) {
		void *p = deep(kib, 16 + i % 200);

		if (p == NULL)
			return (void *)1;
		free(p);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_attr_t attr;
	pthread_t th[THREADS];
	int kib = argc > 1 ? atoi(argv[1]) : 0;

	if (argc > 2)
		pairs = strtoul(argv[2], NULL, 10);
	if (kib < 1 || pthread_attr_init(&attr) != 0 ||
	    pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN) != 0) {
		fprintf(stderr, "usage: smallstack KIB [PAIRS]\n");
		return 2;
	}
	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&th[i], &attr, run,
				   (void *)(intptr_t)kib) != 0) {
			perror("pthread_create");
			return 1;
		}
	for (int i = 0; i < THREADS; i++) {
		void *ret;

		if (pthread_join(th[i], &ret) != 0 || ret != NULL) {
			fprintf(stderr, "thread failed\n");
			return 1;
		}
	}
	puts("ok");
	return 0;
}
