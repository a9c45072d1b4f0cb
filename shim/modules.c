/* shim/modules.c - publishes the loaded objects.
 *
 * The reader symbolizes raw return addresses; with each object's path,
 * load bias and build-id in the segment it can do so even after the target
 * has exited, and a recording stands alone.  dl_iterate_phdr takes the
 * loader's lock, so this never runs inside an allocation call.
 */
#include "config.h"

#include <elf.h>
#include <link.h>
#include <string.h>
#include <unistd.h>

#include "modules.h"
#include "publish.h"

static int mod_lock;

static void copy_build_id(struct seg_module *m, const struct dl_phdr_info *i)
{
	for (int k = 0; k < i->dlpi_phnum; k++) {
		const ElfW(Phdr) *ph = &i->dlpi_phdr[k];
		const unsigned char *p;
		const unsigned char *end;

		if (ph->p_type != PT_NOTE)
			continue;
		p = (const unsigned char *)(i->dlpi_addr + ph->p_vaddr);
		end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
			const unsigned char *name = p + sizeof *n;
			const unsigned char *desc = name +
						    ((n->n_namesz + 3u) & ~3u);

			if (desc + n->n_descsz > end)
				break;
			if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
			    memcmp(name, "GNU", 4) == 0) {
				uint32_t len = n->n_descsz;

				if (len > SEG_BUILD_ID_MAX)
					len = SEG_BUILD_ID_MAX;
				memcpy(m->build_id, desc, len);
				m->build_id_len = len;
				return;
			}
			p = desc + ((n->n_descsz + 3u) & ~3u);
		}
	}
}

void mod_load_range(const struct dl_phdr_info *i, uintptr_t *lo,
		    uintptr_t *hi)
{
	*lo = UINTPTR_MAX;
	*hi = 0;
	for (int k = 0; k < i->dlpi_phnum; k++) {
		const ElfW(Phdr) *ph = &i->dlpi_phdr[k];
		uintptr_t a = i->dlpi_addr + ph->p_vaddr;

		if (ph->p_type != PT_LOAD)
			continue;
		if (a < *lo)
			*lo = a;
		if (a + ph->p_memsz > *hi)
			*hi = a + ph->p_memsz;
	}
}

static int visit(struct dl_phdr_info *i, size_t size, void *arg)
{
	struct seg_header *h = arg;
	struct seg_module *mods = pub_modules();
	struct seg_module m;
	uintptr_t lo;
	uintptr_t hi;
	uint32_t used = h->modules_used;

	(void)size;
	memset(&m, 0, sizeof m);
	mod_load_range(i, &lo, &hi);
	if (hi == 0)
		return 0;
	for (uint32_t k = 0; k < used; k++)
		if (mods[k].lo == lo && mods[k].base == i->dlpi_addr)
			return 0;	/* known */
	if (used >= h->module_count)
		return 1;
	m.base = i->dlpi_addr;
	m.lo = lo;
	m.hi = hi;
	if (i->dlpi_name != NULL && i->dlpi_name[0] != '\0') {
		strncpy(m.path, i->dlpi_name, sizeof m.path - 1);
	} else {
		/* The main program (or the vDSO, which has no file). */
		ssize_t n = readlink("/proc/self/exe", m.path,
				     sizeof m.path - 1);

		m.path[n > 0 ? n : 0] = '\0';
		if (used != 0)
			m.path[0] = '\0';	/* vDSO: range only */
	}
	copy_build_id(&m, i);
	mods[used] = m;
	__atomic_store_n(&h->modules_used, used + 1, __ATOMIC_RELEASE);
	return 0;
}

void mod_refresh(void)
{
	struct seg_header *h = pub_header();

	if (h == NULL)
		return;
	while (__atomic_exchange_n(&mod_lock, 1, __ATOMIC_ACQUIRE) != 0)
		;
	dl_iterate_phdr(visit, h);
	__atomic_fetch_add(&h->modules_seq, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&mod_lock, 0, __ATOMIC_RELEASE);
}
