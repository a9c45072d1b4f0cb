/* src/launch.c - start a command under the shim.
 *
 * The child inherits LD_PRELOAD (so its own children and exec'd images are
 * watched too) and ALLOCTOP_LAUNCHER=<our pid>: its segment then outlives
 * its exit, for us to read the final counts from and remove.  An exec that
 * fails is reported through a close-on-exec pipe, so the user reads the
 * command's real error, not a silent 127.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch.h"

static int usable_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int launch_find_shim(char *out, size_t len)
{
	const char *env = getenv("ALLOCTOP_SHIM");
	char exe[PATH_MAX];
	ssize_t n;
	char *slash;

	if (env != NULL && *env != '\0') {
		snprintf(out, len, "%s", env);
		return usable_file(out) ? 0 : -ENOENT;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash != NULL) {
			*slash = '\0';
			/* Build tree: libtool keeps the real .so in .libs. */
			snprintf(out, len, "%s/shim/.libs/liballoctop.so", exe);
			if (usable_file(out))
				return 0;
		}
	}
	snprintf(out, len, "%s/liballoctop.so", SHIMDIR);
	return usable_file(out) ? 0 : -ENOENT;
}

static void set_preload(const char *shim)
{
	const char *old = getenv("LD_PRELOAD");
	char *v;

	if (old == NULL || *old == '\0') {
		setenv("LD_PRELOAD", shim, 1);
		return;
	}
	/* Ours first: the allocator entry points must reach us first. */
	v = malloc(strlen(shim) + strlen(old) + 2);
	if (v == NULL)
		return;
	sprintf(v, "%s:%s", shim, old);
	setenv("LD_PRELOAD", v, 1);
	free(v);
}

int launch_start(char *const argv[], const struct launch_opts *o,
		 pid_t *child)
{
	int pipefd[2];
	pid_t pid;
	int err = 0;
	ssize_t n;

	if (pipe2(pipefd, O_CLOEXEC) != 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return err;
	}
	if (pid == 0) {
		char me[16];

		close(pipefd[0]);
		snprintf(me, sizeof me, "%d", (int)getppid());
		set_preload(o->shim);
		setenv("ALLOCTOP_LAUNCHER", me, 1);
		if (o->sample_bytes != NULL)
			setenv("ALLOCTOP_SAMPLE_BYTES", o->sample_bytes, 1);
		if (o->log_path != NULL) {
			int fd = open(o->log_path, O_WRONLY | O_CREAT |
				      O_TRUNC | O_CLOEXEC, 0600);

			if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 ||
			    dup2(fd, STDERR_FILENO) < 0) {
				err = errno;
				(void)!write(pipefd[1], &err, sizeof err);
				_exit(127);
			}
		}
		execvp(argv[0], argv);
		err = errno;
		(void)!write(pipefd[1], &err, sizeof err);
		_exit(err == ENOENT ? 127 : 126);
	}
	close(pipefd[1]);
	do
		n = read(pipefd[0], &err, sizeof err);
	while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	if (n == (ssize_t)sizeof err) {
		waitpid(pid, NULL, 0);
		return -err;
	}
	*child = pid;
	return 0;
}

int launch_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}
