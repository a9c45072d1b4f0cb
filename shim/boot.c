/* shim/boot.c - start-up and tear-down of liballoctop.
 *
 * Finds the real allocator (see boot.h), reads the environment once, opens
 * the segment from the constructor and marks it at exit.  The thread-exit
 * and fork hooks live in publish.c, next to the slots they manage.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot.h"
#include "ptrmap.h"
#include "publish.h"
#include "sample.h"
#include "stack.h"
#include "tls.h"

/* glibc's own entry points: the fallback if dlsym finds nothing next. */
extern void *__libc_malloc(size_t);
extern void __libc_free(void *);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void *__libc_valloc(size_t);
extern void *__libc_pvalloc(size_t);

struct boot_env boot_env;
bool boot_glibc_chunks;
uint16_t tls_hist_small[TLS_HIST_SMALL];

/* The arena: 64 KiB covers what dlsym and the loader ask for while we look
 * the allocator up (a few hundred bytes in practice). */
unsigned char boot_arena[BOOT_ARENA_BYTES] __attribute__((aligned(64)));
static size_t arena_used;
static int resolving;

#define ARENA_HDR 16u

static void *arena_alloc(size_t size, size_t align)
{
	size_t off;
	size_t start;
	size_t end;

	if (align < ARENA_HDR)
		align = ARENA_HDR;
	if (size > BOOT_ARENA_BYTES || (align & (align - 1)) != 0 ||
	    align > 4096)
		return NULL;
	off = __atomic_load_n(&arena_used, __ATOMIC_RELAXED);
	do {
		start = (off + ARENA_HDR + align - 1) & ~(align - 1);
		end = start + ((size + 15) & ~(size_t)15);
		if (end > BOOT_ARENA_BYTES)
			return NULL;
	} while (!__atomic_compare_exchange_n(&arena_used, &off, end, true,
					      __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	memcpy(boot_arena + start - sizeof(size_t), &size, sizeof(size_t));
	ptr_pin(boot_arena + start);	/* free's fast path will step aside */
	return boot_arena + start;
}

size_t boot_arena_usable(const void *p)
{
	size_t size;

	memcpy(&size, (const unsigned char *)p - sizeof(size_t), sizeof size);
	return size;
}

static void *next_symbol(const char *name, void *fallback)
{
	void *f = dlsym(RTLD_NEXT, name);

	return f ? f : fallback;
}

/* reallocarray and memalign-family fallbacks for C libraries without them. */
static void *fallback_reallocarray(void *p, size_t n, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	return boot_real.realloc(p, total);
}

static int fallback_posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)) != 0)
		return EINVAL;
	p = boot_real.memalign(align, size);
	if (p == NULL)
		return ENOMEM;
	*out = p;
	return 0;
}

static void *fallback_aligned_alloc(size_t align, size_t size)
{
	return boot_real.memalign(align, size);
}


static size_t no_usable(void *p)
{
	(void)p;
	return 0;
}

static void resolve(void)
{
	struct boot_real r;
	struct tls_state *t = &tls_self;

	if (__atomic_exchange_n(&resolving, 1, __ATOMIC_ACQ_REL) != 0)
		return;	/* another thread is at it: callers use the arena */
	tls_enter(t);
	r.malloc = next_symbol("malloc", (void *)__libc_malloc);
	r.free = next_symbol("free", (void *)__libc_free);
	r.calloc = next_symbol("calloc", (void *)__libc_calloc);
	r.realloc = next_symbol("realloc", (void *)__libc_realloc);
	r.memalign = next_symbol("memalign", (void *)__libc_memalign);
	r.valloc = next_symbol("valloc", (void *)__libc_valloc);
	r.pvalloc = next_symbol("pvalloc", (void *)__libc_pvalloc);
	r.reallocarray = next_symbol("reallocarray",
				     (void *)fallback_reallocarray);
	r.posix_memalign = next_symbol("posix_memalign",
				       (void *)fallback_posix_memalign);
	r.aligned_alloc = next_symbol("aligned_alloc",
				      (void *)fallback_aligned_alloc);
	r.usable = next_symbol("malloc_usable_size", NULL);
	tls_leave(t);
	if (r.usable == NULL)	/* not with glibc: count usable bytes as 0 */
		r.usable = no_usable;
	/* Field by field, each an aligned pointer store: a racing thread
	 * sees the bootstrap or the real function, and either works. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	boot_real = r;
}

/* The bootstrap table: each entry resolves once, then forwards; calls that
 * arrive while resolving (from dlsym) are served from the arena. */
#define BOOTING() __atomic_load_n(&resolving, __ATOMIC_ACQUIRE)

static void *boot_malloc(size_t size)
{
	if (BOOTING())
		return arena_alloc(size, ARENA_HDR);
	resolve();
	return boot_real.malloc(size);
}

static void boot_free(void *p)
{
	if (p == NULL || boot_in_arena(p))
		return;
	resolve();
	boot_real.free(p);
}

static void *boot_calloc(size_t n, size_t size)
{
	size_t total;

	if (BOOTING()) {
		if (__builtin_mul_overflow(n, size, &total))
			return NULL;
		return arena_alloc(total, ARENA_HDR);	/* static: zeroed */
	}
	resolve();
	return boot_real.calloc(n, size);
}

static void *boot_realloc(void *p, size_t size)
{
	void *q;

	if (BOOTING()) {
		q = arena_alloc(size, ARENA_HDR);
		if (q != NULL && p != NULL) {
			size_t old = boot_arena_usable(p);

			memcpy(q, p, old < size ? old : size);
		}
		return q;
	}
	resolve();
	return boot_real.realloc(p, size);
}

static void *boot_reallocarray(void *p, size_t n, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(n, size, &total))
		return NULL;
	return boot_realloc(p, total);
}

