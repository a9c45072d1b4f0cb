/* src/collect/sym.h - return addresses to functions, files and lines, with
 * libdw (elfutils).  Runs in the reader, where slowness is allowed; every
 * answer is cached per address.  Without debug information an address
 * still resolves to module+offset, never to garbage. */
#ifndef ALLOCTOP_COLLECT_SYM_H
#define ALLOCTOP_COLLECT_SYM_H

#include <stdbool.h>
#include <stdint.h>

#include "segment.h"

struct sym;

struct sym_frame {
	const char *function;	/* demangled; "" when unknown */
	const char *file;	/* source file; "" when unknown */
	int line;		/* 0 when unknown */
	const char *inlined;	/* "a <- b" chain of inlined callers, or "" */
	const char *module;	/* basename of the object, or "?" */
	uint64_t offset;	/* address - module's load bias */
	bool allocator;		/* inside the C library or operator new */
};

struct sym *sym_new(void);
void sym_free(struct sym *s);

/* (Re)loads the module table; cheap when seq has not changed. */
void sym_set_modules(struct sym *s, const struct seg_module *m, int n,
		     uint64_t seq);

/* Resolves a return address (the call is just before it).  The strings
 * live as long as s. */
const struct sym_frame *sym_lookup(struct sym *s, uint64_t addr);

#endif
