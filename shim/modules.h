/* shim/modules.h - the loaded objects, published for symbolization. */
#ifndef ALLOCTOP_SHIM_MODULES_H
#define ALLOCTOP_SHIM_MODULES_H

#include <stdint.h>

/* Appends objects loaded since the last call to the segment's module
 * table (path, load bias, address range, build-id).  Called from the
 * constructor, after fork, and after every dlopen; never from malloc. */
void mod_refresh(void);

struct dl_phdr_info;

/* The address range an object's PT_LOAD segments cover: [*lo, *hi);
 * *hi is 0 for an object without any. */
void mod_load_range(const struct dl_phdr_info *i, uintptr_t *lo,
		    uintptr_t *hi);

#endif
