/* src/collect/sym.c - symbolization with libdw's Dwfl, offline: the
 * objects are reported from the segment's module table (path and load
 * bias), so stacks still resolve after the target has exited. */
#include "config.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/sym.h"

/* From the C++ runtime (libstdc++), which ships with every toolchain. */
extern char *__cxa_demangle(const char *mangled, char *out, size_t *len,
			    int *status);

/* Distinct addresses remembered: 64 frames of 4096 sites.  Past it,
 * lookups still work, uncached (slower, never wrong). */
#define CACHE_SLOTS (1u << 18)

struct entry {
	uint64_t addr;
	struct sym_frame f;
};

/* The functions of one compilation unit by address, built the first time
 * an address falls in it: dwarf_getscopes() walks the unit's DIEs from the
 * top for every address (three quarters of symbolizing 10,000 sites in
 * bench/reader.sh), where a search here finds the function, and only the
 * function's own DIEs are walked.  Bounded by the debug information of the
 * units the target's stacks touch. */
#define CU_SLOTS 4096u

struct fn_range {
	Dwarf_Addr lo, hi;		/* [lo, hi), DWARF addresses */
	Dwarf_Die die;			/* its DW_TAG_subprogram */
};

struct cu_index {
	const void *key;		/* the unit DIE's address: unique per unit */
	struct fn_range *fns;		/* sorted by lo */
	size_t n;
	size_t cap;
};

struct sym {
	Dwfl *dwfl;
	uint64_t seq;
	bool loaded;
	struct seg_module *mods;
	int nmods;
	struct entry **cache;		/* CACHE_SLOTS, open addressing */
	uint32_t cached;
	struct entry scratch;		/* the uncached answer */
	struct cu_index **cus;		/* CU_SLOTS, open addressing */
	uint32_t ncus;
};

static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

struct sym *sym_new(void)
{
	struct sym *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->cache = calloc(CACHE_SLOTS, sizeof *s->cache);
	s->cus = calloc(CU_SLOTS, sizeof *s->cus);
	if (s->cache == NULL || s->cus == NULL) {
		free(s->cache);
		free(s->cus);
		free(s);
		return NULL;
	}
	return s;
}

static void free_entry(struct entry *e)
{
	free((char *)e->f.function);
	free((char *)e->f.file);
	free((char *)e->f.inlined);
	free((char *)e->f.module);
}

static void drop_cache(struct sym *s)
{
	for (uint32_t i = 0; i < CACHE_SLOTS; i++)
		if (s->cache[i] != NULL) {
			free_entry(s->cache[i]);
			free(s->cache[i]);
			s->cache[i] = NULL;
		}
	s->cached = 0;
	/* The unit indexes point into the Dwfl's data: they go with it. */
	for (uint32_t i = 0; i < CU_SLOTS; i++)
		if (s->cus[i] != NULL) {
			free(s->cus[i]->fns);
			free(s->cus[i]);
			s->cus[i] = NULL;
		}
	s->ncus = 0;
}

void sym_free(struct sym *s)
{
	if (s == NULL)
		return;
	drop_cache(s);
	free_entry(&s->scratch);
	free(s->cache);
	free(s->cus);
	free(s->mods);
	if (s->dwfl != NULL)
		dwfl_end(s->dwfl);
	free(s);
}

void sym_set_modules(struct sym *s, const struct seg_module *m, int n,
		     uint64_t seq)
{
	if (s->loaded && seq == s->seq)
		return;
	free(s->mods);
	s->mods = calloc(n > 0 ? (size_t)n : 1, sizeof *m);
	s->nmods = s->mods ? n : 0;
	if (s->nmods)
		memcpy(s->mods, m, (size_t)n * sizeof *m);
	if (s->dwfl != NULL)
		dwfl_end(s->dwfl);
	s->dwfl = dwfl_begin(&callbacks);
	if (s->dwfl != NULL) {
		dwfl_report_begin(s->dwfl);
		for (int i = 0; i < s->nmods; i++) {
			const char *path = s->mods[i].path;
			const char *base = strrchr(path, '/');

			if (path[0] != '/' || access(path, R_OK) != 0)
				continue;
			dwfl_report_elf(s->dwfl, base ? base + 1 : path, path,
					-1, s->mods[i].base, false);
		}
		dwfl_report_end(s->dwfl, NULL, NULL);
	}
	/* Module addresses may have been reused by another object. */
	drop_cache(s);
	s->seq = seq;
	s->loaded = true;
}