static void *boot_memalign(size_t align, size_t size)
{
	if (BOOTING())
		return arena_alloc(size, align);
	resolve();
	return boot_real.memalign(align, size);
}

static int boot_posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	if (BOOTING()) {
		p = arena_alloc(size, align);
		if (p == NULL)
			return ENOMEM;
		*out = p;
		return 0;
	}
	resolve();
	return boot_real.posix_memalign(out, align, size);
}

static void *boot_aligned_alloc(size_t align, size_t size)
{
	return boot_memalign(align, size);
}

static void *boot_valloc(size_t size)
{
	return boot_memalign(4096, size);
}

static void *boot_pvalloc(size_t size)
{
	return boot_memalign(4096, (size + 4095) & ~(size_t)4095);
}

static size_t boot_usable_first(void *p)
{
	if (p == NULL)
		return 0;
	if (boot_in_arena(p))
		return boot_arena_usable(p);
	resolve();
	return boot_real.usable(p);
}

struct boot_real boot_real = {
	.malloc = boot_malloc,
	.free = boot_free,
	.calloc = boot_calloc,
	.realloc = boot_realloc,
	.reallocarray = boot_reallocarray,
	.posix_memalign = boot_posix_memalign,
	.aligned_alloc = boot_aligned_alloc,
	.memalign = boot_memalign,
	.valloc = boot_valloc,
	.pvalloc = boot_pvalloc,
	.usable = boot_usable_first,
};

void boot_say(bool always, const char *msg, const char *detail)
{
	char line[512];
	size_t n = 0;
	const char *parts[4] = { "liballoctop: ", msg, detail ? ": " : "",
				 detail ? detail : "" };

	if (!always && !boot_env.debug)
		return;
	for (unsigned i = 0; i < 4; i++) {
		size_t len = strlen(parts[i]);

		if (len > sizeof line - 2 - n)
			len = sizeof line - 2 - n;
		memcpy(line + n, parts[i], len);
		n += len;
	}
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, n) < 0)
		return;	/* nowhere left to say it */
}

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *s = getenv(name);
	char *end;
	unsigned long long v;

	if (s == NULL || *s == '\0')
		return dflt;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0') {
		boot_say(true, "ignoring a malformed setting", name);
		return dflt;
	}
	return v;
}

size_t boot_usable_call(void *p)
{
	return boot_real.usable(p);
}

/* The inline usable-size read is used only if the real malloc is glibc's
 * and agrees with malloc_usable_size on blocks of every kind: tcache and
 * bin sizes, a chunk split from the top, an mmap'ed one.  Each probe is
 * freed at once, so the heap is left as it was found (a memalign probe
 * would leave fragments that change where the program's blocks go). */
static void check_glibc_chunks(void)
{
	/* Heap chunks, and one mapped chunk above the largest mmap threshold
	 * glibc adapts to (32 MiB): freeing a smaller mapped chunk would
	 * raise the program's thresholds for mapping and trimming, and so
	 * change how all its later allocations are served. */
	static const size_t sizes[] = { 0, 1, 24, 100, 1000, 5000, 40u << 20 };
	bool ok = boot_real.malloc == (void *(*)(size_t))__libc_malloc;

	for (size_t i = 0; ok && i < sizeof sizes / sizeof sizes[0]; i++) {
		void *p = boot_real.malloc(sizes[i]);

		boot_glibc_chunks = true;
		ok = p && boot_usable(p) == boot_real.usable(p);
		boot_glibc_chunks = false;
		boot_real.free(p);
	}
	boot_glibc_chunks = ok;
}

__attribute__((constructor(101))) static void boot_start(void)
{
	struct tls_state *t = &tls_self;
	int saved = errno;

	tls_enter(t);
	resolve();
	boot_env.debug = getenv("ALLOCTOP_DEBUG") != NULL;
	boot_env.sample_bytes = env_u64("ALLOCTOP_SAMPLE_BYTES",
					PUB_DEFAULT_SAMPLE_BYTES);
	boot_env.launcher = (pid_t)env_u64("ALLOCTOP_LAUNCHER", 0);
	/* Counting only takes no stacks: libunwind never runs (its caches
	 * and pipe cost a short program about 1 ms and 75 page faults). */
	if (boot_env.sample_bytes != 0)
		stack_warm_up();
	check_glibc_chunks();
	for (unsigned i = 0; i < TLS_HIST_SMALL; i++)
		tls_hist_small[i] = (uint16_t)(offsetof(struct seg_counters,
						       hist) +
					      seg_hist_bucket(i) *
					      sizeof(uint64_t));
	pub_private_bytes((int64_t)(sizeof boot_arena +
				    sizeof tls_hist_small +
				    sample_private_bytes()));
	tls_leave(t);
	pub_start();
	errno = saved;
}

__attribute__((destructor(101))) static void boot_stop(void)
{
	int saved = errno;

	pub_stop();
	errno = saved;
}
