/* src/collect/target.h - one watched process: launch or attach, follow its
 * execs, read its segment and /proc every tick, notice when it is gone.
 * Batch output and the TUI both drive it, one tick at a time. */
#ifndef ALLOCTOP_COLLECT_TARGET_H
#define ALLOCTOP_COLLECT_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "collect/proc.h"
#include "collect/sites.h"
#include "collect/snapshot.h"

struct target;

struct target_opts {
	pid_t pid;			/* attach to this, or */
	char **argv;			/* launch this under the shim */
	const char *sample_bytes;	/* launch: ALLOCTOP_SAMPLE_BYTES */
	const char *log_path;		/* launch: child's output, or NULL */
	int sym_budget;			/* new sites symbolized a tick; -1 all */
};

/* What the last tick saw. */
struct target_view {
	pid_t pid;
	bool launched;
	bool has_segment;		/* false: not under the shim */
	struct snapshot snap;		/* valid when has_segment */
	struct snap_rates rates;	/* valid when have_rates */
	bool have_rates;
	struct proc_info proc;
	bool proc_ok;
	double cpu_pct;
	double elapsed_s;		/* since start or attach */
	bool gone;			/* exited; this is the final view */
	int exit_status;		/* launch mode when gone; else -1 */
	const char *event;		/* "exec" on the tick an exec showed */
	struct sites *sites;		/* call sites; NULL without a segment */
};

/* Launches or attaches.  0 with *out set; or -errno with a message in why:
 * -ESRCH no such process, -EPERM another user's, -ENOENT launch: command
 * not found or shim missing, -EPROTO/-EPROTONOSUPPORT/-EACCES a segment
 * that cannot be trusted.  A process without a segment is not an error:
 * *out is set, view.has_segment is false and `why` says how to fix it. */
int target_open(const struct target_opts *o, struct target **out,
		char *why, size_t whylen);

/* Waits up to seconds, returning early when a launched child exits or
 * target_interrupt() was called. */
void target_wait(struct target *t, double seconds);

/* Takes this tick's readings.  0, or -EPROTO when the segment turned
 * corrupt (message in why). */
int target_update(struct target *t, char *why, size_t whylen);

const struct target_view *target_view(const struct target *t);

/* Async-signal-safe: ends a pending target_wait (SIGINT, SIGTERM). */
void target_interrupt(void);
bool target_interrupted(void);

/* Sends sig to a launched child (forwarding SIGTERM). */
void target_signal(struct target *t, int sig);

/* Waits for a launched child to end (after the last periodic tick). */
void target_wait_exit(struct target *t);

/* Releases everything; removes a launched child's segment. */
void target_close(struct target *t);

#endif