static char *demangle(const char *name)
{
	int status = -1;
	char *d;

	if (name == NULL)
		return strdup("");
	if (name[0] == '_' && name[1] == 'Z') {
		d = __cxa_demangle(name, NULL, NULL, &status);
		if (status == 0 && d != NULL)
			return d;
		free(d);
	}
	return strdup(name);
}

static const struct seg_module *module_of(const struct sym *s, uint64_t a)
{
	for (int i = 0; i < s->nmods; i++)
		if (a >= s->mods[i].lo && a < s->mods[i].hi)
			return &s->mods[i];
	return NULL;
}

static bool add_range(struct cu_index *x, Dwarf_Addr lo, Dwarf_Addr hi,
		      const Dwarf_Die *die)
{
	if (lo >= hi)
		return true;
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 64;
		struct fn_range *f = realloc(x->fns, cap * sizeof *f);

		if (f == NULL)
			return false;
		x->fns = f;
		x->cap = cap;
	}
	x->fns[x->n].lo = lo;
	x->fns[x->n].hi = hi;
	x->fns[x->n].die = *die;
	x->n++;
	return true;
}

/* The functions with code among the children of parent (namespaces too,
 * where C++ puts its definitions). */
static bool index_children(struct cu_index *x, Dwarf_Die *parent, int depth)
{
	Dwarf_Die child;

	if (depth > 16 || dwarf_child(parent, &child) != 0)
		return true;
	do {
		int tag = dwarf_tag(&child);

		if (tag == DW_TAG_subprogram) {
			Dwarf_Addr base, lo, hi;
			ptrdiff_t off = 0;

			while ((off = dwarf_ranges(&child, off, &base, &lo,
						   &hi)) > 0)
				if (!add_range(x, lo, hi, &child))
					return false;
		} else if (tag == DW_TAG_namespace) {
			if (!index_children(x, &child, depth + 1))
				return false;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
	return true;
}

static int by_lo(const void *a, const void *b)
{
	const struct fn_range *x = a;
	const struct fn_range *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo ? 1 : 0;
}

/* The index of cu, built on first use; NULL when out of memory or full
 * (the caller then does without). */
static struct cu_index *cu_index(struct sym *s, Dwarf_Die *cu)
{
	const void *key = cu->addr;
	uint32_t i = (uint32_t)(((uintptr_t)key * 0x9e3779b97f4a7c15ull) >>
				52) & (CU_SLOTS - 1);
	struct cu_index *x;

	for (uint32_t k = 0; k < CU_SLOTS; k++, i = (i + 1) & (CU_SLOTS - 1)) {
		if (s->cus[i] == NULL)
			break;
		if (s->cus[i]->key == key)
			return s->cus[i];
	}
	if (s->cus[i] != NULL || s->ncus >= CU_SLOTS / 2)
		return NULL;
	x = calloc(1, sizeof *x);
	if (x == NULL)
		return NULL;
	x->key = key;
	if (!index_children(x, cu, 0)) {
		free(x->fns);
		free(x);
		return NULL;
	}
	qsort(x->fns, x->n, sizeof *x->fns, by_lo);
	s->cus[i] = x;
	s->ncus++;
	return x;
}

/* The function holding pc: the first by address whose range has it, as
 * dwarf_getscopes() takes the first in DIE order (ranges of distinct
 * functions do not overlap in sane debug information).  NULL: not known
 * here. */
static Dwarf_Die *fn_of(struct cu_index *x, Dwarf_Addr pc)
{
	size_t lo = 0;
	size_t hi = x->n;

	/* The last range starting at or below pc, then back over ranges
	 * that start lower (an earlier function may span pc too). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (x->fns[mid].lo <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo > 0) {
		lo--;
		if (pc < x->fns[lo].hi)
			return &x->fns[lo].die;
		if (lo + 1 < x->n && x->fns[lo].lo != x->fns[lo + 1].lo)
			break;
	}
	return NULL;
}

/* The innermost inlined instance holding pc below fn, as dwarf_getscopes()
 * finds it: into the first child holding pc, level by level.  false: none. */
static bool innermost_inlined(Dwarf_Die *fn, Dwarf_Addr pc, Dwarf_Die *out)
{
	Dwarf_Die scope = *fn;
	bool found = false;

	for (int depth = 0; depth < 256; depth++) {
		Dwarf_Die child;
		bool deeper = false;

		if (dwarf_child(&scope, &child) != 0)
			break;
		do {
			if (dwarf_haspc(&child, pc) == 1) {
				deeper = true;
				break;
			}
		} while (dwarf_siblingof(&child, &child) == 0);
		if (!deeper)
			break;
		scope = child;
		if (dwarf_tag(&scope) == DW_TAG_inlined_subroutine) {
			*out = scope;
			found = true;
		}
	}
	return found;
}

static char *inlined_name(Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	const char *name = dwarf_formstring(dwarf_attr_integrate(die,
								   DW_AT_name,
								   &attr));

	return strdup(name ? name : "?");
}

/* The chain of inlined functions at pc, innermost first: "a <- b".
 * dwarf_getscopes() stops at the innermost inlined instance (the scopes
 * outside it are those of its abstract definition), so in practice the
 * chain has one name at most. */
static char *inline_chain(struct sym *s, Dwfl_Module *m, uint64_t pc)
{
	Dwarf_Addr bias;
	Dwarf_Die *cu = dwfl_module_addrdie(m, pc, &bias);
	Dwarf_Die *scopes = NULL;
	struct cu_index *x;
	Dwarf_Die *fn;
	Dwarf_Die in;
	char buf[512] = "";
	size_t len = 0;
	int n;

	if (cu == NULL)
		return strdup("");
	x = cu_index(s, cu);
	fn = x ? fn_of(x, pc - bias) : NULL;
	if (fn != NULL)
		return innermost_inlined(fn, pc - bias, &in) ? inlined_name(&in) :
							      strdup("");
	n = dwarf_getscopes(cu, pc - bias, &scopes);
	for (int i = 0; i < n && len < sizeof buf - 64; i++) {
		Dwarf_Attribute attr;
		const char *name;

		if (dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine)
			continue;
		name = dwarf_formstring(dwarf_attr_integrate(&scopes[i],
							      DW_AT_name,
							      &attr));
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s",
					len ? " <- " : "", name ? name : "?");
	}
	free(scopes);
	return strdup(buf);
}

static bool is_allocator(const char *module, const char *function)
{
	return strncmp(module, "libc.so", 7) == 0 ||
	       strncmp(module, "libstdc++.so", 12) == 0 ||
	       strncmp(function, "operator new", 12) == 0;
}

static void resolve(struct sym *s, uint64_t addr, struct sym_frame *f)
{
	const struct seg_module *mod = module_of(s, addr);
	/* A return address: the call is the instruction before it. */
	uint64_t pc = addr ? addr - 1 : 0;
	Dwfl_Module *m = s->dwfl ? dwfl_addrmodule(s->dwfl, pc) : NULL;
	const char *base;
	int line = 0;
	const char *file = NULL;

	if (mod != NULL && mod->path[0] != '\0') {
		base = strrchr(mod->path, '/');
		f->module = strdup(base ? base + 1 : mod->path);
		f->offset = addr - mod->base;
	} else {
		f->module = strdup(mod ? "[vdso]" : "?");
		f->offset = addr;
	}
	if (m != NULL) {
		Dwfl_Line *l = dwfl_module_getsrc(m, pc);

		f->function = demangle(dwfl_module_addrname(m, pc));
		if (l != NULL)
			file = dwfl_lineinfo(l, NULL, &line, NULL, NULL, NULL);
		f->inlined = inline_chain(s, m, pc);
	} else {
		f->function = strdup("");
		f->inlined = strdup("");
	}
	f->file = strdup(file ? file : "");
	f->line = line;
	f->allocator = is_allocator(f->module ? f->module : "",
				    f->function ? f->function : "");
}

static const struct sym_frame unknown = { "", "", 0, "", "?", 0, false };

const struct sym_frame *sym_lookup(struct sym *s, uint64_t addr)
{
	uint32_t i = (uint32_t)((addr * 0x9e3779b97f4a7c15ull) >> 46) &
		     (CACHE_SLOTS - 1);
	struct entry *e;

	for (uint32_t k = 0; k < 16; k++, i = (i + 1) & (CACHE_SLOTS - 1)) {
		e = s->cache[i];
		if (e == NULL)
			break;
		if (e->addr == addr)
			return &e->f;
	}
	e = calloc(1, sizeof *e);
	if (e == NULL || s->cache[i] != NULL || s->cached >= CACHE_SLOTS / 2) {
		free(e);
		free_entry(&s->scratch);
		memset(&s->scratch, 0, sizeof s->scratch);
		e = &s->scratch;
	}
	e->addr = addr;
	resolve(s, addr, &e->f);
	if (!e->f.function || !e->f.file || !e->f.inlined || !e->f.module) {
		free_entry(e);	/* out of memory: say nothing rather than lie */
		memset(&e->f, 0, sizeof e->f);
		if (e != &s->scratch)
			free(e);
		return &unknown;
	}
	if (e != &s->scratch) {
		s->cache[i] = e;
		s->cached++;
	}
	return &e->f;
}
