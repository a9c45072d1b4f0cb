/* src/sim/wl_leak.c - workloads that leak on purpose something other than
 * a growing heap: thread-leak, fd-leak and cache-leak.  What they leak
 * stays allocated, open or running until the process exits.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sim/sim.h"

/* ---- thread-leak -------------------------------------------------------- */

struct thread_leak_params {
	double rate;		/* threads started per second */
	uint64_t stack;		/* stack size of each thread */
	uint64_t context;	/* bytes of the context each thread owns */
};
SIM_PARAMS_FIT(struct thread_leak_params);

#define P(f) .offset = offsetof(struct thread_leak_params, f)
static const struct opt thread_leak_opts[] = {
	{ .name = "--rate", .type = OPT_RATE, P(rate), .dflt = "10/s",
	  .help = "threads started (and never joined) per second",
	  .positive = true },
	{ .name = "--stack", .type = OPT_SIZE, P(stack), .dflt = "64KiB",
	  .help = "stack size of each thread", .min = 16384,
	  .max = 1 << 30 },
	{ .name = "--context", .type = OPT_SIZE, P(context), .dflt = "256",
	  .help = "bytes of context each thread holds (leaked with it)",
	  .positive = true },
	{ .name = NULL },
};
#undef P

/* Blocked forever: waits for a signal it has blocked (see the spawn). */
static void *thread_leak_block(void *context)
{
	for (;;)
		pause();
	return context;
}

/* Starts a thread that nobody will join or stop.  Returns 0 or -errno. */
SIM_SITE static int thread_leak_spawn(struct worker *w,
				      const struct thread_leak_params *p)
{
	void *context = cnt_malloc(w, p->context);
	pthread_attr_t attr;
	pthread_t t;
	sigset_t all;
	sigset_t old;
	int rc;

	if (context == NULL)
		return -ENOMEM;
	memset(context, 0x74, p->context);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, p->stack);
	/* The thread inherits a full signal mask, so SIGINT and SIGTERM
	 * keep going to the threads that act on them. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&t, &attr, thread_leak_block, context);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		cnt_free(w, context, p->context);
		return -rc;
	}
	w->c.threads_leaked++;
	return 0;
}

static void thread_leak_run(struct worker *w)
{
	const struct thread_leak_params *p = w->params;
	bool exhausted = false;
	uint64_t g;

	for (g = w->tid; worker_step(w, g, (double)g / p->rate);
	     g += w->nthreads) {
		int rc;

		if (exhausted)
			continue;
		rc = thread_leak_spawn(w, p);
		if (rc != 0 && rc != -ENOMEM) {
			sim_err("thread-leak: cannot start thread: %s",
				strerror(-rc));
			exhausted = true;
		}
	}
}

static const char *const thread_leaks[] = { "thread_leak_spawn", NULL };

const struct workload wl_thread_leak = {
	.name = "thread-leak",
	.class = "thread-leak",
	.summary = "threads started and never joined, blocked forever",
	.opts = thread_leak_opts,
	.params_size = sizeof(struct thread_leak_params),
	.leak_sites = thread_leaks,
	.run = thread_leak_run,
};

/* ---- fd-leak ------------------------------------------------------------ */

enum fd_kind { FD_BOTH, FD_FILE, FD_SOCKET };
static const char *const fd_kinds[] = { "both", "file", "socket", NULL };

struct fd_leak_params {
	double rate;		/* descriptors leaked per second */
	int kind;		/* enum fd_kind */
};
SIM_PARAMS_FIT(struct fd_leak_params);

#define P(f) .offset = offsetof(struct fd_leak_params, f)
static const struct opt fd_leak_opts[] = {
	{ .name = "--rate", .type = OPT_RATE, P(rate), .dflt = "10/s",
	  .help = "descriptors opened (and never closed) per second",
	  .positive = true },
	{ .name = "--kind", .type = OPT_CHOICE, P(kind), .dflt = "both",
	  .help = "files, sockets, or both in turn", .choices = fd_kinds },
	{ .name = NULL },
};
#undef P

SIM_SITE static int fd_leak_open_file(void)
{
	return open("/dev/null", O_RDONLY | O_CLOEXEC);
}

SIM_SITE static int fd_leak_open_socket(void)
{
	return socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
}

static void fd_leak_run(struct worker *w)
{
	const struct fd_leak_params *p = w->params;
	bool exhausted = false;
	uint64_t g;

	for (g = w->tid; worker_step(w, g, (double)g / p->rate);
	     g += w->nthreads) {
		bool file = p->kind == FD_FILE ||
			    (p->kind == FD_BOTH && g % 2 == 0);
		int fd;

		if (exhausted)
			continue;
		fd = file ? fd_leak_open_file() : fd_leak_open_socket();
		if (fd < 0) {
			/* Usually EMFILE: the leak reached the limit. */
			sim_err("fd-leak: cannot open %s: %s",
				file ? "/dev/null" : "a socket",
				strerror(errno));
			exhausted = true;
			continue;
		}
		w->c.fds_leaked++;
	}
}

static const char *const fd_leaks[] = {
	"fd_leak_open_file", "fd_leak_open_socket", NULL
};

const struct workload wl_fd_leak = {
	.name = "fd-leak",
	.class = "fd-leak",
	.summary = "files and sockets opened and never closed",
	.opts = fd_leak_opts,
	.params_size = sizeof(struct fd_leak_params),
	.leak_sites = fd_leaks,
	.run = fd_leak_run,
};

/* ---- cache-leak --------------------------------------------------------- */

