/* src/launch.h - start a command under the shim: `alloctop -- CMD ARGS`. */
#ifndef ALLOCTOP_LAUNCH_H
#define ALLOCTOP_LAUNCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Finds liballoctop.so: $ALLOCTOP_SHIM, then the build tree next to this
 * executable, then the install folder.  0, or -ENOENT. */
int launch_find_shim(char *out, size_t len);

struct launch_opts {
	const char *shim;		/* path of liballoctop.so */
	const char *sample_bytes;	/* ALLOCTOP_SAMPLE_BYTES, or NULL */
	const char *log_path;		/* child's stdout+stderr, or NULL */
};

/* Forks and execs argv[0] with the shim preloaded.  0 with *child set, or
 * -errno (the exec's own error when the command cannot run). */
int launch_start(char *const argv[], const struct launch_opts *o,
		 pid_t *child);

/* The shell's convention: the exit code, or 128 + the signal. */
int launch_exit_code(int wait_status);

#endif
