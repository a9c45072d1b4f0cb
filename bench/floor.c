/* bench/floor.c - the do-nothing interposer: every entry point forwards to
 * the C library through a pointer found with dlsym(RTLD_NEXT) and counts
 * nothing.  What any preload tool pays at the least; the bench reports it
 * beside liballoctop so the shim's own cost is visible.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <malloc.h>
#include <stddef.h>
#include <stdlib.h>

#define EXPORT __attribute__((visibility("default")))

static char arena[16384];
static size_t arena_used;
static int booting;

static void *(*real_malloc)(size_t);
static void (*real_free)(void *);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void *(*real_memalign)(size_t, size_t);
static int (*real_posix_memalign)(void **, size_t, size_t);
static void *(*real_aligned_alloc)(size_t, size_t);

static void boot(void)
{
	booting = 1;
	real_malloc = dlsym(RTLD_NEXT, "malloc");
	real_free = dlsym(RTLD_NEXT, "free");
	real_calloc = dlsym(RTLD_NEXT, "calloc");
	real_realloc = dlsym(RTLD_NEXT, "realloc");
	real_memalign = dlsym(RTLD_NEXT, "memalign");
	real_posix_memalign = dlsym(RTLD_NEXT, "posix_memalign");
	real_aligned_alloc = dlsym(RTLD_NEXT, "aligned_alloc");
	booting = 0;
}

static void *early(size_t n)
{
	void *p = arena + arena_used;

	arena_used += (n + 15) & ~(size_t)15;
	return arena_used <= sizeof arena ? p : NULL;
}

EXPORT void *malloc(size_t n)
{
	if (__builtin_expect(real_malloc == NULL, 0)) {
		if (booting)
			return early(n);
		boot();
	}
	return real_malloc(n);
}

EXPORT void free(void *p)
{
	if ((char *)p >= arena && (char *)p < arena + sizeof arena)
		return;
	if (__builtin_expect(real_free == NULL, 0))
		boot();
	real_free(p);
}

EXPORT void *calloc(size_t n, size_t s)
{
	if (__builtin_expect(real_calloc == NULL, 0)) {
		if (booting)
			return early(n * s);	/* static: zeroed */
		boot();
	}
	return real_calloc(n, s);
}

EXPORT void *realloc(void *p, size_t n)
{
	if (__builtin_expect(real_realloc == NULL, 0))
		boot();
	return real_realloc(p, n);
}

EXPORT void *memalign(size_t a, size_t n)
{
	if (__builtin_expect(real_memalign == NULL, 0))
		boot();
	return real_memalign(a, n);
}

EXPORT int posix_memalign(void **out, size_t a, size_t n)
{
	if (__builtin_expect(real_posix_memalign == NULL, 0))
		boot();
	return real_posix_memalign(out, a, n);
}

EXPORT void *aligned_alloc(size_t a, size_t n)
{
	if (__builtin_expect(real_aligned_alloc == NULL, 0))
		boot();
	return real_aligned_alloc(a, n);
}
