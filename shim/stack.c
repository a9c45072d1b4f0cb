/* shim/stack.c - call-stack capture for sampled allocations.
 *
 * unw_backtrace walks with libunwind's per-thread caches (about 70 ns for
 * a short stack once warm, PERF-NOTES.md).  Our own frames are dropped by
 * address (everything inside liballoctop's mapping), not by a fixed count,
 * so inlining decisions cannot shift what the user sees.
 *
 * Exact mode samples every allocation, and most allocations repeat a stack
 * already seen.  A per-thread cache, keyed by the entry point's return
 * address and the caller's frame address, remembers each stack with the
 * address of the stack slot that holds every return address; a hit is
 * taken only if all of them still hold those values, which is what makes
 * it the same stack (PERF-NOTES.md measured +14.5 ns per pair this way,
 * against +87 ns for unwinding, with no mismatch in 4.8 M hits).  Slots are
 * read only inside the thread's own stack bounds, so a program that
 * switches stacks (coroutines) simply misses.
 *
 * libunwind (1.6) checks that stack memory is readable by writing a byte
 * of it to a pipe it keeps open, after reading the pipe to drain it; when
 * that read fails it closes both numbers it remembers and opens a new
 * pipe.  In a program that closes every descriptor above stderr and opens
 * its own (ssh, daemons), those numbers become the program's files:
 * libunwind would read bytes out of one, write stack bytes into another,
 * and close both (libunwind issues 274 and 291).  So a pipe libunwind's
 * code makes (we interpose pipe2) is moved to numbers near the top of the
 * usual range, out of the program's way, and before every walk both
 * numbers must be closed or still that pipe; if the program has reused
 * one, the sample gets no stack (the "other" site) rather than touch its
 * file.
 */
#include "config.h"

#define UNW_LOCAL_ONLY
#include <errno.h>
#include <fcntl.h>
#include <libunwind.h>
#include <link.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "modules.h"
#include "publish.h"
#include "segment.h"
#include "stack.h"

#define CACHE_ENTRIES 128u		/* direct-mapped; a power of two */
#define CACHE_FRAMES 32u		/* deeper stacks are not cached */

struct cache_entry {
	uintptr_t ret;			/* key */
	uintptr_t key;
	uint32_t n;			/* frames; 0 = empty */
	uint32_t site;			/* + 1; 0 = not known yet */
	uint32_t gen;			/* of site */
	uint32_t pad;
	uintptr_t ip[CACHE_FRAMES];
	uintptr_t slot[CACHE_FRAMES];	/* where ip[i] lives on the stack */
};

struct stack_cache {
	uintptr_t lo, hi;		/* the thread's stack */
	struct cache_entry *last;	/* the entry stack_capture returned */
	struct cache_entry e[CACHE_ENTRIES];
};

extern void *__libc_stack_end;

static uintptr_t self_lo, self_hi;
static uintptr_t unw_lo, unw_hi;	/* libunwind's: only its pipes move */
static uint32_t site_gen = 1;

/* The load range of the module holding addr, for dl_iterate_phdr. */
struct range {
	uintptr_t addr;
	uintptr_t lo, hi;
};

static int find_range(struct dl_phdr_info *i, size_t size, void *arg)
{
	struct range *r = arg;
	uintptr_t lo;
	uintptr_t hi;

	(void)size;
	mod_load_range(i, &lo, &hi);
	if (r->addr >= lo && r->addr < hi) {
		r->lo = lo;
		r->hi = hi;
		return 1;
	}
	return 0;
}

void stack_warm_up(void)
{
	void *frames[8];
	pthread_attr_t a;
	struct range self = { .addr = (uintptr_t)stack_warm_up };
	struct range unw = { .addr = (uintptr_t)unw_backtrace };

	dl_iterate_phdr(find_range, &self);
	dl_iterate_phdr(find_range, &unw);
	self_lo = self.lo;
	self_hi = self.hi;
	__atomic_store_n(&unw_lo, unw.lo, __ATOMIC_RELAXED);
	__atomic_store_n(&unw_hi, unw.hi, __ATOMIC_RELEASE);
	unw_set_caching_policy(unw_local_addr_space, UNW_CACHE_PER_THREAD);
	(void)unw_backtrace(frames, 8);
	/* stack_bounds asks pthread_getattr_np for other threads' bounds;
	 * its first call binds the C library's realloc lazily, and the
	 * resolver saves the vector registers on the stack (about 3 KiB
	 * with AVX-512), enough to overflow a small thread stack.  Make
	 * that first call here, on the main thread's stack. */
	if (pthread_getattr_np(pthread_self(), &a) == 0)
		pthread_attr_destroy(&a);
}

