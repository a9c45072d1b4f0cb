/* tests/progs/fds.c - a program that owns its file descriptors, as ssh and
 * most daemons do: it closes every descriptor above stderr, opens its own
 * files, and expects them to be its own until it closes them.
 *
 *   fds [--high] IN OUT
 *
 * Prints the first descriptor it was given before closing anything (3
 * when nothing was open: the shim must not hold descriptors of its own
 * there), then closes 3..1023, opens IN for reading and OUT for writing,
 * allocates from new threads (new stacks: unwinding them in exact mode
 * validates stack memory, which libunwind does through a pipe it keeps
 * open), reads IN whole, copies it to OUT, forks a child that appends a
 * line to OUT through the inherited descriptor, and prints what it read.
 * Under the shim the output and OUT must be what they are bare.
 *
 * --high also makes the program hold the top 128 numbers below the
 * descriptor limit (at most 1024), where the shim moves libunwind's pipe:
 * IN on the even ones, OUT on the odd ones, so a read or a write of that
 * pipe's old numbers would take bytes from IN or add them to OUT.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREADS 8
#define ROUNDS 2000

static __attribute__((noinline)) void *leaf(size_t n)
{
	return malloc(n);
}

static __attribute__((noinline)) void *middle(size_t n)
{
	void *p = leaf(n);

	__asm__ volatile("" ::: "memory");	/* not a tail call */
	return p;
}

static void *worker(void *arg)
{
	size_t seed = (size_t)(uintptr_t)arg;

	for (size_t i = 0; i < ROUNDS; i++) {
		void *p = middle(16 + (seed * 7 + i) % 512);

		if (p == NULL)
			return (void *)1;
		memset(p, 1, 16);
		free(p);
	}
	return NULL;
}

static int run_threads(void)
{
	pthread_t th[THREADS];

	for (size_t i = 0; i < THREADS; i++)
		if (pthread_create(&th[i], NULL, worker,
				   (void *)(uintptr_t)(i + 1)) != 0)
			return -1;
	for (size_t i = 0; i < THREADS; i++) {
		void *ret;

		if (pthread_join(th[i], &ret) != 0 || ret != NULL)
			return -1;
	}
	return 0;
}

/* Puts in on the even and out on the odd numbers of the top 128 below
 * the descriptor limit (at most 1024). */
static int hold_high(int in, int out)
{
	struct rlimit r;
	rlim_t top = 1024;

	if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < top)
		top = r.rlim_cur;
	if (top < 256)
		return -1;
	for (int fd = (int)top - 128; fd < (int)top; fd++)
		if (dup2(fd % 2 ? out : in, fd) != fd)
			return -1;
	return 0;
}

int main(int argc, char **argv)
{
	char buf[65536];
	size_t got = 0;
	ssize_t n;
	int first, in, out, status;
	int high = argc == 4 && strcmp(argv[1], "--high") == 0;
	pid_t child;

	if (argc != 3 + high) {
		fprintf(stderr, "usage: fds [--high] IN OUT\n");
		return 2;
	}
	argv += high;
	first = open("/dev/null", O_RDONLY);
	printf("first descriptor: %d\n", first);
	fflush(stdout);
	for (int fd = 3; fd < 1024; fd++)
		close(fd);
	in = open(argv[1], O_RDONLY);
	out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (in < 0 || out < 0) {
		perror("open");
		return 1;
	}
	printf("in: %d, out: %d\n", in, out);
	if (high && hold_high(in, out) != 0) {
		fprintf(stderr, "cannot hold the top descriptors\n");
		return 1;
	}
	if (run_threads() != 0) {
		fprintf(stderr, "threads failed\n");
		return 1;
	}
	while ((n = read(in, buf + got, sizeof buf - got)) > 0)
		got += (size_t)n;
	if (n < 0) {
		perror("read");
		return 1;
	}
	if (write(out, buf, got) != (ssize_t)got) {
		perror("write");
		return 1;
	}
	child = fork();
	if (child == 0) {
		static const char line[] = "from the child\n";

		if (run_threads() != 0)
			_exit(1);
		_exit(write(out, line, sizeof line - 1) ==
		      (ssize_t)(sizeof line - 1) ? 0 : 1);
	}
	if (child < 0 || waitpid(child, &status, 0) != child ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "child failed\n");
		return 1;
	}
	if (close(in) != 0 || close(out) != 0) {
		perror("close");
		return 1;
	}
	printf("read %zu bytes\n", got);
	return 0;
}
