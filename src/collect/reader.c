/* src/collect/reader.c - the segment reader and validator.
 *
 * Copy, then validate the copy; never validate live bytes and use them
 * later.  Every offset and count is checked against what we compiled for and
 * against the file size, without overflow.  Copies out of the mapping are
 * guarded against SIGBUS, which a target that shrinks its file would raise.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "collect/proc.h"
#include "collect/reader.h"

/* Four tries: a slot claim or retirement takes microseconds, so a sequence
 * still moving after four copies means heavy thread churn or a dead writer;
 * either way last tick's counts serve better than a hung screen. */
#define READER_TRIES 4

struct reader {
	int fd;
	pid_t pid;
	dev_t dev;
	ino_t ino;
	const unsigned char *map;
	uint64_t map_len;
	struct seg_header hdr;		/* validated copy from open */
	struct seg_slot *slots;		/* private copy, hdr.slot_count */
	struct snapshot last;
	bool have_last;
	char path[64];
	char why[256];
};

static void say(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

/* ---- SIGBUS-guarded copies ---------------------------------------------- */

static sigjmp_buf copy_env;
static volatile sig_atomic_t copy_active;

static void on_sigbus(int sig, siginfo_t *si, void *ctx)
{
	(void)si;
	(void)ctx;
	if (copy_active)
		siglongjmp(copy_env, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void guard_install(void)
{
	static bool done;
	struct sigaction sa;

	if (done)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	done = true;
}

/* memcpy from the mapping; false if the file shrank under us. */
static bool copy_out(void *dst, const void *src, size_t len)
{
	if (sigsetjmp(copy_env, 1) != 0) {
		copy_active = 0;
		return false;
	}
	copy_active = 1;
	memcpy(dst, src, len);
	copy_active = 0;
	return true;
}

static bool load_u32(const uint32_t *p, uint32_t *out)
{
	if (sigsetjmp(copy_env, 1) != 0) {
		copy_active = 0;
		return false;
	}
	copy_active = 1;
	*out = __atomic_load_n(p, __ATOMIC_ACQUIRE);
	copy_active = 0;
	return true;
}

/* ---- validation --------------------------------------------------------- */

static bool region_ok(uint64_t off, uint64_t count, uint64_t size,
		      uint64_t file_size)
{
	/* count and size are bounded before this is called: no overflow. */
	return off % 8 == 0 && seg_fits(off, count * size, file_size);
}

int reader_check_header(const struct seg_header *h, uint64_t file_size,
			char *why, size_t whylen)
{
	if (h->magic != SEG_MAGIC) {
		say(why, whylen, "not an alloctop segment (bad magic)");
		return -EPROTO;
	}
	if (h->abi_version != SEG_ABI_VERSION) {
		say(why, whylen, "segment format version %u, this alloctop "
		    "reads version %u", h->abi_version, SEG_ABI_VERSION);
		return -EPROTONOSUPPORT;
	}
	if (h->header_size != sizeof *h || h->slot_size != sizeof(struct
	    seg_slot) || h->site_size != sizeof(struct seg_site) ||
	    h->module_size != sizeof(struct seg_module)) {
		say(why, whylen, "record sizes do not match format version %u",
		    SEG_ABI_VERSION);
		return -EPROTO;
	}
	if (h->segment_size != file_size) {
		say(why, whylen, "segment is %llu bytes, header says %llu "
		    "(truncated?)", (unsigned long long)file_size,
		    (unsigned long long)h->segment_size);
		return -EPROTO;
	}
	if (h->slot_count > SEG_MAX_SLOTS || h->site_count > SEG_MAX_SITES ||
	    h->module_count > SEG_MAX_MODULES) {
		say(why, whylen, "table sizes out of range (%u slots, %u "
		    "sites, %u modules)", h->slot_count, h->site_count,
		    h->module_count);
		return -EPROTO;
	}
	if (!region_ok(h->slots_off, h->slot_count, h->slot_size, file_size) ||
	    !region_ok(h->retired_off, 1, sizeof(struct seg_counters),
		       file_size) ||
	    !region_ok(h->sites_off, h->site_count, h->site_size, file_size) ||
	    !region_ok(h->modules_off, h->module_count, h->module_size,
		       file_size) ||
	    h->slots_off < sizeof *h) {
		say(why, whylen, "a region lies outside the segment");
		return -EPROTO;
	}
	if (h->state > SEG_STATE_EXECED || h->pid <= 0) {
		say(why, whylen, "header fields out of range (state %u, pid "
		    "%d)", h->state, h->pid);
		return -EPROTO;
	}
	return 0;
}

/* ---- open / close ------------------------------------------------------- */

void reader_path(pid_t pid, char *out, size_t len)
{
	snprintf(out, len, "/dev/shm" SEG_NAME_PREFIX "%d", (int)pid);
}

struct reader *reader_open_path(const char *path, pid_t pid, char *why,
				size_t whylen)
{
	struct reader *r;
	struct stat st;
	int err;

	guard_install();
	r = calloc(1, sizeof *r);
	if (r == NULL)
		return NULL;
	r->fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (r->fd < 0) {
		err = errno;
		say(why, whylen, "cannot open %s: %s", path, strerror(err));
		goto out_free;
	}
	if (fstat(r->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		err = EPROTO;
		say(why, whylen, "%s is not a regular file", path);
		goto out_close;
	}
	if (st.st_uid != geteuid() && geteuid() != 0) {
		err = EACCES;
		say(why, whylen, "%s belongs to another user (uid %u)", path,
		    (unsigned)st.st_uid);
		goto out_close;
	}
	if ((st.st_mode & 077) != 0) {
		err = EACCES;
		say(why, whylen, "%s is open to other users (mode %03o): "
		    "not trusted", path, (unsigned)(st.st_mode & 0777));
		goto out_close;
	}
	if (st.st_size == 0) {
		/* Created, not yet sized: the shim is between O_EXCL and
		 * ftruncate (an exec'd image replacing its segment). */
		err = EAGAIN;
		say(why, whylen, "%s is still being created", path);
		goto out_close;
	}
	if ((uint64_t)st.st_size < sizeof(struct seg_header)) {
		err = EPROTO;
		say(why, whylen, "%s is too short for a segment (%lld bytes)",
		    path, (long long)st.st_size);
		goto out_close;
	}
	r->map_len = (uint64_t)st.st_size;
	r->map = mmap(NULL, r->map_len, PROT_READ, MAP_SHARED, r->fd, 0);
	if (r->map == MAP_FAILED) {
		err = errno;
		say(why, whylen, "cannot map %s: %s", path, strerror(err));
		goto out_close;
	}
	if (!copy_out(&r->hdr, r->map, sizeof r->hdr)) {
		err = EPROTO;
		say(why, whylen, "%s shrank while being read", path);
		goto out_unmap;
	}
	if (r->hdr.magic == 0) {
		/* Created, not yet filled in: the shim writes magic last. */
		err = EAGAIN;
		say(why, whylen, "%s is still being created", path);
		goto out_unmap;
	}
	err = -reader_check_header(&r->hdr, r->map_len, why, whylen);
	if (err != 0)
		goto out_unmap;
	if (pid != 0 && r->hdr.pid != pid) {
		err = EPROTO;
		say(why, whylen, "segment names pid %d, expected %d",
		    r->hdr.pid, (int)pid);
		goto out_unmap;
	}
	r->slots = calloc(r->hdr.slot_count ? r->hdr.slot_count : 1,
			  sizeof *r->slots);
	if (r->slots == NULL) {
		err = ENOMEM;
		goto out_unmap;
	}
	r->pid = r->hdr.pid;
	r->dev = st.st_dev;
	r->ino = st.st_ino;
	snprintf(r->path, sizeof r->path, "%s", path);
	/* A shared lock tells the target a reader holds the segment, so its
	 * exit leaves the file for us to read the final counts. */
	(void)flock(r->fd, LOCK_SH | LOCK_NB);
	return r;

out_unmap:
	munmap((void *)r->map, r->map_len);
out_close:
	close(r->fd);
out_free:
	free(r);
	errno = err;
	return NULL;
}

struct reader *reader_open(pid_t pid, char *why, size_t whylen)
{
	char path[64];
	struct reader *r;
	struct proc_info pi;

	reader_path(pid, path, sizeof path);
	r = reader_open_path(path, pid, why, whylen);
	if (r == NULL)
		return NULL;
	/* A segment left by an older process with the same pid is not this
	 * process's: its start time tells. */
	if (proc_read(pid, &pi) == 0 && pi.start_ticks != 0 &&
	    r->hdr.start_time_ticks != pi.start_ticks) {
		say(why, whylen, "%s is stale: left by an earlier process "
		    "with pid %d", path, (int)pid);
		reader_close(r);
		errno = ENOENT;
		return NULL;
	}
	return r;
}

void reader_close(struct reader *r)
{
	if (r == NULL)
		return;
	munmap((void *)r->map, r->map_len);
	close(r->fd);
	free(r->slots);
	free(r);
}

const char *reader_why(const struct reader *r)
{
	return r->why;
}

int reader_unlink(const struct reader *r)
{
	struct stat st;

	/* Only the file we hold: the path may name a newer image's. */
	if (stat(r->path, &st) != 0)
		return -errno;
	if (st.st_dev != r->dev || st.st_ino != r->ino)
		return 0;
	return unlink(r->path) == 0 ? 0 : -errno;
}

bool reader_replaced(const struct reader *r)
{
	struct stat st;
	uint32_t state;

	if (load_u32(&((const struct seg_header *)r->map)->state, &state) &&
	    state == SEG_STATE_EXECED)
		return true;
	if (stat(r->path, &st) != 0)
		return false;
	return st.st_dev != r->dev || st.st_ino != r->ino;
}

/* ---- snapshots ---------------------------------------------------------- */

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void add_counters(struct seg_counters *dst,
			 const struct seg_counters *src)
{
	const uint64_t *s = (const uint64_t *)src;
	uint64_t *d = (uint64_t *)dst;

	for (size_t i = 0; i < sizeof *src / sizeof(uint64_t); i++)
		d[i] += s[i];	/* wraps on hostile data, harmlessly */
}

static int fail(struct reader *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct reader *r, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->why, sizeof r->why, fmt, ap);
	va_end(ap);
	return err;
}

/* One attempt at a consistent copy of slots and retired block. */
static int copy_counts(struct reader *r, struct seg_counters *retired,
		       bool *settled)
{
	const struct seg_header *live = (const void *)r->map;
	const struct seg_header *h = &r->hdr;
	uint32_t s1;
	uint32_t s2;

	*settled = false;
	if (!load_u32(&live->claim_seq, &s1))
		return -EPROTO;
	if (s1 & 1u)
		return 0;
	if (!copy_out(r->slots, r->map + h->slots_off,
		      (size_t)h->slot_count * sizeof *r->slots) ||
	    !copy_out(retired, r->map + h->retired_off, sizeof *retired))
		return -EPROTO;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (!load_u32(&live->claim_seq, &s2))
		return -EPROTO;
	*settled = s1 == s2;
	return 0;
}

int reader_snapshot(struct reader *r, struct snapshot *out)
{
	struct seg_header h;
	struct seg_counters retired;
	struct snapshot s;
	struct stat st;
	bool settled = false;
	int err;

	if (fstat(r->fd, &st) != 0)
		return fail(r, -errno, "cannot stat the segment: %s",
			    strerror(errno));
	if ((uint64_t)st.st_size < r->map_len)
		return fail(r, -EPROTO, "the segment shrank from %llu to %lld "
			    "bytes", (unsigned long long)r->map_len,
			    (long long)st.st_size);
	if (!copy_out(&h, r->map, sizeof h))
		return fail(r, -EPROTO, "the segment shrank while read");
	err = reader_check_header(&h, r->map_len, r->why, sizeof r->why);
	if (err != 0)
		return err;
	/* The layout may not move under us once validated at open. */
	if (h.slots_off != r->hdr.slots_off ||
	    h.slot_count != r->hdr.slot_count ||
	    h.retired_off != r->hdr.retired_off || h.pid != r->hdr.pid)
		return fail(r, -EPROTO, "the segment's layout changed");
	for (int i = 0; i < READER_TRIES && !settled; i++) {
		err = copy_counts(r, &retired, &settled);
		if (err != 0)
			return fail(r, err, "the segment shrank while read");
	}
	if (!settled) {
		if (!r->have_last)
			return fail(r, -EAGAIN, "the segment is mid-update");
		*out = r->last;
		out->mono_ns = mono_ns();
		out->stale = true;
		return 0;
	}

	memset(&s, 0, sizeof s);
	s.mono_ns = mono_ns();
	s.pid = h.pid;
	s.parent_pid = (int)h.parent_pid;
	s.state = h.state;
	s.exec_count = h.exec_count;
	s.start_time_ticks = h.start_time_ticks;
	s.created_ns = h.created_ns;
	s.sample_bytes = h.sample_bytes;
	memcpy(s.comm, h.comm, sizeof s.comm);
	s.comm[sizeof s.comm - 1] = '\0';
	for (char *p = s.comm; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';	/* no control bytes onto a terminal */
	s.total = retired;
	for (uint32_t i = 0; i < h.slot_count; i++) {
		const struct seg_slot *sl = &r->slots[i];

		if (sl->state == SEG_SLOT_FREE)
			continue;
		if (sl->state != SEG_SLOT_ACTIVE)
			return fail(r, -EPROTO, "slot %u has state %u", i,
				    sl->state);
		add_counters(&s.total, &sl->c);
		s.slots_active++;
	}
	seg_derive_blocks(&s.total);
	s.threads_live = h.threads_live;
	s.threads_total = h.threads_total;
	s.threads_unslotted = h.threads_unslotted;
	s.samples = s.total.samples;
	s.stack_hits = s.total.stack_hits;
	s.sites_dropped = h.sites_dropped;
	s.ptrs_dropped = h.ptrs_dropped;
	s.segment_bytes = h.segment_size;
	s.private_bytes = h.private_bytes < (1ull << 40) ? h.private_bytes : 0;
	r->last = s;
	r->have_last = true;
	*out = s;
	return 0;
}

/* ---- stale segments ----------------------------------------------------- */

int reader_reclaim_stale(void)
{
	DIR *d = opendir("/dev/shm");
	struct dirent *e;
	int removed = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char path[300];
		char *end;
		long pid;
		struct stat st;
		struct seg_header h;
		struct proc_info pi;
		int fd;
		bool stale;

		if (strncmp(e->d_name, "alloctop.", 9) != 0)
			continue;
		pid = strtol(e->d_name + 9, &end, 10);
		if (*end != '\0' || pid <= 0)
			continue;
		snprintf(path, sizeof path, "/dev/shm/%s", e->d_name);
		if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
		    st.st_uid != geteuid())
			continue;	/* only our own files are ours to remove */
		if (proc_read((pid_t)pid, &pi) != 0) {
			stale = errno == ESRCH || errno == ENOENT;
		} else {
			/* Alive: stale only if the segment is provably an
			 * earlier process's (its start time differs). */
			fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0)
				continue;
			stale = pread(fd, &h, sizeof h, 0) == (ssize_t)sizeof h &&
				h.magic == SEG_MAGIC &&
				h.start_time_ticks != pi.start_ticks;
			close(fd);
		}
		if (stale && unlink(path) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

/* ---- call sites and modules --------------------------------------------- */

int reader_sites(struct reader *r, struct seg_site *out, uint32_t max)
{
	const struct seg_header *live = (const void *)r->map;
	uint64_t used;
	uint32_t n;

	if (!copy_out(&used, &live->sites_used, sizeof used))
		return fail(r, -EPROTO, "the segment shrank while read");
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	n = used > r->hdr.site_count ? r->hdr.site_count : (uint32_t)used;
	if (n > max)
		n = max;
	if (n != 0 && !copy_out(out, r->map + r->hdr.sites_off,
				(size_t)n * sizeof *out))
		return fail(r, -EPROTO, "the segment shrank while read");
	for (uint32_t i = 0; i < n; i++)
		if (out[i].nframes > SEG_MAX_FRAMES)
			out[i].nframes = SEG_MAX_FRAMES;
	return (int)n;
}

/* The leading part of a site record, the one that changes after the site
 * is published. */
#define SITE_HEAD offsetof(struct seg_site, frames)

/* The copy of reader_sites_range() under one SIGBUS guard (a guard costs
 * a system call: not one per site); false if the file shrank under us. */
static bool copy_heads(struct seg_site *out, const unsigned char *src,
		       uint32_t count)
{
	if (sigsetjmp(copy_env, 1) != 0) {
		copy_active = 0;
		return false;
	}
	copy_active = 1;
	for (uint32_t i = 0; i < count; i++)
		memcpy(&out[i], src + (size_t)i * sizeof *out, SITE_HEAD);
	copy_active = 0;
	return true;
}

int reader_sites_used(struct reader *r)
{
	const struct seg_header *live = (const void *)r->map;
	uint64_t used;

	if (!copy_out(&used, &live->sites_used, sizeof used))
		return fail(r, -EPROTO, "the segment shrank while read");
	/* Pairs with the shim's release store: the records counted are
	 * complete before we read them. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return used > r->hdr.site_count ? (int)r->hdr.site_count : (int)used;
}

int reader_sites_range(struct reader *r, uint32_t first, uint32_t count,
		       struct seg_site *out, bool counts_only)
{
	const unsigned char *src;
	bool ok;

	if (first > r->hdr.site_count || count > r->hdr.site_count - first)
		return fail(r, -ERANGE, "sites %u..%u are outside the table",
			    first, first + count);
	if (count == 0)
		return 0;
	src = r->map + r->hdr.sites_off + (size_t)first * sizeof *out;
	ok = counts_only ? copy_heads(out, src, count) :
			   copy_out(out, src, (size_t)count * sizeof *out);
	if (!ok)
		return fail(r, -EPROTO, "the segment shrank while read");
	for (uint32_t i = 0; i < count; i++)
		if (out[i].nframes > SEG_MAX_FRAMES)
			out[i].nframes = SEG_MAX_FRAMES;
	return 0;
}

int reader_modules(struct reader *r, struct seg_module *out, uint32_t max,
		   uint64_t *seq)
{
	const struct seg_header *live = (const void *)r->map;
	uint32_t used;
	uint32_t n;

	if (!copy_out(seq, &live->modules_seq, sizeof *seq) ||
	    !load_u32(&live->modules_used, &used))
		return fail(r, -EPROTO, "the segment shrank while read");
	n = used > r->hdr.module_count ? r->hdr.module_count : used;
	if (n > max)
		n = max;
	if (n != 0 && !copy_out(out, r->map + r->hdr.modules_off,
				(size_t)n * sizeof *out))
		return fail(r, -EPROTO, "the segment shrank while read");
	for (uint32_t i = 0; i < n; i++) {
		out[i].path[sizeof out[i].path - 1] = '\0';
		if (out[i].build_id_len > SEG_BUILD_ID_MAX)
			out[i].build_id_len = SEG_BUILD_ID_MAX;
		if (out[i].lo > out[i].hi)
			out[i].lo = out[i].hi = 0;	/* ignore it */
	}
	return (int)n;
}

int reader_list(pid_t *pids, int max)
{
	DIR *d = opendir("/dev/shm");
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char why[256];
		struct reader *r;
		char *end;
		long pid;

		if (strncmp(e->d_name, "alloctop.", 9) != 0)
			continue;
		pid = strtol(e->d_name + 9, &end, 10);
		if (*end != '\0' || pid <= 0 || pid > INT32_MAX ||
		    kill((pid_t)pid, 0) != 0)
			continue;
		/* Only segments we could attach to, of running images. */
		r = reader_open((pid_t)pid, why, sizeof why);
		if (r == NULL)
			continue;
		if (r->hdr.state == SEG_STATE_RUNNING) {
			if (n < max)
				pids[n] = (pid_t)pid;
			n++;
		}
		reader_close(r);
	}
	closedir(d);
	return n;
}
