/* src/collect/proc.c - /proc/PID readers.  Bounded reads, tolerant parsing:
 * a process may vanish between any two calls. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/proc.h"

static ssize_t read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	size_t got = 0;

	if (fd < 0)
		return -1;
	while (got < len - 1) {
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0) {
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	return (ssize_t)got;
}

static int count_fds(pid_t pid)
{
	char path[64];
	DIR *d;
	struct dirent *e;
	int n = 0;

	snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

int proc_read(pid_t pid, struct proc_info *out)
{
	char path[64];
	char buf[4096];
	char *p;
	char *field[64];
	int nf = 0;
	unsigned long long v;

	memset(out, 0, sizeof *out);
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (read_file(path, buf, sizeof buf) < 0)
		return -1;
	/* comm is in parentheses and may hold spaces and ')'. */
	p = strchr(buf, '(');
	char *q = strrchr(buf, ')');
	if (p == NULL || q == NULL || q < p) {
		errno = EPROTO;
		return -1;
	}
	snprintf(out->comm, sizeof out->comm, "%.*s", (int)(q - p - 1),
		 p + 1);
	for (p = q + 2; *p != '\0' && nf < 64;) {
		field[nf++] = p;
		p = strchr(p, ' ');
		if (p == NULL)
			break;
		*p++ = '\0';
	}
	/* field[0] is stat field 3 (state). */
	if (nf < 22) {
		errno = EPROTO;
		return -1;
	}
	out->state = field[0][0];
	out->cpu_ticks = strtoull(field[11], NULL, 10) +
			 strtoull(field[12], NULL, 10);
	out->threads = (uint32_t)strtoul(field[17], NULL, 10);
	out->start_ticks = strtoull(field[19], NULL, 10);
	out->vsize_bytes = strtoull(field[20], NULL, 10);
	out->rss_bytes = strtoull(field[21], NULL, 10) *
			 (uint64_t)sysconf(_SC_PAGESIZE);
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if (read_file(path, buf, sizeof buf) > 0 &&
	    (p = strstr(buf, "\nUid:")) != NULL &&
	    sscanf(p + 5, "%llu", &v) == 1)
		out->uid = (uid_t)v;
	out->fds = count_fds(pid);
	return 0;
}

long proc_ticks_per_s(void)
{
	long t = sysconf(_SC_CLK_TCK);

	return t > 0 ? t : 100;
}

double proc_uptime_s(void)
{
	char buf[128];

	if (read_file("/proc/uptime", buf, sizeof buf) <= 0)
		return 0;
	return strtod(buf, NULL);
}

static uint64_t read_limit(const char *path)
{
	char buf[64];
	unsigned long long v;

	if (read_file(path, buf, sizeof buf) <= 0 ||
	    strncmp(buf, "max", 3) == 0 || sscanf(buf, "%llu", &v) != 1)
		return UINT64_MAX;
	/* cgroup v1 says "no limit" with a huge page-rounded number. */
	return v >= (1ull << 60) ? UINT64_MAX : (uint64_t)v;
}

void proc_limits(pid_t pid, struct proc_limits *out)
{
	char path[512];
	char buf[4096];
	char *p;
	unsigned long long v;

	out->cgroup_bytes = UINT64_MAX;
	out->as_bytes = UINT64_MAX;
	out->mem_available_bytes = UINT64_MAX;
	snprintf(path, sizeof path, "/proc/%d/cgroup", (int)pid);
	if (read_file(path, buf, sizeof buf) > 0) {
		/* v2: "0::/path"; v1: "N:memory:/path". */
		if ((p = strstr(buf, "0::")) != NULL) {
			p += 3;
			p[strcspn(p, "\n")] = '\0';
			snprintf(path, sizeof path,
				 "/sys/fs/cgroup%s/memory.max", p);
			out->cgroup_bytes = read_limit(path);
		} else if ((p = strstr(buf, ":memory:")) != NULL) {
			p += 8;
			p[strcspn(p, "\n")] = '\0';
			snprintf(path, sizeof path, "/sys/fs/cgroup/memory%s/"
				 "memory.limit_in_bytes", p);
			out->cgroup_bytes = read_limit(path);
		}
	}
	snprintf(path, sizeof path, "/proc/%d/limits", (int)pid);
	if (read_file(path, buf, sizeof buf) > 0 &&
	    (p = strstr(buf, "Max address space")) != NULL &&
	    sscanf(p + 17, "%llu", &v) == 1)
		out->as_bytes = v;
	if (read_file("/proc/meminfo", buf, sizeof buf) > 0 &&
	    (p = strstr(buf, "MemAvailable:")) != NULL &&
	    sscanf(p + 13, "%llu", &v) == 1)
		out->mem_available_bytes = (uint64_t)v * 1024u;
}

void proc_cmdline(pid_t pid, char *out, size_t len)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
	n = read_file(path, out, len);
	if (n <= 0) {
		out[0] = '\0';
		return;
	}
	while (n > 0 && out[n - 1] == '\0')
		n--;
	out[n] = '\0';
	for (ssize_t i = 0; i < n; i++)
		if (out[i] == '\0')
			out[i] = ' ';
		else if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = '?';
}

bool proc_may_attach(pid_t pid)
{
	struct proc_info pi;

	if (kill(pid, 0) != 0 && errno != EPERM)
		return false;	/* ESRCH */
	if (proc_read(pid, &pi) != 0) {
		errno = ESRCH;
		return false;
	}
	if (pi.uid != getuid() && geteuid() != 0) {
		errno = EPERM;
		return false;
	}
	return true;
}
