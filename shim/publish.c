/* shim/publish.c - the segment writer.
 *
 * Owns the mapping of /dev/shm/alloctop.<pid>, the thread slots and the
 * shared block (header "retired"), and is the slow path of every counted
 * call (pub_slow).  All of it is cold: preload.c counts into a slotted
 * thread's own slot without coming here.
 *
 * Consistency for the reader: a thread's counts live either in its slot or,
 * once it exits, in the retired block.  Claiming a slot (zero it, mark it
 * active) and retiring one (fold into retired, zero, mark free) happen under
 * a writer lock and inside the header's claim_seq, odd while inside, so a
 * reader that saw the same even claim_seq before and after its copy never
 * counts a thread twice or not at all.
 *
 * Locks: `slot_lock` is only taken by a thread claiming or retiring its own
 * slot.  A signal handler that allocates meanwhile finds the thread in
 * TLS_CLAIMING or TLS_RETIRING and counts into the shared block with atomic
 * adds, never touching the lock, so it cannot deadlock.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "boot.h"
#include "publish.h"
#include "modules.h"
#include "ptrmap.h"
#include "sample.h"
#include "stack.h"

static struct seg_header *seg;		/* NULL until published, or disabled */
struct seg_site *pub_site_table;	/* seg's, or NULL */
static uint64_t seg_size;
/* The segment's file, to know it again at exit.  No descriptor is kept:
 * a program that closes every descriptor above stderr (ssh, daemons) and
 * opens its own would get ours to use, or we its files to close and lock;
 * and a kept descriptor shifts the numbers the program is given. */
static dev_t seg_dev;
static ino_t seg_ino;
static struct seg_counters *seg_retired;
static struct seg_slot *seg_slots;

/* Counts from before the segment exists (allocations ahead of our
 * constructor); folded into the retired block when it is published. */
static struct seg_counters early;

static int slot_lock;
static uint32_t slot_hint;
static pthread_key_t exit_key;
static bool exit_key_ok;

#define SIGNAL_FENCE() __atomic_signal_fence(__ATOMIC_SEQ_CST)

/* ---- small helpers ------------------------------------------------------ */

static uint64_t now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void lock_slots(void)
{
	while (__atomic_exchange_n(&slot_lock, 1, __ATOMIC_ACQUIRE) != 0)
		sched_yield();
}

static void unlock_slots(void)
{
	__atomic_store_n(&slot_lock, 0, __ATOMIC_RELEASE);
}

