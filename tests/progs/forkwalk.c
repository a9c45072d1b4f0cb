/* tests/progs/forkwalk.c - fork while other threads allocate without
 * pause, each allocation from a stack of varying depth.
 *
 *   forkwalk FORKS
 *
 * Three threads malloc and free in a loop through a recursion 0-12 calls
 * deep (in exact mode, new stacks keep libunwind walking, and taking its
 * locks); the main thread forks FORKS children, one after another, each
 * of which allocates 300 blocks from stacks 0-16 deep and exits 0.
 * Prints "forks N failed M" and exits 0 when every child did.  Under the
 * shim a child that inherits a lock libunwind held in another thread
 * waits for it forever.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int stop;

static __attribute__((noinline)) void *leaf(size_t n)
{
	return malloc(n);
}

static __attribute__((noinline)) void *down(size_t n, int depth)
{
	void *p = depth > 0 ? down(n, depth - 1) : leaf(n);

	__asm__ volatile("" ::: "memory");	/* not a tail call */
	return p;
}

static void *churn(void *arg)
{
	size_t i = (size_t)arg;

	while (!stop) {
		free(down(16 + i % 1000, (int)(i % 13)));
		i++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int forks = argc > 1 ? atoi(argv[1]) : 0;
	pthread_t th[3];
	int failed = 0;

	if (forks < 1) {
		fprintf(stderr, "usage: forkwalk FORKS\n");
		return 2;
	}
	for (size_t i = 0; i < 3; i++)
		if (pthread_create(&th[i], NULL, churn,
				   (void *)(i * 7919)) != 0) {
			perror("pthread_create");
			return 1;
		}
	for (int i = 0; i < forks; i++) {
		int status;
		pid_t child = fork();

		if (child == 0) {
			for (int j = 0; j < 300; j++)
				free(down(32 + (size_t)j, j % 17));
			_exit(0);
		}
		if (child < 0 || waitpid(child, &status, 0) != child ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed++;
	}
	stop = 1;
	for (size_t i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	printf("forks %d failed %d\n", forks, failed);
	return failed != 0;
}