/* libunwind's validation pipe, as stack_pipe2 made it (-1: none yet). */
static int pipe_fd[2] = { -1, -1 };
static dev_t pipe_dev;
static ino_t pipe_ino;

/* Stack a walk may need below the sampler's frame: libunwind's cursor and
 * DWARF state and our frame arrays took up to 10 KiB in a 16 KiB thread
 * (tests/progs/smallstack.c).  With less left on a stack of known bounds
 * the sample gets no stack instead of overflowing the program's.  (On a
 * stack we do not know, a coroutine's, the walk goes ahead.) */
#define UNWIND_STACK ((uintptr_t)16 << 10)

static bool stack_short(const struct stack_cache *c)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);

	return c != NULL && sp >= c->lo && sp < c->hi &&
	       sp - c->lo < UNWIND_STACK;
}

/* The lowest number the pipe is moved to: 64 below the soft descriptor
 * limit, and never above 1024 (a higher number would make the kernel grow
 * the process's descriptor table to it). */
static int pipe_floor(void)
{
	struct rlimit r;
	rlim_t top = 1024;

	if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < top)
		top = r.rlim_cur;
	return top > 128 ? (int)(top - 64) : 3;
}

int stack_pipe2(int fds[2], int flags, uintptr_t caller)
{
	int p[2];
	int floor;
	struct stat st;

	if (caller < __atomic_load_n(&unw_lo, __ATOMIC_RELAXED) ||
	    caller >= __atomic_load_n(&unw_hi, __ATOMIC_ACQUIRE))
		return (int)syscall(SYS_pipe2, fds, flags);	/* not libunwind */
	if (syscall(SYS_pipe2, p, flags) != 0)
		return -1;
	floor = pipe_floor();
	for (int i = 0; i < 2; i++) {
		int hi;

		if (p[i] >= floor)
			continue;
		hi = fcntl(p[i], (flags & O_CLOEXEC) ? F_DUPFD_CLOEXEC :
						       F_DUPFD, floor);
		if (hi >= 0) {
			close(p[i]);
			p[i] = hi;
		}
	}
	if (fstat(p[0], &st) == 0) {
		pipe_dev = st.st_dev;
		pipe_ino = st.st_ino;
	}
	__atomic_store_n(&pipe_fd[0], p[0], __ATOMIC_RELAXED);
	__atomic_store_n(&pipe_fd[1], p[1], __ATOMIC_RELAXED);
	fds[0] = p[0];
	fds[1] = p[1];
	return 0;
}

/* Whether libunwind may validate memory now: each of its pipe's numbers
 * is closed (it will make a new pipe, through stack_pipe2) or still its
 * pipe. */
static bool pipe_intact(void)
{
	for (int i = 0; i < 2; i++) {
		int fd = __atomic_load_n(&pipe_fd[i], __ATOMIC_RELAXED);
		struct stat st;

		if (fd < 0)
			continue;
		if (fstat(fd, &st) != 0) {
			if (errno == EBADF)
				continue;
			return false;
		}
		if (!S_ISFIFO(st.st_mode) || st.st_dev != pipe_dev ||
		    st.st_ino != pipe_ino)
			return false;
	}
	return true;
}

static int ours(uintptr_t ip)
{
	return ip >= self_lo && ip < self_hi;
}

/* The calling thread's stack bounds; 0, 0 when unknown.  The main thread
 * needs no allocation for it; other threads ask pthread_getattr_np, which
 * may allocate (uncounted: ours), once per thread. */
static void stack_bounds(struct tls_state *t, uintptr_t *lo, uintptr_t *hi)
{
	pthread_attr_t a;
	void *base;
	size_t size;

	*lo = *hi = 0;
	if (syscall(SYS_gettid) == getpid()) {
		struct rlimit rl;
		uintptr_t top = (uintptr_t)__libc_stack_end;

		if (getrlimit(RLIMIT_STACK, &rl) != 0 ||
		    rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (1u << 30))
			rl.rlim_cur = 8u << 20;
		*hi = top;
		*lo = top - rl.rlim_cur;
		return;
	}
	tls_enter(t);
	if (pthread_getattr_np(pthread_self(), &a) == 0) {
		if (pthread_attr_getstack(&a, &base, &size) == 0) {
			*lo = (uintptr_t)base;
			*hi = (uintptr_t)base + size;
		}
		pthread_attr_destroy(&a);
	}
	tls_leave(t);
}

