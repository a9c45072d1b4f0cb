/* src/report.h - the non-interactive views: batch text (like top -b) and
 * NDJSON, one block or object per tick.  They only print what the model
 * holds; they compute nothing of their own beyond formatting. */
#ifndef ALLOCTOP_REPORT_H
#define ALLOCTOP_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "collect/proc.h"
#include "collect/sites.h"
#include "collect/snapshot.h"

struct report_tick {
	unsigned tick;			/* 1, 2, ... */
	int pid;
	bool final;			/* the last block: target gone or done */
	double elapsed_s;		/* since alloctop attached */
	const struct snapshot *snap;	/* NULL: the target has no segment */
	const struct snap_rates *rates;	/* NULL on the first tick */
	const struct proc_info *proc;	/* NULL: /proc unreadable or gone */
	double cpu_pct;			/* of one core, over the tick */
	int exit_status;		/* launch mode, final block; else -1 */
	const char *event;		/* "exec", ... or NULL */
	struct sites *sites;		/* call sites, or NULL */
	unsigned top;			/* sites to print; 0 none */
	enum sites_key sort;
};

void report_text(FILE *f, const struct report_tick *t);
void report_json(FILE *f, const struct report_tick *t);

/* "1.5 MiB": binary units, one decimal below 10. */
void report_bytes(char *out, size_t len, double bytes);

#endif
