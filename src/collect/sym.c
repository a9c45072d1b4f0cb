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

struct sym {
	Dwfl *dwfl;
	uint64_t seq;
	bool loaded;
	struct seg_module *mods;
	int nmods;
	struct entry **cache;		/* CACHE_SLOTS, open addressing */
	uint32_t cached;
	struct entry scratch;		/* the uncached answer */
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
	if (s->cache == NULL) {
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
}

void sym_free(struct sym *s)
{
	if (s == NULL)
		return;
	drop_cache(s);
	free_entry(&s->scratch);
	free(s->cache);
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

/* The chain of inlined functions at pc, innermost first: "a <- b". */
static char *inline_chain(Dwfl_Module *m, uint64_t pc)
{
	Dwarf_Addr bias;
	Dwarf_Die *cu = dwfl_module_addrdie(m, pc, &bias);
	Dwarf_Die *scopes = NULL;
	char buf[512] = "";
	size_t len = 0;
	int n;

	if (cu == NULL)
		return strdup("");
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
		f->inlined = inline_chain(m, pc);
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
