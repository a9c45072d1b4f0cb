/* shim/boot.h - the real allocator, the bootstrap arena, start-up settings.
 *
 * boot_real starts out pointing at small functions that look the real
 * allocator up (dlsym(RTLD_NEXT), which itself allocates: those nested calls
 * are served from a static bump arena) and then forward.  After the first
 * call it holds the C library's functions and never changes again.
 */
#ifndef ALLOCTOP_SHIM_BOOT_H
#define ALLOCTOP_SHIM_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct boot_real {
	void *(*malloc)(size_t);
	void (*free)(void *);
	void *(*calloc)(size_t, size_t);
	void *(*realloc)(void *, size_t);
	void *(*reallocarray)(void *, size_t, size_t);
	int (*posix_memalign)(void **, size_t, size_t);
	void *(*aligned_alloc)(size_t, size_t);
	void *(*memalign)(size_t, size_t);
	void *(*valloc)(size_t);
	void *(*pvalloc)(size_t);
	size_t (*usable)(void *);
};

extern struct boot_real boot_real;

/* True when the real allocator is glibc's ptmalloc, whose chunk header
 * gives a block's usable size directly (checked against
 * malloc_usable_size at start-up). */
extern bool boot_glibc_chunks;

/* The real malloc_usable_size, out of line (other allocators). */
size_t boot_usable_call(void *p) __attribute__((noinline, cold));

/* The word before a live glibc block: its chunk's size, less the low
 * three bits, which are flags.  For a heap chunk the size is the block's
 * span (usable size + SEG_SPAN_EXTRA), so the fast paths add it as read;
 * an mmap'ed chunk (flag 2) has a header twice as large and goes to the
 * slow paths.  Only for the fast paths, which a thread enters only when
 * boot_glibc_chunks holds (publish.c gives slots to no one otherwise). */
#define BOOT_CHUNK_FLAGS ((size_t)7)
#define BOOT_CHUNK_MMAPPED ((size_t)2)

static inline size_t boot_chunk_word(const void *p)
{
	return ((const size_t *)p)[-1];
}

/* malloc_usable_size of a live block, whatever the allocator. */
static inline size_t boot_usable(void *p)
{
	if (__builtin_expect(boot_glibc_chunks, 1)) {
		size_t hdr = ((const size_t *)p)[-1];

		/* size bits less flags, less 8, less 8 more if mmap'ed (2) */
		return (hdr & ~(size_t)7) - 8 - ((hdr & 2) << 2);
	}
	return boot_usable_call(p);
}

/* Settings read once from the environment by the constructor. */
struct boot_env {
	uint64_t sample_bytes;	/* ALLOCTOP_SAMPLE_BYTES: 0 none, 1 exact */
	pid_t launcher;		/* ALLOCTOP_LAUNCHER: keep the segment for it */
	bool debug;		/* ALLOCTOP_DEBUG: say why we go quiet */
};

extern struct boot_env boot_env;

extern unsigned char boot_arena[];
#define BOOT_ARENA_BYTES (64u * 1024u)

/* True for blocks of the bootstrap arena: never freed, never counted. */
static inline bool boot_in_arena(const void *p)
{
	return (uintptr_t)p - (uintptr_t)boot_arena < BOOT_ARENA_BYTES;
}

/* Usable size of an arena block. */
size_t boot_arena_usable(const void *p);

/* One line to stderr, through write(2), when ALLOCTOP_DEBUG is set or
 * always when `always`; "liballoctop: " is prefixed. */
void boot_say(bool always, const char *msg, const char *detail);

#endif