static struct stack_cache *cache_of(struct tls_state *t)
{
	struct stack_cache *c = t->stack_cache;

	if (c != NULL || t->stack_cache_failed)
		return c;
	c = mmap(NULL, sizeof *c, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c == MAP_FAILED) {
		t->stack_cache_failed = 1;
		return NULL;
	}
	stack_bounds(t, &c->lo, &c->hi);
	pub_private_bytes((int64_t)sizeof *c);
	t->stack_cache = c;
	return c;
}

static struct cache_entry *entry_for(struct stack_cache *c, uintptr_t ret,
				     uintptr_t key)
{
	uintptr_t h = (ret ^ (key * 0x9e3779b97f4a7c15ull)) >> 4;

	return &c->e[(h ^ (h >> 17)) & (CACHE_ENTRIES - 1)];
}

static int hit(const struct stack_cache *c, const struct cache_entry *e,
	       uintptr_t ret, uintptr_t key)
{
	if (e->n == 0 || e->ret != ret || e->key != key || key < c->lo ||
	    e->slot[e->n - 1] >= c->hi)
		return 0;
	for (uint32_t i = 0; i < e->n; i++)
		if (*(const uintptr_t *)e->slot[i] != e->ip[i])
			return 0;
	return 1;
}

/* A full unwind that also records where each return address lives; fills
 * e when the stack may be cached.  Returns the frame count. */
static int unwind(struct stack_cache *c, struct cache_entry *e,
		  uintptr_t key, void **frames, int max)
{
	unw_context_t uc;
	unw_cursor_t cur;
	unw_word_t ip;
	unw_word_t sp;
	int n = 0;
	int cacheable = c != NULL && e != NULL;
	int step = 1;	/* the last unw_step's result; <= 0: the end */

	if (unw_getcontext(&uc) != 0 || unw_init_local(&cur, &uc) != 0)
		return 0;
	do {
		if (unw_get_reg(&cur, UNW_REG_IP, &ip) != 0 ||
		    unw_get_reg(&cur, UNW_REG_SP, &sp) != 0 || ip == 0)
			break;
		if (n == 0 && ours(ip))
			continue;	/* still inside the shim */
		frames[n] = (void *)ip;
		if (cacheable && (unsigned)n < CACHE_FRAMES &&
		    sp - 8 >= key && sp - 8 < c->hi && sp >= 8) {
			e->ip[n] = ip;
			e->slot[n] = sp - 8;
		} else {
			cacheable = 0;
		}
		n++;
	} while (n < max && (step = unw_step(&cur)) > 0);
	/* Only a walk that reached the outermost frame is the whole stack.
	 * (Not a second unw_step to find out: libunwind 1.6 answers 1 again
	 * on a cursor that has already ended, which made every stack look
	 * truncated and the cache never hit.) */
	if (cacheable && n > 0 && step <= 0) {
		e->n = (uint32_t)n;	/* the whole stack, recorded */
		e->site = 0;
	} else if (e != NULL) {
		e->n = 0;
	}
	return n;
}

/* The walk itself, between walk_begin and walk_end: with c's cache entry
 * e (NULL: none) when the stack may be cached, else libunwind's fast
 * trace. */
static int walk(struct stack_cache *c, struct cache_entry *e, uintptr_t ret,
		uintptr_t key, void **frames, int max)
{
	void *buf[SEG_MAX_FRAMES + 8];
	int n;
	int skip = 0;
	int out = 0;

	if (e != NULL && key >= c->lo && key < c->hi) {
		e->ret = ret;
		e->key = key;
		n = unwind(c, e, key, frames, max);
		if (e->n != 0 && e->ip[0] == ret) {
			c->last = e;
			return n;
		}
		e->n = 0;
		if (n > 0)
			return n;
	}
	n = unw_backtrace(buf, max + 8);
	while (skip < n && ours((uintptr_t)buf[skip]))
		skip++;
	for (int i = skip; i < n && out < max; i++)
		frames[out++] = buf[i];
	return out;
}