/* Seqcount writer side (the kernel's write_seqcount_begin/end). */
static void claim_seq_begin(void)
{
	__atomic_store_n(&seg->claim_seq, seg->claim_seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static void claim_seq_end(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&seg->claim_seq, seg->claim_seq + 1, __ATOMIC_RELAXED);
}

/* Adds every counter of src into dst, atomically (dst is shared). */
static void fold(struct seg_counters *dst, const struct seg_counters *src)
{
	const uint64_t *s = (const uint64_t *)src;
	uint64_t *d = (uint64_t *)dst;

	for (size_t i = 0; i < sizeof *src / sizeof(uint64_t); i++)
		shared_add(&d[i], __atomic_load_n(&s[i], __ATOMIC_RELAXED));
}

static struct seg_counters *shared_block(void)
{
	struct seg_counters *r = __atomic_load_n(&seg_retired,
						 __ATOMIC_ACQUIRE);

	return r ? r : &early;
}

/* ---- counting ----------------------------------------------------------- */

/* Counts k into c with the given add: the body of count_own and
 * count_shared, inlined into each so no add goes through a pointer. */
static inline __attribute__((always_inline)) void
count_with(void (*add)(uint64_t *, uint64_t), struct seg_counters *c,
	   const struct pub_call *k)
{
	add(&c->fn[k->fn].calls, 1);
	if (k->failed) {
		add(&c->fn[k->fn].failed, 1);
		return;
	}
	add(&c->fn[k->fn].bytes, k->req);
	if (k->fn == SEG_FN_FREE && k->old == NULL)
		add(&c->free_null, 1);
	if (k->old != NULL) {
		if (!k->old_counted)
			add(&c->free_spans, k->old_usable + SEG_SPAN_EXTRA);
		if (k->fn != SEG_FN_FREE && k->ptr == NULL)
			add(&c->zero_frees, 1);
	} else if (k->ptr != NULL && (k->fn == SEG_FN_REALLOC ||
				      k->fn == SEG_FN_REALLOCARRAY)) {
		add(&c->realloc_news, 1);
	}
	if (k->ptr != NULL) {
		add(&c->alloc_spans, k->usable + SEG_SPAN_EXTRA);
		add(&c->hist[seg_hist_bucket(k->req)], 1);
		if (k->old != NULL && k->old != k->ptr)
			add(&c->realloc_moves, 1);
	}
}

/* Into our own slot: single-instruction adds. */
static void count_own(struct seg_counters *c, const struct pub_call *k)
{
	count_with(tls_add, c, k);
}

/* Into the shared block: atomic adds. */
static void count_shared(struct seg_counters *c, const struct pub_call *k)
{
	count_with(shared_add, c, k);
}

/* ---- thread slots ------------------------------------------------------- */

static int current_tid(void)
{
	return (int)syscall(SYS_gettid);
}

/* Gives the calling thread a slot, or leaves it unslotted (counting into
 * the shared block) when all are taken. */
static void claim(struct tls_state *t)
{
	struct seg_slot *s = NULL;
	uint32_t i;

	t->status = TLS_CLAIMING;
	SIGNAL_FENCE();
	shared_add(&seg->threads_total, 1);
	shared_add(&seg->threads_live, 1);
	if (exit_key_ok) {
		/* May allocate for high keys: ours, so uncounted. */
		tls_enter(t);
		(void)pthread_setspecific(exit_key, (void *)1);
		tls_leave(t);
	}
	lock_slots();
	/* The fast paths read glibc's chunk headers: with another allocator
	 * underneath, every thread counts through the shared block. */
	for (i = 0; i < SEG_MAX_SLOTS && boot_glibc_chunks; i++) {
		uint32_t j = (slot_hint + i) % SEG_MAX_SLOTS;

		if (seg_slots[j].state == SEG_SLOT_FREE) {
			s = &seg_slots[j];
			slot_hint = j + 1;
			break;
		}
	}
	if (s != NULL) {
		claim_seq_begin();
		s->tid = current_tid();
		s->claimed_ns = now_ns(CLOCK_MONOTONIC);
		__atomic_store_n(&s->state, SEG_SLOT_ACTIVE, __ATOMIC_RELAXED);
		claim_seq_end();
	}
	unlock_slots();
	if (s == NULL) {
		shared_add(&seg->threads_unslotted, 1);
		t->status = TLS_UNSLOTTED;
		return;
	}
	t->slot = (uint32_t)(s - seg_slots);
	t->ctr = &s->c;
	SIGNAL_FENCE();
	t->status = TLS_SLOTTED;
}

/* The pthread key destructor: folds the exiting thread's slot into the
 * retired block.  Calls that arrive later (other destructors) count into
 * the shared block; the thread never claims again. */
static void thread_exit(void *unused)
{
	struct tls_state *t = &tls_self;
	uint32_t status = t->status;
	struct seg_counters *c = t->ctr;

	(void)unused;
	if (status != TLS_SLOTTED && status != TLS_UNSLOTTED)
		return;
	t->status = TLS_RETIRING;
	SIGNAL_FENCE();
	t->countdown = 0;
	t->ctr = NULL;
	SIGNAL_FENCE();
	if (status == TLS_SLOTTED && seg != NULL) {
		struct seg_slot *s = &seg_slots[t->slot];

		lock_slots();
		claim_seq_begin();
		fold(seg_retired, c);
		memset(c, 0, sizeof *c);
		__atomic_store_n(&s->state, SEG_SLOT_FREE, __ATOMIC_RELAXED);
		s->tid = 0;
		claim_seq_end();
		unlock_slots();
	}
	if (seg != NULL)
		__atomic_fetch_sub(&seg->threads_live, 1, __ATOMIC_RELAXED);
	stack_release(t);
	t->status = TLS_RETIRED;
}

/* The counters this call goes into, claiming a slot on a thread's first
 * counted call; NULL means the shared block. */
static struct seg_counters *own_counters(struct tls_state *t)
{
	if (t->status == TLS_SLOTTED)
		return t->ctr;
	if (t->status == TLS_FRESH && seg != NULL) {
		claim(t);
		return t->ctr;	/* NULL when unslotted */
	}
	return NULL;
}

void pub_slow(struct tls_state *t, const struct pub_call *k)
{
	struct seg_counters *c;
	int saved = errno;
	bool was_slotted = t->status == TLS_SLOTTED;

	if (t->depth != 0)
		return;
	c = own_counters(t);
	if (c != NULL)
		count_own(c, k);
	else
		count_shared(shared_block(), k);
	if (t->status == TLS_SLOTTED && t->countdown <= 0 && !k->failed) {
		/* A first call arrives with the countdown at 0: no sample,
		 * except in exact mode, where every block is one. */
		if ((was_slotted || boot_env.sample_bytes == 1) &&
		    k->ptr != NULL && boot_env.sample_bytes && !t->sampling)
			sample_take(t, k);
		t->countdown = sample_next(t);
	}
	errno = saved;
}

void pub_ops(struct tls_state *t, uint64_t n)
{
	struct seg_counters *c = t->depth ? NULL : own_counters(t);

	if (c != NULL)
		tls_add(&c->ops, n);
	else
		shared_add(&shared_block()->ops, n);
}

/* ---- the segment -------------------------------------------------------- */

/* Private memory counted before the segment exists (the constructor's
 * tables), folded in when it is published. */
static int64_t private_early;

void pub_private_bytes(int64_t bytes)
{
	struct seg_header *h = __atomic_load_n(&seg, __ATOMIC_ACQUIRE);

	if (h != NULL)
		__atomic_fetch_add(&h->private_bytes, (uint64_t)bytes,
				   __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&private_early, bytes, __ATOMIC_RELAXED);
}

struct seg_header *pub_header(void)
{
	return __atomic_load_n(&seg, __ATOMIC_ACQUIRE);
}

struct seg_module *pub_modules(void)
{
	struct seg_header *h = pub_header();

	return h ? (struct seg_module *)((char *)h + h->modules_off) : NULL;
}

/* Field 22 of /proc/self/stat: our start time in clock ticks after boot,
 * which tells this process from an older one that had the same pid. */
static uint64_t start_time_ticks(void)
{
	char buf[1024];
	ssize_t n;
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	char *p;
	uint64_t v = 0;
	int field = 2;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (p == NULL)
		return 0;
	for (p++; *p != '\0' && field < 22; p++)
		if (*p == ' ')
			field++;
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (uint64_t)(*p++ - '0');
	return v;
}

static void exe_name(char *out, size_t len)
{
	char path[512];
	ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
	const char *base;
	size_t k;

	out[0] = '\0';
	if (n <= 0)
		return;
	path[n] = '\0';
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	k = strlen(base);
	if (k > len - 1)
		k = len - 1;	/* truncated, as the reader expects */
	memcpy(out, base, k);
	out[k] = '\0';
}

/* An alloctop.<pid> already exists: our own image before an exec (same
 * pid and start time: count the exec), or a stale one of a dead process
 * whose pid we reuse.  Either way it goes; only our user's may. */
static int take_over(const char *name, pid_t pid, uint64_t start,
		     uint32_t *exec_count)
{
	struct seg_header old;
	struct stat st;
	int fd = shm_open(name, O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid()) {
		close(fd);
		return -EEXIST;
	}
	if (pread(fd, &old, sizeof old, 0) == (ssize_t)sizeof old &&
	    old.magic == SEG_MAGIC && old.pid == pid &&
	    old.start_time_ticks == start) {
		uint32_t state = SEG_STATE_EXECED;

		*exec_count = old.exec_count + 1;
		(void)pwrite(fd, &state, sizeof state,
			     offsetof(struct seg_header, state));
	}
	close(fd);
	if (shm_unlink(name) != 0 && errno != ENOENT)
		return -errno;
	return 0;
}

static int create_segment(pid_t parent)
{
	struct seg_layout l;
	struct seg_header *h;
	char name[SEG_NAME_MAX];
	pid_t pid = getpid();
	uint64_t start = start_time_ticks();
	uint32_t exec_count = 0;
	struct stat st;
	int fd;
	void *map;
	int err;

	seg_layout_default(&l);
	seg_name(name, (int)pid);
	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		      0600);
	if (fd < 0 && errno == EEXIST) {
		err = take_over(name, pid, start, &exec_count);
		if (err != 0) {
			boot_say(true, "disabled: cannot replace /dev/shm"
				 " segment", strerror(-err));
			return err;
		}
		fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
			      O_CLOEXEC, 0600);
	}
	if (fd < 0) {
		err = -errno;
		boot_say(true, "disabled: cannot create the /dev/shm segment",
			 strerror(errno));
		return err;
	}
	if (ftruncate(fd, (off_t)l.size) != 0) {
		err = -errno;
		goto out_unlink;
	}
	map = mmap(NULL, l.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		err = -errno;
		goto out_unlink;
	}
	h = map;
	h->abi_version = SEG_ABI_VERSION;
	h->header_size = sizeof *h;
	h->segment_size = l.size;
	h->pid = pid;
	h->start_time_ticks = start;
	h->created_ns = now_ns(CLOCK_REALTIME);
	h->sample_bytes = boot_env.sample_bytes;
	h->sites_used = 1;	/* entry 0: "other" */
	/* Fixed private tables: boot arena, size table, filter, site index
	 * and pointer map (ptrmap.c, sample.c); stack caches add theirs. */
	h->private_bytes = (uint64_t)__atomic_load_n(&private_early,
						     __ATOMIC_RELAXED);
	((struct seg_site *)((char *)map + l.sites_off))->min_size = UINT64_MAX;
	h->exec_count = exec_count;
	h->parent_pid = (uint32_t)parent;
	exe_name(h->comm, sizeof h->comm);
	h->slots_off = l.slots_off;
	h->slot_count = SEG_MAX_SLOTS;
	h->slot_size = sizeof(struct seg_slot);
	h->retired_off = l.retired_off;
	h->sites_off = l.sites_off;
	h->site_count = SEG_MAX_SITES;
	h->site_size = sizeof(struct seg_site);
	h->modules_off = l.modules_off;
	h->module_count = SEG_MAX_MODULES;
	h->module_size = sizeof(struct seg_module);

	if (fstat(fd, &st) == 0) {
		seg_dev = st.st_dev;
		seg_ino = st.st_ino;
	}
	close(fd);
	seg_size = l.size;
	seg_slots = (struct seg_slot *)((char *)map + l.slots_off);
	slot_hint = 0;
	__atomic_store_n(&slot_lock, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&pub_site_table,
			 (struct seg_site *)((char *)map + l.sites_off),
			 __ATOMIC_RELEASE);
	__atomic_store_n(&seg, h, __ATOMIC_RELEASE);
	__atomic_store_n(&seg_retired,
			 (struct seg_counters *)((char *)map + l.retired_off),
			 __ATOMIC_RELEASE);
	/* Counts made before now move into the segment. */
	fold(seg_retired, &early);
	memset(&early, 0, sizeof early);
	__atomic_store_n(&h->state, SEG_STATE_RUNNING, __ATOMIC_RELAXED);
	/* Last: a reader that sees the magic sees a complete header. */
	__atomic_store_n(&h->magic, SEG_MAGIC, __ATOMIC_RELEASE);
	return 0;

