/* src/collect/proc.h - what /proc/PID tells about a process, shim or not. */
#ifndef ALLOCTOP_COLLECT_PROC_H
#define ALLOCTOP_COLLECT_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct proc_info {
	char state;			/* R, S, Z, ... from /proc/PID/stat */
	uid_t uid;			/* real uid */
	uint64_t start_ticks;		/* stat field 22 */
	uint64_t cpu_ticks;		/* utime + stime */
	uint64_t rss_bytes;
	uint64_t vsize_bytes;
	uint32_t threads;
	int fds;			/* open descriptors, -1 if unreadable */
	char comm[64];
};

/* 0, or -1 with errno: ESRCH/ENOENT (no such process), EACCES. */
int proc_read(pid_t pid, struct proc_info *out);

/* Clock ticks per second, for cpu_ticks and start_ticks. */
long proc_ticks_per_s(void);

/* Seconds since boot, for a process's uptime from start_ticks. */
double proc_uptime_s(void);

/* The limits a growing heap runs into, in bytes, UINT64_MAX when none:
 * the cgroup (v2 memory.max or v1 limit) of pid, its RLIMIT_AS, and the
 * system's MemAvailable. */
struct proc_limits {
	uint64_t cgroup_bytes;
	uint64_t as_bytes;
	uint64_t mem_available_bytes;
};

void proc_limits(pid_t pid, struct proc_limits *out);

/* The command line, NULs turned to spaces, control bytes to '?'. */
void proc_cmdline(pid_t pid, char *out, size_t len);

/* True when the process is ours to read (same uid, or we are root);
 * errno EPERM/ESRCH otherwise. */
bool proc_may_attach(pid_t pid);

#endif
