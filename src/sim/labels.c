/* src/sim/labels.c - writes the ground-truth JSON (see labels.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "sim/json.h"
#include "sim/labels.h"

/* Room for the largest run we allow: a phase is about 1.2 KB of JSON and
 * main() records at most 256 of them. */
#define LABELS_MAX (1024 * 1024)

static char labels_buf[LABELS_MAX];

static void labels_counts(struct jbuf *j, const struct counts *c)
{
	jb_open(j, '{');
#define LABELS_COUNT(f) jb_key(j, #f); jb_printf(j, "%" PRIu64, c->f);
	COUNTS_FIELDS(LABELS_COUNT)
#undef LABELS_COUNT
	/* What is still allocated once the phase ended stays so. */
	jb_key(j, "leaked_bytes");
	jb_printf(j, "%" PRIu64, c->bytes_allocated - c->bytes_freed);
	jb_key(j, "leaked_objects");
	jb_printf(j, "%" PRIu64, c->allocs - c->frees);
	jb_close(j, '}');
}

static void labels_phase(struct jbuf *j, const struct phase_result *r)
{
	const struct phase_plan *p = r->plan;
	const char *const *site;

	jb_elem(j);
	jb_open(j, '{');
	jb_key(j, "name");
	jb_str(j, p->wl->name);
	jb_key(j, "class");
	jb_str(j, p->wl->class);
	jb_key(j, "start_s");
	jb_printf(j, "%.6f", r->start_s);
	jb_key(j, "end_s");
	jb_printf(j, "%.6f", r->end_s);
	jb_key(j, "planned_s");
	jb_printf(j, "%.6f", p->duration_s);
	jb_key(j, "iterations");
	jb_printf(j, "%" PRIu64, p->iterations);
	jb_key(j, "interrupted");
	jb_printf(j, "%s", r->interrupted ? "true" : "false");
	jb_key(j, "params");
	jb_open(j, '{');
	opt_json(j, p->wl->opts, p->params);
	jb_close(j, '}');
	jb_key(j, "counts");
	labels_counts(j, &r->c);
	jb_key(j, "leak_sites");
	jb_open(j, '[');
	for (site = p->wl->leak_sites; *site != NULL; site++) {
		jb_elem(j);
		jb_str(j, *site);
	}
	jb_close(j, ']');
	jb_close(j, '}');
}

static void labels_json(struct jbuf *j, const struct labels_run *run)
{
	struct counts total = { 0 };
	size_t i;

	jb_open(j, '{');
	jb_key(j, "program");
	jb_str(j, SIM_PROG " " PACKAGE_VERSION);
	jb_key(j, "workload");
	jb_str(j, run->wl->name);
	jb_key(j, "seed");
	jb_printf(j, "%" PRIu64, run->seed);
	jb_key(j, "pid");
	jb_printf(j, "%ld", (long)getpid());
	jb_key(j, "threads");
	jb_printf(j, "%u", run->threads);
	jb_key(j, "ops");
	jb_printf(j, "%s", run->ops ? "true" : "false");
	jb_key(j, "iterations");
	jb_printf(j, "%" PRIu64, run->iterations);
	jb_key(j, "duration_s");
	jb_printf(j, "%.6f", run->duration_s);
	jb_key(j, "interrupted");
	jb_printf(j, "%s", run->interrupted ? "true" : "false");
	jb_key(j, "exit_status");
	jb_printf(j, "%d", run->status);
	jb_key(j, "params");
	jb_open(j, '{');
	opt_json(j, run->wl->opts, run->params);
	jb_close(j, '}');
	jb_key(j, "phases");
	jb_open(j, '[');
	for (i = 0; i < run->nphases; i++) {
		labels_phase(j, &run->phases[i]);
		counts_add(&total, &run->phases[i].c);
	}
	jb_close(j, ']');
	jb_key(j, "totals");
	labels_counts(j, &total);
	jb_close(j, '}');
	jb_printf(j, "\n");
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int labels_write(const char *path, const struct labels_run *run)
{
	char tmp[PATH_MAX];
	struct jbuf j;
	int fd;
	int rc;

	jb_init(&j, labels_buf, sizeof(labels_buf));
	labels_json(&j, run);
	if (j.overflow)
		return -E2BIG;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >=
	    (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	rc = write_all(fd, j.buf, j.len);
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc != 0)
		unlink(tmp);
	return rc;
}