out_unlink:
	boot_say(true, "disabled: cannot size the /dev/shm segment",
		 strerror(-err));
	shm_unlink(name);
	close(fd);
	return err;
}

/* In a forked child: the parent's mapping is shared, so leave it untouched
 * and publish a segment of our own; the forking thread claims afresh. */
static void fork_child(void)
{
	struct tls_state *t = &tls_self;
	void *old = seg;

	stack_fork_child();
	if (t->status == TLS_SLOTTED || t->status == TLS_UNSLOTTED)
		t->status = TLS_FRESH;
	SIGNAL_FENCE();
	t->countdown = 0;
	t->ctr = NULL;
	SIGNAL_FENCE();
	__atomic_store_n(&seg_retired, NULL, __ATOMIC_RELEASE);
	__atomic_store_n(&pub_site_table, NULL, __ATOMIC_RELEASE);
	__atomic_store_n(&seg, NULL, __ATOMIC_RELEASE);
	if (old != NULL) {
		munmap(old, seg_size);
	}
	memset(&early, 0, sizeof early);
	sample_reset();
	tls_enter(t);
	(void)create_segment(getppid());
	mod_refresh();
	tls_leave(t);
}

void pub_start(void)
{
	struct tls_state *t = &tls_self;

	tls_enter(t);
	exit_key_ok = pthread_key_create(&exit_key, thread_exit) == 0;
	(void)pthread_atfork(stack_fork_prepare, stack_fork_parent,
			     fork_child);
	ptr_init(boot_env.sample_bytes);
	(void)create_segment(0);
	mod_refresh();
	tls_leave(t);
}

/* Normal exit: mark the segment, and remove it unless a reader holds it
 * (a shared flock) or the alloctop that launched us will collect it. */
void pub_stop(void)
{
	char name[SEG_NAME_MAX];
	struct stat st;
	int fd;

	if (seg == NULL)
		return;
	__atomic_store_n(&seg->state, SEG_STATE_EXITED, __ATOMIC_RELEASE);
	if (boot_env.launcher != 0 && getppid() == boot_env.launcher)
		return;
	seg_name(name, seg->pid);
	fd = shm_open(name, O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0);
	if (fd < 0)
		return;
	/* Still the file we made (a reader reclaims only dead processes'),
	 * and no reader holds it. */
	if (fstat(fd, &st) == 0 && st.st_dev == seg_dev &&
	    st.st_ino == seg_ino && flock(fd, LOCK_EX | LOCK_NB) == 0)
		shm_unlink(name);
	close(fd);
}
