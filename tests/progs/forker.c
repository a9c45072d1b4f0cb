/* tests/progs/forker.c - fork and exec under the shim.
 *
 *   forker fork N M   allocate N blocks of 77 bytes, fork; the child
 *                     allocates M more, prints its pid, and waits on stdin
 *                     (so a test can attach to it), then exits
 *   forker exec K ... allocate one block of 91 bytes, then exec the rest
 *                     of the command line with K-1, ending with "forker
 *                     alloc" (91 bytes once more) when K reaches 0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void take(unsigned n, size_t size)
{
	for (unsigned i = 0; i < n; i++)
		if (malloc(size) == NULL)
			exit(1);
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "fork") == 0) {
		pid_t pid;
		int status;
		char line[8];

		take((unsigned)atoi(argv[2]), 77);
		fflush(stdout);
		pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			take((unsigned)atoi(argv[3]), 77);
			printf("%d %d\n", (int)getpid(), (int)getppid());
			fflush(stdout);
			if (fgets(line, sizeof line, stdin) == NULL)
				line[0] = 0;
			_exit(0);
		}
		waitpid(pid, &status, 0);
		return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	}
	if (argc == 3 && strcmp(argv[1], "exec") == 0) {
		int k = atoi(argv[2]);
		char num[16];

		take(1, 91);
		if (k <= 0)
			return 7;	/* the chain's own status, passed up */
		snprintf(num, sizeof num, "%d", k - 1);
		execl("/proc/self/exe", "forker", "exec", num, (char *)NULL);
		return 1;
	}
	fprintf(stderr, "usage: forker fork N M | forker exec K\n");
	return 2;
}
