/* src/collect/reader.h - attach to one target's segment, copy out snapshots.
 * Trusts nothing in the segment (STYLE.md section 6): the file may be
 * truncated, corrupt, of another ABI, half-written or hostile.  Not
 * thread-safe; one reader per thread. */
#ifndef ALLOCTOP_COLLECT_READER_H
#define ALLOCTOP_COLLECT_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "collect/snapshot.h"
#include "segment.h"

struct reader;

/* Opens pid's segment read-only and validates its header.  NULL with errno
 * set on failure: ENOENT (no segment), EACCES (not ours or not private),
 * EPROTONOSUPPORT (another ABI version), EPROTO (corrupt or truncated),
 * EAGAIN (the target is still creating it: try again shortly);
 * `why` (may be NULL) receives one line saying what was wrong. */
struct reader *reader_open(pid_t pid, char *why, size_t whylen);

/* The same for a segment file at path (tests, fuzzing, saved segments);
 * pid 0 accepts whatever pid the header names. */
struct reader *reader_open_path(const char *path, pid_t pid, char *why,
				size_t whylen);

/* Copies and validates the current counts.  0; or -EPROTO (corrupt: the
 * reader is unusable; reader_why() says why).  When the counts do not
 * settle in a few tries, the last good snapshot is returned with stale set
 * (a dead writer can leave a sequence odd forever). */
int reader_snapshot(struct reader *r, struct snapshot *out);

/* Copies the call sites published so far, at most max of them, validated
 * (frame counts clamped, "other" first).  Returns how many, or -EPROTO. */
int reader_sites(struct reader *r, struct seg_site *out, uint32_t max);

/* How many call sites the target has published so far, clamped to the
 * table's size; or -EPROTO. */
int reader_sites_used(struct reader *r);

/* Copies sites [first, first + count) into out[0, count), validated as
 * reader_sites() does (the range must lie within the table; sites from
 * reader_sites_used() on may be half-written).
 * With counts_only, only the part of each record that changes once the
 * site is published is read (hash, frame count and counters: a quarter of
 * it) and out[].frames are left as they were: the shim writes the frames
 * once, before it publishes the site.  0, -ERANGE, or -EPROTO. */
int reader_sites_range(struct reader *r, uint32_t first, uint32_t count,
		       struct seg_site *out, bool counts_only);

/* Copies the module table (paths NUL-terminated by us).  Returns how many
 * modules, or -EPROTO; *seq receives the table's change counter. */
int reader_modules(struct reader *r, struct seg_module *out, uint32_t max,
		   uint64_t *seq);

/* Why the last call failed; never NULL. */
const char *reader_why(const struct reader *r);

/* True when the segment's path now names a different file (the target
 * exec'd and its new image published a new segment), or the header says
 * so: reopen to follow it. */
bool reader_replaced(const struct reader *r);

/* Removes the segment file (the launcher collects its child's segment). */
int reader_unlink(const struct reader *r);

void reader_close(struct reader *r);

/* Validates a copied header against the file size: 0, -EPROTONOSUPPORT or
 * -EPROTO with a reason in why. */
int reader_check_header(const struct seg_header *h, uint64_t file_size,
			char *why, size_t whylen);

/* The path of pid's segment. */
void reader_path(pid_t pid, char *out, size_t len);

/* Fills pids with up to max processes of ours that run under the shim
 * now (a live process whose segment is ours and says running); returns
 * how many there are (which may exceed max). */
int reader_list(pid_t *pids, int max);

/* Removes segments of our user whose process is gone (or whose pid now
 * belongs to a newer process).  Returns how many were removed. */
int reader_reclaim_stale(void);

#endif