/* fork and libunwind: libunwind takes mutexes of its own while it walks
 * (its memory pools, the loader's lock in dl_iterate_phdr), and a child
 * forked while another thread held one would wait for it forever, in its
 * first walk.  So fork waits for the walks under way to end and holds new
 * ones off (they go without a stack) until it is done: walkers count
 * themselves in, then look at the flag; fork sets the flag, then waits for
 * the count (sequentially consistent on both sides, so one of them sees
 * the other). */
static unsigned walkers;
static bool forking;

static bool walk_begin(struct tls_state *t)
{
	if (__atomic_load_n(&forking, __ATOMIC_SEQ_CST))
		return false;
	__atomic_add_fetch(&walkers, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&forking, __ATOMIC_SEQ_CST)) {
		__atomic_sub_fetch(&walkers, 1, __ATOMIC_SEQ_CST);
		return false;
	}
	t->walking = 1;
	return true;
}

static void walk_end(struct tls_state *t)
{
	t->walking = 0;
	__atomic_sub_fetch(&walkers, 1, __ATOMIC_SEQ_CST);
}

void stack_fork_prepare(void)
{
	/* A fork from a signal handler that interrupted this thread's own
	 * walk must not wait for itself. */
	unsigned mine = tls_self.walking;

	__atomic_store_n(&forking, true, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&walkers, __ATOMIC_SEQ_CST) > mine)
		sched_yield();
}

void stack_fork_parent(void)
{
	__atomic_store_n(&forking, false, __ATOMIC_SEQ_CST);
}

void stack_fork_child(void)
{
	/* The other threads are gone, and with them their counts. */
	__atomic_store_n(&walkers, tls_self.walking, __ATOMIC_SEQ_CST);
	__atomic_store_n(&forking, false, __ATOMIC_SEQ_CST);
}

int stack_capture(struct tls_state *t, uintptr_t ret, uintptr_t key,
		  void **frames, int max, uint32_t *site, bool *cached)
{
	struct stack_cache *c;
	struct cache_entry *e = NULL;
	int n;

	*site = UINT32_MAX;
	*cached = false;
	if (max > (int)SEG_MAX_FRAMES)
		max = (int)SEG_MAX_FRAMES;
	c = cache_of(t);	/* also the stack's bounds */
	if (c != NULL && ret != 0 && key != 0) {
		e = entry_for(c, ret, key);
		c->last = NULL;
		if (hit(c, e, ret, key)) {
			c->last = e;
			*cached = true;
			if (e->site != 0 && e->gen == site_gen) {
				*site = e->site - 1;
				return (int)e->n;	/* frames not needed */
			}
			for (uint32_t i = 0; i < e->n; i++)
				frames[i] = (void *)e->ip[i];
			return (int)e->n;
		}
	}
	if (stack_short(c) || !pipe_intact())
		return 0;	/* no room, or the program holds libunwind's pipe */
	if (!walk_begin(t))
		return 0;	/* a fork is under way */
	n = walk(c, e, ret, key, frames, max);
	walk_end(t);
	return n;
}

uint32_t stack_known_site(struct tls_state *t, uintptr_t ret, uintptr_t key)
{
	struct stack_cache *c = t->stack_cache;
	struct cache_entry *e;

	if (c == NULL)
		return UINT32_MAX;
	e = entry_for(c, ret, key);
	if (e->site == 0 ||
	    e->gen != __atomic_load_n(&site_gen, __ATOMIC_RELAXED) ||
	    !hit(c, e, ret, key))
		return UINT32_MAX;
	return e->site - 1;
}

void stack_remember_site(struct tls_state *t, uint32_t site)
{
	struct stack_cache *c = t->stack_cache;

	if (c != NULL && c->last != NULL) {
		c->last->site = site + 1;
		c->last->gen = site_gen;
	}
}

void stack_forget_sites(void)
{
	__atomic_fetch_add(&site_gen, 1, __ATOMIC_RELAXED);
}

void stack_release(struct tls_state *t)
{
	struct stack_cache *c = t->stack_cache;

	t->stack_cache = NULL;
	t->stack_cache_failed = 1;	/* exiting: no new one */
	if (c != NULL) {
		munmap(c, sizeof *c);
		pub_private_bytes(-(int64_t)sizeof *c);
	}
}
