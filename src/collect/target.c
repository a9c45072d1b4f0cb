/* src/collect/target.c - one watched process, tick by tick. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "collect/reader.h"
#include "collect/target.h"
#include "launch.h"

/* How long a launched command may take to reach the shim's constructor
 * (dynamic loading of a large program on a loaded machine). */
#define ATTACH_WAIT_S 10.0
#define POLL_NS 5000000L		/* 5 ms */

struct target {
	struct target_view v;
	struct reader *r;
	struct snapshot prev;
	bool have_prev;
	uint64_t prev_cpu_ticks;
	uint64_t prev_cpu_ns;
	uint64_t start_ns;
	int sym_budget;
	pid_t child;			/* launched, not yet reaped; else 0 */
	bool child_done;
	int child_status;
};

static volatile sig_atomic_t interrupted;

void target_interrupt(void)
{
	interrupted = 1;
}

bool target_interrupted(void)
{
	return interrupted != 0;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void nap(long ns)
{
	struct timespec ts = { 0, ns };

	nanosleep(&ts, NULL);
}

static bool reap(struct target *t, bool block)
{
	int status;
	pid_t p;

	if (t->child == 0 || t->child_done)
		return t->child_done;
	do
		p = waitpid(t->child, &status, block ? 0 : WNOHANG);
	while (p < 0 && errno == EINTR);
	if (p == t->child) {
		t->child_done = true;
		t->child_status = launch_exit_code(status);
	}
	return t->child_done;
}

/* Opens the segment; ENOENT is "not (yet) under the shim". */
static int try_attach(struct target *t, char *why, size_t whylen)
{
	t->r = reader_open(t->v.pid, why, whylen);
	if (t->r != NULL) {
		if (t->v.sites == NULL)
			t->v.sites = sites_new();
		t->v.has_segment = true;
		why[0] = '\0';
		return 0;
	}
	return -errno;
}

static int attach_launched(struct target *t, char *why, size_t whylen)
{
	uint64_t deadline = mono_ns() + (uint64_t)(ATTACH_WAIT_S * 1e9);
	int err;

	for (;;) {
		bool done = reap(t, false);

		err = try_attach(t, why, whylen);
		if (err != -ENOENT || done || mono_ns() > deadline)
			break;
		nap(POLL_NS);
	}
	if (err == -ENOENT)
		snprintf(why, whylen, "pid %d: the command runs without the "
			 "shim (statically linked, or setuid?): only /proc "
			 "figures", (int)t->v.pid);
	return err;
}

int target_open(const struct target_opts *o, struct target **out,
		char *why, size_t whylen)
{
	struct target *t = calloc(1, sizeof *t);
	int err;

	if (t == NULL)
		return -ENOMEM;
	why[0] = '\0';
	t->start_ns = mono_ns();
	t->v.exit_status = -1;
	t->sym_budget = o->sym_budget;
	reader_reclaim_stale();
	if (o->argv != NULL) {
		char shim[4096];
		struct launch_opts lo = { shim, o->sample_bytes, o->log_path };
		pid_t child;

		if (launch_find_shim(shim, sizeof shim) != 0) {
			snprintf(why, whylen, "cannot find liballoctop.so "
				 "(looked in the build tree and %s; set "
				 "ALLOCTOP_SHIM)", SHIMDIR);
			free(t);
			return -ENOENT;
		}
		err = launch_start(o->argv, &lo, &child);
		if (err != 0) {
			snprintf(why, whylen, "%s: %s", o->argv[0],
				 strerror(-err));
			free(t);
			return err;
		}
		t->child = child;
		t->v.pid = child;
		t->v.launched = true;
		err = attach_launched(t, why, whylen);
	} else {
		t->v.pid = o->pid;
		if (!proc_may_attach(o->pid)) {
			err = -errno;
			if (err == -EPERM)
				snprintf(why, whylen, "pid %d belongs to another "
					 "user", (int)o->pid);
			else
				snprintf(why, whylen, "pid %d: no such process",
					 (int)o->pid);
			free(t);
			return err;
		}
		err = try_attach(t, why, whylen);
		if (err == -ENOENT)
			snprintf(why, whylen, "pid %d: no alloctop segment "
				 "found: only /proc figures\nhint: start the "
				 "program with 'alloctop -- CMD ARGS', or with "
				 "liballoctop.so in LD_PRELOAD", (int)o->pid);
	}
	if (err != 0 && err != -ENOENT) {
		if (t->child != 0) {
			kill(t->child, SIGTERM);
			reap(t, true);
		}
		free(t);
		return err;
	}
	*out = t;
	return 0;
}

void target_wait(struct target *t, double seconds)
{
	uint64_t until = mono_ns() + (uint64_t)(seconds * 1e9);

	while (!interrupted && !reap(t, false)) {
		uint64_t now = mono_ns();

		if (now >= until)
			break;
		/* Short naps only while a child may exit under us. */
		nap(t->child ? POLL_NS : (long)(until - now < 100000000u ?
						 until - now : 100000000u));
	}
}

static void update_proc(struct target *t)
{
	uint64_t now = mono_ns();

	t->v.proc_ok = proc_read(t->v.pid, &t->v.proc) == 0 &&
		       t->v.proc.state != 'Z';
	if (!t->v.proc_ok)
		return;
	if (t->prev_cpu_ns != 0 && now > t->prev_cpu_ns &&
	    t->v.proc.cpu_ticks >= t->prev_cpu_ticks)
		t->v.cpu_pct = 100.0 *
			       (double)(t->v.proc.cpu_ticks -
					t->prev_cpu_ticks) /
			       (double)proc_ticks_per_s() /
			       ((double)(now - t->prev_cpu_ns) / 1e9);
	t->prev_cpu_ticks = t->v.proc.cpu_ticks;
	t->prev_cpu_ns = now;
}

/* The target exec'd: its new image has its own segment. */
static void follow_exec(struct target *t)
{
	char why[256];
	struct reader *r = reader_open(t->v.pid, why, sizeof why);

	if (r == NULL)
		return;	/* not there yet: try next tick */
	reader_close(t->r);
	t->r = r;
	t->have_prev = false;
	t->v.event = "exec";
	if (t->v.sites != NULL)
		sites_reset(t->v.sites);
}

int target_update(struct target *t, char *why, size_t whylen)
{
	bool gone;
	int err;

	t->v.event = NULL;
	gone = t->child ? reap(t, false) : kill(t->v.pid, 0) != 0;
	t->v.elapsed_s = (double)(mono_ns() - t->start_ns) / 1e9;
	update_proc(t);
	if (!t->v.proc_ok)
		gone = true;
	if (t->r == NULL && !gone && t->v.launched)
		(void)try_attach(t, why, whylen);
	if (t->r != NULL && reader_replaced(t->r))
		follow_exec(t);
	if (t->r != NULL) {
		struct snapshot s;

		err = reader_snapshot(t->r, &s);
		if (err != 0) {
			snprintf(why, whylen, "pid %d: %s", (int)t->v.pid,
				 reader_why(t->r));
			return err;
		}
		if (t->have_prev) {
			snap_rates(&t->prev, &s, &t->v.rates);
			t->v.have_rates = true;
		} else {
			t->v.have_rates = false;
		}
		if (t->v.sites != NULL &&
		    sites_update(t->v.sites, t->r,
				 t->have_prev ? t->v.rates.interval_s : 0,
				 gone ? -1 : t->sym_budget) != 0) {
			snprintf(why, whylen, "pid %d: %s", (int)t->v.pid,
				 reader_why(t->r));
			return -EPROTO;
		}
		t->prev = s;
		t->have_prev = true;
		t->v.snap = s;
		if (s.state == SEG_STATE_EXITED)
			gone = true;
	}
	if (gone && t->child != 0)
		reap(t, true);
	t->v.gone = gone;
	if (t->child_done)
		t->v.exit_status = t->child_status;
	return 0;
}

const struct target_view *target_view(const struct target *t)
{
	return &t->v;
}

void target_signal(struct target *t, int sig)
{
	if (t->child != 0 && !t->child_done)
		kill(t->child, sig);
}

void target_wait_exit(struct target *t)
{
	reap(t, true);
}

void target_close(struct target *t)
{
	if (t == NULL)
		return;
	if (t->r != NULL) {
		if (t->v.launched && t->child_done)
			reader_unlink(t->r);
		reader_close(t->r);
	}
	sites_free(t->v.sites);
	free(t);
}
