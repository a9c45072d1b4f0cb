/* shim/modules.h - the loaded objects, published for symbolization. */
#ifndef ALLOCTOP_SHIM_MODULES_H
#define ALLOCTOP_SHIM_MODULES_H

/* Appends objects loaded since the last call to the segment's module
 * table (path, load bias, address range, build-id).  Called from the
 * constructor, after fork, and after every dlopen; never from malloc. */
void mod_refresh(void);

#endif