/* Buckets of a new cache; doubled when entries outnumber them. */
#define CACHE_BUCKETS 1024
/* A key: "session:" and a 64-bit number in hex. */
#define CACHE_KEY_MAX 32

struct cache_leak_params {
	double rate;		/* inserts per second */
	uint64_t value_size;	/* mean bytes per cached value */
	uint64_t lookups;	/* lookups per insert */
};
SIM_PARAMS_FIT(struct cache_leak_params);

#define P(f) .offset = offsetof(struct cache_leak_params, f)
static const struct opt cache_leak_opts[] = {
	{ .name = "--rate", .type = OPT_RATE, P(rate), .dflt = "2000/s",
	  .help = "entries inserted (under fresh keys) per second",
	  .positive = true },
	{ .name = "--value-size", .type = OPT_SIZE, P(value_size),
	  .dflt = "256", .help = "mean size of a cached value",
	  .min = 2, .max = 1 << 30 },
	{ .name = "--lookups", .type = OPT_UINT, P(lookups), .dflt = "4",
	  .help = "lookups per insert (temporary key buffers, all freed)",
	  .max = 1000 },
	{ .name = NULL },
};
#undef P

struct cache_entry {
	struct cache_entry *next;
	uint64_t hash;
	char *value;
	size_t value_n;
	size_t entry_n;		/* bytes allocated for this entry */
	char key[];
};

struct cache {
	struct cache_entry **buckets;
	size_t nbuckets;
	size_t count;
};

static uint64_t cache_hash(const char *key)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 0x100000001b3ULL;
	return h;
}

/* Allocates the first bucket array, or rehashes into twice the buckets
 * and frees the old array.  Sets w->failed if it cannot. */
SIM_SITE static void cache_grow_table(struct worker *w, struct cache *c)
{
	size_t n = c->nbuckets > 0 ? c->nbuckets * 2 : CACHE_BUCKETS;
	struct cache_entry **b = cnt_calloc(w, n, sizeof(*b));
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < c->nbuckets; i++) {
		struct cache_entry *e = c->buckets[i];

		while (e != NULL) {
			struct cache_entry *next = e->next;

			e->next = b[e->hash % n];
			b[e->hash % n] = e;
			e = next;
		}
	}
	cnt_free(w, c->buckets, c->nbuckets * sizeof(*c->buckets));
	c->buckets = b;
	c->nbuckets = n;
}

/* The leak: every key is new and nothing is ever evicted, so this one
 * call site grows without bound while every other site stays level. */
SIM_SITE static void cache_insert(struct worker *w, struct cache *c,
				  const char *key, size_t value_n)
{
	size_t key_n = strlen(key) + 1;
	size_t entry_n = sizeof(struct cache_entry) + key_n;
	struct cache_entry *e = cnt_malloc(w, entry_n);

	if (e == NULL)
		return;
	e->value = cnt_malloc(w, value_n);
	if (e->value == NULL) {
		cnt_free(w, e, entry_n);
		return;
	}
	memset(e->value, 0x63, value_n);
	memcpy(e->key, key, key_n);
	e->hash = cache_hash(key);
	e->value_n = value_n;
	e->entry_n = entry_n;
	e->next = c->buckets[e->hash % c->nbuckets];
	c->buckets[e->hash % c->nbuckets] = e;
	if (++c->count > c->nbuckets)
		cache_grow_table(w, c);
}

/* A lookup of a recent key, through a temporary key buffer (the healthy,
 * balanced site next to the leaking one). */
SIM_SITE static bool cache_lookup(struct worker *w, const struct cache *c,
				  uint64_t id)
{
	char *key = cnt_malloc(w, CACHE_KEY_MAX);
	const struct cache_entry *e;
	bool found = false;

	if (key == NULL)
		return false;
	snprintf(key, CACHE_KEY_MAX, "session:%016" PRIx64, id);
	for (e = c->buckets[cache_hash(key) % c->nbuckets]; e != NULL;
	     e = e->next) {
		if (strcmp(e->key, key) == 0) {
			found = true;
			break;
		}
	}
	cnt_free(w, key, CACHE_KEY_MAX);
	return found;
}

static void cache_leak_run(struct worker *w)
{
	const struct cache_leak_params *p = w->params;
	struct cache c = { .buckets = NULL };
	uint64_t g;

	cache_grow_table(w, &c);
	if (c.buckets == NULL)
		return;
	for (g = w->tid; worker_step(w, g, (double)g / p->rate);
	     g += w->nthreads) {
		char key[CACHE_KEY_MAX];
		uint64_t i;

		/* Fresh keys: g is unique across threads and phases of
		 * one worker's cache. */
		snprintf(key, sizeof(key), "session:%016" PRIx64, g);
		cache_insert(w, &c,  key,
			     p->value_size / 2 +
			     rng_below(&w->rng, p->value_size));
		for (i = 0; i < p->lookups; i++)
			cache_lookup(w, &c, rng_below(&w->rng, g + 1));
	}
	/* The cache is never freed: it is the leak. */
}

static const char *const cache_leaks[] = {
	"cache_insert", "cache_grow_table", NULL
};

const struct workload wl_cache_leak = {
	.name = "cache-leak",
	.class = "cache-leak",
	.summary = "unbounded cache keyed by fresh keys: one call site grows "
		   "without bound",
	.opts = cache_leak_opts,
	.params_size = sizeof(struct cache_leak_params),
	.leak_sites = cache_leaks,
	.run = cache_leak_run,
};
